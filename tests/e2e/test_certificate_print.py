"""From the home page, by tapping only: 我的 → 我的证书 → the certificate → 打印 asks the
browser's print dialog (window.print called) without a CSP violation."""

from decimal import Decimal

import pytest

from exams.models import AttemptItem
from exams.services.attempts import attempt_grade, attempt_start
from lms.accounts.roles import Role
from tests.exams import exam_builders as build
from tests.factories import OrgUnitFactory, UserFactory


@pytest.mark.parametrize("size", [{"width": 390, "height": 844}, {"width": 320, "height": 640}])
def test_a_cadre_taps_to_a_certificate_and_prints_it(live_server, phone, sign_in, size):
    phone.set_viewport_size(size)
    cadre = UserFactory(phone="13800000008", unit=OrgUnitFactory(code="V-CERT"), role=Role.CADRE)
    paper = build.exam(
        questions=[build.question()], points=Decimal("100"), certificates=True, title="学法考试"
    )
    attempt = attempt_start(exam=paper, user=cadre)
    AttemptItem.objects.filter(attempt=attempt).update(answer=["A"])
    attempt_grade(attempt_id=attempt.pk)

    violations = []
    phone.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    phone.on("pageerror", lambda error: violations.append(str(error)))
    # Headless Chromium has no print dialog: count the requests instead.
    phone.add_init_script("window.__prints = 0; window.print = () => { window.__prints += 1; };")

    sign_in("13800000008")
    phone.tap(".bottom-nav a[href='/me/']")
    phone.tap("a[href='/exams/certificates/']")
    phone.tap("text=学法考试")
    phone.wait_for_selector(".certificate")
    phone.tap("[data-print]")
    assert phone.evaluate("window.__prints") == 1
    assert not violations, violations
