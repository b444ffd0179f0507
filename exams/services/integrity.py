"""The exam under a cadre trying to cheat: one device per attempt, leaving the exam page
counted by the server, and the audit trail of both in Wagtail's action log.

One device: the browser that starts an attempt holds a random token in a cookie; the
attempt keeps its hash (`Attempt.device_hash`) and the attempt token the page receives
carries the same hash, signed. The answer save compares the two inside its one
statement (exams/services/attempts.py), so a device whose attempt was taken over gets
409 without a query more. A trainer's release empties the hash: the next device to open
the attempt takes it without a confirmation.

Leaving: each time the page is hidden or loses focus it tells the server, which counts
at most one leave per `LEAVE_MIN_GAP_SECONDS` (a phone fires both events for one leave,
and a client sending a flood counts once per gap) and never lets the client lower the
count. At the exam's `leave_limit` the attempt is graded as it stands."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.adapter import get_adapter
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from exams.models import Attempt
from exams.services.attempts import AttemptElsewhere, AttemptError, attempt_grade

DEVICE_COOKIE = "exam_device"
DEVICE_COOKIE_AGE = 365 * 24 * 3600
LEAVE_MIN_GAP_SECONDS = 3
LEAVE_KINDS = ("hidden", "blur")

START_ACTION = "exams.attempt.start"
TAKEOVER_ACTION = "exams.attempt.takeover"
RELEASE_ACTION = "exams.attempt.release"
LEAVE_ACTION = "exams.attempt.leave"
LEAVE_SUBMIT_ACTION = "exams.attempt.leave_submit"
REGRADE_ACTION = "exams.attempt.regrade"


def client_ip(request) -> str | None:
    """The address the account adapter trusts (it knows the proxies in front of us)."""
    if request is None:
        return None
    return get_adapter(request).get_client_ip(request)


def attempt_log(*, attempt, action: str, by=None, ip=None, **data) -> None:
    """An entry in Wagtail's action log on the attempt: who, when, from which address."""
    log(instance=attempt, action=action, user=by, data={"ip": ip, **data})


# ------------------------------------------------------------------------ one device


def device_token_new() -> str:
    return secrets.token_urlsafe(24)


def device_hash(token: str) -> str:
    """What the attempt stores of a device's token: the token itself stays in the browser."""
    return hashlib.sha256(token.encode()).hexdigest()[:32] if token else ""


def attempt_device_claim(*, attempt, device: str) -> bool:
    """May this device run the attempt? Binds an unbound attempt to it (the first device
    to open a released or older attempt). False: another device holds it."""
    if attempt.device_hash == device:
        return True
    if attempt.device_hash:
        return False
    # Conditional: of two devices opening a released attempt at once, one gets it.
    bound = Attempt.objects.filter(pk=attempt.pk, device_hash="").update(device_hash=device)
    if not bound:
        attempt.device_hash = (
            Attempt.objects.filter(pk=attempt.pk).values_list("device_hash", flat=True).first()
        )
        return attempt.device_hash == device
    attempt.device_hash = device
    return True


def attempt_takeover(*, attempt, device: str, by, ip=None) -> Attempt:
    """Move a running attempt to this device (the cadre confirmed); the other device's
    saves are refused from now on."""
    if attempt.status != Attempt.Status.IN_PROGRESS:
        raise AttemptError(_("This attempt has already been submitted."), 409)
    if attempt.device_hash == device:
        return attempt
    Attempt.objects.filter(pk=attempt.pk, status=Attempt.Status.IN_PROGRESS).update(
        device_hash=device
    )
    attempt.device_hash = device
    attempt_log(attempt=attempt, action=TAKEOVER_ACTION, by=by, ip=ip)
    return attempt


def attempt_release(*, attempt, by, ip=None) -> Attempt:
    """A trainer frees an attempt stuck on a device (a broken phone, a lost browser): the
    next device to open it continues it, and the old device's saves are refused."""
    if attempt.status != Attempt.Status.IN_PROGRESS:
        raise AttemptError(_("This attempt has already been submitted."), 409)
    Attempt.objects.filter(pk=attempt.pk).update(device_hash="")
    attempt.device_hash = ""
    attempt_log(attempt=attempt, action=RELEASE_ACTION, by=by, ip=ip)
    return attempt


# ------------------------------------------------------------------------ leaving


@dataclass(frozen=True)
class LeaveResult:
    count: int
    limit: int | None
    counted: bool
    submitted: bool

    @property
    def warning(self) -> str:
        """Said once, at the limit minus one."""
        if self.limit and not self.submitted and self.count == self.limit - 1:
            return _(
                "You have left the exam page %(count)d times. Leave it once more and the "
                "paper is submitted automatically."
            ) % {"count": self.count}
        return ""


def attempt_leave_record(
    *, attempt_id: int, user_id: int, device: str, kind, now=None, ip=None
) -> LeaveResult:
    """Count one leave of the exam page, if the last was at least the gap ago; submit the
    attempt when the exam's limit is reached."""
    now = now or timezone.now()
    if kind not in LEAVE_KINDS:
        raise AttemptError(_("Unknown kind of leaving the page."))
    running = Attempt.objects.running(now).filter(
        pk=attempt_id, user_id=user_id, device_hash=device
    )
    counted = bool(
        running.filter(
            Q(left_at__isnull=True) | Q(left_at__lte=now - timedelta(seconds=LEAVE_MIN_GAP_SECONDS))
        ).update(leave_count=F("leave_count") + 1, left_at=now)
    )
    attempt = (
        Attempt.objects.select_related("exam", "user")
        .filter(pk=attempt_id, user_id=user_id)
        .first()
    )
    if attempt is None:
        raise AttemptError(_("This attempt does not exist."), 404)
    if not counted:
        if not attempt.is_running(now):
            raise AttemptError(_("This attempt has already been submitted."), 409)
        if attempt.device_hash != device:
            raise AttemptElsewhere()
    limit = attempt.exam.leave_limit
    submitted = False
    if counted:
        attempt_log(
            attempt=attempt,
            action=LEAVE_ACTION,
            by=attempt.user,
            ip=ip,
            kind=kind,
            count=attempt.leave_count,
        )
        if limit and attempt.leave_count >= limit:
            graded = attempt_grade(attempt_id=attempt.pk, user_id=user_id, now=now)
            submitted = graded is not None and graded.status == Attempt.Status.GRADED
            if submitted:
                Attempt.objects.filter(pk=attempt.pk).update(submitted_for_leaving=True)
                attempt_log(
                    attempt=attempt,
                    action=LEAVE_SUBMIT_ACTION,
                    by=attempt.user,
                    ip=ip,
                    count=attempt.leave_count,
                    limit=limit,
                )
    return LeaveResult(count=attempt.leave_count, limit=limit, counted=counted, submitted=submitted)
