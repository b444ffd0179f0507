"""Drawing an attempt's questions: fixed ones plus random rules, with work bounded by the
number of questions drawn, not by the size of the bank."""

import random
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Q
from django.utils.translation import gettext as _

from exams.models import Question, QuestionCategory, QuestionStatus

POOL_SECONDS = 300


@dataclass(frozen=True)
class Drawn:
    question_id: int
    version_id: int
    kind: str
    points: Decimal
    choice_keys: str
    slots: int


def _rule_filter(rule) -> Q:
    category = rule.category
    condition = Q(
        status=QuestionStatus.ACTIVE,
        kind=rule.kind,
        current_version__isnull=False,
    ) & (
        Q(category=category)
        | Q(category__full_path__startswith=category.full_path + QuestionCategory.SEPARATOR)
    )
    if rule.difficulty:
        condition &= Q(difficulty=rule.difficulty)
    return condition


def rule_pool(rule) -> list[int]:
    """The ids a rule draws from. Cached for a few minutes: during a start storm the bank
    is read once, not once per cadre; questions retired meanwhile are dropped at draw."""
    key = f"exams:pool:{rule.pk}:{rule.kind}:{rule.category_id}:{rule.difficulty}"
    pool = cache.get(key)
    if pool is None:
        pool = list(Question.objects.filter(_rule_filter(rule)).values_list("pk", flat=True))
        cache.set(key, pool, POOL_SECONDS)
    return pool


def rule_shortfalls(exam) -> list[str]:
    """Messages for rules the bank cannot fill (fixed questions are excluded from rules)."""
    fixed = set(exam.fixed_questions.values_list("question_id", flat=True))
    taken: set[int] = set(fixed)
    problems = []
    for rule in exam.rules.select_related("category"):
        available = [
            pk
            for pk in Question.objects.filter(_rule_filter(rule)).values_list("pk", flat=True)
            if pk not in taken
        ]
        if len(available) < rule.count:
            problems.append(
                _("The rule “%(rule)s” needs %(count)d questions but the bank has %(have)d.")
                % {"rule": rule, "count": rule.count, "have": len(available)}
            )
        taken.update(available[: rule.count])
    return problems


def exam_draw(*, exam, rng: random.Random | None = None) -> list[Drawn]:
    """Fixed questions first (in their order), then each rule's random sample."""
    rng = rng or random.SystemRandom()
    fixed = [(item.question_id, item.points) for item in exam.fixed_questions.all()]
    taken = {question_id for question_id, _points in fixed}
    samples: list[tuple[object, list[int]]] = []
    for rule in exam.rules.select_related("category"):
        pool = [pk for pk in rule_pool(rule) if pk not in taken]
        # A few spares replace questions retired since the pool was read, without another
        # pass over the bank.
        sample = rng.sample(pool, min(len(pool), rule.count + 5))
        samples.append((rule, sample))
        taken.update(sample)
    # The current version of each candidate still in use, with what freezing it needs.
    versions = {
        row["pk"]: row
        for row in Question.objects.filter(
            pk__in=taken, status=QuestionStatus.ACTIVE, current_version__isnull=False
        ).values(
            "pk",
            "kind",
            "current_version_id",
            "current_version__choices",
            "current_version__blanks",
        )
    }
    drawn = [
        _drawn(question_id, points, versions[question_id])
        for question_id, points in fixed
        if question_id in versions
    ]
    for rule, sample in samples:
        live = [pk for pk in sample if pk in versions][: rule.count]
        drawn.extend(_drawn(pk, rule.points, versions[pk]) for pk in live)
    return drawn


def _drawn(question_id, points, row) -> Drawn:
    kind, version_id = row["kind"], row["current_version_id"]
    if kind == "blank":
        return Drawn(question_id, version_id, kind, points, "", len(row["current_version__blanks"]))
    keys = "".join(choice["key"] for choice in row["current_version__choices"])
    return Drawn(question_id, version_id, kind, points, keys, len(keys))
