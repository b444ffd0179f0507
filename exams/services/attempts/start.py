"""Starting an attempt: check the cadre may, draw the paper, freeze it, and answer with its
questions, on the year-end exam's start-storm path (every cadre of a county within
minutes).

Speed tricks on this path, each kept because `make bench-tricks` (tests/bench/tricks.py)
measured it on and off: 300 cadres starting at once against gunicorn 2x4 and PostgreSQL
on the 2-core development machine, medians of three interleaved pairs, 2026-12-04 (the
README's bench section has the whole table):

- The draw reads the exam's plan from a per-process cache (`exams/services/draw.py`):
  the paper's rules, pools and question shapes without a query. Figure: 44 starts/s
  against 34 with the plan read from the database at each start (+30 %), p95 6.5 s
  against 8.4 s; a second run, on a quieter machine after the other tricks went, 64
  against 56 (+14 %), p95 4.5 s against 5.0 s. Invariant: any save or delete of what a
  plan is read from bumps a generation key in the shared cache (`exams.apps` connects
  the signals), so every process sees an edit at its next start. Guarded by
  tests/exams/test_draw_plans.py (an edited, retired or imported question is seen by the
  next start), in both the SQLite and the PostgreSQL pass.
- The page that answers the start puts its unanswered question blocks together from a
  skeleton rendered once per shape (`exams/attempt_blocks.py`, which has its figure,
  invariant and test): 46 starts/s against 28 with every block through the template
  (second run: 78 against 54).

The new attempt also answers with its questions as `fresh_questions`, built from the
draw rather than read back from the rows just written.
"""

import random
import secrets
from datetime import timedelta
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exams.models import Attempt
from exams.selectors.attempts import question_shown
from exams.services.draw import exam_draw, exam_meant_for, exam_slots
from exams.services.slots import Slot, slot_refusal

from .errors import AttemptError
from .grade import attempt_grade_if_overdue


def _credit_hours(user, year) -> Decimal:
    from courses.selectors import credit_hours_of_year

    return credit_hours_of_year(user=user, year=year)


def attempt_start_check(*, exam, user, now=None, used: int | None = None) -> Slot | None:
    """Raise AttemptError if this cadre may not start a new attempt now; else return the
    cadre's slot open now, if their unit has slots. `used`: how many attempts the cadre
    has had at this exam, when the caller has just counted them."""
    now = now or timezone.now()
    if not exam_meant_for(exam, user):
        raise AttemptError(_("This exam is not available to you."), 404)
    if now < exam.opens_at:
        opens = timezone.localtime(exam.opens_at).strftime("%Y-%m-%d %H:%M")
        raise AttemptError(_("The exam opens at %(time)s.") % {"time": opens}, 409)
    if now >= exam.closes_at:
        raise AttemptError(_("The exam has closed."), 409)
    # From the exam's plan, like the audience: no query on the start storm's path.
    slot, refusal = slot_refusal(exam_slots(exam), user, now)
    if refusal:
        raise AttemptError(refusal, 403)
    if used is None:
        used = Attempt.objects.filter(exam=exam, user=user).count()
    if exam.attempts_allowed and used >= exam.attempts_allowed:
        raise AttemptError(_("You have used all your attempts at this exam."), 409)
    if exam.required_credit_hours:
        earned = _credit_hours(user, exam.year)
        if earned < exam.required_credit_hours:
            raise AttemptError(
                _(
                    "This exam needs %(required)s credit hours of study this year; you have "
                    "%(earned)s, %(missing)s to go."
                )
                % {
                    "required": exam.required_credit_hours,
                    "earned": earned,
                    "missing": exam.required_credit_hours - earned,
                },
                403,
            )
    return slot


def attempt_start(*, exam, user, now=None, rng=None, device: str = "") -> Attempt:
    """Resume the attempt in progress, or draw and freeze a new one, bound to `device`
    (exams/services/integrity.py). A new one carries
    its questions as `fresh_questions`: what `attempt_questions` would read back from the
    rows just written, for the page that answers the start."""
    now = now or timezone.now()
    mine = list(Attempt.objects.filter(exam=exam, user=user))
    open_attempt = next((a for a in mine if a.status == Attempt.Status.IN_PROGRESS), None)
    if open_attempt is not None:
        if open_attempt.is_running(now):
            return open_attempt
        attempt_grade_if_overdue(attempt=open_attempt, now=now)
    slot = attempt_start_check(exam=exam, user=user, now=now, used=len(mine))
    # Seeded once from the system's randomness: as unpredictable, without a system call for
    # each of the hundred-odd numbers a paper's shuffles take.
    rng = rng or random.Random(secrets.randbits(128))
    drawn = exam_draw(exam=exam, rng=rng)
    if not drawn:
        raise AttemptError(_("This exam has no questions yet."), 409)
    if exam.shuffle_questions:
        rng.shuffle(drawn)
    # An attempt started in a slot ends with it: the next batch starts on time.
    deadline = min(exam.closes_at, slot.ends_at) if slot else exam.closes_at
    if exam.time_limit_minutes:
        deadline = min(deadline, now + timedelta(minutes=exam.time_limit_minutes))
    orders = [_option_order(d.shape.choice_keys, exam.shuffle_options, rng) for d in drawn]
    attempt = Attempt(
        exam=exam,
        user=user,
        number=max((a.number for a in mine), default=0) + 1,
        started_at=now,
        deadline=deadline,
        max_score=sum((d.points for d in drawn), Decimal("0")),
        device_hash=device,
    )
    items = [
        (position, d.question_id, d.shape.version_id, d.shape.kind, d.points, order, d.shape.slots)
        for position, (d, order) in enumerate(zip(drawn, orders, strict=True), 1)
    ]
    try:
        _attempt_insert(attempt, items)
    except IntegrityError:
        # A double tap or a second device started at the same moment: resume that one.
        existing = Attempt.objects.filter(
            exam=exam, user=user, status=Attempt.Status.IN_PROGRESS
        ).first()
        if existing is None:
            raise
        return existing
    attempt.fresh_questions = [
        question_shown(
            attempt_id=attempt.pk,
            position=position,
            kind=d.shape.kind,
            stem=d.shape.stem,
            points=d.points,
            texts=d.shape.choice_texts,
            order=order,
            slots=d.shape.slots,
        )
        for position, (d, order) in enumerate(zip(drawn, orders, strict=True), 1)
    ]
    return attempt


_ITEM_COLUMNS = "attempt_id, position, question_id, version_id, kind, points, option_order, slots"
_ITEMS_PER_STATEMENT = 100


def _attempt_insert(attempt: Attempt, items: list[tuple]) -> None:
    """Write a new attempt (an unsaved instance, which gets its pk) and its items, the
    items as multi-row inserts rather than fifty model instances through `bulk_create`.
    The items' columns left out are empty until the cadre answers (answer, answered_at)
    and is graded (score)."""
    # Inside a caller's transaction, a savepoint keeps it usable after a refused insert.
    with transaction.atomic():
        attempt.save(force_insert=True)
        _items_insert(attempt.pk, items)


def _items_insert(attempt_id: int, rows: list[tuple]) -> None:
    with connection.cursor() as cursor:
        for first in range(0, len(rows), _ITEMS_PER_STATEMENT):
            chunk = rows[first : first + _ITEMS_PER_STATEMENT]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, 0)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO exams_attemptitem ({_ITEM_COLUMNS}, answer_seq) VALUES {values}",
                [value for row in chunk for value in (attempt_id, *row)],
            )


def _option_order(keys: str, shuffle: bool, rng) -> str:
    if not shuffle or not keys:
        return keys
    order = list(keys)
    rng.shuffle(order)
    return "".join(order)
