"""Drawing an attempt's questions: fixed ones (all, or a sample when they are a pool) plus
random rules.

What a start needs of an exam (its row, who it is meant for, its slots, its fixed
questions, each rule's pool, and the current version of every candidate with its stem and
choices' texts) is read once and kept by each process as the exam's plan, so that a start
during the year-end exam's start storm looks up, checks, draws and shows the questions
without a query. A plan is dropped when anything it was read from changes (the exam, its
audience, a unit, any question, version, paper question, rule or slot: see
`exam_plans_stale`) and after PLAN_SECONDS at most."""

import copy
import random
import threading
import time
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from courses.audience import meant_for
from exams.models import Exam, ExamSlot, Question, QuestionStatus
from exams.services.slots import Slot, slots_from_rows

PLAN_SECONDS = 300
# Shared by every process (the cache is Redis in production): a new value makes every
# process read its plans again. A process looks at it at most once a GENERATION_SECONDS,
# so another process's change reaches its starts within that time (its own at once).
GENERATION_KEY = "exams:draw-generation"
GENERATION_SECONDS = 1.0
_seen = {"generation": None, "at": 0.0}


@dataclass(frozen=True)
class Shape:
    """What freezing a question into an attempt, and showing it, needs of its current
    version (not the key: grading reads that from the database)."""

    version_id: int
    kind: str
    choice_keys: str
    slots: int
    stem: str
    choice_texts: dict[str, str]


@dataclass(frozen=True)
class Drawn:
    question_id: int
    points: Decimal
    shape: Shape


@dataclass(frozen=True)
class Plan:
    read_at: float
    exam: Exam  # never handed out: exam_planned gives each caller a copy
    unit_paths: list[str]  # the audience: empty for everyone
    slots: list[Slot]
    fixed: list[tuple[int, Decimal]]
    rules: list[tuple[int, Decimal, list[int]]]  # (count, points, pool)
    shapes: dict[int, Shape]  # of the active candidates only


_plans: dict[tuple[int, str], Plan] = {}
_plans_lock = threading.Lock()


def _rule_filter(rule) -> Q:
    category = rule.category
    condition = Q(
        status=QuestionStatus.ACTIVE,
        kind=rule.kind,
        current_version__isnull=False,
    ) & category.subtree_q("category")
    if rule.difficulty:
        condition &= Q(difficulty=rule.difficulty)
    return condition


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
    """Fixed questions first (in their order; a sample of them when they are a pool), then
    each rule's random sample."""
    rng = rng or random.SystemRandom()
    plan = exam_plan(exam.pk)
    shapes = plan.shapes
    fixed = [(question_id, points) for question_id, points in plan.fixed if question_id in shapes]
    pool_size = plan.exam.fixed_draw_count
    if pool_size and pool_size < len(fixed):
        # The fixed questions as a pool: each cadre's own sample, in the paper's order.
        chosen = set(rng.sample(range(len(fixed)), pool_size))
        fixed = [row for index, row in enumerate(fixed) if index in chosen]
    drawn = [Drawn(question_id, points, shapes[question_id]) for question_id, points in fixed]
    taken = {question_id for question_id, _points in plan.fixed}
    for count, points, pool in plan.rules:
        candidates = [pk for pk in pool if pk not in taken]
        sample = rng.sample(candidates, min(len(candidates), count))
        taken.update(sample)
        drawn.extend(Drawn(pk, points, shapes[pk]) for pk in sample)
    return drawn


# ----------------------------------------------------------------------------- plans


def exam_plan(exam_id: int) -> Plan:
    """The exam's plan as this process keeps it, read again when stale. Raises
    Exam.DoesNotExist for an exam that is not there."""
    key = (exam_id, _generation())
    plan = _plans.get(key)
    if plan is not None and time.monotonic() - plan.read_at < PLAN_SECONDS:
        return plan
    plan = _plan_read(exam_id)
    with _plans_lock:
        for stale in [k for k in _plans if k[0] == exam_id or k[1] != key[1]]:
            del _plans[stale]
        _plans[key] = plan
    return plan


def exam_planned(exam_id: int) -> Exam | None:
    """The published exam of this id as its plan read it, a new instance for each caller
    (no query while the plan holds), or None. What the start storm's starts look up."""
    try:
        plan = exam_plan(exam_id)
    except Exam.DoesNotExist:
        return None
    if not plan.exam.is_published:
        return None
    # A deep copy: a caller's change, even to a list field, stays its own.
    return copy.deepcopy(plan.exam)


def exam_slots(exam) -> list[Slot]:
    """The exam's slots, from the plan (exams/services/slots.py says who follows which)."""
    return exam_plan(exam.pk).slots


def exam_meant_for(exam, user) -> bool:
    """Whether the exam is published for this cadre (`exams_visible_to`, from the plan)."""
    plan = exam_plan(exam.pk)
    exam = plan.exam
    return exam.is_published and meant_for(plan.unit_paths, exam.audience_categories, user)


def _plan_read(exam_id: int) -> Plan:
    # Read again rather than taken from a caller's instance, which may be older than the
    # plan's other rows.
    exam = Exam.objects.get(pk=exam_id)
    unit_paths = list(exam.audience_units.values_list("path", flat=True))
    slot_rows = ExamSlot.units.through.objects.filter(examslot__exam=exam).values_list(
        "examslot_id", "examslot__starts_at", "examslot__ends_at", "orgunit__path"
    )
    fixed = [(item.question_id, item.points) for item in exam.fixed_questions.all()]
    fixed_ids = {question_id for question_id, _points in fixed}
    live = Question.objects.filter(status=QuestionStatus.ACTIVE, current_version__isnull=False)
    # Each pool with its candidates' shapes in one read: no list of ids to send back.
    shapes = {row["pk"]: _shape(row) for row in _shape_rows(live.filter(pk__in=fixed_ids))}
    rules = []
    for rule in exam.rules.select_related("category"):
        rows = _shape_rows(Question.objects.filter(_rule_filter(rule)))
        shapes.update((row["pk"], _shape(row)) for row in rows)
        pool = [row["pk"] for row in rows if row["pk"] not in fixed_ids]
        rules.append((rule.count, rule.points, pool))
    return Plan(
        read_at=time.monotonic(),
        exam=exam,
        unit_paths=unit_paths,
        slots=slots_from_rows(slot_rows),
        fixed=fixed,
        rules=rules,
        shapes=shapes,
    )


def _shape_rows(questions) -> list[dict]:
    return list(
        questions.values(
            "pk",
            "kind",
            "current_version_id",
            "current_version__stem",
            "current_version__choices",
            "current_version__blanks",
        )
    )


def _shape(row) -> Shape:
    kind, version_id, stem = row["kind"], row["current_version_id"], row["current_version__stem"]
    if kind == "blank":
        return Shape(version_id, kind, "", len(row["current_version__blanks"]), stem, {})
    choices = row["current_version__choices"]
    keys = "".join(choice["key"] for choice in choices)
    texts = {choice["key"]: choice["text"] for choice in choices}
    return Shape(version_id, kind, keys, len(keys), stem, texts)


def _generation() -> str:
    now = time.monotonic()
    if _seen["generation"] is not None and now - _seen["at"] < GENERATION_SECONDS:
        return _seen["generation"]
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY)
    _seen.update(generation=generation, at=now)
    return generation


def exam_plans_stale(**_kwargs) -> None:
    """Signal receiver: something plans are read from was saved or deleted (apps.py), so
    every process's plans are stale. Told at once (this process sees its own change) and
    again at commit: a process that read a plan in between read the old rows."""

    def renew():
        generation = uuid.uuid4().hex
        cache.set(GENERATION_KEY, generation, timeout=None)
        _seen.update(generation=generation, at=time.monotonic())

    renew()
    transaction.on_commit(renew)
