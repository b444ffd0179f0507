"""Listens to allauth: a password the user chose ends the forced-change state."""

from allauth.account.signals import password_changed, password_reset, password_set
from django.dispatch import receiver

from .services import user_password_changed


@receiver(password_changed)
@receiver(password_set)
@receiver(password_reset)
def on_password_changed(sender, request, user, **kwargs):
    user_password_changed(user=user)
