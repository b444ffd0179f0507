"""The attempt page's clock: a countdown for a timed attempt or one whose deadline is near;
an untimed window shows its closing date instead of thousands of hours."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from exams.models import Exam
from tests.conftest import client_for
from tests.exams import exam_builders as build

pytestmark = pytest.mark.django_db


def attempt_html(user, **fields):
    paper = build.exam(questions=[build.question("single")], points=Decimal("2"), **fields)
    response = client_for(user).post(reverse("exam_start", args=[paper.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_timed_attempt_shows_the_countdown(cadre):
    html = attempt_html(cadre, time_limit_minutes=30)
    assert '<span class="countdown" id="countdown" role="timer" aria-live="off">' in html
    assert 'id="closes-at"' not in html


def test_an_untimed_window_shows_its_closing_date_not_a_clock(cadre):
    day = timezone.localdate() + timedelta(days=30)
    closes = timezone.make_aware(datetime(day.year, day.month, day.day, 18, 0))
    html = attempt_html(cadre, kind=Exam.Kind.PRACTICE, time_limit_minutes=None, closes_at=closes)
    assert f"{day.month}月{day.day}日 18:00 截止" in html
    assert 'id="countdown" role="timer" aria-live="off" hidden' in html


def test_an_untimed_window_near_its_close_counts_down(cadre):
    html = attempt_html(
        cadre, time_limit_minutes=None, closes_at=timezone.now() + timedelta(minutes=90)
    )
    assert 'id="countdown" role="timer" aria-live="off">' in html
    assert 'id="closes-at"' not in html


def test_questions_read_as_numbered_with_their_kind_and_points(cadre):
    html = attempt_html(cadre)
    assert '<span class="qno">第 1 题</span>' in html
    assert "单选题 · 2 分" in html
    # The page never carries the key: the fractions stay on the server.
    assert "fraction" not in html
