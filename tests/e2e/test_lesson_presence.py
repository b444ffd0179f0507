"""The lesson page tells a cadre on a phone that time counts only while they study on it."""

from lms.accounts.roles import Role
from tests.courses import pages
from tests.factories import OrgUnitFactory, UserFactory


def test_lesson_page_says_time_counts_only_while_studying(live_server, phone, sign_in):
    UserFactory(phone="13800000001", unit=OrgUnitFactory(code="V-01"), role=Role.CADRE)
    lesson = pages.lesson(pages.course(title="新法学习"), title="行政处罚法")
    sign_in("13800000001", next=lesson.url)
    # The next periodic beat carries the interaction. (Reloading to send it at once raced
    # the new page's first beat on the suite's shared-cache SQLite: one was answered 503.)
    phone.wait_for_load_state("networkidle")
    with phone.expect_response(
        lambda r: "/study/heartbeat/" in r.url and "interacted" in (r.request.post_data or ""),
        timeout=30_000,
    ) as beat:
        phone.mouse.wheel(0, 200)
    assert beat.value.status == 200
    note = phone.locator(".study-presence-note")
    assert note.is_visible()
    assert "学习时长只在您于本页面学习时计算" in note.inner_text()
    phone.screenshot(path="/tmp/shots-wt-presence/lesson-note.png", full_page=True)
