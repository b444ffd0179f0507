"""Daily practice (每日一练): five questions a day, drawn once, judged once."""

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from exams.models import (
    DailyPracticeItem,
    Question,
    QuestionStatus,
)
from exams.services.attempts import AttemptError
from exams.services.key_visibility import keys_withheld, questions_key_withheld
from exams.services.practice import (
    KEY_WITHHELD,
    Feedback,
    feedback_for,
    practice_answer_clean,
)

DAILY_COUNT = 5
DAILY_NO_REPEAT_DAYS = 7


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
