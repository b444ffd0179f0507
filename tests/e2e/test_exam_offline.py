"""A cadre takes a quiz on a phone, loses the connection while answering, gets it back,
submits, and sees every answer in the review."""

from decimal import Decimal

from exams.models import Attempt, AttemptItem
from lms.accounts.roles import Role
from tests.exams import exam_builders as build
from tests.factories import OrgUnitFactory, UserFactory


def test_offline_answers_reach_the_server_and_the_review(live_server, phone, sign_in):
    unit = OrgUnitFactory(code="V-01")
    cadre = UserFactory(phone="13800000001", unit=unit, role=Role.CADRE)
    questions = [build.question("single", correct=("B",)) for _ in range(4)]
    questions.append(build.question("blank", blanks=[["首违不罚"]]))
    paper = build.exam(questions=questions, points=Decimal("20"), title="离线测验")

    sign_in("13800000001", next=f"/exams/{paper.pk}/")
    phone.click("form[action$='/start/'] button")
    phone.wait_for_selector("#attempt-form")
    # The start answers its POST with the page, which then shows its own address.
    attempt_id = phone.evaluate("document.getElementById('attempt-config').dataset.attempt")
    phone.wait_for_url(f"{live_server.url}/exams/attempts/{attempt_id}/")

    phone.check("#q1 label.option:nth-of-type(2) input")
    phone.wait_for_selector("#q1 .save-state[data-state=saved]")

    phone.context.set_offline(True)
    phone.check("#q2 label.option:nth-of-type(2) input")
    phone.check("#q3 label.option:nth-of-type(1) input")
    phone.fill("#q5 input[type=text]", "首违不罚")
    phone.wait_for_selector("#q2 .save-state[data-state=waiting]")
    phone.wait_for_selector("#q5 .save-state[data-state=waiting]", timeout=5000)
    assert AttemptItem.objects.filter(answer__isnull=False).count() == 1
    stored = phone.evaluate(
        "Object.keys(JSON.parse(localStorage.getItem('attempt:'"
        " + document.getElementById('attempt-config').dataset.attempt)).pending)"
    )
    assert sorted(stored) == ["2", "3", "5"]

    phone.context.set_offline(False)
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    for position in (2, 3, 5):
        phone.wait_for_selector(f"#q{position} .save-state[data-state=saved]")
    phone.check("#q4 label.option:nth-of-type(2) input")
    phone.wait_for_selector("#q4 .save-state[data-state=saved]")
    # A reload reads the attempt (no "resend the form?") with every answer in place.
    phone.reload()
    phone.wait_for_selector("#attempt-form")
    assert phone.is_checked("#q2 label.option:nth-of-type(2) input")
    assert phone.is_checked("#q4 label.option:nth-of-type(2) input")
    assert phone.input_value("#q5 input[type=text]") == "首违不罚"

    phone.click("#submit-attempt")
    phone.click("#submit-confirm")
    phone.wait_for_url("**/result/")
    attempt = Attempt.objects.get(user=cadre)
    assert attempt.status == "graded"
    assert attempt.score == Decimal("80.00")  # q3 answered A, the key is B

    phone.click("a[href$='/review/']")
    phone.wait_for_selector(".review")
    text = phone.inner_text("main")
    assert "首违不罚" in text
    assert phone.locator(".review .picked").count() == 4
