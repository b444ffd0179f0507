"""Writes on accounts: creating cadres with one-time passwords, resetting passwords."""

import secrets

from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .models import User
from .roles import Role, role_names, user_has_role
from .selectors import cadre_is_visible_to

# Digits and letters that cannot be confused when read aloud or copied from a phone screen.
_OTP_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"

PASSWORD_RESET_ACTION = "accounts.password.reset"


def one_time_password_generate() -> str:
    return "".join(secrets.choice(_OTP_ALPHABET) for _ in range(10))


def user_set_one_time_password(*, user: User) -> str:
    """Give the user a fresh one-time password that must be changed at the next sign-in."""
    password = one_time_password_generate()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    return password


def user_has_mfa(user: User) -> bool:
    return Authenticator.objects.filter(user=user).exists()


def password_reset_refusal(*, target: User, by: User, target_has_mfa: bool) -> str | None:
    """Why `by` may not reset `target`'s password, or None when they may: the role ladder.

    A unit leader resets cadres only (no staff role); HR resets cadres and unit leaders,
    never a trainer, another HR or an Admin; Admin resets anyone. A password is half of an
    MFA account's sign-in, so only Admin resets one, and that resets its second factor too.
    Which units the target sits in is checked by the caller (cadre_password_reset).
    """
    if target.pk == by.pk:
        return _("Use “change password” to change your own password.")
    if target_has_mfa and not user_has_role(by, Role.ADMIN):
        return _(
            "This account signs in with two-factor authentication: only the system "
            "administrator may reset its password."
        )
    by_roles = role_names(by)
    target_roles = role_names(target)
    if Role.ADMIN in by_roles:
        if target.is_superuser and not by.is_superuser:
            return _("Only a superuser may reset a superuser's password.")
        return None
    if Role.HR in by_roles:
        if target_roles - {Role.CADRE, Role.UNIT_LEADER}:
            return _("HR may reset the passwords of cadres and unit leaders only.")
        return None
    if Role.UNIT_LEADER in by_roles:
        if target_roles - {Role.CADRE}:
            return _("Unit leaders may reset the passwords of cadres only.")
        return None
    return _("You may not reset passwords.")


def cadre_password_reset(*, cadre: User, by: User, reason: str = "") -> str:
    """Reset a password along the role ladder (password_reset_refusal) and log who did it.

    Resetting an account with MFA also removes its authenticators, so whoever holds the
    new password enrols a fresh second factor; that needs a reason, kept in the log.
    """
    has_mfa = user_has_mfa(cadre)
    refusal = password_reset_refusal(target=cadre, by=by, target_has_mfa=has_mfa)
    if refusal:
        raise PermissionDenied(refusal)
    leader_only = not user_has_role(by, Role.HR, Role.ADMIN)
    if leader_only and not cadre_is_visible_to(cadre=cadre, user=by):
        raise PermissionDenied(_("You may only reset passwords of cadres in your units."))
    reason = reason.strip()
    if has_mfa and not reason:
        raise ValidationError(
            _("Give a reason: resetting this password also resets its two-factor authentication.")
        )
    with transaction.atomic():
        password = user_set_one_time_password(user=cadre)
        if has_mfa:
            Authenticator.objects.filter(user=cadre).delete()
        log(
            instance=cadre,
            action=PASSWORD_RESET_ACTION,
            user=by,
            data={"mfa_reset": has_mfa, "reason": reason},
        )
    return password


def user_password_changed(*, user: User) -> None:
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
