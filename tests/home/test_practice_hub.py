"""练习: today's practice (done or not), the mistake book's count, and the practice
papers open to this cadre, each a tap away."""

import random
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from courses.models import Law
from exams.models import DailyPracticeItem, Exam
from exams.services.daily import daily_practice_ensure
from exams.services.mistakes import mistakes_add
from tests.conftest import client_for
from tests.exams import exam_builders as build

pytestmark = pytest.mark.django_db


def _daily_questions(n=6):
    law = Law.objects.create(
        title="新法", slug="new", effective_date=date(timezone.localdate().year, 1, 1)
    )
    for _ in range(n):
        question = build.question()
        question.law = law
        question.save(update_fields=["law"])


def test_practice_hub_shows_daily_mistakes_and_open_practice_papers(cadre, township):
    now = timezone.now()
    mistakes_add(user_id=cadre.pk, question_ids=[build.question().pk for _ in range(3)])
    build.exam(kind=Exam.Kind.PRACTICE, title="行政处罚法练习", closes_at=now + timedelta(days=3))
    build.exam(kind=Exam.Kind.QUIZ, title="单位测验")
    build.exam(
        kind=Exam.Kind.PRACTICE,
        title="已关闭的练习",
        opens_at=now - timedelta(days=3),
        closes_at=now - timedelta(days=1),
    )
    elsewhere = build.exam(kind=Exam.Kind.PRACTICE, title="别村的练习")
    elsewhere.audience_units.set([township["b"]])
    html = client_for(cadre).get("/practice/").content.decode()
    assert (
        "每日一练" in html
        and "今日已答 0 / 5 题，未完成" in html
        and 'href="/exams/daily/"' in html
    )
    assert "3 道错题待再练" in html and 'href="/exams/mistakes/"' in html
    assert "行政处罚法练习" in html and "开放至" in html
    for absent in ["单位测验", "已关闭的练习", "别村的练习"]:
        assert absent not in html


def test_daily_practice_is_marked_done_once_every_question_is_answered(cadre):
    _daily_questions()
    daily = daily_practice_ensure(user=cadre, rng=random.Random(1))
    client = client_for(cadre)
    DailyPracticeItem.objects.filter(pk=daily.items[0].pk).update(answer=["A"], correct=True)
    assert "今日已答 1 / 5 题" in client.get("/practice/").content.decode()
    DailyPracticeItem.objects.filter(user=cadre).update(answer=["B"], correct=False)
    html = client.get("/practice/").content.decode()
    assert "今日已完成" in html and "今日已答" not in html


def test_practice_hub_needs_sign_in():
    response = Client().get("/practice/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_practice_hub_queries_do_not_grow(cadre, django_assert_max_num_queries):
    client = client_for(cadre)
    client.get("/practice/")  # the session's first reads are not the page's
    build.exam(kind=Exam.Kind.PRACTICE)
    mistakes_add(user_id=cadre.pk, question_ids=[build.question().pk])
    with django_assert_max_num_queries(6) as small:
        client.get("/practice/")
    for _ in range(6):
        build.exam(kind=Exam.Kind.PRACTICE)
    mistakes_add(user_id=cadre.pk, question_ids=[build.question().pk for _ in range(6)])
    _daily_questions()
    daily_practice_ensure(user=cadre)
    with django_assert_max_num_queries(len(small)):
        client.get("/practice/")
