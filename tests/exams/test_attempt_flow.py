"""Attempts through the URLs as a phone uses them: start, resume, save, submit, review."""

import functools
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from exams.models import Attempt, AttemptItem
from exams.option_tokens import option_value
from exams.services.attempts import attempt_grade, attempt_start, attempts_close_overdue
from tests.conftest import client_for
from tests.exams import exam_builders as build

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper(db):
    questions = [
        build.question("single", correct=("B",)),
        build.question("multiple", correct=("A", "C")),
        build.question("truefalse", correct=("A",)),
        build.question("blank", blanks=[["首违不罚", "首次违法不罚"]]),
    ]
    return build.exam(questions=questions, points=Decimal("25"), pass_percent=60)


def start(client, paper):
    response = client.post(reverse("exam_start", args=[paper.pk]))
    # The attempt page comes with the start's answer, no redirect in between.
    assert response.status_code == 200, response
    return response.context["attempt"]


def page_token(client, attempt):
    html = client.get(reverse("attempt_page", args=[attempt.pk])).content.decode()
    return html.split('data-token="')[1].split('"')[0]


def as_sent(attempt, position, answer):
    """An answer written with the bank's keys, as the page sends it: with its values."""
    if isinstance(answer, dict) and isinstance(position, int) and "choices" in answer:
        value = functools.partial(option_value, attempt_id=attempt.pk, position=position)
        return {"choices": [value(key=key) for key in answer["choices"]]}
    return answer


def save(token, attempt, position, answer, seq, client=None, raw=False):
    client = client or Client()
    answer = answer if raw else as_sent(attempt, position, answer)
    return client.post(
        reverse("api_answer", args=[attempt.pk]),
        json.dumps({"position": position, "answer": answer, "seq": seq}),
        content_type="application/json",
        HTTP_X_ATTEMPT_TOKEN=token,
    )


def test_full_attempt_scores_exactly(cadre, paper):
    client = client_for(cadre)
    attempt = start(client, paper)
    token = page_token(client, attempt)
    assert save(token, attempt, 1, {"choices": ["B"]}, 1).json()["ok"]
    assert save(token, attempt, 2, {"choices": ["A", "C"]}, 2).status_code == 200
    assert save(token, attempt, 3, {"choices": ["B"]}, 3).status_code == 200  # wrong
    assert save(token, attempt, 4, {"blanks": ["  首违不罚 "]}, 4).status_code == 200
    response = client.post(reverse("attempt_submit", args=[attempt.pk]))
    assert response.url == reverse("attempt_result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED
    assert attempt.score == Decimal("75.00") and attempt.max_score == Decimal("100")
    assert attempt.passed
    assert client.get(reverse("attempt_result", args=[attempt.pk])).status_code == 200
    review = client.get(reverse("attempt_review", args=[attempt.pk]))
    assert review.status_code == 200
    assert "解析" in review.content.decode()


def test_starting_again_on_another_device_offers_to_continue_there(cadre, paper):
    first = start(client_for(cadre), paper)
    other_device = client_for(cadre)
    response = other_device.post(reverse("exam_start", args=[paper.pk]))
    # One device at a time (tests/exams/test_attempt_device.py): the other device is
    # told, and continues the same attempt once the cadre confirms.
    assert response.status_code == 409
    assert "该考试正在另一台设备上进行" in response.content.decode()
    other_device.post(reverse("attempt_takeover", args=[first.pk]))
    assert other_device.get(reverse("attempt_page", args=[first.pk])).status_code == 200
    assert Attempt.objects.filter(user=cadre).count() == 1


def test_save_is_idempotent_and_ordered(cadre, paper):
    client = client_for(cadre)
    attempt = start(client, paper)
    token = page_token(client, attempt)
    assert save(token, attempt, 1, {"choices": ["A"]}, 5).json()["seq"] == 5
    again = save(token, attempt, 1, {"choices": ["A"]}, 5)
    assert again.status_code == 200 and again.json()["seq"] == 5
    # A delayed older save never overwrites a newer answer.
    assert save(token, attempt, 1, {"choices": ["C"]}, 3).status_code == 200
    assert AttemptItem.objects.get(attempt=attempt, position=1).answer == ["A"]


@pytest.mark.parametrize(
    "position, answer, status",
    [
        (1, {"choices": ["E"]}, 400),  # no choice E in a 4-choice question
        (1, {"choices": ["A", "B"]}, 400),  # two answers to a single-choice question
        (4, {"choices": ["A"]}, 400),  # choices for a blank
        (1, {"blanks": ["x"]}, 400),  # a blank for a choice question
        (99, {"choices": ["A"]}, 400),  # no such question in the attempt
        (1, {"choices": ["A", "A"]}, 400),
        (1, {"choices": []}, 400),
        (1, ["A"], 400),
        ("1", {"choices": ["A"]}, 400),
        (1, {"blanks": ["x" * 201]}, 400),
    ],
)
def test_answers_that_do_not_fit_are_refused(cadre, paper, position, answer, status):
    client = client_for(cadre)
    attempt = start(client, paper)
    token = page_token(client, attempt)
    response = save(token, attempt, position, answer, 1)
    assert response.status_code == status
    assert response.json()["error"]
    assert not AttemptItem.objects.filter(attempt=attempt, answer__isnull=False).exists()


def test_malformed_bodies_and_tokens(cadre, paper):
    client = client_for(cadre)
    attempt = start(client, paper)
    token = page_token(client, attempt)
    url = reverse("api_answer", args=[attempt.pk])
    assert (
        Client()
        .post(url, "nope", content_type="application/json", HTTP_X_ATTEMPT_TOKEN=token)
        .status_code
        == 400
    )
    assert Client().post(url, "{}", content_type="application/json").status_code == 403
    assert (
        Client()
        .post(url, "{}", content_type="application/json", HTTP_X_ATTEMPT_TOKEN="forged")
        .status_code
        == 403
    )


def test_other_cadres_attempts_do_not_exist_for_them(cadre, other_cadre, paper):
    owner = client_for(cadre)
    attempt = start(owner, paper)
    other = client_for(other_cadre)
    for name in ["attempt_page", "attempt_result", "attempt_review"]:
        assert other.get(reverse(name, args=[attempt.pk])).status_code == 404
    assert other.post(reverse("attempt_submit", args=[attempt.pk])).status_code == 404
    # The owner's token names the owner: it cannot be reused for someone else's attempt.
    other_attempt = start(other, paper)
    token = page_token(owner, attempt)
    assert save(token, other_attempt, 1, {"choices": ["A"]}, 1).status_code == 403


def test_late_answers_are_refused_and_grading_uses_what_was_saved(cadre, paper):
    client = client_for(cadre)
    attempt = start(client, paper)
    token = page_token(client, attempt)
    save(token, attempt, 1, {"choices": ["B"]}, 1)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    late = save(token, attempt, 2, {"choices": ["A", "C"]}, 2)
    assert late.status_code == 409
    assert late.json()["error"]
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED and attempt.timed_out
    assert attempt.score == Decimal("25.00")


def test_overdue_attempts_are_finalised_when_looked_at_and_by_the_command(
    cadre, other_cadre, paper
):
    from django.core.management import call_command

    mine = attempt_start(exam=paper, user=cadre)
    theirs = attempt_start(exam=paper, user=other_cadre)
    Attempt.objects.update(deadline=timezone.now() - timedelta(minutes=1))
    response = client_for(cadre).get(reverse("attempt_page", args=[mine.pk]))
    assert response.url == reverse("attempt_result", args=[mine.pk])
    call_command("close_overdue_attempts")
    theirs.refresh_from_db()
    assert theirs.status == Attempt.Status.GRADED
    assert attempts_close_overdue() == 0
    # Both were submitted by the clock, and the log says so (no one's request, no address).
    from wagtail.models import ModelLogEntry

    entries = ModelLogEntry.objects.filter(action="exams.attempt.deadline_submit")
    assert sorted(int(e.object_id) for e in entries) == sorted([mine.pk, theirs.pk])
    assert all(e.user is None and e.data["ip"] is None for e in entries)


def test_double_submit_grades_once(cadre, paper):
    attempt = attempt_start(exam=paper, user=cadre)
    first = attempt_grade(attempt_id=attempt.pk)
    graded_at = first.submitted_at
    second = attempt_grade(attempt_id=attempt.pk)
    assert second.submitted_at == graded_at
    client = client_for(cadre)
    assert client.post(reverse("attempt_submit", args=[attempt.pk])).status_code == 302


def test_attempts_allowed_and_window(cadre, paper):
    paper.attempts_allowed = 1
    paper.save()
    attempt = attempt_start(exam=paper, user=cadre)
    attempt_grade(attempt_id=attempt.pk)
    client = client_for(cadre)
    response = client.post(reverse("exam_start", args=[paper.pk]))
    assert response.url == reverse("exam_detail", args=[paper.pk])
    assert Attempt.objects.filter(user=cadre).count() == 1
    closed = build.exam(
        questions=[build.question()], closes_at=timezone.now() - timedelta(minutes=1)
    )
    client.post(reverse("exam_start", args=[closed.pk]))
    assert not Attempt.objects.filter(exam=closed).exists()


def test_credit_gate_says_how_many_hours_are_missing(cadre, paper):
    paper.required_credit_hours = Decimal("10")
    paper.save()
    response = client_for(cadre).get(reverse("exam_detail", args=[paper.pk]))
    assert response.context["refusal"]
    assert "10" in response.context["refusal"]
    client_for(cadre).post(reverse("exam_start", args=[paper.pk]))
    assert not Attempt.objects.filter(user=cadre).exists()


def test_exam_for_another_audience_is_404(cadre, township, paper):
    paper.audience_units.set([township["b"]])
    assert client_for(cadre).get(reverse("exam_detail", args=[paper.pk])).status_code == 404
    assert client_for(cadre).post(reverse("exam_start", args=[paper.pk])).status_code == 404


def _page_queries(client, attempt):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("attempt_page", args=[attempt.pk])).status_code == 200
    return len(queries)


def test_attempt_page_queries_do_not_grow_with_questions(cadre, other_cadre):
    small = build.exam(questions=[build.question() for _ in range(20)], title="20")
    large = build.exam(questions=[build.question() for _ in range(100)], title="100")
    client = client_for(cadre)
    a = start(client, small)
    b = start(client, large)
    assert _page_queries(client, a) == _page_queries(client, b)


def test_save_is_one_statement(cadre, paper):
    client = client_for(cadre)
    attempt = start(client, paper)
    token = page_token(client, attempt)
    with CaptureQueriesContext(connection) as queries:
        assert save(token, attempt, 1, {"choices": ["B"]}, 1).status_code == 200
    assert len(queries) == 1, [q["sql"] for q in queries]


def test_exam_list_queries_do_not_grow(cadre):
    client = client_for(cadre)
    build.exam(questions=[build.question()], title="一")
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("exam_list")).status_code == 200
    for n in range(6):
        paper = build.exam(questions=[build.question()], title=f"卷{n}")
        attempt_grade(attempt_id=attempt_start(exam=paper, user=cadre).pk)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("exam_list"))
    assert len(large) == len(small)
    assert len(response.context["open_exams"]) == 7


def test_a_review_without_answers_on_record_says_so(cadre, paper):
    """A score carried over from before the system (the demo's last year) has no items."""
    client = client_for(cadre)
    attempt = start(client, paper)
    client.post(reverse("attempt_submit", args=[attempt.pk]))
    AttemptItem.objects.filter(attempt=attempt).delete()
    review = client.get(reverse("attempt_review", args=[attempt.pk]))
    assert review.status_code == 200
    assert "只留有成绩" in review.content.decode()
