"""`manage.py import_law PATH...`: files and folders of law texts into the library, each file
all or nothing, as the admin's import page does; a summary at the end."""

import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from courses.models import LawCategory, LawStatus
from courses.services.law_import import law_import_text
from courses.services.law_versions import versions_summary

OUTCOME_WORDS = {
    "created": pgettext_lazy("law import outcome", "created"),
    "updated": pgettext_lazy("law import outcome", "updated"),
    "unchanged": pgettext_lazy("law import outcome", "unchanged"),
}


def law_files(paths: list[Path]) -> list[Path]:
    """The .md files named, and those under the folders named (recursively), in order."""
    files = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*.md") if p.name.lower() != "readme.md"))
        elif path.is_file():
            files.append(path)
        else:
            raise CommandError(_("No such file: %(file)s") % {"file": path})
    return files


class Command(BaseCommand):
    help = (
        "Import or update laws from Markdown files or folders of them (# title, headings, "
        "第X条 articles); unchanged texts write nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument(
            "--slug", help="Web address of the law (one file only); default: the file name."
        )
        parser.add_argument("--category", choices=LawCategory.values)
        parser.add_argument("--status", choices=LawStatus.values)

    def handle(self, *args, paths, slug, category, status, **options):
        files = law_files(paths)
        if slug and len(files) != 1:
            raise CommandError(_("--slug can only be used with a single file"))
        counts = dict.fromkeys(OUTCOME_WORDS, 0)
        refused = []
        sentences = pgettext("sentence separator", "; ")
        # A bar on a terminal; logs and cron mail get the per-file lines only.
        bar = sys.stderr.isatty() and len(files) > 1
        for done, file in enumerate(files, start=1):
            if bar:
                sys.stderr.write(f"\r[{done}/{len(files)}] {file.name[:50]:<50}")
                sys.stderr.flush()
            try:
                text = file.read_text(encoding="utf-8")
                result = law_import_text(
                    text=text, slug=slug, filename=file.name, category=category, status=status
                )
            except UnicodeDecodeError:
                refused.append(_("%(file)s: the file is not UTF-8 text") % {"file": file})
                continue
            except ValidationError as exc:
                refused.append(
                    _("%(file)s: %(reasons)s")
                    % {"file": file, "reasons": sentences.join(exc.messages)}
                )
                continue
            counts[result.outcome] += 1
            count = result.law.articles.count()
            line = _("%(outcome)s %(title)s: %(count)d articles") % {
                "outcome": OUTCOME_WORDS[result.outcome],
                "title": result.law.title,
                "count": count,
            }
            if result.versions is not None:
                line += _(" (%(versions)s)") % {"versions": versions_summary(result.versions)}
            self.stdout.write(line)
        if bar:
            sys.stderr.write("\n")
        for line in refused:
            self.stdout.write(_("refused %(line)s") % {"line": line})
        summary = pgettext("clause separator", ", ").join(
            f"{OUTCOME_WORDS[k]} {v}" for k, v in counts.items()
        )
        self.stdout.write(
            _("%(files)d files: %(summary)s, refused %(refused)d.")
            % {"files": len(files), "summary": summary, "refused": len(refused)}
        )
        if refused:
            raise CommandError(
                _("%(count)d files failed to import; nothing of them was written: %(files)s")
                % {"count": len(refused), "files": sentences.join(refused)}
            )
