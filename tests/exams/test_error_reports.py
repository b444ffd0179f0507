"""Error reports (纠错) from the review page: only for questions of the cadre's own
graded attempt, at most 1000 characters, one open report per question."""

import pytest
from django.urls import reverse

from exams.models import AttemptItem, QuestionReport
from exams.services.attempts import attempt_grade, attempt_start
from tests.conftest import client_for
from tests.exams import exam_builders as build

pytestmark = pytest.mark.django_db


@pytest.fixture
def graded(cadre):
    paper = build.exam(questions=[build.question(), build.question()])
    return attempt_grade(attempt_id=attempt_start(exam=paper, user=cadre).pk)


def report(client, attempt, position, text):
    return client.post(
        reverse("question_report", args=[attempt.pk]), {"position": position, "text": text}
    )


def test_a_report_is_created_with_the_version_seen(cadre, graded):
    client = client_for(cadre)
    review = client.get(reverse("attempt_review", args=[graded.pk])).content.decode()
    assert reverse("question_report", args=[graded.pk]) in review
    response = report(client, graded, 2, "  选项B与法条原文不符  ")
    assert response.status_code == 302
    assert response.url.endswith("#q2")
    item = AttemptItem.objects.get(attempt=graded, position=2)
    saved = QuestionReport.objects.get()
    assert (saved.question_id, saved.version_id, saved.user, saved.text) == (
        item.question_id,
        item.version_id,
        cadre,
        "选项B与法条原文不符",
    )
    assert saved.status == QuestionReport.Status.OPEN
    # Once is enough while it is open.
    report(client, graded, 2, "again")
    assert QuestionReport.objects.count() == 1


@pytest.mark.parametrize("text", ["", "   ", "x" * 1001])
def test_empty_or_long_reports_are_refused(cadre, graded, text):
    report(client_for(cadre), graded, 1, text)
    assert not QuestionReport.objects.exists()


def test_only_the_owner_of_a_graded_attempt_reports(cadre, other_cadre, graded):
    assert report(client_for(other_cadre), graded, 1, "wrong").status_code == 404
    assert report(client_for(cadre), graded, 99, "wrong").status_code == 404
    running = attempt_start(exam=build.exam(questions=[build.question()], title="b"), user=cadre)
    report(client_for(cadre), running, 1, "wrong")
    assert not QuestionReport.objects.exists()
    assert client_for(cadre).get(reverse("question_report", args=[graded.pk])).status_code == 405
