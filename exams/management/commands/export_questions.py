"""`manage.py export_questions --format xlsx|moodle-xml -o FILE [--category PATH]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from exams.models import Question, QuestionCategory
from exams.selectors.bank import questions_in_category
from exams.services.bank_export import EXPORT_FORMATS, questions_export
from exams.services.bank_import import category_names


class Command(BaseCommand):
    help = "Export questions (a category with its subcategories, or the whole bank)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=list(EXPORT_FORMATS), required=True)
        parser.add_argument("-o", "--output", type=Path, required=True)
        parser.add_argument("--category", help="Category path, e.g. “2021年新法/行政处罚法”.")

    def handle(self, *args, format, output: Path, category=None, **options):  # noqa: A002
        questions = Question.objects.all()
        if category:
            full_path = QuestionCategory.SEPARATOR.join(category_names(category))
            found = QuestionCategory.objects.filter(full_path=full_path).first()
            if found is None:
                raise CommandError(_("No such category: %(category)s") % {"category": category})
            questions = questions.filter(questions_in_category(found))
        data = questions_export(questions=questions, fmt=format)
        output.write_bytes(data)
        self.stdout.write(f"exported {questions.count()} questions to {output}")
