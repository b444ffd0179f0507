"""Gates every request of a signed-in user: a one-time password must be replaced first,
and HR and Admin must enrol two-factor authentication before reaching anything else."""

import functools

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext as _

from .roles import Role, user_has_role

# The exam's answer API proves who writes with its own signed token; loading the session
# and the user here would double the cost of the busiest request of the year.
TOKEN_AUTHENTICATED_PREFIXES = ("/exams/api/",)


def _always_allowed_prefixes():
    return _allowed_prefixes(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


# Every signed-in request asks; the three reversals were a fortieth of the exam's start.
# Keyed by what a reversal depends on, so that another urlconf or script prefix counts.
@functools.lru_cache(maxsize=16)
def _allowed_prefixes(urlconf, script_prefix):
    return (
        reverse("account_logout"),
        reverse("set_language"),
        reverse("text_size"),
        "/static/",
        "/favicon.ico",
    )


def user_needs_mfa(user) -> bool:
    if not user_has_role(user, *Role.MFA_REQUIRED):
        return False
    from allauth.mfa.utils import is_mfa_enabled

    return not is_mfa_enabled(user)


class AccountGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(TOKEN_AUTHENTICATED_PREFIXES):
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response = self._gate(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    def _gate(self, request, user):
        path = request.path
        if path.startswith(_always_allowed_prefixes()):
            return None
        if user.must_change_password:
            target = reverse("account_change_password")
            if path == target:
                return None
            if request.method == "GET":
                messages.info(
                    request,
                    _("You signed in with a one-time password. Please choose your own password."),
                )
            return self._redirect_or_refuse(request, target)
        if user_needs_mfa(user):
            if path.startswith(("/accounts/2fa/", "/accounts/reauthenticate/")):
                return None
            if request.method == "GET":
                messages.warning(
                    request,
                    _(
                        "Your role handles other people's records: set up two-factor "
                        "authentication with an authenticator app before you continue."
                    ),
                )
            return self._redirect_or_refuse(request, reverse("mfa_activate_totp"))
        return None

    def _redirect_or_refuse(self, request, target):
        # A script (autosave, heartbeat) cannot follow a redirect to a form; tell it plainly.
        if request.headers.get("Accept", "").startswith("application/json"):
            from django.http import JsonResponse

            return JsonResponse(
                {"error": _("Finish setting up your account first."), "redirect": target},
                status=403,
            )
        return redirect(target)
