"""Training sessions in the admin, and attendance marked by hand."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import StudyCredit, TrainingAttendance, TrainingSession
from courses.services.training import (
    checkin_token_make,
    training_attendance_mark,
    training_attendance_unmark,
    training_checkin,
)
from lms.accounts.roles import Role
from tests.conftest import client_for
from tests.courses.factories_training import TrainingSessionFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def attendance_url(session):
    return reverse("training_attendance", args=[session.pk])


# -- the services ---------------------------------------------------------------------------


def test_trainer_marks_attendance_with_credit(trainer, cadre):
    session = TrainingSessionFactory()
    created = training_attendance_mark(session=session, users=[cadre, cadre], by=trainer)

    assert [attendance.user for attendance in created] == [cadre]
    attendance = TrainingAttendance.objects.get()
    assert attendance.method == TrainingAttendance.Method.MANUAL
    assert attendance.marked_by == trainer
    assert StudyCredit.objects.get().training_session == session
    # Marking again changes nothing.
    assert training_attendance_mark(session=session, users=[cadre], by=trainer) == []
    assert StudyCredit.objects.count() == 1


@pytest.mark.parametrize("who", ["cadre", "leader", "other_cadre"])
def test_cadres_and_unit_leaders_cannot_mark_or_unmark(request, who, cadre):
    session = TrainingSessionFactory()
    by = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        training_attendance_mark(session=session, users=[cadre], by=by)
    with pytest.raises(PermissionDenied):
        training_attendance_unmark(session=session, users=[cadre], by=by)
    assert not TrainingAttendance.objects.exists()


@pytest.mark.parametrize("who", ["trainer", "hr"])
def test_trainers_and_hr_may_mark(request, who, cadre):
    session = TrainingSessionFactory()
    training_attendance_mark(session=session, users=[cadre], by=request.getfixturevalue(who))
    assert TrainingAttendance.objects.count() == 1


def test_the_sessions_own_trainer_may_mark(roles, township, cadre):
    judge = UserFactory(unit=township["township"], role=Role.CADRE)
    session = TrainingSessionFactory(trainer=judge)
    training_attendance_mark(session=session, users=[cadre], by=judge)
    assert TrainingAttendance.objects.count() == 1


def test_only_the_audience_can_be_marked(trainer, cadre, other_cadre, township):
    session = TrainingSessionFactory(audience_units=[township["a"]])
    with pytest.raises(ValidationError):
        training_attendance_mark(session=session, users=[cadre, other_cadre], by=trainer)
    assert not TrainingAttendance.objects.exists()


def test_attendance_cannot_be_marked_before_check_in_opens(trainer, cadre):
    session = TrainingSessionFactory(starts_at=timezone.now() + timedelta(days=2))
    with pytest.raises(ValidationError):
        training_attendance_mark(session=session, users=[cadre], by=trainer)


def test_a_late_mark_counts_in_the_year_of_the_session(trainer, cadre):
    session = TrainingSessionFactory(starts_at=timezone.now() - timedelta(days=400))
    training_attendance_mark(session=session, users=[cadre], by=trainer)
    credit = StudyCredit.objects.get()
    assert credit.earned_at == session.ends_at
    assert credit.year == timezone.localtime(session.ends_at).year


def test_unmark_removes_attendance_and_credit_together(trainer, cadre, other_cadre):
    session = TrainingSessionFactory()
    training_checkin(session=session, token=checkin_token_make(session=session), user=cadre)
    training_attendance_mark(session=session, users=[other_cadre], by=trainer)

    assert training_attendance_unmark(session=session, users=[cadre], by=trainer) == 1

    assert list(TrainingAttendance.objects.values_list("user", flat=True)) == [other_cadre.pk]
    assert list(StudyCredit.objects.values_list("user", flat=True)) == [other_cadre.pk]


def test_unmark_of_a_past_year_is_refused(trainer, cadre):
    session = TrainingSessionFactory()
    training_attendance_mark(session=session, users=[cadre], by=trainer)
    next_year = timezone.now() + timedelta(days=366)
    with pytest.raises(ValidationError):
        training_attendance_unmark(session=session, users=[cadre], by=trainer, now=next_year)
    assert TrainingAttendance.objects.count() == 1
    assert StudyCredit.objects.count() == 1


# -- the attendance page ----------------------------------------------------------------------


def test_trainer_ticks_and_unticks_on_the_checklist(trainer, cadre, other_cadre):
    session = TrainingSessionFactory()
    client = client_for(trainer)
    response = client.get(attendance_url(session))
    assert response.status_code == 200
    assert {user.pk for user in response.context["checklist"]} >= {cadre.pk, other_cadre.pk}

    response = client.post(attendance_url(session), {"present": [cadre.pk, other_cadre.pk]})
    assert response.status_code == 302
    assert TrainingAttendance.objects.filter(session=session).count() == 2

    response = client.post(
        attendance_url(session),
        {"present": [other_cadre.pk], "shown": [cadre.pk, other_cadre.pk]},
    )
    assert response.status_code == 302
    assert list(TrainingAttendance.objects.values_list("user", flat=True)) == [other_cadre.pk]
    assert StudyCredit.objects.count() == 1


def test_a_stale_checklist_keeps_phone_check_ins(trainer, cadre, other_cadre):
    """The trainer opened the page, a cadre scanned the code, then the trainer saved."""
    session = TrainingSessionFactory()
    training_checkin(session=session, token=checkin_token_make(session=session), user=cadre)
    client_for(trainer).post(attendance_url(session), {"present": [other_cadre.pk]})
    assert TrainingAttendance.objects.filter(session=session).count() == 2


def test_checklist_refusal_is_a_400_with_nothing_saved(trainer, cadre, other_cadre, township):
    session = TrainingSessionFactory(audience_units=[township["a"]])
    response = client_for(trainer).post(
        attendance_url(session), {"present": [cadre.pk, other_cadre.pk, "x"]}
    )
    assert response.status_code == 400
    assert not TrainingAttendance.objects.exists()


@pytest.mark.parametrize("who", ["cadre", "leader"])
def test_cadres_and_leaders_cannot_open_the_checklist(request, who, cadre):
    session = TrainingSessionFactory()
    client = client_for(request.getfixturevalue(who))
    assert client.get(attendance_url(session)).status_code == 302
    assert client.post(attendance_url(session), {"present": [cadre.pk]}).status_code == 302
    assert not TrainingAttendance.objects.exists()


def test_checklist_query_count_does_not_grow(trainer, township, roles):
    session = TrainingSessionFactory()
    client = client_for(trainer)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(attendance_url(session)).status_code == 200
        return len(captured)

    few = queries()
    for index in range(30):
        cadre = UserFactory(unit=township["a1" if index % 2 else "b"], role=Role.CADRE)
        if index % 3 == 0:
            training_attendance_mark(session=session, users=[cadre], by=trainer)
    assert queries() == few


# -- the session listing and form ------------------------------------------------------------


@pytest.mark.parametrize(
    "who, status", [("trainer", 200), ("hr", 200), ("leader", 302), ("cadre", 302)]
)
def test_session_listing_by_role(request, who, status):
    TrainingSessionFactory.create_batch(3)
    response = client_for(request.getfixturevalue(who)).get(reverse("training_sessions:index"))
    assert response.status_code == status


def test_session_listing_query_count_does_not_grow(trainer, cadre, django_assert_max_num_queries):
    client = client_for(trainer)
    url = reverse("training_sessions:index")
    TrainingSessionFactory(trainer=trainer)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    for _ in range(10):
        session = TrainingSessionFactory(trainer=trainer)
        training_attendance_mark(session=session, users=[cadre], by=trainer)
    with django_assert_max_num_queries(len(captured)):
        assert client.get(url).status_code == 200


def test_trainer_creates_a_session_and_hr_may_only_view(trainer, hr, township):
    starts = timezone.localtime() + timedelta(days=7)
    data = {
        "topic": "行政复议法",
        "starts_at": starts.strftime("%Y-%m-%d %H:%M"),
        "ends_at": (starts + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"),
        "place": "镇政府三楼会议室",
        "trainer": trainer.pk,
        "credit_hours": "1.5",
        "checkin_grace_minutes": "20",
        "audience_units": [township["a"].pk],
    }
    response = client_for(trainer).post(reverse("training_sessions:add"), data)
    assert response.status_code == 302, response.context["form"].errors
    session = TrainingSession.objects.get()
    assert list(session.audience_units.all()) == [township["a"]]

    assert client_for(hr).get(reverse("training_sessions:add")).status_code == 302
    assert (
        client_for(hr).get(reverse("training_sessions:edit", args=[session.pk])).status_code == 302
    )


def test_trainer_choices_are_staff_not_the_whole_roster(trainer, cadre):
    response = client_for(trainer).get(reverse("training_sessions:add"))
    choices = response.context["form"].fields["trainer"].queryset
    assert trainer in choices
    assert cadre not in choices


def test_session_listing_searches_and_filters_by_date(trainer):
    soon = TrainingSessionFactory(topic="行政复议法", starts_at=timezone.now() + timedelta(days=3))
    TrainingSessionFactory(topic="民法典", starts_at=timezone.now() - timedelta(days=60))
    client = client_for(trainer)
    url = reverse("training_sessions:index")

    found = client.get(url, {"q": "复议"}).context["object_list"]
    assert list(found) == [soon]

    day = timezone.localdate(soon.starts_at).isoformat()
    found = client.get(url, {"starts_at_from": day, "starts_at_to": day}).context["object_list"]
    assert list(found) == [soon]
