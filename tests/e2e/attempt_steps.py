"""Steps the attempt-page browser tests share: a cadre, a paper, and the tap on 开始."""

from decimal import Decimal

from lms.accounts.roles import Role
from tests.exams import exam_builders as build
from tests.factories import OrgUnitFactory, UserFactory


def start(phone, sign_in, *, phone_number, size, points=Decimal("10"), **fields):
    """Sign a new cadre in on the exam's page, tap 开始, and wait for the attempt page."""
    UserFactory(phone=phone_number, unit=OrgUnitFactory(), role=Role.CADRE)
    questions = [build.question("single", correct=("B",)) for _ in range(size)]
    paper = build.exam(questions=questions, points=points, **fields)
    sign_in(phone_number, next=f"/exams/{paper.pk}/")
    phone.click("form[action$='/start/'] button")
    phone.wait_for_selector("#attempt-form")
    phone.wait_for_selector("#nav-open", state="visible")  # the script has run
    return paper


def answer_failing(phone):
    """Make the answer API unreachable until the returned switch is flipped."""
    blocked = {"on": True}

    def handle(route):
        if blocked["on"]:
            route.abort("internetdisconnected")
        else:
            route.continue_()

    phone.route("**/answers/", handle)
    return blocked
