"""The mistake book and daily practice ask the key rule: a running exam's questions enter
the book but say 考试结束后可核对答案 until it closes; daily practice never draws them."""

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import Law
from exams.models import DailyPracticeItem, Exam, MistakeEntry
from exams.services.attempts import attempt_grade, attempt_start
from exams.services.daily import daily_practice_ensure
from exams.services.mistakes import mistake_entry_state
from tests.conftest import client_for
from tests.exams import exam_builders as build

pytestmark = pytest.mark.django_db

WITHHELD = "考试结束后可核对答案"


@pytest.fixture
def running(cadre):
    """A running annual exam (review after the close) the cadre sat and got all wrong."""
    questions = [build.question("single", correct=("B",)) for _ in range(3)]
    paper = build.exam(
        questions=questions,
        kind=Exam.Kind.ANNUAL,
        review_policy=Exam.ReviewPolicy.AFTER_CLOSE,
        points=Decimal("10"),
    )
    attempt = attempt_start(exam=paper, user=cadre)
    attempt.items.update(answer=["A"])
    attempt_grade(attempt_id=attempt.pk)
    return paper, questions


def test_the_book_holds_them_and_says_when_the_key_comes(cadre, running):
    paper, questions = running
    assert MistakeEntry.objects.filter(user=cadre).count() == 3
    client = client_for(cadre)
    html = client.get(reverse("mistake_book")).content.decode()
    assert html.count(WITHHELD) == 3
    assert reverse("mistake_practice") not in html  # nothing to practise yet
    page = client.get(reverse("mistake_question", args=[questions[0].pk])).content.decode()
    assert WITHHELD in page and "<form" not in page.split('class="stem"')[1].split("</section>")[0]
    assert "解析" not in page
    entry = MistakeEntry.objects.get(user=cadre, question=questions[0])
    refused = client.post(
        reverse("mistake_question", args=[questions[0].pk]),
        {"choice": ["B"], "state": mistake_entry_state(entry)},
    )
    assert refused.status_code == 403 and "解析" not in refused.content.decode()
    assert MistakeEntry.objects.get(pk=entry.pk).correct_streak == 0
    # 错题练习 waits for them too.
    assert client.get(reverse("mistake_practice")).url == reverse("mistake_book")

    Exam.objects.filter(pk=paper.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    html = client.get(reverse("mistake_book")).content.decode()
    assert WITHHELD not in html and reverse("mistake_practice") in html
    shown = client.post(
        reverse("mistake_question", args=[questions[0].pk]),
        {"choice": ["B"], "state": mistake_entry_state(entry)},
    )
    assert shown.status_code == 200 and "解析" in shown.content.decode()


def _on_law(questions):
    law = Law.objects.create(title="法", slug="fa", effective_date=date(timezone.now().year, 1, 1))
    for question in questions:
        question.law = law
        question.save(update_fields=["law"])


def test_daily_practice_never_draws_a_withheld_question(cadre, running):
    _paper, withheld = running
    free = [build.question("single") for _ in range(4)]
    _on_law(withheld + free)
    daily = daily_practice_ensure(user=cadre, rng=random.Random(3))
    assert {item.question_id for item in daily.items} == {q.pk for q in free}


def test_a_question_drawn_before_the_exam_opened_waits(cadre, running):
    _paper, withheld = running
    _on_law(withheld)
    today = timezone.localdate()
    DailyPracticeItem.objects.create(
        user=cadre,
        day=today,
        position=1,
        question=withheld[0],
        version=withheld[0].current_version,
        kind=withheld[0].kind,
    )
    client = client_for(cadre)
    page = client.get(reverse("daily_practice")).content.decode()
    assert WITHHELD in page and 'name="choice"' not in page
    response = client.post(reverse("daily_answer", args=[1]), {"choice": ["B"]}, follow=True)
    assert WITHHELD in response.content.decode() and "解析" not in response.content.decode()
    assert DailyPracticeItem.objects.get(user=cadre, position=1).correct is None


def test_the_mistake_book_keeps_a_constant_query_count(cadre, django_assert_max_num_queries):
    def sit_all_wrong(n):
        paper = build.exam(
            questions=[build.question("single", correct=("B",)) for _ in range(n)],
            kind=Exam.Kind.ANNUAL,
            review_policy=Exam.ReviewPolicy.AFTER_CLOSE,
            title=f"卷{n}",
        )
        attempt = attempt_start(exam=paper, user=cadre)
        attempt.items.update(answer=["A"])
        attempt_grade(attempt_id=attempt.pk)

    client = client_for(cadre)
    sit_all_wrong(2)
    client.get(reverse("mistake_book"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("mistake_book"))
    sit_all_wrong(30)
    with django_assert_max_num_queries(len(few)):
        assert client.get(reverse("mistake_book")).content.decode().count(WITHHELD) == 32
