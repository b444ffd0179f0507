"""The one shape of our JSON endpoints' errors, and reading a JSON object from a request.

json_body is where every JSON endpoint a phone calls (answer saves, heartbeats, check-ins)
turns a body into data, so it also refuses what no database column can hold: the
endpoints then answer 400 with a message instead of failing in the database with a 500.
A lone surrogate ("\\ud800", legal in JSON) cannot be encoded as UTF-8 (SQLite and
PostgreSQL both fail); NUL cannot be stored in PostgreSQL text or jsonb; NaN and Infinity
are not JSON at all to PostgreSQL; integers beyond a 32-bit column (a heartbeat's seq of
2**31) fail as "integer out of range". A body larger than Django's
DATA_UPLOAD_MAX_MEMORY_SIZE is refused before it is read, which Django would otherwise
answer with its HTML 400 page that the phone's script cannot read.
"""

import json

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.utils.translation import gettext as _

# The range of the integer columns the numbers land in (seq, positions, seconds).
INT_MIN, INT_MAX = -(2**31), 2**31 - 1


class JsonBodyError(Exception):
    status = 400

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def json_error(message: str, status: int, code: str = "") -> JsonResponse:
    """Scripts on the phone read `error` and show it; `ok` tells them apart from success;
    `code`, when given, tells a script a refusal it handles its own way."""
    body = {"ok": False, "error": message}
    if code:
        body["code"] = code
    return JsonResponse(body, status=status)


def _no_constant(name):
    raise ValueError(name)


def _storable(value) -> str | None:
    """Why `value` cannot be stored as it is, or None."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item or any("\ud800" <= ch <= "\udfff" for ch in item):
                return _("The answer holds characters that cannot be saved. Edit it and try again.")
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, int):
            if not INT_MIN <= item <= INT_MAX:
                return _("A number in the request is out of range.")
        elif isinstance(item, float):
            if item != item or item in (float("inf"), float("-inf")):
                return _("A number in the request is out of range.")
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def json_body(request, *, max_bytes: int) -> dict:
    """The request body as a JSON object, or JsonBodyError with a message for the cadre."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > max_bytes:
        raise JsonBodyError(_("The request is too large."))
    try:
        body = request.body
    except RequestDataTooBig as exc:
        raise JsonBodyError(_("The request is too large.")) from exc
    if len(body) > max_bytes:
        raise JsonBodyError(_("The request is too large."))
    try:
        payload = json.loads(body, parse_constant=_no_constant)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise JsonBodyError(_("The request is not valid JSON.")) from exc
    if not isinstance(payload, dict):
        raise JsonBodyError(_("The request is not valid JSON."))
    refusal = _storable(payload)
    if refusal:
        raise JsonBodyError(refusal)
    return payload
