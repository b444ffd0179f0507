"""allauth adapter: accounts come from the unit roster, so sign-up is closed; the client's
address comes from lms.client_ip; failed sign-ins per account cost a growing wait."""

import time

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lms.client_ip import client_ip

from .sign_in_delay import sign_in_failed, sign_in_succeeded, sign_in_wait


def _login_of(credentials) -> str:
    return credentials.get("username") or credentials.get("email") or ""


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # allauth's own text says only "try again later"; say when. This is the per-address
        # limit (ACCOUNT_RATE_LIMITS, counted per minute).
        "too_many_login_attempts": _(
            "Too many failed sign-in attempts from this address. Wait a minute, then try again."
        ),
    }

    def is_open_for_signup(self, request):
        return False

    def get_client_ip(self, request):
        return client_ip(request)

    def pre_authenticate(self, request, **credentials):
        wait = sign_in_wait(login=_login_of(credentials), now=time.time())
        if wait:
            raise ValidationError(_wait_message(wait), code="sign_in_wait")
        super().pre_authenticate(request, **credentials)

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user:
            sign_in_succeeded(login=_login_of(credentials))
        return user

    def authentication_failed(self, request, **credentials):
        sign_in_failed(login=_login_of(credentials), now=time.time())


def _wait_message(seconds: int) -> str:
    return ngettext(
        "Too many failed sign-ins for this account. Try again in %(seconds)d second.",
        "Too many failed sign-ins for this account. Try again in %(seconds)d seconds.",
        seconds,
    ) % {"seconds": seconds}
