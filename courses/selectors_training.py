"""Reads of training sessions: who may run a session, who it is for, lists and attendance."""

from collections import defaultdict
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from courses.audience import Audience, audience_q, sees_every_audience
from courses.models import TrainingAttendance, TrainingSession
from lms.accounts.models import User


def can_run_session(*, user, session) -> bool:
    """Who may show the session's check-in code and mark attendance by hand: the session's
    own trainer (who may hold no staff role, e.g. a judge invited to teach), any trainer,
    HR and administrators."""
    if not user.is_authenticated:
        return False
    return sees_every_audience(user) or (
        session.trainer_id is not None and session.trainer_id == user.pk
    )


def _audience_filter(user) -> Q:
    return audience_q(
        user, through=TrainingSession.audience_units.through, owner_field="trainingsession_id"
    )


def _attended_by(user):
    return TrainingAttendance.objects.filter(session=OuterRef("pk"), user=user)


def sessions_for(user) -> QuerySet[TrainingSession]:
    """Sessions meant for this user (their unit and category), whatever their role."""
    return TrainingSession.objects.filter(_audience_filter(user))


def session_is_for(*, session, user) -> bool:
    return sessions_for(user).filter(pk=session.pk).exists()


def sessions_visible_to(user) -> QuerySet[TrainingSession]:
    """Staff see every session; anyone else the sessions meant for them, the ones they
    teach, and the ones they attended (which stay visible after they change units)."""
    if not user.is_authenticated:
        return TrainingSession.objects.none()
    if sees_every_audience(user):
        return TrainingSession.objects.all()
    return TrainingSession.objects.filter(
        _audience_filter(user) | Q(trainer=user) | Exists(_attended_by(user))
    )


def _with_my_checkin(sessions, user):
    # One correlated subquery gives both "attended?" and "when", without a join that
    # would multiply rows.
    return sessions.annotate(
        my_checked_in_at=Subquery(_attended_by(user).values("checked_in_at")[:1])
    ).select_related("trainer")


def upcoming_sessions_for(*, user, now=None, limit=5) -> list[TrainingSession]:
    """The next sessions meant for this user that have not ended, soonest first, each with
    `my_checked_in_at` (None if not checked in). One query."""
    now = now or timezone.now()
    sessions = sessions_for(user).filter(ends_at__gte=now).order_by("starts_at", "pk")
    return list(_with_my_checkin(sessions, user)[:limit])


def training_list_for(*, user, now=None, past_limit=20) -> dict:
    """The training page: every session still to come, and the latest past ones. Two
    queries, however many sessions there are."""
    now = now or timezone.now()
    visible = _with_my_checkin(sessions_visible_to(user), user)
    upcoming = visible.filter(ends_at__gte=now).order_by("starts_at", "pk")
    past = visible.filter(ends_at__lt=now).order_by("-starts_at", "-pk")[:past_limit]
    return {"upcoming": list(upcoming), "past": list(past), "now": now}


def attendance_of(*, session, user) -> TrainingAttendance | None:
    return TrainingAttendance.objects.filter(session=session, user=user).first()


def session_attendee_count(*, session) -> int:
    return TrainingAttendance.objects.filter(session=session).count()


def sessions_with_attendee_count(queryset=None) -> QuerySet[TrainingSession]:
    queryset = TrainingSession.objects.all() if queryset is None else queryset
    return queryset.annotate(attendee_count=Count("attendances")).select_related("trainer")


def audience_members(*, session) -> QuerySet[User]:
    """Active roster members (users with a unit) the session is meant for: the reverse of
    `sessions_for`, so a unit listed covers its subunits, and no unit or no category
    listed means everyone."""
    audience = Audience(
        tuple(session.audience_units.values_list("path", flat=True)),
        tuple(session.audience_categories),
    )
    return User.objects.filter(audience.members_q(), is_active=True, unit__isnull=False)


def sessions_of_year(*, year: int, ended_by) -> dict[int, Audience]:
    """{session id: its audience} for the sessions that started in `year` and ended by
    `ended_by`, in two queries."""
    rows = TrainingSession.objects.filter(
        starts_at__gte=timezone.make_aware(datetime(year, 1, 1)),
        starts_at__lt=timezone.make_aware(datetime(year + 1, 1, 1)),
        ends_at__lte=ended_by,
    ).values_list("pk", "audience_categories")
    return Audience.load(TrainingSession, rows)


def sessions_attended(*, user_ids, session_ids) -> dict[int, set[int]]:
    """{user id: the ids among `session_ids` of the sessions they attended}, in one query."""
    attended: dict[int, set[int]] = defaultdict(set)
    for user_id, session_id in TrainingAttendance.objects.filter(
        user_id__in=user_ids, session_id__in=session_ids
    ).values_list("user_id", "session_id"):
        attended[user_id].add(session_id)
    return attended


def attendance_checklist(*, session) -> list[User]:
    """The trainer's checklist: the session's audience plus anyone who attended (they may
    have left the audience since), each with `checked_in_at` and `checkin_method` (None if
    absent), ordered by unit then name. Two queries, however large the audience."""
    attendance = TrainingAttendance.objects.filter(session=session, user=OuterRef("pk"))
    audience_pks = audience_members(session=session).values("pk")
    return list(
        User.objects.filter(Q(pk__in=audience_pks) | Exists(attendance))
        .annotate(
            checked_in_at=Subquery(attendance.values("checked_in_at")[:1]),
            checkin_method=Subquery(attendance.values("method")[:1]),
        )
        .select_related("unit")
        .order_by("unit__path", "name", "pk")
    )
