"""Starting an attempt: check the cadre may, draw the paper, freeze it, and answer with its
questions, on the year-end exam's start-storm path (every cadre of a county within
minutes).

Speed tricks on this path, each measured by `make bench` with it on and off (the figures
are in the README's bench table):

- The draw reads the exam's plan from a per-process cache (`exams/services/draw.py`):
  the paper's rules, pools and question shapes without a query. Figure: 44 starts/s
  against 34 with the plan read from the database at each start (+30 %), p95 6.5 s
  against 8.4 s; a second run, on a quieter machine, 64
  against 56 (+14 %), p95 4.5 s against 5.0 s. Invariant: any save or delete of what a
  plan is read from bumps a generation key in the shared cache (`exams.apps` connects
  the signals), so every process sees an edit at its next start. Guarded by
  tests/exams/test_draw_plans.py (an edited, retired or imported question is seen by the
  next start), in both the SQLite and the PostgreSQL pass.
- The page that answers the start puts its unanswered question blocks together from a
  skeleton rendered once per shape (`exams/attempt_blocks.py`, which has its figure,
  invariant and test): 46 starts/s against 28 with every block through the template
  (second run: 78 against 54).
- On PostgreSQL the attempt and its items go in as one statement (`_START_SQL`); SQLite
  takes `save()` and a multi-row insert. Invariant: the
  statement's columns are the model's own concrete fields, valued as Django values them,
  so a new field cannot be left out silently. Guarded by
  tests/exams/test_start_storm_cost.py, which runs on both.
- An attempt's exam and its items' questions and versions are not database foreign keys
  (`db_constraint=False`; Django still protects them: `on_delete=PROTECT`). A foreign key
  makes every item insert lock its question's and version's rows (FOR KEY SHARE), and in
  a start storm every cadre's fifty inserts lock the same fifty rows.
  Figure, these two together (`make bench`, 500 cadres starting within 3 s, 2026-12-04):
  with them 100 and 102 starts/s, p95 1.85 and 1.68 s; without (the attempt saved, then
  its items, in a transaction, with the three foreign keys) 78, 79, 87 and 90 starts/s,
  p95 3.1, 3.0, 2.5 and 2.4 s: +21 % starts/s, p95 a third lower. Alone, in
  `make bench-tricks` (all 500 at once), each gained 4 to 6 %.
  Invariant: questions, versions and exams that attempts point at are never deleted (the
  bank retires questions, exams with attempts refuse deletion); guarded by
  tests/exams/test_bank_admin.py (no one may delete a question) and
  tests/exams/test_exam_admin.py (a paper with attempts is not deleted).

The new attempt also answers with its questions as `fresh_questions`, built from the
draw rather than read back from the rows just written.
"""

import contextlib
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
# PostgreSQL: the attempt and its items in one statement (one round trip, atomic by
# itself), the items as one array per column, so that the statement stays the same
# whatever the paper's length and neither the driver nor the server parses it again.
_START_SQL = (
    "WITH attempt AS (INSERT INTO exams_attempt ({columns}) VALUES ({values}) RETURNING id),"
    f" items AS (INSERT INTO exams_attemptitem ({_ITEM_COLUMNS}, answer_seq)"
    " SELECT attempt.id, position, question_id, version_id, kind, points, option_order, slots, 0"
    " FROM attempt, unnest(%s::int[], %s::bigint[], %s::bigint[], %s::text[], %s::numeric[],"
    " %s::text[], %s::int[]) AS t(position, question_id, version_id, kind, points,"
    " option_order, slots))"
    " SELECT id FROM attempt"
)


def _attempt_insert(attempt: Attempt, items: list[tuple]) -> None:
    """Write a new attempt (an unsaved instance, which gets its pk) and its items.

    On PostgreSQL not `create` and `bulk_create`: building fifty model instances, and a
    transaction's extra round trips, cost more than the rest of a start during the
    year-end exam's start storm. The attempt's columns are the model's, valued as
    Django's own insert values them; the items' columns left out are empty until the
    cadre answers (answer, answered_at) and is graded (score)."""
    if connection.vendor != "postgresql":
        _attempt_insert_portable(attempt, items)
        return
    # Inside a caller's transaction, a savepoint keeps it usable after a refused insert.
    with transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext():
        _attempt_statement(attempt, items)


def _attempt_statement(attempt: Attempt, items: list[tuple]) -> None:
    fields = [field for field in Attempt._meta.concrete_fields if not field.primary_key]
    sql = _START_SQL.format(
        columns=", ".join(connection.ops.quote_name(field.column) for field in fields),
        values=", ".join(["%s"] * len(fields)),
    )
    values = [
        field.get_db_prep_save(getattr(attempt, field.attname), connection) for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, *(list(column) for column in zip(*items, strict=True))])
        attempt.pk = cursor.fetchone()[0]
    attempt._state.adding = False
    attempt._state.db = connection.alias


def _attempt_insert_portable(attempt: Attempt, items: list[tuple]) -> None:
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
