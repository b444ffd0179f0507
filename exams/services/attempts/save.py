"""Saving answers: the year-end exam's busiest path (every cadre, every question, often
twice), and the attempt token that lets it run without a session.

The speed trick on this path: one UPDATE checks ownership, the deadline (`running_sql`,
the model's rule), the device, the sequence number and that the answer fits the
question's kind and slots, and writes it; only a refused save reads more, to say why. The
token carries the user, deadline and device, so there is no session or user lookup.
Figure: saturated, the save runs at 0.99 of the throughput of a bare view doing one
indexed upsert (`make bench`'s floor: 1,000 against 1,010 saves/s, 500 cadres, 2026-12-01),
so there is nothing left to gain in the view. Invariant: the shape condition is built from
the same kinds (`exams.kinds`) and slot counts as `answer_validate`; guarded by
tests/exams/test_attempt_flow.py and tests/security/test_malformed_payloads.py (answers
that do not fit are refused on both paths).
"""

import json
from dataclasses import dataclass

from django.core import signing
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from exams.kinds import CHOICE_KINDS, QuestionKind
from exams.models import Attempt, AttemptItem
from exams.models.attempts import running_params, running_sql
from exams.option_tokens import option_keys

from .errors import AttemptElsewhere, AttemptError, AttemptTimeUp

TOKEN_SALT = "exams.attempt"
MAX_BLANK_LENGTH = 200


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
    WHERE a.id = %s AND a.user_id = %s AND {running} AND a.device_hash = %s
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
        shape_sql = "kind IN (%s, %s, %s) AND slots >= %s AND (kind = %s OR %s = 1)"
        shape_params = [*CHOICE_KINDS, needed, QuestionKind.MULTIPLE, len(value)]
    else:
        shape_sql = "kind = %s AND slots = %s"
        shape_params = [QuestionKind.BLANK, len(value)]
    postgres = connection.vendor == "postgresql"
    sql = _SAVE_SQL.format(
        json="%s::jsonb" if postgres else "%s",
        shape=shape_sql,
        running=running_sql("a"),
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
        *running_params(now),
        device,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        saved = cursor.rowcount == 1
    remaining = max(0, deadline_ts - int(now.timestamp()))
    if saved:
        return SaveResult(position=position, seq=seq, remaining_seconds=remaining)
    return _explain_refusal(attempt_id, user_id, position, seq, now, remaining, device)


def _explain_refusal(attempt_id, user_id, position, seq, now, remaining, device):
    """Why the save statement changed no row, read only then: the hot path stays one
    statement."""
    attempt = Attempt.objects.filter(pk=attempt_id, user_id=user_id).first()
    if attempt is None:
        raise AttemptError(_("This attempt does not exist."), 404)
    if not attempt.is_running(now):
        raise AttemptTimeUp()
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
