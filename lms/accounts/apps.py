"""App config for accounts: cadres, units and roles."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "lms.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisation")

    def ready(self):
        from lms.spreadsheets import formula_guard_install

        from . import signals  # noqa: F401
        from .roles import roles_ensure_after_migrate

        formula_guard_install()

        # Permissions exist only after migrate has run, so the groups are synced then.
        post_migrate.connect(roles_ensure_after_migrate, sender=self)
