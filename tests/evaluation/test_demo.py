"""The demo evaluation: last year finalised, this year live; running it twice changes
nothing."""

import pytest
from django.utils import timezone

from lms.accounts.demo import seed_accounts
from lms.evaluation.demo import seed_evaluation
from lms.evaluation.models import BonusAward, EvaluationYear, YearResult
from lms.evaluation.selectors import my_year

pytestmark = pytest.mark.django_db


def test_seed_evaluation_is_idempotent():
    seed_accounts()
    first = seed_evaluation()
    this_year = timezone.localdate().year
    statuses = dict(EvaluationYear.objects.values_list("year", "status"))
    assert statuses == {this_year - 1: "finalised", this_year: "open"}
    frozen = YearResult.objects.filter(finalisation__isnull=False).count()
    assert frozen > 40
    assert BonusAward.objects.filter(status="approved").count() == 3
    assert BonusAward.objects.filter(status="proposed").count() == 1
    second = seed_evaluation()
    assert second["credits"] == 0 and second["awards"] == first["awards"]
    assert YearResult.objects.filter(finalisation__isnull=False).count() == frozen
    from lms.accounts.models import User

    cadre = User.objects.get(username="13800000001")
    mine = my_year(user=cadre, year=this_year - 1)
    assert mine.frozen and mine.result.grade == "优秀"
    assert sum(line.points for line in mine.lines) == mine.result.total
