"""The one shape of our JSON endpoints' errors, and reading a JSON object from a request."""

import json

from django.http import JsonResponse
from django.utils.translation import gettext as _


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


def json_body(request, *, max_bytes: int) -> dict:
    """The request body as a JSON object, or JsonBodyError with a message for the cadre."""
    if len(request.body) > max_bytes:
        raise JsonBodyError(_("The request is too large."))
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise JsonBodyError(_("The request is not valid JSON.")) from exc
    if not isinstance(payload, dict):
        raise JsonBodyError(_("The request is not valid JSON."))
    return payload
