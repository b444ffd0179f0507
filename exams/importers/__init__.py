"""Question-bank importers and exporters (Moodle XML, GIFT, XLSX/CSV), free of Django but
for the gettext of their messages."""

from django.utils.translation import gettext as _

from .detect import FORMATS, detect_format
from .export_moodle_xml import write_moodle_xml
from .export_xlsx import write_xlsx, xlsx_template
from .gift import parse_gift
from .moodle_xml import parse_moodle_xml
from .spreadsheet import parse_spreadsheet
from .text import html_to_text, normalize_answer
from .types import (
    ImportFormatError,
    ParsedChoice,
    ParsedImage,
    ParsedQuestion,
    ParseResult,
    QuestionKind,
    RowError,
    SkippedQuestion,
)


def parse_questions(data: bytes, filename: str, fmt: str | None = None) -> ParseResult:
    """Parse an uploaded question file; `fmt` overrides detection (one of FORMATS)."""
    fmt = fmt or detect_format(filename, data)
    if fmt in ("xlsx", "csv"):
        # The spreadsheet reader tells the two apart by content; the name is a hint only.
        return parse_spreadsheet(data, filename if fmt == "xlsx" else "upload.csv")
    if fmt == "moodle-xml":
        return parse_moodle_xml(data)
    if fmt == "gift":
        return parse_gift(data)
    raise ImportFormatError(_("Unsupported import format: %(format)s") % {"format": fmt})


__all__ = [
    "FORMATS",
    "ImportFormatError",
    "ParseResult",
    "ParsedChoice",
    "ParsedImage",
    "ParsedQuestion",
    "QuestionKind",
    "RowError",
    "SkippedQuestion",
    "detect_format",
    "html_to_text",
    "normalize_answer",
    "parse_gift",
    "parse_moodle_xml",
    "parse_questions",
    "parse_spreadsheet",
    "write_moodle_xml",
    "write_xlsx",
    "xlsx_template",
]
