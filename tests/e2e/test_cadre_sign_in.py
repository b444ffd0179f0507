"""A cadre signs in with a phone number on a phone-sized screen and sees 我的学习."""

from lms.accounts.roles import Role
from tests.factories import PASSWORD, OrgUnitFactory, UserFactory


def test_cadre_signs_in_by_phone_and_sees_home(live_server, phone):
    unit = OrgUnitFactory(code="V-01", name="青山村")
    UserFactory(phone="13800000001", name="王建国", unit=unit, role=Role.CADRE)

    phone.goto(f"{live_server.url}/")
    assert "/accounts/login/" in phone.url
    phone.fill("input[name=login]", "138 0000 0001")
    phone.fill("input[name=password]", PASSWORD)
    phone.click("button[type=submit].primary")
    phone.wait_for_selector("h1:has-text('我的学习')")
    assert "王建国" in phone.inner_text("body")

    # Readable without zoom: nothing wider than the screen, body text 16px or more,
    # tiles big enough to tap.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    size = phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 16
    heights = phone.eval_on_selector_all(".tile", "els => els.map(e => e.offsetHeight)")
    assert heights and min(heights) >= 44

    phone.click("button:has-text('大字')")
    phone.wait_for_selector("html.large-text")
    assert phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") > size
