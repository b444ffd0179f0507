"""Grading: once per attempt, at submit, at the deadline, and again after a key correction;
on the year-end exam's submit-storm path (everyone in the last minute).

Scores are computed from plain rows (`values()`), not model instances, and written in one
statement (PostgreSQL: an UPDATE over unnest arrays; SQLite: executemany). Guarded by
tests/exams/test_concurrent_submit.py (graded once, with every saved answer, under
concurrent submits) and tests/exams/test_scoring.py.
"""

import secrets
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from wagtail.log_actions import log

from exams.models import Attempt, Exam
from exams.scoring import answer_score, score_passes

# Wagtail's action log, on an attempt submitted by its deadline (no one's request).
DEADLINE_SUBMIT_ACTION = "exams.attempt.deadline_submit"


def attempt_grade(
    *, attempt_id: int, now=None, timed_out: bool = False, user_id=None
) -> Attempt | None:
    """Grade an attempt exactly once: the first caller to move it out of "in progress"
    grades it inside the same transaction; everyone else gets the graded attempt."""
    now = now or timezone.now()
    with transaction.atomic():
        claim = Attempt.objects.filter(pk=attempt_id, status=Attempt.Status.IN_PROGRESS)
        if user_id is not None:
            claim = claim.filter(user_id=user_id)
        claimed = claim.update(status=Attempt.Status.GRADED, submitted_at=now, timed_out=timed_out)
        attempt = Attempt.objects.select_related("exam").filter(pk=attempt_id).first()
        if not claimed or attempt is None:
            return attempt
        if timed_out:
            # Graded with what was saved by the deadline, and dated then.
            attempt.submitted_at = min(now, attempt.deadline)
        _score(attempt)
        attempt.save(update_fields=["score", "passed", "submitted_at", "certificate_code"])
        _mistakes_record(attempt)
        if timed_out:
            # Nobody pressed submit: the clock did, and the trainer sees it in the log.
            log(instance=attempt, action=DEADLINE_SUBMIT_ACTION, user=None, data={"ip": None})
    return attempt


def _mistakes_record(attempt) -> None:
    # Imported here: the practice services build on this module.
    from exams.services.mistakes import mistakes_record_from_attempt

    mistakes_record_from_attempt(attempt=attempt)


def _score(attempt) -> None:
    # Plain rows, not items and their versions as instances: when everyone submits in the
    # last minute of the year-end exam, building those was a third of a submit.
    rows = list(
        attempt.items.values(
            "pk", "kind", "points", "answer", "version__choices", "version__blanks"
        )
    )
    partial = attempt.exam.multiple_scoring == Exam.MultipleScoring.PARTIAL
    scores = [
        (
            row["pk"],
            answer_score(
                kind=row["kind"],
                choices=row["version__choices"],
                blanks=row["version__blanks"],
                answer=row["answer"],
                points=row["points"],
                partial_multiple=partial,
            ),
        )
        for row in rows
    ]
    _item_scores_write(scores)
    total = sum((score for _pk, score in scores), Decimal("0"))
    attempt.score = total
    # The paper's full marks are the points of what this attempt drew: no query more.
    attempt.passed = score_passes(
        score=total,
        pass_percent=attempt.exam.pass_percent,
        max_score=sum((row["points"] for row in rows), Decimal("0")),
    )
    if attempt.passed and attempt.exam.certificates and not attempt.certificate_code:
        attempt.certificate_code = certificate_code_new()


def certificate_code_new() -> str:
    """5 random bytes as 10 upper-case hex digits: 2^40 codes, too many to guess one."""
    return secrets.token_hex(5).upper()


_SCORES_UNNEST = (
    "UPDATE exams_attemptitem AS item SET score = given.score"
    " FROM unnest(%s::bigint[], %s::numeric[]) AS given(id, score) WHERE item.id = given.id"
)


def _item_scores_write(scores: list[tuple[int, Decimal]]) -> None:
    # Not bulk_update: its CASE over fifty rows cost a third of a submit when everyone
    # submits in the last minute of the year-end exam.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            ids, values = zip(*scores, strict=True) if scores else ((), ())
            cursor.execute(_SCORES_UNNEST, [list(ids), list(values)])
        else:
            cursor.executemany(
                "UPDATE exams_attemptitem SET score = %s WHERE id = %s",
                [(score, pk) for pk, score in scores],
            )


def attempt_regrade(*, attempt) -> Decimal:
    """Score a graded attempt again (after a trainer fixed an answer key)."""
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().select_related("exam").get(pk=attempt.pk)
        before = attempt.score
        _score(attempt)
        attempt.regraded_at = timezone.now()
        attempt.save(update_fields=["score", "passed", "certificate_code", "regraded_at"])
    return (attempt.score or 0) - (before or 0)


def attempts_close_overdue(*, now=None, batch_size: int = 200) -> int:
    """Grade every attempt whose deadline has passed; returns how many were graded."""
    now = now or timezone.now()
    closed = 0
    while True:
        ids = list(
            Attempt.objects.overdue(now)
            .order_by("deadline")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return closed
        for attempt_id in ids:
            attempt = attempt_grade(attempt_id=attempt_id, now=now, timed_out=True)
            closed += 1 if attempt is not None else 0


def attempt_grade_if_overdue(*, attempt, now=None) -> Attempt:
    """The step for an attempt found in progress past its deadline (by a page, a late
    answer, a new start): grade it with what was saved by the deadline. Anything else is
    returned as it is."""
    now = now or timezone.now()
    if attempt.is_overdue(now):
        return attempt_grade(attempt_id=attempt.pk, now=now, timed_out=True) or attempt
    return attempt
