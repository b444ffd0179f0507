"""The site's own pages load under the Content-Security-Policy without a violation: no
inline script, no foreign origin (home, catalogue, a lesson, an exam attempt)."""

from decimal import Decimal

from lms.accounts.roles import Role
from tests.courses import pages
from tests.exams import exam_builders as build
from tests.factories import OrgUnitFactory, UserFactory


def test_pages_load_without_csp_violations(live_server, phone, sign_in):
    unit = OrgUnitFactory(code="V-CSP")
    UserFactory(phone="13800000009", unit=unit, role=Role.CADRE)
    course = pages.course(slug="csp-course")
    lesson = pages.lesson(course, slug="csp-lesson", body=[pages.text_block()])
    paper = build.exam(questions=[build.question() for _ in range(3)], points=Decimal("30"))

    violations, headers = [], []
    phone.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    phone.on("pageerror", lambda error: violations.append(str(error)))
    phone.on(
        "response",
        lambda response: (
            headers.append(response.headers.get("content-security-policy"))
            if response.request.resource_type == "document"
            else None
        ),
    )

    sign_in("13800000009")
    for url in (f"{live_server.url}/", f"{live_server.url}{course.get_parent().url}"):
        phone.goto(url)
    phone.goto(f"{live_server.url}{lesson.url}")
    phone.wait_for_load_state("networkidle")
    phone.goto(f"{live_server.url}/exams/{paper.pk}/")
    phone.click("form[action$='/start/'] button")
    phone.wait_for_selector("#attempt-form")
    phone.check("#q1 label.option:nth-of-type(1) input")
    phone.wait_for_selector("#q1 .save-state[data-state=saved]")

    assert headers and all(h and "script-src 'self'" in h for h in headers), headers
    assert not violations, violations
