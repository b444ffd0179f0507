"""Heartbeats credit study time on the server's clock: never more than real time, no
double counting across tabs, forged and stale beats refused."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import LessonProgress, StudyCredit
from courses.services.study import (
    HeartbeatExpired,
    HeartbeatForbidden,
    HeartbeatReplayed,
    heartbeat_token_make,
    study_heartbeat,
)
from tests.conftest import client_for
from tests.courses import pages

pytestmark = pytest.mark.django_db

T0 = timezone.now()


@pytest.fixture
def lesson_pair(db):
    parent = pages.course()
    return pages.lesson(parent, body=[pages.text_block()]), pages.lesson(
        parent, body=[pages.text_block()]
    )


def beat(user, lesson, seq, at, token=None, **extra):
    token = token or heartbeat_token_make(user=user, lesson=lesson)
    payload = {"token": token, "seq": seq, "interacted": True, **extra}
    return study_heartbeat(user=user, payload=payload, now=at)


def test_credit_is_the_time_between_beats_capped(cadre, lesson_pair):
    lesson, _other = lesson_pair
    token = heartbeat_token_make(user=cadre, lesson=lesson)
    assert beat(cadre, lesson, 1, T0, token).credited_seconds == 0
    assert beat(cadre, lesson, 2, T0 + timedelta(seconds=15), token).credited_seconds == 15
    # Ten minutes of silence (tab hidden, phone locked) earns nothing.
    assert beat(cadre, lesson, 3, T0 + timedelta(seconds=615), token).credited_seconds == 0
    assert beat(cadre, lesson, 4, T0 + timedelta(seconds=630), token).credited_seconds == 15
    assert LessonProgress.objects.get(user=cadre, lesson=lesson).seconds_studied == 30


def test_two_tabs_do_not_double_the_time(cadre, lesson_pair):
    first, second = lesson_pair
    tab_a = heartbeat_token_make(user=cadre, lesson=first)
    tab_b = heartbeat_token_make(user=cadre, lesson=second)
    total = 0
    for step in range(1, 9):
        at = T0 + timedelta(seconds=15 * step)
        total += beat(cadre, first, step, at, tab_a).credited_seconds
        total += beat(cadre, second, step, at + timedelta(seconds=1), tab_b).credited_seconds
    wall = 15 * 7 + 1
    assert total <= wall
    studied = sum(
        LessonProgress.objects.filter(user=cadre).values_list("seconds_studied", flat=True)
    )
    assert studied == total


def test_replayed_beat_is_refused(cadre, lesson_pair):
    lesson, _other = lesson_pair
    token = heartbeat_token_make(user=cadre, lesson=lesson)
    beat(cadre, lesson, 1, T0, token)
    beat(cadre, lesson, 2, T0 + timedelta(seconds=10), token)
    with pytest.raises(HeartbeatReplayed):
        beat(cadre, lesson, 2, T0 + timedelta(seconds=20), token)


def test_forged_and_foreign_tokens_are_refused(cadre, other_cadre, lesson_pair):
    lesson, _other = lesson_pair
    with pytest.raises(HeartbeatForbidden):
        beat(cadre, lesson, 1, T0, "not-a-token")
    with pytest.raises(HeartbeatForbidden):
        beat(cadre, lesson, 1, T0, heartbeat_token_make(user=other_cadre, lesson=lesson))


def test_stale_token_is_refused(cadre, lesson_pair, settings):
    lesson, _other = lesson_pair
    token = heartbeat_token_make(user=cadre, lesson=lesson)
    from courses.services import study

    settings.USE_TZ = True
    original = study.TOKEN_MAX_AGE
    study.TOKEN_MAX_AGE = -1
    try:
        with pytest.raises(HeartbeatExpired):
            beat(cadre, lesson, 1, T0, token)
    finally:
        study.TOKEN_MAX_AGE = original


def test_text_lesson_completes_after_its_time_and_reaching_the_end(cadre, lesson_pair):
    lesson, second = lesson_pair
    token = heartbeat_token_make(user=cadre, lesson=lesson)
    beat(cadre, lesson, 1, T0, token)
    for step in range(2, 6):  # 60 s of study; the lesson asks for 0.8 x 60 s
        result = beat(cadre, lesson, step, T0 + timedelta(seconds=15 * (step - 1)), token)
    assert result.progress.status == LessonProgress.Status.IN_PROGRESS  # not at the end yet
    result = beat(cadre, lesson, 6, T0 + timedelta(seconds=75), token, at_end=True)
    assert result.progress.status == LessonProgress.Status.COMPLETED
    assert result.lesson_completed_now
    assert result.course_credit is None  # the second lesson is still to do


def _complete(user, lesson, start):
    token = heartbeat_token_make(user=user, lesson=lesson)
    results = [
        beat(user, lesson, step, start + timedelta(seconds=15 * step), token, at_end=True)
        for step in range(1, 7)
    ]
    return next((r for r in results if r.lesson_completed_now), results[-1])


def test_completing_every_lesson_writes_credit_once(cadre, lesson_pair):
    first, second = lesson_pair
    _complete(cadre, first, T0)
    result = _complete(cadre, second, T0 + timedelta(minutes=5))
    assert result.course_credit is not None
    credit = StudyCredit.objects.get(user=cadre)
    assert credit.credit_hours == first.get_parent().specific.credit_hours
    assert credit.source == StudyCredit.Source.COURSE
    # Coming back and studying more never adds a second row.
    _complete(cadre, second, T0 + timedelta(minutes=20))
    assert StudyCredit.objects.filter(user=cadre).count() == 1


@pytest.mark.parametrize(
    "body, status",
    [
        (b"not json", 400),
        (b"[]", 400),
        (json.dumps({"token": "x"}).encode(), 400),
        (json.dumps({"token": "x", "seq": "1"}).encode(), 400),
        (json.dumps({"token": "forged", "seq": 1}).encode(), 403),
    ],
)
def test_bad_heartbeats_get_a_clear_json_error(cadre, body, status):
    response = client_for(cadre).post(
        reverse("study_heartbeat"), body, content_type="application/json"
    )
    assert response.status_code == status
    assert response.json()["error"]


def test_heartbeat_needs_sign_in(client):
    response = client.post(reverse("study_heartbeat"), b"{}", content_type="application/json")
    assert response.status_code == 401


def post_beat(user, lesson, **fields):
    """The first heartbeat of a lesson page, through the URL as its script sends it."""
    token = heartbeat_token_make(user=user, lesson=lesson)
    body = json.dumps({"token": token, "seq": 1, **fields})
    return client_for(user).post(reverse("study_heartbeat"), body, content_type="application/json")


def test_heartbeat_through_the_url(cadre, lesson_pair):
    lesson, _other = lesson_pair
    response = post_beat(cadre, lesson)
    assert response.status_code == 200
    assert response.json()["ok"] is True


@pytest.mark.parametrize("limit", [60, 180])
def test_heartbeats_without_interaction_earn_nothing_after_the_idle_limit(
    cadre, lesson_pair, settings, limit
):
    settings.STUDY_IDLE_LIMIT_SECONDS = limit
    lesson, _other = lesson_pair
    token = heartbeat_token_make(user=cadre, lesson=lesson)
    earned = [
        beat(cadre, lesson, step, T0 + timedelta(seconds=15 * step), token, interacted=False)
        for step in range(0, 40)
    ]
    # Opening the page counts as touching it; then only the idle limit's worth earns.
    assert sum(r.credited_seconds for r in earned) == limit
    assert earned[-1].credited_seconds == 0
    # A tap brings the earning back, on the server's clock.
    touched = beat(cadre, lesson, 40, T0 + timedelta(seconds=600), token, interacted=True)
    assert touched.credited_seconds == 15


def test_interacted_must_be_a_boolean(cadre, lesson_pair):
    lesson, _other = lesson_pair
    response = post_beat(cadre, lesson, interacted="yes")
    assert response.status_code == 400
    assert "interacted" in response.json()["error"]
