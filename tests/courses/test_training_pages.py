"""Training pages: the cadre's list, upcoming sessions, a session, the trainer's QR screen."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import TrainingSession
from courses.selectors_training import (
    audience_members,
    session_is_for,
    upcoming_sessions_for,
)
from courses.services.training import checkin_token_make, training_checkin
from lms.accounts.models import CadreCategory
from lms.accounts.roles import Role
from tests.conftest import client_for
from tests.courses.factories_training import TrainingAttendanceFactory, TrainingSessionFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def in_days(days, **kwargs):
    return TrainingSessionFactory(starts_at=timezone.now() + timedelta(days=days), **kwargs)


def test_upcoming_sessions_follow_the_audience(cadre, township):
    mine_by_parent = in_days(3, topic="township", audience_units=[township["township"]])
    mine_by_unit = in_days(2, topic="own village", audience_units=[township["a"]])
    everyone = in_days(1, topic="everyone")
    in_days(1, topic="other village", audience_units=[township["b"]])
    in_days(1, topic="subunit only", audience_units=[township["a1"]])
    in_days(1, topic="grid managers", audience_categories=[CadreCategory.GRID_MANAGER])
    in_days(-2, topic="already over")

    upcoming = upcoming_sessions_for(user=cadre)

    assert upcoming == [everyone, mine_by_unit, mine_by_parent]


def test_upcoming_sessions_include_the_running_one_and_respect_the_limit(cadre):
    running = TrainingSessionFactory()
    for days in range(1, 8):
        in_days(days)
    upcoming = upcoming_sessions_for(user=cadre, limit=5)
    assert len(upcoming) == 5
    assert upcoming[0] == running
    assert (
        upcoming_sessions_for(user=cadre, now=running.ends_at + timedelta(seconds=1))[0] != running
    )


def test_upcoming_sessions_say_whether_the_cadre_checked_in(cadre, other_cadre):
    session = TrainingSessionFactory()
    training_checkin(session=session, token=checkin_token_make(session=session), user=cadre)
    assert upcoming_sessions_for(user=cadre)[0].my_checked_in_at is not None
    assert upcoming_sessions_for(user=other_cadre)[0].my_checked_in_at is None


def test_upcoming_sessions_use_one_query(cadre, django_assert_num_queries):
    for days in range(10):
        in_days(days)
    with django_assert_num_queries(1):
        upcoming_sessions_for(user=cadre)


def test_audience_members_agree_with_session_is_for(township, roles):
    """The checklist (session -> cadres) and check-in (cadre -> sessions) apply one rule."""
    cadres = [
        UserFactory(unit=unit, category=category, role=Role.CADRE)
        for unit in township.values()
        for category in (CadreCategory.VILLAGE_CADRE, CadreCategory.GRID_MANAGER)
    ]
    sessions = [
        TrainingSessionFactory(),
        TrainingSessionFactory(audience_units=[township["a"]]),
        TrainingSessionFactory(audience_units=[township["a1"], township["b"]]),
        TrainingSessionFactory(audience_categories=[CadreCategory.GRID_MANAGER]),
        TrainingSessionFactory(
            audience_units=[township["a"]], audience_categories=[CadreCategory.VILLAGE_CADRE]
        ),
    ]
    for session in sessions:
        members = set(audience_members(session=session))
        for cadre in cadres:
            assert (cadre in members) == session_is_for(session=session, user=cadre)


def test_training_list_shows_mine_with_status(cadre, township):
    attended = in_days(-10, topic="attended")
    TrainingAttendanceFactory(session=attended, user=cadre)
    in_days(-12, topic="missed")
    upcoming = in_days(4, topic="next")
    not_mine = in_days(4, topic="for village b", audience_units=[township["b"]])

    response = client_for(cadre).get(reverse("training_list"))

    assert response.status_code == 200
    assert response.context["upcoming"] == [upcoming]
    past = {session.topic: session for session in response.context["past"]}
    assert set(past) == {"attended", "missed"}
    assert past["attended"].my_checked_in_at is not None
    assert past["missed"].my_checked_in_at is None
    assert not_mine.topic not in response.content.decode()


def test_attended_sessions_stay_listed_after_the_audience_changes(cadre, township):
    session = in_days(-10, audience_units=[township["a"]])
    TrainingAttendanceFactory(session=session, user=cadre)
    session.audience_units.set([township["b"]])
    response = client_for(cadre).get(reverse("training_list"))
    assert response.context["past"] == [session]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_training_list_query_count_does_not_grow(cadre, township, django_assert_max_num_queries):
    client = client_for(cadre)
    url = reverse("training_list")
    in_days(1)
    TrainingAttendanceFactory(session=in_days(-1), user=cadre)
    few = _queries(client, url)
    for days in range(2, 12):
        in_days(days, audience_units=[township["a"]])
        TrainingAttendanceFactory(session=in_days(-days), user=cadre)
    with django_assert_max_num_queries(few):
        assert client.get(url).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client):
    session = TrainingSessionFactory()
    for name, args in [
        ("training_list", []),
        ("training_detail", [session.pk]),
        ("training_qr", [session.pk]),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_session_detail_for_the_audience_only(cadre, other_cadre, township):
    session = TrainingSessionFactory(audience_units=[township["a"]])
    url = reverse("training_detail", args=[session.pk])
    response = client_for(cadre).get(url)
    assert response.status_code == 200
    assert not response.context["runs_session"]
    assert reverse("training_qr", args=[session.pk]) not in response.content.decode()
    assert client_for(other_cadre).get(url).status_code == 404


def test_session_detail_links_the_trainer_to_the_qr_screen(trainer):
    session = TrainingSessionFactory()
    response = client_for(trainer).get(reverse("training_detail", args=[session.pk]))
    assert response.status_code == 200
    assert reverse("training_qr", args=[session.pk]) in response.content.decode()


@pytest.mark.parametrize(
    "who, status", [("trainer", 200), ("hr", 200), ("cadre", 403), ("leader", 403)]
)
def test_qr_screen_only_for_those_who_run_the_session(request, who, status):
    session = TrainingSessionFactory()
    response = client_for(request.getfixturevalue(who)).get(
        reverse("training_qr", args=[session.pk])
    )
    assert response.status_code == status
    count = client_for(request.getfixturevalue(who)).get(
        reverse("training_qr_count", args=[session.pk])
    )
    assert count.status_code == status


def test_qr_screen_is_404_for_a_session_outside_the_cadres_audience(other_cadre, township):
    session = TrainingSessionFactory(audience_units=[township["a"]])
    response = client_for(other_cadre).get(reverse("training_qr", args=[session.pk]))
    assert response.status_code == 404


def test_the_sessions_own_trainer_runs_it_without_a_staff_role(roles, township):
    judge = UserFactory(unit=township["township"], role=Role.CADRE)
    session = TrainingSessionFactory(trainer=judge, audience_units=[township["b"]])
    assert client_for(judge).get(reverse("training_qr", args=[session.pk])).status_code == 200


def test_qr_screen_shows_an_inline_code_of_the_absolute_checkin_url(trainer, cadre):
    session = TrainingSessionFactory()
    response = client_for(trainer).get(reverse("training_qr", args=[session.pk]))
    content = response.content.decode()
    url = response.context["checkin_url"]
    assert url == "http://testserver" + reverse(
        "training_checkin", args=[session.pk, checkin_token_make(session=session)]
    )
    assert "<svg" in content
    assert "<script src" not in content
    assert response["Cache-Control"].startswith("max-age=0")

    # The code on screen checks a cadre in, and the count follows.
    assert client_for(cadre).post(url.removeprefix("http://testserver")).status_code == 200
    count = client_for(trainer).get(reverse("training_qr_count", args=[session.pk]))
    assert count.json() == {"count": 1}


def test_renewing_the_code_is_for_the_trainer(trainer, cadre):
    session = TrainingSessionFactory()
    secret = session.checkin_secret
    url = reverse("training_qr_renew", args=[session.pk])
    assert client_for(cadre).post(url).status_code == 403
    assert client_for(trainer).get(url).status_code == 405
    response = client_for(trainer).post(url)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.checkin_secret != secret
    assert TrainingSession.objects.count() == 1
