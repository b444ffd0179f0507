"""我的年度考核: the cadre's result and every ledger row behind it, summing to the total."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from lms.evaluation.services import (
    bonus_award_approve,
    bonus_award_propose,
    bonus_deduction_record,
    evaluation_year_finalise,
    year_compute,
)
from tests.conftest import client_for
from tests.evaluation.factories import YEAR, credit, exam, graded, scheme

pytestmark = pytest.mark.django_db


def ledger(response):
    html = response.content.decode()
    points = [Decimal(p) for p in re.findall(r'data-points="(-?[\d.]+)"', html)]
    total = Decimal(re.search(r'data-total="([\d.]+)"', html).group(1))
    sources = re.findall(r'data-source="(\w+)"', html)
    return sources, points, total


@pytest.fixture
def year_of(cadre, leader, hr):
    scheme(bonus_cap=3, rules=[{"kind": "exam_score", "min_exam_score": 80, "points": 2}])
    credit(cadre, 12, title="民法典")
    credit(cadre, Decimal("3.3"), title="行政处罚法")
    graded(exam(), cadre, Decimal("87.5"))
    award = bonus_award_propose(cadre=cadre, points=2, reason="调解纠纷", by=leader, year=YEAR)
    bonus_award_approve(award=award, by=hr)
    bonus_deduction_record(cadre=cadre, points=Decimal("0.5"), reason="缺勤", by=hr, year=YEAR)


def test_the_ledger_sums_to_the_total(year_of, cadre):
    response = client_for(cadre).get(reverse("evaluation_year", args=[YEAR]))
    assert response.status_code == 200
    sources, points, total = ledger(response)
    assert sources == ["credit", "credit", "attempt", "rule", "award", "deduction"]
    assert sum(points) == total
    result = response.context["mine"].result
    assert result.total == total and result.bonus == Decimal("3")  # capped at 3


def test_the_frozen_ledger_sums_to_the_total(year_of, cadre, hr):
    evaluation_year_finalise(year=YEAR, by=hr)
    credit(cadre, 5, title="定稿后的学时")
    response = client_for(cadre).get(reverse("evaluation_year", args=[YEAR]))
    sources, points, total = ledger(response)
    assert response.context["mine"].frozen
    assert len(sources) == 6 and sum(points) == total


def test_no_rank_unless_hr_turns_the_leaderboard_on(year_of, cadre):
    year_compute(year=YEAR)
    client = client_for(cadre)
    assert client.get(reverse("evaluation_year", args=[YEAR])).context["mine"].rank is None
    from lms.evaluation.models import EvaluationYear

    EvaluationYear.objects.filter(year=YEAR).update(leaderboard_visible=True)
    assert client.get(reverse("evaluation_year", args=[YEAR])).context["mine"].rank == 1


def test_a_year_without_a_scheme_shows_the_hours_only(cadre):
    response = client_for(cadre).get(reverse("evaluation_mine"))
    assert response.status_code == 200
    assert response.context["mine"].evaluation_year is None


def test_sign_in_is_required_and_silly_years_are_404(cadre):
    from django.test import Client

    assert Client().get(reverse("evaluation_mine")).status_code == 302
    assert client_for(cadre).get("/evaluation/1850/").status_code == 404


def test_a_cadre_cannot_open_the_leaders_pages(cadre, other_cadre):
    client = client_for(cadre)
    assert client.get(reverse("evaluation_units")).status_code == 403
    response = client.post(reverse("evaluation_award_propose", args=[other_cadre.pk]))
    assert response.status_code == 403


def test_the_leader_overview(year_of, leader, cadre):
    year_compute(year=YEAR)
    response = client_for(leader).get(reverse("evaluation_units"), {"year": YEAR, "q": cadre.name})
    assert response.status_code == 200
    [unit] = response.context["units"]
    assert (unit["cadres"], unit["completion_rate"], unit["pass_rate"]) == (1, 0, 100)
    assert [item.result.cadre_id for item in response.context["behind"]] == [cadre.pk]
    assert [a.status for a in response.context["proposals"]] == ["approved", "approved"]
    assert list(response.context["found"]) == [cadre]


def test_the_laggard_list_names_the_required_courses_not_finished(
    year_of, leader, cadre, township, roles
):
    from lms.accounts.roles import Role
    from tests.courses import pages
    from tests.factories import UserFactory

    pages.course(title="民法典", year=YEAR, is_required=True)
    done = pages.course(title="行政处罚法", year=YEAR, is_required=True, units=[township["a"]])
    pages.course(title="石桥村专题", year=YEAR, is_required=True, units=[township["b"]])
    pages.course(title="选学课", year=YEAR, is_required=False)
    credit(cadre, 2, title="行政处罚法", source="course", course=done)
    # Enough hours, but a required course is still open: a laggard all the same.
    diligent = UserFactory(unit=township["a"], role=Role.CADRE, name="李勤")
    credit(diligent, 40)
    year_compute(year=YEAR)
    response = client_for(leader).get(reverse("evaluation_units"), {"year": YEAR})
    behind = {item.result.cadre_id: item for item in response.context["behind"]}
    assert behind[cadre.pk].unfinished == ["民法典"]
    assert behind[diligent.pk].unfinished == ["民法典", "行政处罚法"]
    assert not behind[diligent.pk].short_hours
    page = response.content.decode()
    assert "未学完的必修课程：《民法典》、《行政处罚法》" in page
    assert "石桥村专题" not in page and "选学课" not in page
