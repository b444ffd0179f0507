"""`compute_year` stores live results (with ranks in unit) and reports what changed; the
task runs the same code."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from exams.models import Attempt
from lms.evaluation.models import YearResult
from lms.evaluation.services import evaluation_year_finalise, year_compute
from lms.evaluation.tasks import year_compute_task
from tests.evaluation.factories import YEAR, cadres, credit, exam, graded, scheme

pytestmark = pytest.mark.django_db


def run(year=YEAR):
    out = StringIO()
    call_command("compute_year", str(year), stdout=out)
    return out.getvalue()


def test_compute_year_stores_results_ranks_and_counts_changes(township, leader):
    scheme()
    a = cadres(township["a"], 3)
    b = cadres(township["b"], 1)
    for cadre, hours in zip(a, [10, 20, 10], strict=True):
        credit(cadre, hours)
    assert run() == f"{YEAR}: 4 results changed\n"
    ranks = dict(YearResult.objects.values_list("cadre_id", "rank_in_unit"))
    assert [ranks[c.pk] for c in a] == [2, 1, 2]
    assert ranks[b[0].pk] == 1
    assert not YearResult.objects.filter(cadre=leader).exists()  # not a cadre
    assert run() == f"{YEAR}: 0 results changed\n"
    credit(a[0], 20)
    assert run() == f"{YEAR}: 2 results changed\n"  # a[0] total and a[2] rank
    assert YearResult.objects.get(cadre=a[0]).total == Decimal("30.00")


def test_deactivated_cadres_leave_the_live_results(township):
    scheme()
    [cadre] = cadres(township["a"], 1)
    run()
    cadre.is_active = False
    cadre.save()
    assert run() == f"{YEAR}: 1 results changed\n"
    assert not YearResult.objects.exists()


def test_the_task_computes_too(township):
    scheme()
    cadres(township["a"], 2)
    assert year_compute_task.enqueue(year=YEAR).return_value == 2


def test_a_finalised_or_missing_year_is_refused(township, hr):
    with pytest.raises(CommandError):
        run(1999)
    scheme()
    evaluation_year_finalise(year=YEAR, by=hr)
    with pytest.raises(CommandError):
        run()
    # The rule is the service's: whoever calls it, a finalised year's results stand.
    frozen = YearResult.objects.count()
    assert year_compute(year=YEAR) == 0 and year_compute_task.call(year=YEAR) == 0
    assert YearResult.objects.count() == frozen


def test_study_credit_refreshes_the_live_result_after_commit(
    township, django_capture_on_commit_callbacks
):
    scheme()
    [cadre] = cadres(township["a"], 1)
    run()
    with django_capture_on_commit_callbacks(execute=True):
        credit(cadre, 4)
    assert YearResult.objects.get(cadre=cadre).credit_hours == Decimal("4")


@pytest.mark.parametrize("exam_loaded", [True, False])
def test_a_graded_attempt_refreshes_the_live_result_after_commit(
    township, django_capture_on_commit_callbacks, exam_loaded
):
    # With its exam loaded, the attempt tells its year; without, the refresh looks it up.
    scheme()
    [cadre] = cadres(township["a"], 1)
    annual = exam()
    run()
    with django_capture_on_commit_callbacks(execute=True):
        attempt = graded(annual, cadre, 70)
    assert YearResult.objects.get(cadre=cadre).annual_score == Decimal("70")
    if not exam_loaded:
        attempt = Attempt.objects.get(pk=attempt.pk)
    attempt.score = Decimal("85")
    with django_capture_on_commit_callbacks(execute=True):
        attempt.save(update_fields=["score"])
    assert YearResult.objects.get(cadre=cadre).annual_score == Decimal("85")
