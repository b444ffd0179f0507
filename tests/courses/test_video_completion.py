"""A video counts as watched when real playback covers 90% of it; seeking earns nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from courses.models import LessonProgress
from courses.services.study import heartbeat_token_make, study_heartbeat
from tests.courses import pages

pytestmark = pytest.mark.django_db

T0 = timezone.now()


@pytest.fixture
def video_lesson(db):
    media = pages.video(duration=100)
    parent = pages.course()
    return pages.lesson(parent, body=[pages.video_block(media)], estimated_minutes=1)


def send(user, lesson, token, seq, seconds, played, position=None, at_end=True):
    report = {"played": played}
    if position is not None:
        report["position"] = position
    return study_heartbeat(
        user=user,
        payload={
            "token": token,
            "seq": seq,
            "at_end": at_end,
            "videos": {"v1": report},
            "interacted": True,
        },
        now=T0 + timedelta(seconds=seconds),
    )


def test_seeking_to_the_end_does_not_complete(cadre, video_lesson):
    token = heartbeat_token_make(user=cadre, lesson=video_lesson)
    send(cadre, video_lesson, token, 1, 0, [])
    # Three seconds after opening, the client claims the whole video was played.
    result = send(cadre, video_lesson, token, 2, 3, [[0, 100]], position=100)
    progress = result.progress
    watched = sum(end - start for start, end in progress.video_intervals["v1"])
    assert watched <= 3 * 2 + 3
    assert progress.status != LessonProgress.Status.COMPLETED


def test_ninety_percent_of_real_playback_completes(cadre, video_lesson):
    token = heartbeat_token_make(user=cadre, lesson=video_lesson)
    send(cadre, video_lesson, token, 1, 0, [])
    result = None
    for step in range(1, 7):  # 6 x 15 s of real playback = 90 s of a 100 s video
        start = 15 * (step - 1)
        result = send(
            cadre, video_lesson, token, step + 1, 15 * step, [[start, start + 15]], start + 15
        )
    assert result.progress.status == LessonProgress.Status.COMPLETED
    assert result.progress.video_positions["v1"] == 90


def test_eighty_percent_is_not_enough(cadre, video_lesson):
    token = heartbeat_token_make(user=cadre, lesson=video_lesson)
    send(cadre, video_lesson, token, 1, 0, [])
    result = None
    for step in range(1, 9):  # plenty of time, but only 0-80 s played
        start = min(10 * (step - 1), 70)
        result = send(cadre, video_lesson, token, step + 1, 15 * step, [[start, start + 10]])
    assert result.progress.status != LessonProgress.Status.COMPLETED


def test_overlapping_replays_are_counted_once(cadre, video_lesson):
    token = heartbeat_token_make(user=cadre, lesson=video_lesson)
    send(cadre, video_lesson, token, 1, 0, [])
    for step in range(1, 8):
        send(cadre, video_lesson, token, step + 1, 15 * step, [[0, 15]])
    progress = LessonProgress.objects.get(user=cadre, lesson=video_lesson)
    assert progress.video_intervals["v1"] == [[0.0, 15.0]]


@pytest.mark.parametrize(
    "videos",
    [
        {"v1": {"played": [[10, 5]]}},
        {"v1": {"played": [[0, 500]]}},
        {"v1": {"played": [["a", "b"]]}},
        {"v1": {"played": "0-10"}},
        {"nope": {"played": []}},
        {"v1": {"position": -3}},
        ["v1"],
    ],
)
def test_malformed_video_reports_are_refused(cadre, video_lesson, videos):
    from courses.services.study import HeartbeatError

    token = heartbeat_token_make(user=cadre, lesson=video_lesson)
    with pytest.raises(HeartbeatError):
        study_heartbeat(user=cadre, payload={"token": token, "seq": 1, "videos": videos}, now=T0)
    assert not LessonProgress.objects.filter(user=cadre).exists()
