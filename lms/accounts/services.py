"""Writes on accounts: creating cadres with one-time passwords, resetting passwords."""

import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from .models import User
from .selectors import cadre_is_visible_to

# Digits and letters that cannot be confused when read aloud or copied from a phone screen.
_OTP_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"


def one_time_password_generate() -> str:
    return "".join(secrets.choice(_OTP_ALPHABET) for _ in range(10))


def user_set_one_time_password(*, user: User) -> str:
    """Give the user a fresh one-time password that must be changed at the next sign-in."""
    password = one_time_password_generate()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    return password


def cadre_password_reset(*, cadre: User, by: User) -> str:
    """A unit leader (for cadres in their units) or HR resets a cadre's password."""
    if cadre.pk == by.pk:
        raise PermissionDenied(_("Use “change password” to change your own password."))
    if not cadre_is_visible_to(cadre=cadre, user=by):
        raise PermissionDenied(_("You may only reset passwords of cadres in your units."))
    with transaction.atomic():
        return user_set_one_time_password(user=cadre)


def user_password_changed(*, user: User) -> None:
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
