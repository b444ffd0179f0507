"""Whether a cadre may see a question's key now: the one rule every cadre surface asks.

A question's key (its correct choices, fractions, accepted blanks and explanation) is
withheld from a cadre while the question sits in an exam that is running (published,
opened, not yet closed) and whose review withholds keys (review after the close or
never, or a review without answers), unless the cadre met that question where review is
open: in a practice paper, or in a graded attempt whose review shows answers now. The
exam need not be meant for the cadre: a key read in the mistake book by one township
reaches the next one's cadres who are sitting the exam.

A question sits in an exam when it is one of its fixed questions, when one of its
random rules can draw it (category and subcategories, kind, difficulty), or when an
attempt at it drew it (a question moved to another category since).

Set-based, so that a page asks once for all its questions: `keys_withheld` is one query,
and `questions_key_withheld` is a subquery to filter a pool or a list by.
"""

from django.db.models import CharField, Exists, ExpressionWrapper, F, OuterRef, Q, Value
from django.db.models.functions import Concat
from django.utils import timezone

from exams.models import Attempt, AttemptItem, Exam, ExamQuestion, ExamRule, Question
from exams.models.bank import QuestionCategory


def _exams_withholding(now) -> Q:
    """Exams running now whose review keeps keys from those who sat them (practice papers
    show keys as they go, so they never withhold)."""
    policy = Exam.ReviewPolicy
    return (
        Q(is_published=True, opens_at__lte=now, closes_at__gt=now)
        & ~Q(kind=Exam.Kind.PRACTICE)
        & (~Q(review_policy=policy.AFTER_SUBMIT) | Q(review_shows_answers=False))
    )


def _review_open(now) -> Q:
    """Attempts (as seen from their items) where the cadre may see keys now."""
    policy = Exam.ReviewPolicy
    graded_with_key = Q(
        attempt__status=Attempt.Status.GRADED, attempt__exam__review_shows_answers=True
    ) & (
        Q(attempt__exam__review_policy=policy.AFTER_SUBMIT)
        | Q(attempt__exam__review_policy=policy.AFTER_CLOSE, attempt__exam__closes_at__lte=now)
    )
    return Q(attempt__exam__kind=Exam.Kind.PRACTICE) | graded_with_key


def questions_key_withheld(*, user, now=None):
    """The questions whose key this cadre may not see now, as a queryset (a subquery)."""
    now = now or timezone.now()
    withholding = Exam.objects.filter(_exams_withholding(now)).values("pk")
    fixed = ExamQuestion.objects.filter(question=OuterRef("pk"), exam__in=withholding)
    drawn = AttemptItem.objects.filter(question=OuterRef("pk"), attempt__exam__in=withholding)
    # A rule draws from its category and every category below it (see exams.services.draw).
    ruled = (
        ExamRule.objects.filter(exam__in=withholding, kind=OuterRef("kind"))
        .filter(Q(difficulty="") | Q(difficulty=OuterRef("difficulty")))
        .annotate(
            question_path=ExpressionWrapper(
                OuterRef("category__full_path"), output_field=CharField()
            ),
            below=Concat(F("category__full_path"), Value(QuestionCategory.SEPARATOR)),
        )
        .filter(Q(category=OuterRef("category")) | Q(question_path__startswith=F("below")))
    )
    met_open = AttemptItem.objects.filter(question=OuterRef("pk"), attempt__user=user).filter(
        _review_open(now)
    )
    return Question.objects.filter(Exists(fixed) | Exists(ruled) | Exists(drawn)).exclude(
        Exists(met_open)
    )


def keys_withheld(*, user, question_ids, now=None) -> set[int]:
    """Which of these questions' keys this cadre may not see now. One query."""
    ids = {pk for pk in question_ids if pk is not None}
    if not ids:
        return set()
    withheld = questions_key_withheld(user=user, now=now).filter(pk__in=ids)
    return set(withheld.values_list("pk", flat=True))


def key_visible(*, user, question_id: int, now=None) -> bool:
    """Whether this cadre may see this one question's key now."""
    return question_id not in keys_withheld(user=user, question_ids=[question_id], now=now)
