"""allauth adapter: accounts come from the unit roster, so sign-up is closed."""

from allauth.account.adapter import DefaultAccountAdapter
from django.utils.translation import gettext_lazy as _


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # allauth's own text says only "try again later"; say when.
        "too_many_login_attempts": _(
            "Too many failed sign-in attempts. Wait five minutes, then try again."
        ),
    }

    def is_open_for_signup(self, request):
        return False
