"""`manage.py import_questions FILE`: the same all-or-nothing import as the admin page."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from exams.importers import FORMATS
from exams.services.bank_import import QuestionImportError, questions_import


class Command(BaseCommand):
    help = "Import questions from XLSX/CSV (the template), Moodle XML or GIFT; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=FORMATS, help="Guessed from the file if omitted.")
        parser.add_argument(
            "--category",
            help="Put the questions under this category path, e.g. “2021年新法/行政处罚法”; "
            "the file's own categories go below it.",
        )

    def handle(self, *args, file: Path, format=None, category=None, **options):  # noqa: A002
        if not file.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": file})
        try:
            summary = questions_import(
                data=file.read_bytes(), filename=file.name, fmt=format, category_path=category
            )
        except QuestionImportError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError(
                _("Import failed: %(count)d errors, nothing was written.")
                % {"count": len(exc.messages)}
            ) from exc
        self.stdout.write(summary.summary_line())
        # Details after the one summary line, so scripts can read the first line alone.
        if summary.unchanged:
            self.stdout.write(f"unchanged {summary.unchanged} (already in the bank)")
        for skipped in summary.skipped:
            self.stdout.write(f"skipped: {skipped.name} ({skipped.qtype}) {skipped.reason}")
        for warning in [*summary.duplicates, *summary.warnings]:
            self.stdout.write(f"warning: {warning}")
