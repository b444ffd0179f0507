"""The mistake book: wrong answers in, two right in a row out, and practising them."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from exams.models import (
    AttemptItem,
    MistakeEntry,
    Question,
    QuestionStatus,
)
from exams.services.attempts import AttemptError
from exams.services.key_visibility import keys_withheld, questions_key_withheld
from exams.services.practice import (
    KEY_WITHHELD,
    Feedback,
    feedback_for,
    feedback_with_law,
    practice_answer_clean,
)

STREAK_TO_RESOLVE = 2


# The one writer of wrong answers into the mistake book: new and known mistakes alike in
# one statement, whatever their number, from any source of question ids. Rows go in in
# question order, so two writers for the same cadre cannot deadlock; the WHERE keeps
# SQLite from reading ON CONFLICT as a join's ON.
_MISTAKES_UPSERT = """
INSERT INTO {mistakes} AS entry (user_id, question_id, wrong_count, correct_streak,
                                 last_wrong_at)
SELECT %s, wrong.question_id, 1, 0, %s FROM ({wrong}) AS wrong WHERE 1 = 1
ORDER BY wrong.question_id
ON CONFLICT (user_id, question_id) DO UPDATE SET
    wrong_count = entry.wrong_count + 1, correct_streak = 0,
    last_wrong_at = excluded.last_wrong_at, resolved_at = NULL
"""


def _mistakes_upsert(*, user_id: int, at, wrong: str, params: list) -> None:
    """Count one wrong answer to each question `wrong` (a SELECT of distinct question_id)
    yields: a new entry, or one more on an existing one (back in the book if it had left,
    the streak starting over)."""
    sql = _MISTAKES_UPSERT.format(
        mistakes=connection.ops.quote_name(MistakeEntry._meta.db_table), wrong=wrong
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id, connection.ops.adapt_datetimefield_value(at), *params])


def mistakes_record_from_attempt(*, attempt, now=None) -> None:
    """Put every question not fully right in a graded attempt into the cadre's mistake
    book. One statement: it runs inside grading, which the whole county does at the
    year-end exam's deadline. Each question is at most once in an attempt
    (attempt_item_question), so none is counted twice."""
    items = connection.ops.quote_name(AttemptItem._meta.db_table)
    _mistakes_upsert(
        user_id=attempt.user_id,
        at=attempt.submitted_at or now or timezone.now(),
        wrong=f"SELECT question_id FROM {items}"
        " WHERE attempt_id = %s AND (score IS NULL OR score < points)",
        params=[attempt.pk],
    )


def mistakes_add(*, user_id: int, question_ids, at=None) -> int:
    """Count a wrong answer to each of these questions (a re-grade found them wrong)."""
    ids = sorted({int(pk) for pk in question_ids})
    if ids:
        questions = connection.ops.quote_name(Question._meta.db_table)
        _mistakes_upsert(
            user_id=user_id,
            at=at or timezone.now(),
            wrong=f"SELECT id AS question_id FROM {questions}"
            f" WHERE id IN ({', '.join(['%s'] * len(ids))})",
            params=ids,
        )
    return len(ids)


def mistakes_withdraw(*, user_id: int, question_ids) -> None:
    """A re-grade found these answers right after all: take back the wrong answer each
    counted, and drop entries that no other wrong answer holds."""
    mine = MistakeEntry.objects.filter(user_id=user_id, question_id__in=question_ids)
    mine.filter(wrong_count__lte=1, resolved_at__isnull=True).delete()
    mine.filter(wrong_count__gt=1).update(wrong_count=F("wrong_count") - 1)


def mistakes_open(*, user):
    """The cadre's open mistakes on questions still in use, in question order."""
    return (
        MistakeEntry.objects.filter(
            user=user,
            resolved_at__isnull=True,
            question__status=QuestionStatus.ACTIVE,
            question__current_version__isnull=False,
        )
        .select_related("question", "question__law")
        .order_by("question_id")
    )


def mistakes_open_count(*, user) -> int:
    return mistakes_open(user=user).count()


def mistake_next(*, user, after_question_id: int | None = None) -> MistakeEntry | None:
    """The next open mistake after the one just practised, round the book; mistakes whose
    key is still withheld wait (answering them would tell right from wrong)."""
    entries = mistakes_open(user=user).exclude(question__in=questions_key_withheld(user=user))
    if after_question_id is not None:
        following = entries.filter(question_id__gt=after_question_id).first()
        if following is not None:
            return following
        return entries.exclude(question_id=after_question_id).first() or entries.first()
    return entries.first()


def mistake_entry_state(entry) -> str:
    """Changes with every answer (wrong answers add to the count, right ones to the streak,
    and no pair comes back), so a form sent twice is recognised."""
    return f"{entry.wrong_count}.{entry.correct_streak}"


@dataclass(frozen=True)
class MistakeResult:
    feedback: Feedback
    entry: MistakeEntry
    resolved: bool


def mistake_practice_answer(*, user, question_id: int, answer, state: str, now=None):
    """Answer an open mistake: right adds to the streak and two in a row take it out of the
    book; wrong counts again and starts the streak over."""
    now = now or timezone.now()
    entry = (
        mistakes_open(user=user)
        .select_related("question__current_version")
        .filter(question_id=question_id)
        .first()
    )
    if entry is None:
        raise AttemptError(_("This question is not in your mistake book."), 404)
    if keys_withheld(user=user, question_ids=[question_id], now=now):
        raise AttemptError(str(KEY_WITHHELD), 403)
    if state != mistake_entry_state(entry):
        raise AttemptError(_("You already answered this question; here is the next one."), 409)
    question = entry.question
    version = question.current_version
    value = practice_answer_clean(kind=question.kind, version=version, answer=answer)
    [feedback] = feedback_with_law(
        [(feedback_for(kind=question.kind, version=version, answer=value), question)]
    )
    if feedback.correct:
        streak = entry.correct_streak + 1
        changes = {"correct_streak": streak}
        if streak >= STREAK_TO_RESOLVE:
            changes["resolved_at"] = now
    else:
        changes = {"correct_streak": 0, "wrong_count": entry.wrong_count + 1, "last_wrong_at": now}
    # Only the form that saw this state may change it: a double tap counts once.
    updated = MistakeEntry.objects.filter(
        pk=entry.pk,
        wrong_count=entry.wrong_count,
        correct_streak=entry.correct_streak,
        resolved_at__isnull=True,
    ).update(**changes)
    if not updated:
        raise AttemptError(_("You already answered this question; here is the next one."), 409)
    for name, changed in changes.items():
        setattr(entry, name, changed)
    return MistakeResult(feedback=feedback, entry=entry, resolved="resolved_at" in changes)
