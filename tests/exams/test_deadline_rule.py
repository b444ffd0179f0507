"""The deadline rule is written once (the Attempt model) and its three forms agree: the
instance check, the queryset filter and the SQL fragment the answer save runs."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from exams.models import Attempt
from exams.models.attempts import running_params, running_sql
from exams.services.attempts import AttemptTimeUp, attempt_start
from tests.exams import exam_builders as build

pytestmark = pytest.mark.django_db

OFFSETS = [timedelta(minutes=-5), timedelta(seconds=-1), timedelta(0), timedelta(seconds=1)]


@pytest.fixture
def attempts(cadre):
    """One attempt per (status, deadline offset), each on an exam of its own."""
    made = []
    for status in Attempt.Status.values:
        for offset in OFFSETS:
            exam = build.exam(questions=[build.question("single", correct=("A",))])
            attempt = attempt_start(exam=exam, user=cadre)
            Attempt.objects.filter(pk=attempt.pk).update(status=status)
            made.append((attempt.pk, offset))
    return made


def test_instance_queryset_and_sql_agree(attempts):
    now = timezone.now()
    for pk, offset in attempts:
        Attempt.objects.filter(pk=pk).update(deadline=now + offset)
    by_instance = {a.pk for a in Attempt.objects.all() if a.is_running(now)}
    overdue = {a.pk for a in Attempt.objects.all() if a.is_overdue(now)}
    by_queryset = set(Attempt.objects.running(now).values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT a.id FROM exams_attempt a WHERE {running_sql('a')}", running_params(now)
        )
        by_sql = {row[0] for row in cursor.fetchall()}
    assert by_instance == by_queryset == by_sql
    assert overdue == set(Attempt.objects.overdue(now).values_list("pk", flat=True))
    # Running: in progress with the deadline strictly ahead; overdue: in progress, not ahead.
    assert len(by_instance) == 1 and len(overdue) == 3
    assert not by_instance & overdue


def test_refusing_a_late_answer_does_not_grade(cadre):
    exam = build.exam(questions=[build.question("single", correct=("A",))])
    attempt = attempt_start(exam=exam, user=cadre)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    with pytest.raises(AttemptTimeUp):
        build.save_answer(attempt, device=attempt.device_hash)
    attempt.refresh_from_db()
    # Explaining the refusal changed nothing; grading the overdue attempt is a step of its
    # own (the answer endpoint takes it: tests/exams/test_attempt_flow.py).
    assert attempt.status == Attempt.Status.IN_PROGRESS
