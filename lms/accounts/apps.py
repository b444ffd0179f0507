"""App config for accounts: cadres, units and roles."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "lms.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisation")

    def ready(self):
        from lms.imports.models import ImportKind
        from lms.imports.registry import import_kind_register
        from lms.spreadsheets import formula_guard_install

        from . import signals  # noqa: F401
        from .import_jobs import ROSTER_JOB
        from .roles import roles_ensure_after_migrate

        formula_guard_install()
        # Large rosters are imported in the background (lms/imports).
        import_kind_register(ImportKind.ROSTER, ROSTER_JOB)

        # Permissions exist only after migrate has run, so the groups are synced then.
        post_migrate.connect(roles_ensure_after_migrate, sender=self)
