"""Practice outside the graded path: judging an answer with its key and explanation
(shared by the mistake book, `mistakes.py`, and daily practice, `daily.py`), and instant
feedback in practice attempts."""

from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from courses.law_references import law_reference_html
from exams.law_citations import cited_articles
from exams.models import (
    Attempt,
    AttemptItem,
    Exam,
    QuestionKind,
)
from exams.option_tokens import option_value
from exams.scoring import answer_score
from exams.services.attempts import AttemptError, answer_validate
from exams.services.key_visibility import keys_withheld, questions_key_withheld

# What a cadre is told instead of a key the rule withholds (exams.services.key_visibility).
KEY_WITHHELD = _lazy("You can check the answer after the exam closes.")


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
