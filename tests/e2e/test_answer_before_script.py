"""On a slow phone the page shows before its deferred script runs: an answer tapped in
that moment is still saved once the script arrives."""

from decimal import Decimal

from exams.models import AttemptItem
from lms.accounts.roles import Role
from tests.exams import exam_builders as build
from tests.factories import OrgUnitFactory, UserFactory


def test_answer_tapped_before_the_script_runs_is_saved(phone, sign_in):
    unit = OrgUnitFactory(code="V-SLOW")
    UserFactory(phone="13800000011", unit=unit, role=Role.CADRE)
    questions = [build.question("single", correct=("B",)) for _ in range(3)]
    paper = build.exam(questions=questions, points=Decimal("30"))

    sign_in("13800000011", next=f"/exams/{paper.pk}/")
    held = []
    phone.route("**/js/attempt*.js", lambda route: held.append(route))
    phone.click("form[action$='/start/'] button")
    phone.wait_for_selector("#attempt-form")
    phone.check("#q2 label.option:nth-of-type(3) input")
    phone.wait_for_timeout(200)
    assert held, "the attempt script was not requested"
    assert not AttemptItem.objects.filter(answer__isnull=False).exists()

    held[0].continue_()
    phone.wait_for_selector("#q2 .save-state[data-state=saved]")
    saved = AttemptItem.objects.get(answer__isnull=False)
    assert saved.position == 2 and saved.answer == ["C"]
