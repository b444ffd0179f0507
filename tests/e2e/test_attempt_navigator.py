"""The 答题卡: every question's number with its state in words (answered, unanswered, not
sent, flagged), opened from the exam bar; a tap jumps to the question."""

import re

from playwright.sync_api import expect

from tests.e2e.attempt_steps import answer_failing, start


def test_the_navigator_shows_each_state_and_jumps(phone, sign_in):
    start(phone, sign_in, phone_number="13800000031", size=5)
    assert phone.locator("#mode-switch").count() == 0  # a short paper stays on one page
    phone.check("#q1 label.option:nth-of-type(2) input")
    phone.wait_for_selector("#q1 .save-state[data-state=saved]")
    answer_failing(phone)
    phone.check("#q2 label.option:nth-of-type(1) input")
    phone.wait_for_selector("#q2 .save-state[data-state=waiting]")
    phone.click("#q3 .flag")
    expect(phone.locator("#q3 .flag")).to_have_attribute("aria-pressed", "true")

    expect(phone.locator("#nav-open")).to_have_text(re.compile(r"试题 \d/5"))
    phone.click("#nav-open")
    cells = phone.locator("#nav-grid button")
    expect(cells).to_have_count(5)
    expect(cells.nth(0)).to_have_text("1✓已答")
    expect(cells.nth(1)).to_have_text("2↑未发送")
    expect(cells.nth(2)).to_have_text("3○未答 ⚑")
    expect(cells.nth(2)).to_have_attribute("aria-label", "第 3 题 未答 已标记")
    box = cells.nth(4).bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44

    cells.nth(4).click()
    expect(phone.locator("#navigator")).to_be_hidden()
    expect(phone.locator("#q5")).to_be_in_viewport()
    expect(phone.locator("#q5")).to_be_focused()

    # Flags are the cadre's own, kept on the phone across a reload; so is the unsent answer.
    phone.reload()
    phone.wait_for_selector("#nav-open", state="visible")
    expect(phone.locator("#q3 .flag")).to_have_attribute("aria-pressed", "true")
    phone.click("#nav-open")
    expect(cells.nth(1)).to_have_text("2↑未发送")
    expect(cells.nth(2)).to_have_text("3○未答 ⚑")
    phone.click("#navigator-close")
    expect(phone.locator("#navigator")).to_be_hidden()
