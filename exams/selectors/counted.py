"""Reads other apps use: the attempts that count for the annual evaluation."""

from dataclasses import dataclass
from decimal import Decimal

from exams.models import Attempt, Exam


@dataclass(frozen=True)
class CountedResult:
    user_id: int
    exam_id: int
    exam_kind: str
    exam_title: str
    attempt_id: int
    score: Decimal
    max_score: Decimal
    passed: bool
    submitted_at: object


def replaces_counted(counting, score, counted_score) -> bool:
    """Whether a cadre's later attempt (taken in order of number) replaces the one counted
    so far: always when the last counts, else when it scored higher."""
    if counting == Exam.Counting.LAST:
        return True
    return (score or 0) > (counted_score or 0)


def counted_results(*, year: int, user_ids=None, kinds=None) -> list[CountedResult]:
    """For each cadre and exam of `year` that counts toward the evaluation, the attempt
    that counts (highest or last, as the paper says). One query however many cadres."""
    attempts = (
        Attempt.objects.filter(
            status=Attempt.Status.GRADED, exam__year=year, exam__counts_for_evaluation=True
        )
        .select_related("exam")
        .only(
            "id",
            "user_id",
            "exam_id",
            "score",
            "max_score",
            "passed",
            "submitted_at",
            "number",
            "exam__kind",
            "exam__title",
            "exam__counting",
        )
        .order_by("user_id", "exam_id", "number")
    )
    if user_ids is not None:
        attempts = attempts.filter(user_id__in=user_ids)
    if kinds:
        attempts = attempts.filter(exam__kind__in=kinds)
    best: dict[tuple[int, int], Attempt] = {}
    for attempt in attempts.iterator(chunk_size=2000):
        key = (attempt.user_id, attempt.exam_id)
        current = best.get(key)
        if current is None or replaces_counted(attempt.exam.counting, attempt.score, current.score):
            best[key] = attempt
    return [
        CountedResult(
            user_id=a.user_id,
            exam_id=a.exam_id,
            exam_kind=a.exam.kind,
            exam_title=a.exam.title,
            attempt_id=a.pk,
            score=a.score or Decimal("0"),
            max_score=a.max_score,
            passed=bool(a.passed),
            submitted_at=a.submitted_at,
        )
        for a in best.values()
    ]


def _counting_attempts(year: int):
    return Attempt.objects.filter(exam__year=year, exam__counts_for_evaluation=True)


def attempts_open(*, year: int):
    """Attempts still running (or past their deadline, not yet closed) on the exams of
    `year` that count toward the evaluation: their score is not in the year yet."""
    return (
        _counting_attempts(year)
        .filter(status=Attempt.Status.IN_PROGRESS)
        .select_related("user", "exam")
        .order_by("deadline", "pk")
    )


def users_with_counted_attempt(*, year: int):
    """Ids of the cadres with a graded attempt that counts for `year`, as a subquery."""
    return _counting_attempts(year).filter(status=Attempt.Status.GRADED).values("user_id")
