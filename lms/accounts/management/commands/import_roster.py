"""`manage.py import_roster FILE`: the same all-or-nothing import as the admin page."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lms.accounts.roster import RosterImportError, roster_import


class Command(BaseCommand):
    help = "Import cadres from an XLSX or CSV roster (姓名, 手机号, 单位编码, 职务, 类别)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--show-passwords",
            action="store_true",
            help="Print the one-time passwords of new accounts.",
        )

    def handle(self, *args, file: Path, show_passwords: bool, **options):
        if not file.is_file():
            raise CommandError(f"文件不存在：{file}")
        try:
            result = roster_import(data=file.read_bytes(), filename=file.name)
        except RosterImportError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"导入失败：{len(exc.errors)} 处错误，未写入任何数据。") from exc
        self.stdout.write(result.summary())
        if show_passwords:
            for account in result.new_accounts:
                self.stdout.write(f"{account.phone}\t{account.name}\t{account.password}")
