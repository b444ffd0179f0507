"""A cadre opens a lesson on a phone, plays the video for a few seconds, and the server
has recorded the playback and the study time."""

from pathlib import Path

from django.core.files.base import ContentFile

from courses.models import LessonProgress
from lms.accounts.roles import Role
from tests.courses import pages
from tests.factories import OrgUnitFactory, UserFactory

VIDEO = Path(__file__).resolve().parents[2] / "courses" / "data" / "demo" / "xingzheng-chufa-fa.mp4"


def test_playing_the_video_saves_progress(live_server, phone, sign_in):
    from wagtailmedia.models import get_media_model

    unit = OrgUnitFactory(code="V-01")
    cadre = UserFactory(phone="13800000001", unit=unit, role=Role.CADRE)
    media = get_media_model()(title="示范视频", type="video", duration=24)
    media.file.save("demo.mp4", ContentFile(VIDEO.read_bytes()), save=False)
    media.save()
    course = pages.course(title="新法学习")
    lesson = pages.lesson(
        course, title="行政处罚法", body=[pages.text_block(), pages.video_block(media)]
    )

    sign_in("13800000001", next=lesson.url)
    phone.wait_for_selector("video[data-block-id=v1]")
    playing = phone.evaluate(
        """() => { const v = document.querySelector('video'); v.muted = true;
                   return v.play().then(() => true, (e) => String(e)); }"""
    )
    assert playing is True, playing
    phone.wait_for_timeout(5000)
    with phone.expect_response(lambda r: "/study/heartbeat/" in r.url) as beat:
        phone.evaluate("document.querySelector('video').pause()")
    assert beat.value.status == 200
    data = beat.value.json()
    assert data["videos"]["v1"] >= 10  # percent of 24 s watched
    phone.wait_for_function("document.querySelector('.watched b').textContent !== '0'")

    # Stop the player's range requests before the test database is flushed.
    phone.goto("about:blank")
    phone.wait_for_timeout(300)

    progress = LessonProgress.objects.get(user=cadre, lesson=lesson)
    watched = sum(end - start for start, end in progress.video_intervals["v1"])
    assert 3 <= watched <= 14
    assert progress.seconds_studied >= 3
    assert progress.video_positions["v1"] >= 3


def test_watched_share_rises_while_playing_without_the_server(live_server, phone, sign_in):
    from wagtailmedia.models import get_media_model

    unit = OrgUnitFactory(code="V-01")
    UserFactory(phone="13800000001", unit=unit, role=Role.CADRE)
    media = get_media_model()(title="示范视频", type="video", duration=24)
    media.file.save("demo.mp4", ContentFile(VIDEO.read_bytes()), save=False)
    media.save()
    course = pages.course(title="新法学习")
    lesson = pages.lesson(course, title="行政处罚法", body=[pages.video_block(media)])

    sign_in("13800000001", next=lesson.url)
    phone.wait_for_selector("video[data-block-id=v1]")
    # No heartbeat gets through: whatever the page shows now comes from its own playback.
    phone.route("**/study/heartbeat/", lambda route: route.abort())
    playing = phone.evaluate(
        """() => { const v = document.querySelector('video'); v.muted = true;
                   return v.play().then(() => true, (e) => String(e)); }"""
    )
    assert playing is True, playing
    phone.wait_for_function(
        "() => parseInt(document.querySelector('.watched b').textContent, 10) >= 8",
        timeout=10000,
    )
    assert phone.evaluate("document.querySelector('video').paused") is False

    phone.goto("about:blank")
    phone.wait_for_timeout(300)
