"""The admin's evaluation actions share one page: what the service refuses is said on the
page again (403 for a person who may not, 409 for a state that forbids it) and nothing is
saved; recomputing runs the year's computation, or says why not."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from lms.evaluation.models import BonusAward, YearResult
from lms.evaluation.services import (
    bonus_award_approve,
    bonus_award_propose,
    evaluation_year_finalise,
)
from tests.conftest import client_for
from tests.evaluation.factories import YEAR, credit, scheme

pytestmark = pytest.mark.django_db


def said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_refused_deduction_is_a_403_page_with_the_service_reason(hr):
    scheme()
    response = client_for(hr).post(
        reverse("evaluation_deduction_add"),
        {"phone": hr.phone, "year": YEAR, "points": "3", "reason": "违反纪律"},
    )
    assert response.status_code == 403
    assert said(response) == ["不能为自己登记扣分。"]
    assert response.context["form"].is_bound  # the page again, with what was typed
    assert not BonusAward.objects.exists()


def test_deciding_a_decided_award_is_a_409_page(cadre, leader, hr):
    scheme()
    award = bonus_award_propose(cadre=cadre, points=2, reason="调解纠纷", by=leader, year=YEAR)
    bonus_award_approve(award=award, by=hr)
    response = client_for(hr).post(
        reverse("evaluation_award_decide", args=[award.pk]), {"reject": "1", "note": "重复"}
    )
    assert response.status_code == 409
    assert len(said(response)) == 1
    award.refresh_from_db()
    assert award.status == BonusAward.Status.APPROVED


def test_recompute_runs_the_year_and_shows_its_results(cadre, hr):
    year = scheme()
    credit(cadre, 10)
    client = client_for(hr)
    url = reverse("evaluation_year_recompute", args=[year.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert [name for name, _label in page.context["actions"]] == ["recompute"]
    response = client.post(url, {"recompute": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluation_results") + f"?year={YEAR}"
    assert YearResult.objects.filter(evaluation_year=year, cadre=cadre).exists()


def test_a_finalised_year_is_not_recomputed(cadre, hr):
    year = scheme()
    evaluation_year_finalise(year=YEAR, by=hr)
    live = YearResult.objects.filter(evaluation_year=year, finalisation__isnull=True)
    before = live.count()
    response = client_for(hr).post(reverse("evaluation_year_recompute", args=[year.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluation_years:index")
    assert said(response) == ["已定稿的年度不会重新计算，请先重新开启。"]
    assert live.count() == before


@pytest.mark.parametrize(
    "name",
    [
        "evaluation_year_finalise",
        "evaluation_year_reopen",
        "evaluation_year_recompute",
        "evaluation_award_decide",
        "evaluation_deduction_add",
    ],
)
def test_a_trainer_is_sent_back_to_the_admin_home(name, trainer, cadre, leader):
    year = scheme()
    award = bonus_award_propose(cadre=cadre, points=2, reason="调解纠纷", by=leader, year=YEAR)
    args = {"evaluation_deduction_add": [], "evaluation_award_decide": [award.pk]}
    response = client_for(trainer).get(reverse(name, args=args.get(name, [year.pk])))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
