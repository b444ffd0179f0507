"""Two submits at once (two tabs, a double tap, a retry) give exactly one grading. Run for
real with threads on PostgreSQL; SQLite serialises writers, so there it runs in turn."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from exams.models import AttemptItem
from exams.services.attempts import attempt_grade, attempt_start
from tests.exams import exam_builders as build

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*functions):
    barrier = threading.Barrier(len(functions))
    results, errors = [None] * len(functions), []

    def wrap(index, function):
        try:
            barrier.wait()
            results[index] = function()
        except Exception as exc:  # noqa: BLE001 - collected and re-raised below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=wrap, args=pair) for pair in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    return results


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks")
@pytest.mark.parametrize("round_", range(5))
def test_concurrent_submits_grade_once(cadre, round_):
    paper = build.exam(
        questions=[build.question(correct=("A",)) for _ in range(5)], points=Decimal("20")
    )
    attempt = attempt_start(exam=paper, user=cadre)
    AttemptItem.objects.filter(attempt=attempt).update(answer=["A"], answer_seq=1)
    results = run_together(*[lambda: attempt_grade(attempt_id=attempt.pk)] * 4)
    attempt.refresh_from_db()
    assert attempt.score == Decimal("100.00")
    assert {r.submitted_at for r in results} == {attempt.submitted_at}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks")
def test_answer_racing_a_submit_is_either_graded_or_refused(cadre):
    paper = build.exam(
        questions=[build.question(correct=("A",))], points=Decimal("100"), attempts_allowed=0
    )
    for _ in range(5):
        attempt = attempt_start(exam=paper, user=cadre)

        def answer(attempt=attempt):
            try:
                return build.save_answer(attempt)
            except Exception as exc:  # noqa: BLE001 - a refusal is a valid outcome
                return exc

        saved, _graded = run_together(
            answer, lambda attempt=attempt: attempt_grade(attempt_id=attempt.pk)
        )
        attempt.refresh_from_db()
        acknowledged = not isinstance(saved, Exception) and not getattr(saved, "duplicate", False)
        # An acknowledged answer is always in the grade.
        assert attempt.score == (Decimal("100.00") if acknowledged else Decimal("0.00"))
