"""Finalising freezes the year's results; reopening (with a reason) is logged, and
finalising again writes new frozen rows and keeps the old ones."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from wagtail.models import ModelLogEntry

from lms.evaluation.models import EvaluationYear, LedgerEntry, YearResult
from lms.evaluation.selectors import my_year, year_results
from lms.evaluation.services import (
    bonus_award_approve,
    bonus_award_propose,
    evaluation_year_finalise,
    evaluation_year_reopen,
)
from tests.conftest import client_for
from tests.evaluation.factories import YEAR, credit, exam, graded, scheme

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(cadre, other_cadre):
    evaluation_year = scheme()
    credit(cadre, 10)
    graded(exam(), cadre, 80)
    credit(other_cadre, 20)
    return evaluation_year


def frozen_total(cadre, finalisation):
    return YearResult.objects.get(finalisation=finalisation, cadre=cadre).total


def test_finalising_freezes_results_against_new_records(year, cadre, leader, hr):
    finalisation = evaluation_year_finalise(year=YEAR, by=hr)
    before = frozen_total(cadre, finalisation)
    assert before == Decimal("15.00") + Decimal("56.00")
    assert YearResult.objects.filter(finalisation=finalisation).count() == 2
    credit(cadre, 10, title="迟到的学时")
    graded(exam(title="补考"), cadre, 100)
    with pytest.raises(ValidationError) as error:
        bonus_award_propose(cadre=cadre, points=1, reason="x", by=leader, year=YEAR)
    assert error.value.code == "finalised"
    assert "定稿" in error.value.messages[0]
    assert frozen_total(cadre, finalisation) == before
    mine = my_year(user=cadre, year=YEAR)
    assert mine.frozen and mine.result.total == before
    assert sum(line.points for line in mine.lines) == before


def test_approving_in_a_finalised_year_is_refused(cadre, leader, hr):
    scheme()
    award = bonus_award_propose(cadre=cadre, points=1, reason="x", by=leader, year=YEAR)
    evaluation_year_finalise(year=YEAR, by=hr)
    with pytest.raises(ValidationError) as error:
        bonus_award_approve(award=award, by=hr)
    assert error.value.code == "finalised"
    response = client_for(hr).post(
        reverse("evaluation_award_decide", args=[award.pk]), {"approve": "1"}
    )
    assert response.status_code == 409


def test_a_leader_proposing_in_a_finalised_year_gets_409(year, cadre, leader, hr):
    evaluation_year_finalise(year=YEAR, by=hr)
    response = client_for(leader).post(
        reverse("evaluation_award_propose", args=[cadre.pk]),
        {"points": "1", "reason": "x", "year": YEAR},
    )
    assert response.status_code == 409


def test_reopen_needs_a_reason_and_is_logged_and_refinalising_keeps_the_old_rows(year, cadre, hr):
    first = evaluation_year_finalise(year=YEAR, by=hr)
    with pytest.raises(ValidationError):
        evaluation_year_reopen(year=YEAR, by=hr, reason="  ")
    evaluation_year_reopen(year=YEAR, by=hr, reason="补录培训学时")
    assert EvaluationYear.objects.get(year=YEAR).status == EvaluationYear.Status.OPEN
    log = ModelLogEntry.objects.get(action="evaluation.year.reopen")
    assert (log.user_id, log.data["reason"]) == (hr.pk, "补录培训学时")
    credit(cadre, 10, title="补录")
    second = evaluation_year_finalise(year=YEAR, by=hr)
    assert second.version == 2
    assert frozen_total(cadre, first) == Decimal("71.00")
    assert frozen_total(cadre, second) == Decimal("86.00")
    assert YearResult.objects.filter(finalisation__isnull=False).count() == 4
    standing = year_results(evaluation_year=EvaluationYear.objects.get(year=YEAR))
    assert {row.finalisation_id for row in standing} == {second.pk}
    assert LedgerEntry.objects.filter(result__finalisation=first).exists()


def test_only_hr_finalises(year, leader):
    with pytest.raises(PermissionDenied):
        evaluation_year_finalise(year=YEAR, by=leader)


def test_finalising_twice_is_refused(year, hr):
    evaluation_year_finalise(year=YEAR, by=hr)
    with pytest.raises(ValidationError):
        evaluation_year_finalise(year=YEAR, by=hr)


def test_hr_finalises_and_reopens_in_the_admin(year, hr):
    client = client_for(hr)
    pk = year.pk
    assert client.get(reverse("evaluation_year_finalise", args=[pk])).status_code == 200
    confirmed = {"confirm": "on"}  # the year's cadres have no exam result yet
    assert client.post(reverse("evaluation_year_finalise", args=[pk]), confirmed).status_code == 302
    assert client.post(reverse("evaluation_year_finalise", args=[pk]), confirmed).status_code == 409
    assert (
        client.post(reverse("evaluation_year_reopen", args=[pk]), {"reason": ""}).status_code == 400
    )
    response = client.post(reverse("evaluation_year_reopen", args=[pk]), {"reason": "更正"})
    assert response.status_code == 302
    assert not EvaluationYear.objects.get(pk=pk).is_finalised
