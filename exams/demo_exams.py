"""Demo exams (idempotent): a practice quiz on the 2021 new laws and this year's annual
exam, with graded attempts by demo cadres so that the statistics show something real.
Runs after the question bank's demo seed; the demo cadre 13800000001 is left free to
take the annual exam. The annual exam has slots for two units (县里分批考试): the demo
cadre's 青山村 from its opening for two days, so that they can start it now, and
石桥村 on a morning two days on."""

import random
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from exams.models import (
    Attempt,
    AttemptItem,
    Exam,
    ExamQuestion,
    ExamRule,
    ExamSlot,
    Question,
    QuestionCategory,
    QuestionKind,
    QuestionStatus,
    QuestionVersion,
)
from exams.services.attempts import AttemptError, attempt_grade, attempt_start
from lms.accounts.models import OrgUnit
from lms.accounts.roles import Role

ROOT_CATEGORY = "2021年新法"
DEMO_CADRE = "13800000001"
PRACTICE_TITLE = "新法练习：2021年新法"
# (kind, questions wanted, points each): 100 points when the bank has enough.
ANNUAL_RULES = [
    (QuestionKind.SINGLE, 20, Decimal("2")),
    (QuestionKind.MULTIPLE, 10, Decimal("3")),
    (QuestionKind.TRUEFALSE, 15, Decimal("2")),
]
PRACTICE_FIXED = {QuestionKind.SINGLE: 4, QuestionKind.MULTIPLE: 3, QuestionKind.TRUEFALSE: 3}
ANNUAL_SITTERS = 18
# unit code -> (days after the seed, start hour, end hour); None: from the exam's opening.
ANNUAL_SLOTS = {"QS-V01": (2, None, 18), "QS-V03": (2, 9, 11)}
PRACTICE_SITTERS = 8


def _pool(root):
    return Question.objects.filter(
        status=QuestionStatus.ACTIVE, current_version__isnull=False, category__in=root.subtree()
    )


def _upsert_exam(title, year, fields) -> tuple[Exam, bool]:
    exam = Exam.objects.filter(title=title, year=year).first() or Exam(title=title, year=year)
    for name, value in fields.items():
        setattr(exam, name, value)
    exam.save()
    # A paper cadres have sat keeps its questions; otherwise it is rebuilt from the bank.
    return exam, not exam.attempts.exists()


def _practice_exam(root, now) -> Exam:
    exam, rebuild = _upsert_exam(
        PRACTICE_TITLE,
        timezone.localtime(now).year,
        {
            "kind": Exam.Kind.PRACTICE,
            "opens_at": now - timedelta(days=1),
            "closes_at": now + timedelta(days=180),
            "time_limit_minutes": None,
            "attempts_allowed": 0,
            "counting": Exam.Counting.HIGHEST,
            "pass_percent": 60,
            "review_policy": Exam.ReviewPolicy.AFTER_SUBMIT,
            "review_shows_answers": True,
            "counts_for_evaluation": False,
            "shuffle_questions": False,
            "shuffle_options": True,
            "certificates": False,
            "is_published": True,
        },
    )
    if rebuild:
        ExamQuestion.objects.filter(exam=exam).delete()
        chosen = []
        for kind, n in PRACTICE_FIXED.items():
            chosen += list(
                _pool(root).filter(kind=kind).order_by("pk").values_list("pk", flat=True)[:n]
            )
        ExamQuestion.objects.bulk_create(
            ExamQuestion(exam=exam, question_id=pk, points=Decimal("10"), sort_order=order)
            for order, pk in enumerate(chosen)
        )
    return exam


def _annual_exam(root, now) -> Exam:
    exam, rebuild = _upsert_exam(
        f"{timezone.localtime(now).year}年度学法考试",
        timezone.localtime(now).year,
        {
            "kind": Exam.Kind.ANNUAL,
            "opens_at": now - timedelta(hours=1),
            "closes_at": now + timedelta(days=30),
            "time_limit_minutes": 60,
            "attempts_allowed": 1,
            "counting": Exam.Counting.HIGHEST,
            "pass_percent": 60,
            "review_policy": Exam.ReviewPolicy.AFTER_CLOSE,
            "review_shows_answers": True,
            "counts_for_evaluation": True,
            "shuffle_questions": True,
            "shuffle_options": True,
            "certificates": True,
            "is_published": True,
        },
    )
    if rebuild:
        annual_paper_rules_set(exam=exam, root=root)
    return exam


def annual_paper_rules_set(*, exam: Exam, root: QuestionCategory | None = None) -> Decimal:
    """Give an annual paper the demo's draw rules (ANNUAL_RULES, as far as the bank goes)
    and return its total points; the evaluation demo's past papers use it too, so their
    total is what their attempts were marked out of."""
    root = root or QuestionCategory.objects.filter(parent=None, name=ROOT_CATEGORY).first()
    ExamRule.objects.filter(exam=exam).delete()
    if root is None:
        return Decimal("0")
    available = dict(
        _pool(root).order_by().values("kind").annotate(n=Count("pk")).values_list("kind", "n")
    )
    rules = [
        ExamRule(
            exam=exam,
            kind=kind,
            category=root,
            count=min(n, available.get(kind, 0)),
            points=points,
            sort_order=order,
        )
        for order, (kind, n, points) in enumerate(ANNUAL_RULES)
        if available.get(kind)
    ]
    ExamRule.objects.bulk_create(rules)
    return sum((rule.count * rule.points for rule in rules), Decimal("0"))


def _annual_slots(exam, now) -> None:
    ExamSlot.objects.filter(exam=exam).delete()
    today = timezone.localtime(now).replace(minute=0, second=0, microsecond=0)
    units = OrgUnit.objects.in_bulk(list(ANNUAL_SLOTS), field_name="code")
    for code, (days, start_hour, end_hour) in ANNUAL_SLOTS.items():
        if code not in units:
            continue
        day = today + timedelta(days=days)
        starts_at = exam.opens_at if start_hour is None else day.replace(hour=start_hour)
        slot = ExamSlot.objects.create(
            exam=exam, starts_at=starts_at, ends_at=day.replace(hour=end_hour)
        )
        slot.units.set([units[code]])


def _simulated_answer(item, version, right: bool, rng):
    if item.kind == QuestionKind.BLANK:
        return [accepted[0] if right else "不清楚" for accepted in version.blanks]
    correct = version.correct_keys
    if right:
        return sorted(correct)
    wrong = [key for key in item.option_order if key not in correct]
    if item.kind == QuestionKind.MULTIPLE:
        # Half right: one correct choice left out, sometimes a wrong one picked.
        picked = correct[:-1] + ([rng.choice(wrong)] if wrong and rng.random() < 0.5 else [])
        return sorted(picked or wrong[:1])
    return [rng.choice(wrong)] if wrong else sorted(correct)


def _sit(exam, user, now, rng) -> Attempt | None:
    """One simulated sitting, answered with this cadre's skill (about 70% right)."""
    if Attempt.objects.filter(exam=exam, user=user).exists():
        return None
    started = now - timedelta(minutes=rng.randint(20, 50))
    try:
        attempt = attempt_start(exam=exam, user=user, now=started, rng=rng)
    except AttemptError:
        return None  # e.g. a paper the bank left empty
    items = list(attempt.items.all())
    versions = QuestionVersion.objects.in_bulk([item.version_id for item in items])
    skill = rng.uniform(0.5, 0.9)
    for seq, item in enumerate(items, start=1):
        item.answer = _simulated_answer(item, versions[item.version_id], rng.random() < skill, rng)
        item.answer_seq = seq
        item.answered_at = started + timedelta(seconds=30 * seq)
    AttemptItem.objects.bulk_update(items, ["answer", "answer_seq", "answered_at"])
    return attempt_grade(attempt_id=attempt.pk, now=started + timedelta(minutes=15))


def seed_exams(*, now=None) -> dict:
    """Create or update the demo papers and their attempts. Needs the bank's demo seed."""
    now = now or timezone.now()
    root = QuestionCategory.objects.filter(parent=None, name=ROOT_CATEGORY).first()
    if root is None or not _pool(root).exists():
        return {"exams": 0, "attempts": 0}
    with transaction.atomic():
        practice = _practice_exam(root, now)
        annual = _annual_exam(root, now)
        _annual_slots(annual, now)
    cadres = list(
        get_user_model()
        .objects.filter(groups__name=Role.CADRE, username__startswith="138", is_active=True)
        .exclude(username=DEMO_CADRE)
        .order_by("username")[:ANNUAL_SITTERS]
    )
    created = 0
    for user in cadres:
        rng = random.Random(f"annual-{user.username}")
        created += 1 if _sit(annual, user, now, rng) else 0
    demo_cadre = get_user_model().objects.filter(username=DEMO_CADRE).first()
    practisers = cadres[:PRACTICE_SITTERS] + ([demo_cadre] if demo_cadre else [])
    for user in practisers:
        rng = random.Random(f"practice-{user.username}")
        created += 1 if _sit(practice, user, now, rng) else 0
    return {"exams": 2, "attempts": created, "practice": practice.pk, "annual": annual.pk}
