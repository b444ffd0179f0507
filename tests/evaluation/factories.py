"""Rows the evaluation reads, written directly: schemes, study credit, graded attempts."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from courses.models import StudyCredit
from exams.models import Attempt, Exam
from exams.scoring import score_passes
from lms.accounts.roles import Role
from lms.evaluation.services import evaluation_year_create, year_compute_iter
from tests.factories import UserFactory

YEAR = 2025


def scheme(year=YEAR, rules=(), **values):
    values.setdefault("required_credit_hours", Decimal("20"))
    return evaluation_year_create(year=year, rules=rules, **values)


def computed(cadre, *, year=YEAR):
    """The cadre's year as computed now (read only)."""
    [(_cadre, result)] = year_compute_iter(year=year, users=[cadre])
    return result


def at(year=YEAR, month=6, day=1):
    return timezone.make_aware(datetime(year, month, day, 10, 0))


def credit(user, hours, *, year=YEAR, title="学习记录", when=None, **extra):
    return StudyCredit.objects.create(
        user=user,
        year=year,
        source=extra.pop("source", StudyCredit.Source.MANUAL),
        credit_hours=Decimal(str(hours)),
        title=title,
        earned_at=when or at(year),
        **extra,
    )


def exam(*, year=YEAR, kind=Exam.Kind.ANNUAL, title=None, **values):
    opens = at(year, 11, 1)
    return Exam.objects.create(
        title=title or f"{year}年度{kind}考试",
        kind=kind,
        year=year,
        opens_at=opens,
        closes_at=opens + timedelta(days=7),
        counts_for_evaluation=values.pop("counts_for_evaluation", True),
        is_published=True,
        **values,
    )


def graded(exam_, user, score, *, max_score=100, passed=None, number=1):
    score, max_score = Decimal(str(score)), Decimal(str(max_score))
    started = exam_.opens_at + timedelta(hours=number)
    return Attempt.objects.create(
        exam=exam_,
        user=user,
        number=number,
        status=Attempt.Status.GRADED,
        started_at=started,
        deadline=started + timedelta(hours=1),
        submitted_at=started + timedelta(minutes=30),
        score=score,
        max_score=max_score,
        passed=(
            score_passes(score=score, pass_percent=exam_.pass_percent, max_score=max_score)
            if passed is None
            else passed
        ),
    )


def cadres(unit, count, **values):
    return [UserFactory(unit=unit, role=Role.CADRE, **values) for _ in range(count)]
