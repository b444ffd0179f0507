"""The exam under a cadre trying to cheat, in the browser: leaving the page is counted on
the server, the paper is submitted at the exam's limit, and a second device takes over
an attempt only by confirming, after which the first one's saves are refused."""

import time

from playwright.sync_api import expect

from exams.models import Attempt
from exams.services import integrity
from tests.e2e.attempt_steps import start
from tests.e2e.conftest import PHONE
from tests.factories import PASSWORD


def wait_for(condition, seconds=10):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.2)
    return False


def leave_count():
    return Attempt.objects.get().leave_count


VISIBILITY = """state => {
  Object.defineProperty(document, "visibilityState", { value: state, configurable: true });
  document.dispatchEvent(new Event("visibilitychange"));
  if (state === "visible") window.dispatchEvent(new Event("focus"));
}"""


def hide(page):
    """The page as the browser reports it when the phone shows another app."""
    page.evaluate(VISIBILITY, "hidden")


def show(page):
    page.evaluate(VISIBILITY, "visible")


def test_a_second_tab_brought_to_front_is_counted_on_the_server(phone, sign_in, monkeypatch):
    monkeypatch.setattr(integrity, "LEAVE_MIN_GAP_SECONDS", 0)
    start(phone, sign_in, phone_number="13800000041", size=2)
    other_tab = phone.context.new_page()
    other_tab.goto("about:blank")
    other_tab.bring_to_front()
    # Headless Chromium keeps every tab "visible"; say what a phone's browser says when
    # another tab comes to the front.
    hide(phone)
    assert wait_for(lambda: leave_count() == 1)
    phone.bring_to_front()
    show(phone)
    expect(phone.locator("#leave-count")).to_have_text("已离开考试页面 1 次")

    # Focus lost (the notification shade, another window): counted again, once for the
    # blur and the hiding that follows it.
    phone.evaluate("() => window.dispatchEvent(new Event('blur'))")
    hide(phone)
    assert wait_for(lambda: leave_count() == 2)
    show(phone)
    expect(phone.locator("#leave-count")).to_have_text("已离开考试页面 2 次")
    time.sleep(0.5)
    assert leave_count() == 2


def test_the_paper_is_submitted_at_the_limit_after_a_warning(phone, sign_in, monkeypatch):
    monkeypatch.setattr(integrity, "LEAVE_MIN_GAP_SECONDS", 0)
    start(phone, sign_in, phone_number="13800000042", size=2, leave_limit=2)
    expect(phone.locator("#leave-rule")).to_contain_text("累计离开 2 次将自动交卷")
    phone.locator("#q1 input").first.check()
    phone.wait_for_selector("#q1 .save-state[data-state=saved]")
    hide(phone)
    assert wait_for(lambda: leave_count() == 1)
    show(phone)
    expect(phone.locator("#leave-warning")).to_contain_text("再离开 1 次，试卷将自动交卷")
    hide(phone)
    phone.wait_for_url("**/result/")
    attempt = Attempt.objects.get()
    assert attempt.status == Attempt.Status.GRADED and attempt.submitted_for_leaving
    assert attempt.leave_count == 2


def test_a_second_device_takes_over_and_the_first_ones_saves_are_refused(
    phone, sign_in, browser, live_server
):
    start(phone, sign_in, phone_number="13800000043", size=3)
    phone.locator("#q1 input").first.check()
    phone.wait_for_selector("#q1 .save-state[data-state=saved]")
    attempt = Attempt.objects.get()

    second = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN")
    try:
        tablet = second.new_page()
        page_url = f"{live_server.url}/exams/attempts/{attempt.pk}/"
        tablet.goto(f"{live_server.url}/accounts/login/?next=/exams/attempts/{attempt.pk}/")
        tablet.fill("input[name=login]", "13800000043")
        tablet.fill("input[name=password]", PASSWORD)
        tablet.click("button[type=submit].primary")
        expect(tablet.locator("#attempt-elsewhere")).to_have_text("该考试正在另一台设备上进行")
        assert tablet.locator("#attempt-form").count() == 0
        tablet.click("#attempt-takeover")
        tablet.wait_for_url(page_url)
        tablet.wait_for_selector("#nav-open", state="visible")

        # The first phone's next answer is refused with the message, and not retried.
        refusals = []
        phone.on("response", lambda r: refusals.append(r.status) if "/answers/" in r.url else None)
        phone.locator("#q2 input").first.check()
        expect(phone.locator("#attempt-stopped")).to_be_visible()
        expect(phone.locator("#attempt-stopped-text")).to_have_text("该考试正在另一台设备上进行")
        assert refusals == [409]
        time.sleep(6)  # past the page's 5-second retry of unsent answers
        assert refusals == [409]
        assert "/result/" not in phone.url
        assert Attempt.objects.get().items.get(position=2).answer is None

        tablet.locator("#q2 input").first.check()
        tablet.wait_for_selector("#q2 .save-state[data-state=saved]")
        assert Attempt.objects.get().items.get(position=2).answer is not None
    finally:
        second.close()
