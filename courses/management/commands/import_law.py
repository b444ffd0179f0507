"""`manage.py import_law FILE`: the same all-or-nothing law import as the admin page."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from courses.models import LawCategory, LawStatus
from courses.services.law_import import law_import


class Command(BaseCommand):
    help = "Import or update a law from a Markdown file (# title, headings, 第X条 articles)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--slug", help="Web address of the law; default: the file name.")
        parser.add_argument("--category", choices=LawCategory.values)
        parser.add_argument("--status", choices=LawStatus.values)

    def handle(self, *args, file: Path, slug, category, status, **options):
        if not file.is_file():
            raise CommandError(f"文件不存在：{file}")
        try:
            text = file.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise CommandError(f"文件不是 UTF-8 编码的文本：{file}") from exc
        try:
            law, created = law_import(
                text=text, slug=slug, filename=file.name, category=category, status=status
            )
        except ValidationError as exc:
            raise CommandError(f"导入失败，未写入任何数据。{'；'.join(exc.messages)}") from exc
        count = law.articles.count()
        self.stdout.write(
            f"imported {law.title}: {count} articles ({'created' if created else 'updated'})"
        )
