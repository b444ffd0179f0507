"""Practice outside the graded path: instant feedback in practice attempts, the mistake
book (错题本) and daily practice (每日一练)."""

import random
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from courses.law_references import law_reference_html
from exams.law_citations import cited_articles
from exams.models import (
    Attempt,
    AttemptItem,
    DailyPracticeItem,
    Exam,
    MistakeEntry,
    Question,
    QuestionKind,
    QuestionStatus,
)
from exams.option_tokens import option_value
from exams.scoring import answer_score
from exams.services.attempts import AttemptError, answer_validate
from exams.services.key_visibility import keys_withheld, questions_key_withheld

STREAK_TO_RESOLVE = 2
# What a cadre is told instead of a key the rule withholds (exams.services.key_visibility).
KEY_WITHHELD = _lazy("You can check the answer after the exam closes.")
DAILY_COUNT = 5
DAILY_NO_REPEAT_DAYS = 7


@dataclass(frozen=True)
class Feedback:
    """What a cadre learns right after answering: right or not, the key, the why."""

    correct: bool
    answer: list
    correct_keys: list[str]
    accepted: list[list[str]]
    explanation: str
    extra: dict = field(default_factory=dict)
    # The question's law reference (HTML, each article a link) and, when the explanation
    # is only an article reference, those articles as {label, url, text}: see
    # exams.law_citations. Filled in by feedback_with_law.
    law_reference: str = ""
    articles: tuple = ()

    def as_json(self) -> dict:
        return {
            "correct": self.correct,
            "answer": self.answer,
            "correct_keys": self.correct_keys,
            "accepted": self.accepted,
            "explanation": self.explanation,
            "law_reference": str(self.law_reference),
            "articles": list(self.articles),
            **self.extra,
        }


def answer_is_right(*, kind: str, version, answer) -> bool:
    """Fully right: the whole point, as facility counts it (partial credit is not right)."""
    score = answer_score(
        kind=kind,
        choices=version.choices,
        blanks=version.blanks,
        answer=answer,
        points=Decimal("1"),
        partial_multiple=False,
    )
    return score == Decimal("1")


def feedback_for(*, kind: str, version, answer, key_order: str = "") -> Feedback:
    keys = version.correct_keys
    if key_order:
        keys = [key for key in key_order if key in keys]
    return Feedback(
        correct=answer_is_right(kind=kind, version=version, answer=answer),
        answer=list(answer or []),
        correct_keys=keys,
        accepted=version.blanks if kind == QuestionKind.BLANK else [],
        explanation=version.explanation,
    )


def feedback_with_law(pairs) -> list[Feedback]:
    """Each (feedback, question) as feedback with the question's law reference and the
    articles its explanation only points to; one query for all of them. Only feedback
    carries them, so they are shown exactly when the explanation is."""
    pairs = list(pairs)
    cited = cited_articles(
        (feedback.explanation, question.law, question.law_articles) for feedback, question in pairs
    )
    return [
        replace(
            feedback,
            law_reference=law_reference_html(question.law, question.law_articles),
            articles=tuple(articles),
        )
        for (feedback, question), articles in zip(pairs, cited, strict=True)
    ]


def practice_answer_clean(*, kind: str, version, answer) -> list:
    """An answer from a practice form that fits the question, or AttemptError (400)."""
    shape, value = answer_validate(answer)
    if kind == QuestionKind.BLANK:
        if shape != "blanks" or len(value) != len(version.blanks):
            raise AttemptError(_("Fill in every blank."))
        return value
    keys = {choice["key"] for choice in version.choices}
    if shape != "choices" or not set(value) <= keys:
        raise AttemptError(_("Pick one of the choices shown."))
    if kind != QuestionKind.MULTIPLE and len(value) != 1:
        raise AttemptError(_("Pick exactly one choice."))
    return value


# ------------------------------------------------------------------- practice attempts


def _on_attempt_page(feedback: Feedback, *, item) -> Feedback:
    """Feedback for a question of the attempt page, whose inputs carry opaque values
    (exams.option_tokens) rather than the bank's keys."""
    extra = {"position": item.position}
    if item.kind == QuestionKind.BLANK:
        return replace(feedback, extra=extra)

    def value(key):
        return option_value(attempt_id=item.attempt_id, position=item.position, key=key)

    return replace(
        feedback,
        correct_keys=[value(key) for key in feedback.correct_keys],
        answer=[value(key) for key in feedback.answer],
        extra=extra,
    )


def _practice_attempt(*, attempt_id: int, user) -> Attempt:
    attempt = Attempt.objects.select_related("exam").filter(pk=attempt_id, user=user).first()
    if attempt is None:
        raise AttemptError(_("This attempt does not exist."), 404)
    if attempt.exam.kind != Exam.Kind.PRACTICE:
        # An exam that is not practice never shows a key before its review.
        raise AttemptError(_("Answers are shown right away only in practice."), 403)
    return attempt


def practice_answer_check(*, attempt_id: int, user, position, now=None) -> Feedback:
    """Judge the saved answer to one question of a practice attempt, show its key, and lock
    it: later saves to that question are refused."""
    now = now or timezone.now()
    if not isinstance(position, int) or isinstance(position, bool) or not 0 < position < 10000:
        raise AttemptError(_("The question number is not valid."))
    with transaction.atomic():
        attempt = _practice_attempt(attempt_id=attempt_id, user=user)
        if not attempt.is_running(now):
            raise AttemptError(_("This attempt is finished: see its review."), 409)
        item = (
            AttemptItem.objects.select_for_update(of=("self",))
            .select_related("version", "question__law")
            .filter(attempt=attempt, position=position)
            .first()
        )
        if item is None:
            raise AttemptError(_("This attempt has no question %(n)d.") % {"n": position}, 404)
        if item.answer is None:
            raise AttemptError(_("Answer the question first."), 409)
        if keys_withheld(user=user, question_ids=[item.question_id], now=now):
            raise AttemptError(str(KEY_WITHHELD), 403)
        if item.checked_at is None:
            # The save statement refuses answers to a checked question (attempts.py).
            AttemptItem.objects.filter(pk=item.pk).update(checked_at=now)
    feedback = feedback_for(
        kind=item.kind, version=item.version, answer=item.answer, key_order=item.option_order
    )
    [feedback] = feedback_with_law([(feedback, item.question)])
    return _on_attempt_page(feedback, item=item)


def practice_feedback_checked(*, attempt_id: int, user) -> list[Feedback]:
    """Feedback for the questions of a practice attempt already checked (after a reload)."""
    attempt = _practice_attempt(attempt_id=attempt_id, user=user)
    items = (
        AttemptItem.objects.filter(attempt=attempt, checked_at__isnull=False)
        .exclude(question__in=questions_key_withheld(user=user))
        .select_related("version", "question__law")
        .order_by("position")
    )
    items = list(items)
    shown = feedback_with_law(
        (
            feedback_for(
                kind=item.kind,
                version=item.version,
                answer=item.answer,
                key_order=item.option_order,
            ),
            item.question,
        )
        for item in items
    )
    return [
        _on_attempt_page(feedback, item=item) for feedback, item in zip(shown, items, strict=True)
    ]


# ------------------------------------------------------------------------ mistake book


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


# ---------------------------------------------------------------------- daily practice


@dataclass(frozen=True)
class DailySet:
    day: date
    items: list
    # The year of the laws the questions come from, when it is not the current year.
    fallback_year: int | None


def _daily_items(*, user, day):
    return list(
        DailyPracticeItem.objects.filter(user=user, day=day)
        .select_related("version", "question", "question__law")
        .order_by("position")
    )


def _daily_pool(*, user, day):
    """Active questions on a law with an effective date, not drawn for this cadre in the
    previous seven days, whose key the cadre may see now; and the year to draw from."""
    recent = DailyPracticeItem.objects.filter(
        user=user, day__gte=day - timedelta(days=DAILY_NO_REPEAT_DAYS), day__lt=day
    ).values("question_id")
    eligible = Question.objects.filter(
        status=QuestionStatus.ACTIVE,
        current_version__isnull=False,
        law__effective_date__isnull=False,
    ).exclude(pk__in=recent)
    eligible = eligible.exclude(pk__in=questions_key_withheld(user=user))
    per_year = dict(
        eligible.annotate(law_year=ExtractYear("law__effective_date"))
        .order_by()
        .values("law_year")
        .annotate(n=Count("pk"))
        .values_list("law_year", "n")
    )
    # This year's new laws first; else the most recent earlier year with enough questions;
    # else whatever the bank has.
    years = [day.year] + sorted((y for y in per_year if y < day.year), reverse=True)
    year = next((y for y in years if per_year.get(y, 0) >= DAILY_COUNT), None)
    if year is not None:
        eligible = eligible.filter(law__effective_date__year=year)
    return eligible, year


@dataclass(frozen=True)
class DailyStatus:
    """How far today's practice is: `drawn` is 0 before the cadre first opens it today."""

    answered: int
    drawn: int

    @property
    def total(self) -> int:
        return self.drawn or DAILY_COUNT

    @property
    def done(self) -> bool:
        return self.drawn > 0 and self.answered >= self.drawn


def daily_practice_status(*, user, day=None) -> DailyStatus:
    """Today's practice as the home page shows it, without drawing it: one query."""
    day = day or timezone.localdate()
    counts = DailyPracticeItem.objects.filter(user=user, day=day).aggregate(
        drawn=Count("pk"), answered=Count("pk", filter=Q(correct__isnull=False))
    )
    return DailyStatus(answered=counts["answered"], drawn=counts["drawn"])


def daily_practice_ensure(*, user, day=None, rng=None) -> DailySet:
    """Today's five questions for this cadre: drawn once a day, the same on every visit."""
    day = day or timezone.localdate()
    items = _daily_items(user=user, day=day)
    if not items:
        pool, _year = _daily_pool(user=user, day=day)
        candidates = list(pool.values_list("pk", "current_version_id", "kind"))
        rng = rng or random.SystemRandom()
        chosen = rng.sample(candidates, min(DAILY_COUNT, len(candidates)))
        try:
            with transaction.atomic():
                DailyPracticeItem.objects.bulk_create(
                    [
                        DailyPracticeItem(
                            user=user,
                            day=day,
                            position=position,
                            question_id=question_id,
                            version_id=version_id,
                            kind=kind,
                        )
                        for position, (question_id, version_id, kind) in enumerate(chosen, start=1)
                    ]
                )
        except IntegrityError:
            pass  # another tab drew today's questions at the same moment: use those
        items = _daily_items(user=user, day=day)
    years = Counter(item.question.law.effective_date.year for item in items if item.question.law)
    common = years.most_common(1)[0][0] if years else None
    return DailySet(day=day, items=items, fallback_year=common if common != day.year else None)


def daily_practice_answer(*, user, position, answer, day=None) -> Feedback:
    """Answer one of today's questions, once; the key and explanation come back."""
    day = day or timezone.localdate()
    item = (
        DailyPracticeItem.objects.select_related("version", "question")
        .filter(user=user, day=day, position=position)
        .first()
    )
    if item is None:
        raise AttemptError(_("Today's practice has no question %(n)d.") % {"n": position}, 404)
    if item.correct is not None:
        raise AttemptError(_("You already answered this question today."), 409)
    # Drawn before an exam holding it opened: it waits until the rule allows its key.
    if keys_withheld(user=user, question_ids=[item.question_id]):
        raise AttemptError(str(KEY_WITHHELD), 403)
    value = practice_answer_clean(kind=item.kind, version=item.version, answer=answer)
    feedback = feedback_for(kind=item.kind, version=item.version, answer=value)
    updated = DailyPracticeItem.objects.filter(pk=item.pk, correct__isnull=True).update(
        answer=value, correct=feedback.correct
    )
    if not updated:
        raise AttemptError(_("You already answered this question today."), 409)
    return feedback
