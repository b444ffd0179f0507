"""The exam bar's clock on the phone: a countdown for a timed attempt, the closing date for
an untimed practice; and a practice finished through the 答题卡 and the submit dialog,
with practice.js's feedback on the way."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from exams.models import Attempt, Exam
from tests.e2e.attempt_steps import start


def test_a_timed_attempt_counts_down(phone, sign_in):
    start(phone, sign_in, phone_number="13800000061", size=2, time_limit_minutes=30)
    expect(phone.locator("#countdown")).to_be_visible()
    expect(phone.locator("#countdown")).to_have_text(re.compile(r"^(29:5\d|30:00)$"))
    assert phone.locator("#closes-at").count() == 0


@pytest.mark.parametrize("viewport", [(390, 844), (320, 640)], ids=["390", "320"])
def test_a_practice_shows_its_closing_date_and_finishes_through_the_navigator(
    phone, sign_in, viewport
):
    phone.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    closes = timezone.localtime() + timedelta(days=180)
    start(
        phone,
        sign_in,
        phone_number=f"1380000{viewport[0]:04d}",
        size=3,
        kind=Exam.Kind.PRACTICE,
        time_limit_minutes=None,
        closes_at=closes,
        attempts_allowed=0,
    )
    expect(phone.locator("#countdown")).to_be_hidden()
    expect(phone.locator("#closes-at")).to_have_text(
        f"{closes.month}月{closes.day}日 {closes:%H:%M} 截止"
    )

    phone.check("#q1 label.option:nth-of-type(2) input")
    phone.wait_for_selector("#q1 .save-state[data-state=saved]")
    phone.click("#q1 .practice-check")
    expect(phone.locator("#q1 .practice-feedback")).to_contain_text("正确答案")

    phone.click("#nav-open")
    for cell in phone.locator("#nav-grid button").all():
        box = cell.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44
    phone.locator("#nav-grid button").nth(2).click()
    expect(phone.locator("#q3")).to_be_in_viewport()
    phone.check("#q3 label.option:nth-of-type(1) input")
    phone.wait_for_selector("#q3 .save-state[data-state=saved]")
    phone.click("#submit-attempt")
    expect(phone.locator("#submit-summary")).to_have_text("已答 2 题，未答 1 题")
    phone.click("#submit-confirm")
    phone.wait_for_url("**/result/")
    assert Attempt.objects.get().status == Attempt.Status.GRADED
