"""交卷 asks first, in the page, with the counts; 确认交卷 delivers unsent answers before
submitting, and with the link down keeps them on the phone and says so."""

from playwright.sync_api import expect

from exams.models import Attempt, AttemptItem
from tests.e2e.attempt_steps import answer_failing, start


def test_submit_asks_first_and_sends_the_unsent_answer_before_submitting(phone, sign_in):
    start(phone, sign_in, phone_number="13800000021", size=4)
    phone.check("#q1 label.option:nth-of-type(2) input")
    phone.wait_for_selector("#q1 .save-state[data-state=saved]")
    link = answer_failing(phone)
    phone.check("#q2 label.option:nth-of-type(2) input")
    phone.wait_for_selector("#q2 .save-state[data-state=waiting]")

    phone.click("#submit-attempt")
    dialog = phone.locator("#submit-dialog")
    expect(dialog).to_be_visible()
    expect(phone.locator("#submit-summary")).to_have_text("已答 2 题，未答 2 题，尚有 1 题未发送")
    expect(phone.locator("#submit-back")).to_be_focused()
    phone.keyboard.press("Escape")  # Esc is 返回检查
    expect(dialog).to_be_hidden()

    # With the link down, 确认交卷 keeps the answer queued and tells the cadre to connect.
    phone.click("#submit-attempt")
    phone.click("#submit-confirm")
    expect(phone.locator("#submit-status")).to_contain_text("请连上网络")
    assert "/result/" not in phone.url
    assert not AttemptItem.objects.filter(position=2, answer__isnull=False).exists()
    assert Attempt.objects.get().status == Attempt.Status.IN_PROGRESS

    link["on"] = False
    phone.click("#submit-confirm")
    phone.wait_for_url("**/result/")
    attempt = Attempt.objects.get()
    assert attempt.status == Attempt.Status.GRADED
    assert AttemptItem.objects.get(attempt=attempt, position=2).answer == ["B"]
    assert attempt.score == 20


def test_back_to_check_leaves_the_attempt_running(phone, sign_in):
    start(phone, sign_in, phone_number="13800000022", size=2)
    phone.click("#submit-attempt")
    expect(phone.locator("#submit-summary")).to_have_text("已答 0 题，未答 2 题")
    phone.click("#submit-back")
    expect(phone.locator("#submit-dialog")).to_be_hidden()
    phone.check("#q1 label.option:nth-of-type(2) input")
    phone.wait_for_selector("#q1 .save-state[data-state=saved]")
    assert Attempt.objects.get().status == Attempt.Status.IN_PROGRESS
