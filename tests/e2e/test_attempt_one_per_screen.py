"""A long paper one question per screen: 上一题 / 下一题, answers saved as on the whole page,
and the cadre's choice (and place) kept across a reload."""

from playwright.sync_api import expect

from exams.models import AttemptItem
from tests.e2e.attempt_steps import start


def shown(phone):
    return [
        int(box.get_attribute("data-position"))
        for box in phone.locator("fieldset.question").all()
        if box.is_visible()
    ]


def test_one_question_per_screen_steps_and_is_remembered(phone, sign_in):
    start(phone, sign_in, phone_number="13800000041", size=20)
    assert len(shown(phone)) == 20
    switch = phone.locator("#mode-switch")
    switch.click()
    expect(switch).to_have_attribute("aria-pressed", "true")
    assert shown(phone) == [1]
    expect(phone.locator("#prev-question")).to_be_disabled()

    phone.click("#next-question")
    assert shown(phone) == [2]
    phone.check("#q2 label.option:nth-of-type(2) input")
    phone.wait_for_selector("#q2 .save-state[data-state=saved]")
    assert AttemptItem.objects.get(position=2).answer == ["B"]
    phone.click("#next-question")
    phone.click("#next-question")
    phone.click("#prev-question")
    assert shown(phone) == [3]
    expect(phone.locator("#nav-open")).to_have_text("试题 3/20")

    phone.reload()
    phone.wait_for_selector("#nav-open", state="visible")
    expect(phone.locator("#mode-switch")).to_have_attribute("aria-pressed", "true")
    assert shown(phone) == [3]

    phone.click("#nav-open")
    phone.locator("#nav-grid button").nth(19).click()
    assert shown(phone) == [20]
    expect(phone.locator("#next-question")).to_be_disabled()
    expect(phone.locator("#submit-attempt")).to_be_visible()

    phone.locator("#mode-switch").click()
    assert len(shown(phone)) == 20
    expect(phone.locator("#pager")).to_be_hidden()
