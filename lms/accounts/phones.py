"""Mainland China mobile numbers: normalising what people type, and validating it."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_SEPARATORS = re.compile(r"[\s\-()（）]")


def phone_normalize(raw: str) -> str:
    """Strip spaces, dashes and a +86 / 0086 prefix; full-width digits become ASCII."""
    value = _SEPARATORS.sub("", str(raw or "")).translate(_FULLWIDTH_DIGITS)
    for prefix in ("+86", "0086"):
        if value.startswith(prefix):
            value = value[len(prefix) :]
    if len(value) == 13 and value.startswith("86"):
        value = value[2:]
    return value


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９＋", "0123456789+")


def validate_mobile(value: str) -> None:
    if not MOBILE_RE.match(value or ""):
        raise ValidationError(
            _("Enter a valid mainland mobile number (11 digits starting with 1)."),
            code="invalid_mobile",
        )
