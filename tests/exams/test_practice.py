"""Practice exams: feedback right after an answer, for practice attempts only, and the
question locked once its key is shown."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from exams.models import AttemptItem, Exam
from exams.option_tokens import option_value
from tests.conftest import client_for
from tests.exams import exam_builders as build
from tests.exams.test_attempt_flow import page_token, save, start

pytestmark = pytest.mark.django_db


def practice_paper(**fields):
    questions = [
        build.question("single", correct=("B",)),
        build.question("multiple", correct=("A", "C")),
        build.question("blank", blanks=[["首违不罚"]]),
    ]
    fields.setdefault("kind", Exam.Kind.PRACTICE)
    return build.exam(questions=questions, points=Decimal("10"), **fields)


def value(attempt, position, key):
    return option_value(attempt_id=attempt.pk, position=position, key=key)


def check(client, attempt, position):
    return client.post(
        reverse("practice_check", args=[attempt.pk]),
        json.dumps({"position": position}),
        content_type="application/json",
    )


def test_feedback_right_after_an_answer_and_the_question_locks(cadre):
    client = client_for(cadre)
    attempt = start(client, practice_paper())
    token = page_token(client, attempt)
    assert save(token, attempt, 1, {"choices": ["A"]}, 1).status_code == 200
    response = check(client, attempt, 1)
    assert response.status_code == 200
    body = response.json()
    # In the page's own values (exams.option_tokens), as its inputs carry them.
    assert body["correct"] is False and body["correct_keys"] == [value(attempt, 1, "B")]
    assert body["answer"] == [value(attempt, 1, "A")]
    assert "解析" in body["explanation"]
    # Locked: a later save does not change the answer that was judged.
    later = save(token, attempt, 1, {"choices": ["B"]}, 2)
    assert later.status_code == 400
    assert AttemptItem.objects.get(attempt=attempt, position=1).answer == ["A"]
    # Other questions still save, and checking again shows the same verdict.
    assert save(token, attempt, 3, {"blanks": ["首违不罚"]}, 3).status_code == 200
    blank = check(client, attempt, 3).json()
    assert blank["correct"] is True and blank["accepted"] == [["首违不罚"]]
    assert check(client, attempt, 1).json()["correct"] is False
    checked = client.get(reverse("practice_checked", args=[attempt.pk])).json()
    assert [item["position"] for item in checked["items"]] == [1, 3]
    # After a reload the checked fill-in question still shows its box and the answer.
    page = client.get(reverse("attempt_page", args=[attempt.pk])).content.decode()
    assert 'name="q3-0"' in page and 'value="首违不罚"' in page


def test_the_attempt_page_loads_the_practice_script_only_for_practice(cadre):
    client = client_for(cadre)
    practice = start(client, practice_paper())
    html = client.get(reverse("attempt_page", args=[practice.pk])).content.decode()
    assert "js/practice.js" in html and "practice-config" in html
    quiz = start(client, practice_paper(kind=Exam.Kind.QUIZ, title="quiz"))
    html = client.get(reverse("attempt_page", args=[quiz.pk])).content.decode()
    assert "js/practice.js" not in html and "practice-config" not in html


def test_no_feedback_for_exams_that_are_not_practice(cadre):
    client = client_for(cadre)
    attempt = start(client, practice_paper(kind=Exam.Kind.ANNUAL))
    token = page_token(client, attempt)
    save(token, attempt, 1, {"choices": ["A"]}, 1)
    response = check(client, attempt, 1)
    assert response.status_code == 403
    assert "correct_keys" not in response.json() and "B" not in response.content.decode()
    assert client.get(reverse("practice_checked", args=[attempt.pk])).status_code == 403
    # The question is not locked either.
    assert save(token, attempt, 1, {"choices": ["B"]}, 2).status_code == 200


@pytest.mark.parametrize(
    "body, status",
    [
        ({"position": 2}, 409),  # not answered yet
        ({"position": 99}, 404),
        ({"position": "1"}, 400),
        ({}, 400),
    ],
)
def test_checks_that_cannot_be_answered(cadre, body, status):
    client = client_for(cadre)
    attempt = start(client, practice_paper())
    response = client.post(
        reverse("practice_check", args=[attempt.pk]),
        json.dumps(body),
        content_type="application/json",
    )
    assert response.status_code == status
    assert response.json()["error"]


def test_another_cadre_gets_nothing_and_csrf_is_enforced(cadre, other_cadre):
    from django.test import Client

    client = client_for(cadre)
    attempt = start(client, practice_paper())
    token = page_token(client, attempt)
    save(token, attempt, 1, {"choices": ["B"]}, 1)
    assert check(client_for(other_cadre), attempt, 1).status_code == 404
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cadre)
    assert check(strict, attempt, 1).status_code == 403
    assert AttemptItem.objects.get(attempt=attempt, position=1).slots != 0


def test_a_finished_attempt_is_not_checked(cadre):
    client = client_for(cadre)
    attempt = start(client, practice_paper())
    token = page_token(client, attempt)
    save(token, attempt, 1, {"choices": ["B"]}, 1)
    client.post(reverse("attempt_submit", args=[attempt.pk]))
    assert check(client, attempt, 1).status_code == 409
