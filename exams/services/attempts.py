"""Attempts: starting (draw and freeze), saving answers, submitting and grading once,
and finalising attempts left open past their deadline."""

import contextlib
import json
import random
import secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from exams.models import Attempt, AttemptItem, Exam
from exams.option_tokens import option_keys
from exams.scoring import answer_score, score_passes
from exams.selectors.attempts import question_shown
from exams.services.draw import exam_draw, exam_meant_for, exam_slots
from exams.services.slots import Slot, slot_refusal

TOKEN_SALT = "exams.attempt"
CHOICE_KINDS = ("single", "multiple", "truefalse")
MAX_BLANK_LENGTH = 200


class AttemptError(Exception):
    """A refusal with a message for the cadre and the HTTP status that fits."""

    status = 400
    # A word for the page's script where the message alone is not enough ("elsewhere").
    code = ""

    def __init__(self, message: str, status: int | None = None):
        self.message = message
        if status is not None:
            self.status = status
        super().__init__(message)


class AttemptElsewhere(AttemptError):
    """The attempt runs on another device now (exams/services/integrity.py): this one's
    page stops saving and says so."""

    status = 409
    code = "elsewhere"

    def __init__(self):
        super().__init__(_("This exam is in progress on another device."))


# ---------------------------------------------------------------------------- starting


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
        if open_attempt.deadline > now:
            return open_attempt
        attempt_grade(attempt_id=open_attempt.pk, now=now, timed_out=True)
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
        with transaction.atomic():
            attempt.save(force_insert=True)
            _items_insert(attempt.pk, items)
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


# ------------------------------------------------------------------------------ tokens


def attempt_token_make(*, attempt) -> str:
    """Proves who writes to which attempt, without a session lookup per answer; sent in a
    header, so a cross-site form cannot send it (which is why the endpoint needs no CSRF
    cookie)."""
    return signing.dumps(
        {
            "a": attempt.pk,
            "u": attempt.user_id,
            "d": int(attempt.deadline.timestamp()),
            # The device this page runs on: the save compares it with the attempt's row.
            "h": attempt.device_hash,
        },
        salt=TOKEN_SALT,
        compress=True,
    )


def attempt_token_read(token: str, *, attempt_id: int) -> dict:
    try:
        claims = signing.loads(token or "", salt=TOKEN_SALT, max_age=7 * 24 * 3600)
    except signing.BadSignature as exc:
        raise AttemptError(_("Reload the exam page: its access token is not valid."), 403) from exc
    if claims.get("a") != attempt_id:
        raise AttemptError(_("Reload the exam page: its access token is not valid."), 403)
    return claims


# ------------------------------------------------------------------------------ saving


@dataclass(frozen=True)
class SaveResult:
    position: int
    seq: int
    remaining_seconds: int
    duplicate: bool = False


def answer_validate(answer) -> tuple[str, list]:
    """Shape check before the database: {"choices": ["A", "C"]} or {"blanks": ["…"]}.
    Returns ("choices", sorted keys) or ("blanks", texts)."""
    if not isinstance(answer, dict) or len(answer) != 1:
        raise AttemptError(_('An answer is either {"choices": [...]} or {"blanks": [...]}.'))
    ((shape, value),) = answer.items()
    if shape not in ("choices", "blanks") or not isinstance(value, list) or not 0 < len(value) <= 8:
        raise AttemptError(_("An answer names one to eight choices or blanks."))
    if shape == "choices":
        if not all(isinstance(key, str) and len(key) == 1 and key in "ABCDEFGH" for key in value):
            raise AttemptError(_("Choices are named by the letters A to H."))
        if len(set(value)) != len(value):
            raise AttemptError(_("The answer names the same choice twice."))
        return shape, sorted(value)
    if not all(isinstance(text, str) and len(text) <= MAX_BLANK_LENGTH for text in value):
        raise AttemptError(_("Each blank is a text of at most 200 characters."))
    return shape, [text.strip() for text in value]


def answer_from_page(*, attempt_id: int, position, answer):
    """The answer as the attempt page sends it, its choices named by the page's opaque
    values (exams.option_tokens), with the bank's keys in their place; a bank key sent
    as it is does not fit. Other shapes go on unchanged, for answer_validate to judge."""
    if not isinstance(answer, dict) or len(answer) != 1 or not isinstance(position, int):
        return answer
    values = answer.get("choices")
    if not isinstance(values, list):
        return answer
    keys = option_keys(attempt_id=attempt_id, position=position, values=values)
    if keys is None:
        raise AttemptError(_("This answer does not fit question %(n)d.") % {"n": position})
    return {"choices": keys}


_SAVE_SQL = """
UPDATE exams_attemptitem SET answer = {json}, answer_seq = %s, answered_at = %s
WHERE attempt_id = %s AND position = %s AND answer_seq < %s AND checked_at IS NULL
  AND {shape}
  AND EXISTS (
    SELECT 1 FROM exams_attempt a
    WHERE a.id = %s AND a.user_id = %s AND a.status = 'in_progress' AND a.deadline > %s
      AND a.device_hash = %s
    {lock}
  )
"""


def attempt_answer_save(
    *,
    attempt_id: int,
    user_id: int,
    position: int,
    answer,
    seq: int,
    deadline_ts: int,
    now=None,
    device: str = "",
) -> SaveResult:
    """Save one answer in one SQL statement that checks ownership, the deadline, the
    device, the sequence number and that the answer fits the question; explain a refusal
    after. `device`: the device hash the attempt token carries."""
    now = now or timezone.now()
    if not isinstance(position, int) or isinstance(position, bool) or not 0 < position < 10000:
        raise AttemptError(_("The question number is not valid."))
    if not isinstance(seq, int) or isinstance(seq, bool) or not 0 < seq < 2**31:
        raise AttemptError(_("The sequence number is not valid."))
    shape, value = answer_validate(answer)
    if shape == "choices":
        needed = max("ABCDEFGH".index(key) for key in value) + 1
        shape_sql = (
            "kind IN ('single', 'multiple', 'truefalse') AND slots >= %s"
            " AND (kind = 'multiple' OR %s = 1)"
        )
        shape_params = [needed, len(value)]
    else:
        shape_sql = "kind = 'blank' AND slots = %s"
        shape_params = [len(value)]
    postgres = connection.vendor == "postgresql"
    sql = _SAVE_SQL.format(
        json="%s::jsonb" if postgres else "%s",
        shape=shape_sql,
        # Waits for a submit that is grading this attempt, then sees it graded: an answer
        # is never acknowledged after the grading read the answers.
        lock="FOR SHARE" if postgres else "",
    )
    params = [
        json.dumps(value, ensure_ascii=False),
        seq,
        now,
        attempt_id,
        position,
        seq,
        *shape_params,
        attempt_id,
        user_id,
        now,
        device,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        saved = cursor.rowcount == 1
    remaining = max(0, deadline_ts - int(now.timestamp()))
    if saved:
        return SaveResult(position=position, seq=seq, remaining_seconds=remaining)
    return _explain_refusal(
        attempt_id=attempt_id,
        user_id=user_id,
        position=position,
        seq=seq,
        shape=shape,
        value=value,
        now=now,
        remaining=remaining,
        device=device,
    )


def _explain_refusal(*, attempt_id, user_id, position, seq, shape, value, now, remaining, device):
    attempt = Attempt.objects.filter(pk=attempt_id, user_id=user_id).first()
    if attempt is None:
        raise AttemptError(_("This attempt does not exist."), 404)
    if attempt.status != Attempt.Status.IN_PROGRESS or attempt.deadline <= now:
        if attempt.status == Attempt.Status.IN_PROGRESS:
            attempt_grade(attempt_id=attempt.pk, now=now, timed_out=True)
        raise AttemptError(
            _("Time is up: this answer arrived after the deadline and was not saved."), 409
        )
    if attempt.device_hash != device:
        raise AttemptElsewhere()
    item = AttemptItem.objects.filter(attempt=attempt, position=position).first()
    if item is None:
        raise AttemptError(_("This attempt has no question %(n)d.") % {"n": position}, 400)
    if item.answer_seq >= seq:
        # A retry of a save that already landed (or an older one): acknowledge, change nothing.
        return SaveResult(
            position=position, seq=item.answer_seq, remaining_seconds=remaining, duplicate=True
        )
    raise AttemptError(_("This answer does not fit question %(n)d.") % {"n": position}, 400)


# ---------------------------------------------------------------------------- grading


# Wagtail's action log, on an attempt submitted by its deadline (no one's request).
DEADLINE_SUBMIT_ACTION = "exams.attempt.deadline_submit"


def attempt_grade(
    *, attempt_id: int, now=None, timed_out: bool = False, user_id=None, known=None
) -> Attempt | None:
    """Grade an attempt exactly once: the first caller to move it out of "in progress"
    grades it inside the same transaction; everyone else gets the graded attempt.

    `known` is the caller's copy of the attempt, read while in progress (with its exam).
    Only the claim changes an attempt in progress, so after a successful claim that copy
    is the row, and is not read again: one query less for each submit at the deadline."""
    now = now or timezone.now()
    with transaction.atomic():
        claim = Attempt.objects.filter(pk=attempt_id, status=Attempt.Status.IN_PROGRESS)
        if user_id is not None:
            claim = claim.filter(user_id=user_id)
        claimed = claim.update(status=Attempt.Status.GRADED, submitted_at=now, timed_out=timed_out)
        in_progress = Attempt.Status.IN_PROGRESS
        if claimed and known is not None and known.pk == attempt_id and known.status == in_progress:
            attempt = known
            attempt.status, attempt.submitted_at, attempt.timed_out = (
                Attempt.Status.GRADED,
                now,
                timed_out,
            )
        else:
            attempt = Attempt.objects.select_related("exam").filter(pk=attempt_id).first()
        if not claimed or attempt is None:
            return attempt
        if timed_out:
            # Graded with what was saved by the deadline, and dated then.
            attempt.submitted_at = min(now, attempt.deadline)
        _score(attempt)
        attempt.save(update_fields=["score", "passed", "submitted_at", "certificate_code"])
        _mistakes_record(attempt)
        if timed_out:
            # Nobody pressed submit: the clock did, and the trainer sees it in the log.
            log(instance=attempt, action=DEADLINE_SUBMIT_ACTION, user=None, data={"ip": None})
    return attempt


def _mistakes_record(attempt) -> None:
    # Imported here: the practice services build on this module.
    from exams.services.practice import mistakes_record_from_attempt

    mistakes_record_from_attempt(attempt=attempt)


def _score(attempt) -> None:
    # Plain rows, not items and their versions as instances: when everyone submits in the
    # last minute of the year-end exam, building those was a third of a submit.
    rows = list(
        attempt.items.values(
            "pk", "kind", "points", "answer", "version__choices", "version__blanks"
        )
    )
    partial = attempt.exam.multiple_scoring == Exam.MultipleScoring.PARTIAL
    scores = [
        (
            row["pk"],
            answer_score(
                kind=row["kind"],
                choices=row["version__choices"],
                blanks=row["version__blanks"],
                answer=row["answer"],
                points=row["points"],
                partial_multiple=partial,
            ),
        )
        for row in rows
    ]
    _item_scores_write(scores)
    total = sum((score for _pk, score in scores), Decimal("0"))
    attempt.score = total
    # The paper's full marks are the points of what this attempt drew: no query more.
    attempt.passed = score_passes(
        score=total,
        pass_percent=attempt.exam.pass_percent,
        max_score=sum((row["points"] for row in rows), Decimal("0")),
    )
    if attempt.passed and attempt.exam.certificates and not attempt.certificate_code:
        attempt.certificate_code = certificate_code_new()


def certificate_code_new() -> str:
    """5 random bytes as 10 upper-case hex digits: 2^40 codes, too many to guess one."""
    return secrets.token_hex(5).upper()


_SCORES_UNNEST = (
    "UPDATE exams_attemptitem AS item SET score = given.score"
    " FROM unnest(%s::bigint[], %s::numeric[]) AS given(id, score) WHERE item.id = given.id"
)


def _item_scores_write(scores: list[tuple[int, Decimal]]) -> None:
    # Not bulk_update: its CASE over fifty rows cost a third of a submit when everyone
    # submits in the last minute of the year-end exam.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            ids, values = zip(*scores, strict=True) if scores else ((), ())
            cursor.execute(_SCORES_UNNEST, [list(ids), list(values)])
        else:
            cursor.executemany(
                "UPDATE exams_attemptitem SET score = %s WHERE id = %s",
                [(score, pk) for pk, score in scores],
            )


def attempt_regrade(*, attempt) -> Decimal:
    """Score a graded attempt again (after a trainer fixed an answer key)."""
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().select_related("exam").get(pk=attempt.pk)
        before = attempt.score
        _score(attempt)
        attempt.regraded_at = timezone.now()
        attempt.save(update_fields=["score", "passed", "certificate_code", "regraded_at"])
    return (attempt.score or 0) - (before or 0)


def attempts_close_overdue(*, now=None, batch_size: int = 200) -> int:
    """Grade every attempt whose deadline has passed; returns how many were graded."""
    now = now or timezone.now()
    closed = 0
    while True:
        ids = list(
            Attempt.objects.filter(status=Attempt.Status.IN_PROGRESS, deadline__lte=now)
            .order_by("deadline")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return closed
        for attempt_id in ids:
            attempt = attempt_grade(attempt_id=attempt_id, now=now, timed_out=True)
            closed += 1 if attempt is not None else 0


def attempt_finalise_if_overdue(*, attempt, now=None) -> Attempt:
    now = now or timezone.now()
    if attempt.status == Attempt.Status.IN_PROGRESS and attempt.deadline <= now:
        return (
            attempt_grade(attempt_id=attempt.pk, now=now, timed_out=True, known=attempt) or attempt
        )
    return attempt
