"""Training sessions: QR check-in tokens, check-in, and attendance marked by hand.

Every attendance writes its study credit in the same transaction, and removing an
attendance removes its credit in the same transaction, so the ledger never holds a credit
without the attendance that earned it (or the reverse).
"""

import re
import secrets

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.models import StudyCredit, TrainingAttendance, TrainingSession
from courses.selectors_training import audience_members, can_run_session, session_is_for
from courses.services.credit import study_credit_record

_TOKEN_SALT = "courses.training.checkin"
# "<session pk>:<base64 HMAC>". Checked before anything else so that a garbled scan or a
# huge number never reaches the database.
_TOKEN_SHAPE = re.compile(r"[0-9]{1,18}:[A-Za-z0-9_-]{20,64}")


# -- errors -------------------------------------------------------------------------------


class CheckinError(Exception):
    """A check-in that did not happen. `status` is the HTTP status the page answers with;
    `message` is for the cadre, in their language."""

    status = 400
    default_message = gettext_lazy("Check-in failed.")

    def __init__(self, message=None):
        self.message = str(message or self.default_message)
        super().__init__(self.message)


class CheckinTokenInvalid(CheckinError):
    # Forged, garbled, cut short by the scanner, or shown before the code was renewed.
    status = 400
    default_message = gettext_lazy(
        "This check-in code is not valid. Scan the code on the trainer's screen again."
    )


class CheckinWrongSession(CheckinError):
    # A genuine code, but of another session than the page's address.
    status = 400
    default_message = gettext_lazy("This check-in code belongs to another training session.")


class CheckinNotOpen(CheckinError):
    # 409: the request is fine but conflicts with the session's current state; the same
    # address will work once check-in opens, so nothing may treat it as final.
    status = 409
    default_message = gettext_lazy("Check-in has not opened yet.")


class CheckinClosed(CheckinError):
    # 410: check-in for this session is over for good; the code will never work again.
    status = 410
    default_message = gettext_lazy("Check-in for this session has closed.")


class CheckinNotInAudience(CheckinError):
    status = 403
    default_message = gettext_lazy(
        "This session is not meant for your unit or position, so you cannot check in. "
        "If you think this is wrong, ask the trainer."
    )


class CheckinAlreadyDone(CheckinError):
    # 200: checking in twice is not a mistake worth an error; the cadre is checked in.
    status = 200

    def __init__(self, *, attendance):
        self.attendance = attendance
        time = timezone.localtime(attendance.checked_in_at).strftime("%H:%M")
        super().__init__(_("You are already checked in (at %(time)s).") % {"time": time})


# -- tokens -------------------------------------------------------------------------------


def _signer(session):
    # The session's secret is part of the salt rather than the payload: renewing it still
    # invalidates every code shown so far, and the URL stays short enough for a
    # low-density QR code (version 6 at error correction M for a typical host name).
    return signing.Signer(salt=f"{_TOKEN_SALT}:{session.checkin_secret}")


def checkin_token_make(*, session) -> str:
    """The token the QR code carries: the session's id, signed with the session's secret.
    It never expires by itself; the server's clock and the session's times decide when it
    may be used."""
    return _signer(session).sign(str(session.pk))


def checkin_token_verify(*, session, token: str) -> None:
    """Raise unless `token` was made for `session` with its current secret."""
    if not _TOKEN_SHAPE.fullmatch(token):
        raise CheckinTokenInvalid()
    token_pk = int(token.split(":", 1)[0])
    owner = (
        session if token_pk == session.pk else TrainingSession.objects.filter(pk=token_pk).first()
    )
    if owner is None:
        raise CheckinTokenInvalid()
    try:
        _signer(owner).unsign(token)
    except signing.BadSignature:
        raise CheckinTokenInvalid() from None
    if owner.pk != session.pk:
        raise CheckinWrongSession(
            _(
                "This check-in code belongs to another training session (%(topic)s). "
                "Scan the code shown in the room you are in."
            )
            % {"topic": owner.topic}
        )


def training_checkin_secret_rotate(*, session, by) -> None:
    """Renew the session's code, e.g. when a photo of it went round a chat group: every
    code shown so far stops working; check-ins already made stay."""
    _require_runner(session=session, user=by)
    session.checkin_secret = secrets.token_urlsafe(16)
    session.save(update_fields=["checkin_secret"])


# -- check-in -----------------------------------------------------------------------------


def _format_time(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def training_checkin_check(*, session, token: str, user, now=None) -> None:
    """Everything `training_checkin` verifies, without writing anything: the confirmation
    page uses it so that a cadre learns of a problem before tapping the button.

    Order matters: a cadre already checked in is told so even after check-in has closed.
    """
    now = now or timezone.now()
    checkin_token_verify(session=session, token=token)
    existing = TrainingAttendance.objects.filter(session=session, user=user).first()
    if existing is not None:
        raise CheckinAlreadyDone(attendance=existing)
    if not session_is_for(session=session, user=user):
        raise CheckinNotInAudience()
    if now < session.checkin_opens_at:
        raise CheckinNotOpen(
            _("Check-in opens at %(time)s.") % {"time": _format_time(session.checkin_opens_at)}
        )
    if now > session.checkin_closes_at:
        raise CheckinClosed(
            _("Check-in for this session closed at %(time)s.")
            % {"time": _format_time(session.checkin_closes_at)}
        )


def training_checkin(*, session, token: str, user, now=None) -> TrainingAttendance:
    """Check `user` in to `session` with the token from its QR code, and credit the hours.

    `session` is the one named by the page's address; a token of another session is
    refused. `now` is the server's clock (tests pass their own); a client's is never used.
    Raises a `CheckinError` subclass; `CheckinAlreadyDone` when the cadre is already
    checked in, which writes nothing.
    """
    now = now or timezone.now()
    training_checkin_check(session=session, token=token, user=user, now=now)
    try:
        return _attendance_write(
            session=session, user=user, method=TrainingAttendance.Method.QR, now=now
        )
    except IntegrityError:
        # Two taps (or two phones) at the same moment: the constraint let exactly one
        # through, and this request reports that one.
        existing = TrainingAttendance.objects.filter(session=session, user=user).first()
        if existing is None:
            raise
        raise CheckinAlreadyDone(attendance=existing) from None


def _attendance_write(*, session, user, method, now, by=None) -> TrainingAttendance:
    # Credit counts in the year the session took place, even when the trainer marks it
    # after New Year.
    earned_at = min(now, session.ends_at)
    with transaction.atomic():
        attendance = TrainingAttendance.objects.create(
            session=session, user=user, method=method, checked_in_at=now, marked_by=by
        )
        study_credit_record(
            user=user,
            source=StudyCredit.Source.TRAINING,
            training_session=session,
            credit_hours=session.credit_hours,
            title=session.topic,
            earned_at=earned_at,
        )
    return attendance


# -- attendance by hand -------------------------------------------------------------------


def _require_runner(*, session, user):
    if not can_run_session(user=user, session=session):
        raise PermissionDenied(
            _(
                "Only the session's trainer, trainers, HR and administrators can do this "
                "for a training session."
            )
        )


def _unique(users) -> list:
    return list({user.pk: user for user in users}.values())


def training_attendance_mark(*, session, users, by, now=None) -> list[TrainingAttendance]:
    """Mark `users` present by hand (no phone, flat battery, no signal). Users already
    present are left as they are. Returns the attendances created.

    Only members of the session's audience may be marked (widen the audience in the
    session's settings to add others), and only once check-in has opened.
    """
    now = now or timezone.now()
    _require_runner(session=session, user=by)
    users = _unique(users)
    if now < session.checkin_opens_at:
        raise ValidationError(
            _("Attendance can be marked once check-in opens (%(time)s).")
            % {"time": _format_time(session.checkin_opens_at)}
        )
    allowed = set(
        audience_members(session=session)
        .filter(pk__in=[user.pk for user in users])
        .values_list("pk", flat=True)
    )
    outside = [str(user) for user in users if user.pk not in allowed]
    if outside:
        raise ValidationError(
            _("Not in this session's audience: %(names)s.") % {"names": ", ".join(outside)}
        )
    present = set(
        TrainingAttendance.objects.filter(session=session, user__in=users).values_list(
            "user_id", flat=True
        )
    )
    created = []
    with transaction.atomic():
        for user in users:
            if user.pk in present:
                continue
            try:
                created.append(
                    _attendance_write(
                        session=session,
                        user=user,
                        method=TrainingAttendance.Method.MANUAL,
                        now=now,
                        by=by,
                    )
                )
            except IntegrityError:
                # The cadre scanned the code while the trainer was ticking the list.
                continue
    return created


def training_attendance_unmark(*, session, users, by, now=None) -> int:
    """Remove attendance marked by mistake (or checked in from elsewhere with a shared
    photo of the code), together with its study credit, in one transaction. Returns how
    many attendances were removed.

    Refused once the credit's year is over: the annual evaluation may already count it, so
    a late correction belongs to HR and the year's records, not to the trainer.
    """
    now = now or timezone.now()
    _require_runner(session=session, user=by)
    user_pks = [user.pk for user in _unique(users)]
    credits = StudyCredit.objects.filter(training_session=session, user_id__in=user_pks)
    with transaction.atomic():
        if credits.filter(year__lt=timezone.localtime(now).year).exists():
            raise ValidationError(
                _(
                    "Attendance of a past year cannot be removed here: the annual evaluation "
                    "may already count it. Ask HR to correct that year."
                )
            )
        credits.delete()
        removed, _by_model = TrainingAttendance.objects.filter(
            session=session, user_id__in=user_pks
        ).delete()
    return removed
