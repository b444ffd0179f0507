"""Starting an attempt is a handful of queries whatever the size of the bank."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exams.models import Attempt, QuestionCategory
from exams.services.attempts import attempt_grade, attempt_start
from tests.conftest import client_for
from tests.exams import exam_builders as build

pytestmark = pytest.mark.django_db


def start_and_grade_queries(user, bank_size):
    category = QuestionCategory.ensure_path(["2021年新法", f"题库{bank_size}"])
    for i in range(bank_size):
        kind = ("single", "multiple", "truefalse")[i % 3]
        build.question(
            kind, category=category, correct=("A", "B") if kind == "multiple" else ("A",)
        )
    rules = [
        {"count": 4, "kind": kind, "category": category, "points": Decimal("2")}
        for kind in ("single", "multiple", "truefalse")
    ]
    paper = build.exam(rules=rules, attempts_allowed=0)
    attempt_start(exam=paper, user=user)  # the first start of a few minutes reads the pool
    Attempt.objects.filter(exam=paper).delete()
    with CaptureQueriesContext(connection) as started:
        attempt = attempt_start(exam=paper, user=user)
    with CaptureQueriesContext(connection) as graded:
        attempt_grade(attempt_id=attempt.pk)
    assert attempt.items.count() == 12
    return len(started), len(graded)


def test_start_and_grade_cost_does_not_grow_with_the_bank(cadre, other_cadre):
    small = start_and_grade_queries(cadre, 30)
    large = start_and_grade_queries(other_cadre, 300)
    assert small == large
    # A start: the cadre's attempts, the audience check, the attempt and its questions
    # written (and the transaction); the draw itself reads nothing (exams/services/draw.py).
    assert small[0] <= 7 and small[1] <= 10


def test_the_started_attempt_is_the_row_written(cadre):
    paper = build.exam(questions=[build.question(), build.question("blank", blanks=[["x"]])])
    with CaptureQueriesContext(connection) as started:
        attempt = attempt_start(exam=paper, user=cadre)
    stored = Attempt.objects.get(pk=attempt.pk)
    fields = [field.attname for field in Attempt._meta.concrete_fields]
    assert [getattr(attempt, f) for f in fields] == [getattr(stored, f) for f in fields]
    assert not attempt._state.adding and attempt.items.count() == 2
    inserts = [
        query for query in started if query["sql"].lstrip().upper().startswith(("INSERT", "WITH"))
    ]
    # PostgreSQL: the attempt and its questions in one statement.
    assert len(inserts) == (1 if connection.vendor == "postgresql" else 2)


def test_grading_tells_the_evaluation_its_year_without_a_lookup(
    cadre, django_capture_on_commit_callbacks
):
    # The refresh of the cadre's live result is queued after the commit; at the year-end
    # exam's deadline everyone submits, so it must not read the attempt back for its year.
    paper = build.exam(questions=[build.question()])
    attempt = attempt_start(exam=paper, user=cadre)
    with django_capture_on_commit_callbacks() as callbacks:
        attempt_grade(attempt_id=attempt.pk)
    with CaptureQueriesContext(connection) as refresh:
        for callback in callbacks:
            callback()
    assert refresh.captured_queries, "the refresh is queued"
    assert not [q for q in refresh if "exams_attempt" in q["sql"]]


def test_a_submit_grades_the_attempt_as_stored(cadre):
    paper = build.exam(questions=[build.question(), build.question()])
    attempt = attempt_start(exam=paper, user=cadre)
    client = client_for(cadre)
    response = client.post(reverse("attempt_submit", args=[attempt.pk]))
    assert response.status_code == 302
    stored = Attempt.objects.get(pk=attempt.pk)
    assert stored.status == Attempt.Status.GRADED and stored.score == 0
    assert stored.submitted_at is not None and not stored.timed_out
