"""Long videos ask "are you there?" at a random moment; a missed check earns nothing for the
time it covers, a timely one loses nothing, and the page cannot answer without the nonce."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import LessonProgress
from courses.services.study import HeartbeatError, heartbeat_token_make, study_heartbeat
from tests.courses import pages

pytestmark = pytest.mark.django_db

T0 = timezone.now()


@pytest.fixture(autouse=True)
def check_settings(settings):
    settings.STUDY_PRESENCE_CHECK_VIDEO_SECONDS = 600
    settings.STUDY_PRESENCE_CHECK_MIN_GAP_SECONDS = 60
    settings.STUDY_PRESENCE_CHECK_MAX_GAP_SECONDS = 60
    settings.STUDY_PRESENCE_CHECK_ANSWER_SECONDS = 60
    return settings


def _lesson(duration):
    media = pages.video(duration=duration)
    return pages.lesson(pages.course(), body=[pages.video_block(media)], estimated_minutes=60)


@pytest.fixture
def long_lesson(db):
    return _lesson(1800)


class Player:
    """A page that plays the video continuously, one beat every 15 s of server time."""

    def __init__(self, user, lesson):
        self.user, self.lesson = user, lesson
        self.token = heartbeat_token_make(user=user, lesson=lesson)
        self.seq = 0
        self.at = 0
        self.position = 0

    def beat(self, *, seconds=15, answer=None, play=True):
        self.seq += 1
        self.at += seconds
        played = [[self.position, self.position + seconds]] if play else []
        self.position += seconds if play else 0
        payload = {
            "token": self.token,
            "seq": self.seq,
            "videos": {"v1": {"played": played, "position": self.position}},
            "interacted": True,
        }
        if answer is not None:
            payload["check"] = answer
        return study_heartbeat(user=self.user, payload=payload, now=T0 + timedelta(seconds=self.at))

    def until_check(self):
        for _ in range(20):
            result = self.beat()
            if result.presence_check:
                return result
        raise AssertionError("no presence check was issued")


def _watched(user, lesson):
    progress = LessonProgress.objects.get(user=user, lesson=lesson)
    return sum(end - start for start, end in progress.video_intervals.get("v1", []))


def test_a_long_video_gets_a_check_at_the_drawn_moment(cadre, long_lesson):
    player = Player(cadre, long_lesson)
    player.beat(seconds=0)  # page opened
    first = player.beat()  # playback starts: the next check is drawn 60 s from now
    assert first.presence_check is None
    issued = player.until_check()
    assert player.at == 15 + 60
    assert issued.presence_check["seconds_left"] == 60
    assert issued.presence_check["missed"] is False
    assert len(issued.presence_check["nonce"]) == 8


def test_a_timely_answer_loses_nothing(cadre, long_lesson):
    player = Player(cadre, long_lesson)
    player.beat(seconds=0)
    check = player.until_check().presence_check
    before = LessonProgress.objects.get(user=cadre, lesson=long_lesson).seconds_studied
    held = player.beat()  # the dialog is up; this beat's credit waits for the answer
    assert held.credited_seconds == 0
    assert held.presence_check["nonce"] == check["nonce"]
    answered = player.beat(seconds=10, answer=check["nonce"])
    assert answered.presence_check_answer == "passed"
    assert answered.presence_check is None
    assert answered.credited_seconds == 25
    progress = LessonProgress.objects.get(user=cadre, lesson=long_lesson)
    assert progress.seconds_studied == before + 25
    assert _watched(cadre, long_lesson) == player.position


def test_a_missed_check_earns_nothing_for_its_interval(cadre, long_lesson):
    player = Player(cadre, long_lesson)
    player.beat(seconds=0)
    check = player.until_check().presence_check
    progress = LessonProgress.objects.get(user=cadre, lesson=long_lesson)
    seconds_before, watched_before = progress.seconds_studied, _watched(cadre, long_lesson)
    # The video plays on for five beats (75 s) with nobody answering.
    for _ in range(5):
        result = player.beat()
    assert result.presence_check["missed"] is True
    assert result.presence_check["seconds_left"] == 0
    late = player.beat(answer=check["nonce"])
    assert late.presence_check_answer == "missed"
    assert late.credited_seconds == 0
    progress.refresh_from_db()
    assert progress.seconds_studied == seconds_before
    assert _watched(cadre, long_lesson) == watched_before
    # After the late answer, study earns again.
    assert player.beat().credited_seconds == 15


def test_a_page_that_never_answers_earns_nothing_more(cadre, long_lesson):
    player = Player(cadre, long_lesson)
    player.beat(seconds=0)
    player.until_check()
    seconds_at_check = LessonProgress.objects.get(user=cadre, lesson=long_lesson).seconds_studied
    for _ in range(40):  # ten minutes of heartbeats, a phone left playing
        player.beat()
    progress = LessonProgress.objects.get(user=cadre, lesson=long_lesson)
    assert progress.seconds_studied == seconds_at_check


def test_a_wrong_nonce_does_not_answer(cadre, long_lesson):
    player = Player(cadre, long_lesson)
    player.beat(seconds=0)
    check = player.until_check().presence_check
    forged = player.beat(answer="00000000")
    assert forged.presence_check_answer is None
    assert forged.presence_check["nonce"] == check["nonce"]
    assert forged.credited_seconds == 0


def test_after_an_answer_the_next_check_comes_later(cadre, long_lesson):
    player = Player(cadre, long_lesson)
    player.beat(seconds=0)
    first = player.until_check().presence_check
    player.beat(seconds=5, answer=first["nonce"])
    answered_at = player.at
    second = player.until_check().presence_check
    assert second["nonce"] != first["nonce"]
    assert player.at - answered_at >= 60


def test_short_videos_and_reading_get_no_check(cadre):
    short = _lesson(300)
    player = Player(cadre, short)
    player.beat(seconds=0)
    assert all(player.beat().presence_check is None for _ in range(15))
    reader = Player(cadre, _lesson(1800))
    reader.beat(seconds=0)
    assert all(reader.beat(play=False).presence_check is None for _ in range(15))


def test_reloading_the_page_drops_what_an_open_check_held(cadre, long_lesson):
    player = Player(cadre, long_lesson)
    player.beat(seconds=0)
    check = player.until_check().presence_check
    player.beat()
    player.beat()
    seconds = LessonProgress.objects.get(user=cadre, lesson=long_lesson).seconds_studied
    reloaded = Player(cadre, long_lesson)
    reloaded.at, reloaded.position = player.at, player.position
    result = reloaded.beat(seconds=1, answer=check["nonce"])
    assert result.presence_check_answer is None
    assert LessonProgress.objects.get(user=cadre, lesson=long_lesson).seconds_studied == seconds + 1


@pytest.mark.parametrize("answer", [123, ["x"], "x" * 17])
def test_a_malformed_answer_is_refused(cadre, long_lesson, answer):
    player = Player(cadre, long_lesson)
    with pytest.raises(HeartbeatError):
        player.beat(answer=answer)


def test_the_heartbeat_url_reports_the_check(client, cadre, long_lesson, settings):
    settings.STUDY_PRESENCE_CHECK_MIN_GAP_SECONDS = 0
    settings.STUDY_PRESENCE_CHECK_MAX_GAP_SECONDS = 0
    client.force_login(cadre)
    token = heartbeat_token_make(user=cadre, lesson=long_lesson)

    def post(seq, **extra):
        body = {"token": token, "seq": seq, "videos": {"v1": {"played": [[0, 1]]}}, **extra}
        response = client.post(
            reverse("study_heartbeat"), json.dumps(body), content_type="application/json"
        )
        assert response.status_code == 200
        return response.json()

    assert post(1)["check"] is None  # the first playback draws the moment: now
    issued = post(2)["check"]
    assert issued["nonce"] and issued["missed"] is False
    answered = post(3, check=issued["nonce"])
    assert answered["check_answer"] == "passed"
    assert answered["check"] is None
    bad = client.post(
        reverse("study_heartbeat"),
        json.dumps({"token": token, "seq": 4, "check": 5}),
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "在线确认" in bad.json()["error"]
