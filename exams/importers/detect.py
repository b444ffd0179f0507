"""Guess an upload's format from its name and first bytes."""

import re

from django.utils.translation import gettext as _

from lms.tabular import is_xlsx

from .text import decode_text
from .types import ImportFormatError

FORMATS = ("xlsx", "csv", "moodle-xml", "gift")
_EXTENSIONS = {
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".csv": "csv",
    ".xml": "moodle-xml",
    ".gift": "gift",
}
_XML_START = re.compile(rb"^(\xef\xbb\xbf)?\s*<(\?xml|quiz\b|!--)")
_GIFT_HINT = re.compile(
    r"(^|\n)\s*(::|\$CATEGORY:)|\{[^{}]*[=~#][^{}]*\}|\{\s*(T|F|TRUE|FALSE)\s*\}"
)
_HEADER_HINT = re.compile(r"题干|题型")


def detect_format(filename: str, data: bytes) -> str:
    if not data or not data.strip():
        raise ImportFormatError(_("The question file is empty."))
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFormatError(
            _(
                "Old Excel files (.xls) are not supported: save it as .xlsx in Excel, "
                "then import it."
            )
        )
    # Content beats the extension: a CSV renamed to .xlsx is still a CSV.
    if is_xlsx(data):
        return "xlsx"
    if _XML_START.match(data):
        return "moodle-xml"
    name = (filename or "").lower()
    by_name = next((fmt for ext, fmt in _EXTENSIONS.items() if name.endswith(ext)), None)
    if by_name in ("csv", "gift"):
        return by_name
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFormatError(
            _("Unrecognised file format: upload an .xlsx, .csv, Moodle XML or GIFT file.")
        )
    text = decode_text(data[:65536] if len(data) <= 65536 else data[:65536].rsplit(b"\n", 1)[0])
    first_line = text.lstrip().split("\n", 1)[0]
    if _HEADER_HINT.search(first_line) and ("," in first_line or "\t" in first_line):
        return "csv"
    if _GIFT_HINT.search(text):
        return "gift"
    raise ImportFormatError(
        _("Unrecognised file format: upload an .xlsx, .csv, Moodle XML or GIFT file.")
    )
