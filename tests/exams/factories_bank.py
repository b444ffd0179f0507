"""Helpers that build question-bank rows through the services, as the app does."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from exams.models import Attempt, AttemptItem, Exam, QuestionCategory
from exams.services.bank import question_create


def category(path="行政法/行政处罚法") -> QuestionCategory:
    return QuestionCategory.ensure_path(path.split("/"))


def single_question(*, stem="违法行为在（  ）内未被发现的，不再给予行政处罚。", cat=None, **extra):
    return question_create(
        category=cat or category(),
        kind="single",
        stem=stem,
        choices=[
            {"text": "六个月", "fraction": "0"},
            {"text": "一年", "fraction": "0"},
            {"text": "二年", "fraction": "1"},
        ],
        explanation="第三十六条",
        **extra,
    )


def attempt_holding(question, user) -> AttemptItem:
    """An attempt that has drawn the question's current version."""
    now = timezone.now()
    exam = Exam.objects.create(
        title="测验", year=now.year, opens_at=now - timedelta(days=1), closes_at=now + timedelta(1)
    )
    attempt = Attempt.objects.create(
        exam=exam, user=user, started_at=now, deadline=now + timedelta(hours=1)
    )
    return AttemptItem.objects.create(
        attempt=attempt,
        position=1,
        question=question,
        version=question.current_version,
        kind=question.kind,
        points=Decimal("1"),
        option_order="ABC",
        slots=1,
    )
