"""A long video asks the cadre on a phone "您还在学习吗？": a tap in time keeps the video
playing and loses nothing; a missed check pauses it and its interval earns nothing."""

import json
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from courses.models import LessonProgress
from lms.accounts.roles import Role
from tests.courses import pages
from tests.factories import OrgUnitFactory, UserFactory

VIDEO = Path(__file__).resolve().parents[2] / "courses" / "data" / "demo" / "xingzheng-chufa-fa.mp4"
SHOTS = Path("/tmp/shots-presence")


@pytest.fixture
def long_video_lesson(settings):
    from wagtailmedia.models import get_media_model

    # The demo clip stands in for a long video; the check comes at the second playing beat.
    settings.STUDY_PRESENCE_CHECK_VIDEO_SECONDS = 10
    settings.STUDY_PRESENCE_CHECK_MIN_GAP_SECONDS = 0
    settings.STUDY_PRESENCE_CHECK_MAX_GAP_SECONDS = 0
    settings.STUDY_PRESENCE_CHECK_ANSWER_SECONDS = 3
    settings.STUDY_BEAT_SECONDS = 1
    cadre = UserFactory(phone="13800000001", unit=OrgUnitFactory(code="V-01"), role=Role.CADRE)
    media = get_media_model()(title="示范视频", type="video", duration=24)
    media.file.save("demo.mp4", ContentFile(VIDEO.read_bytes()), save=False)
    media.save()
    lesson = pages.lesson(
        pages.course(title="新法学习"), title="行政处罚法", body=[pages.video_block(media)]
    )
    return cadre, lesson


def _play_until_checked(phone, sign_in, lesson):
    """Sign in, play the lesson's video, and return the presence dialog once it shows."""
    SHOTS.mkdir(exist_ok=True)
    sign_in("13800000001", next=lesson.url)
    phone.wait_for_selector("video[data-block-id=v1]")
    playing = phone.evaluate(
        """() => { const v = document.querySelector('video'); v.muted = true;
                   return v.play().then(() => true, (e) => String(e)); }"""
    )
    assert playing is True, playing
    dialog = phone.locator("#presence-dialog")
    dialog.wait_for(state="visible", timeout=10000)
    return dialog


def _answering(response) -> bool:
    """The heartbeat that carries the tapped check's nonce back."""
    if "/study/heartbeat/" not in response.url:
        return False
    return bool(json.loads(response.request.post_data or "{}").get("check"))


def _leave(phone):
    # Stop the player's range requests and beats before the test database is flushed.
    phone.goto("about:blank")
    phone.wait_for_timeout(300)


def test_tapping_in_time_keeps_the_video_playing(live_server, phone, sign_in, long_video_lesson):
    cadre, lesson = long_video_lesson
    dialog = _play_until_checked(phone, sign_in, lesson)
    assert "您还在学习吗？" in dialog.inner_text()
    assert "继续学习" in dialog.inner_text()
    phone.screenshot(path=str(SHOTS / "check.png"))
    with phone.expect_response(_answering) as answered:
        phone.get_by_role("button", name="继续学习").click()
    assert answered.value.json()["check_answer"] == "passed"
    assert phone.evaluate("document.querySelector('video').paused") is False
    _leave(phone)
    progress = LessonProgress.objects.get(user=cadre, lesson=lesson)
    assert progress.seconds_studied >= 1


def test_a_missed_check_pauses_and_earns_nothing(live_server, phone, sign_in, long_video_lesson):
    cadre, lesson = long_video_lesson
    _play_until_checked(phone, sign_in, lesson)
    earned_before_check = LessonProgress.objects.get(user=cadre, lesson=lesson).seconds_studied
    missed = phone.locator("#presence-missed")
    missed.wait_for(state="visible", timeout=8000)
    assert "视频已暂停" in missed.inner_text()
    assert phone.evaluate("document.querySelector('video').paused") is True
    phone.wait_for_timeout(2500)  # beats go on while nobody answers
    phone.screenshot(path=str(SHOTS / "missed.png"))
    with phone.expect_response(_answering) as answered:
        phone.get_by_role("button", name="继续学习").click()
    assert answered.value.json()["check_answer"] == "missed"
    assert "不计入学时" in phone.locator("#study-status").inner_text()
    _leave(phone)
    progress = LessonProgress.objects.get(user=cadre, lesson=lesson)
    assert progress.seconds_studied == earned_before_check
