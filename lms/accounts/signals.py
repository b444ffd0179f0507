"""Listens to allauth: a password the user chose ends the forced-change state; a sign-in
that must go on to enrol MFA counts as the reauthentication enrolment asks for. Sends
`roster_changed` for what a roster import writes in bulk (bulk writes send no post_save)."""

from allauth.account.internal.flows.login import record_authentication
from allauth.account.signals import password_changed, password_reset, password_set
from django.contrib.auth.signals import user_logged_in
from django.dispatch import Signal, receiver

from .middleware import user_needs_mfa
from .services import user_password_changed

# Sent by a roster import once its rows are written, with `user_ids`: the accounts it
# created or changed (unit, category, position, name). The annual evaluation listens.
roster_changed = Signal()


@receiver(password_changed)
@receiver(password_set)
@receiver(password_reset)
def on_password_changed(sender, request, user, **kwargs):
    user_password_changed(user=user)


@receiver(user_logged_in)
def on_logged_in(sender, request, user, **kwargs):
    # allauth asks for the password again before enrolling an authenticator unless the
    # session holds a *re*authentication. HR and Admin are sent to enrol the moment they
    # sign in, seconds after typing that password: count the sign-in as one, so they are
    # not asked twice in a row. Everyone else (and later visits) keeps allauth's rule.
    if request is not None and user_needs_mfa(user):
        record_authentication(request, user, method="password", reauthenticated=True)
