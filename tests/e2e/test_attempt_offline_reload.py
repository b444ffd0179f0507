"""An answer given offline survives a reload: it stays in the phone, and the page, once it
loads again with the connection back, shows it and sends it."""

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from exams.models import AttemptItem
from tests.e2e.attempt_steps import start


def test_an_answer_given_offline_survives_a_reload(phone, sign_in):
    start(phone, sign_in, phone_number="13800000051", size=3)
    phone.check("#q1 label.option:nth-of-type(2) input")
    phone.wait_for_selector("#q1 .save-state[data-state=saved]")

    phone.context.set_offline(True)
    phone.check("#q2 label.option:nth-of-type(3) input")
    phone.wait_for_selector("#q2 .save-state[data-state=waiting]")
    try:
        phone.reload()
        reloaded_offline = True
    except PlaywrightError:
        reloaded_offline = False  # no page cached yet: the browser's own error page
    if reloaded_offline:
        expect(phone.locator("#q2 label.option:nth-of-type(3) input")).to_be_checked()
    phone.context.set_offline(False)
    if not reloaded_offline:
        phone.reload()
    phone.wait_for_selector("#nav-open", state="visible")
    expect(phone.locator("#q2 label.option:nth-of-type(3) input")).to_be_checked()
    expect(phone.locator("#q1 label.option:nth-of-type(2) input")).to_be_checked()
    phone.wait_for_selector("#q2 .save-state[data-state=saved]", timeout=10000)
    assert AttemptItem.objects.get(position=2).answer == ["C"]
