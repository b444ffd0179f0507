"""Reading an uploaded table (XLSX, or CSV/TXT in UTF-8, UTF-16 or GBK) into rows of text,
finding its columns through a table of header aliases, and the one error a row can have:
shared by the roster import (lms.accounts) and the question import (exams), which keep
their own columns and rules. It lives at the top of lms, below both apps.

The file is checked before it is read (size, emptiness, an old .xls, the XLSX archive's
declared sizes, binary bytes in a "CSV") and bounded while it is read
(lms/spreadsheet_limits.py); every refusal is a TabularError whose message tells the person
uploading what to do. Each importer may word the refusals its own way (Wording).
"""

import contextlib
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.spreadsheet_limits import SpreadsheetLimitError, bounded_rows, xlsx_archive_check

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
XLSX_NAMES = (".xlsx", ".xlsm")
# What openpyxl raises, opening or reading, for a zip that is not a sound workbook.
_XLSX_FAILURES = (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, SyntaxError)


class TabularError(ValueError):
    """The file as a whole cannot be read; the message says why, for the person uploading."""

    def __init__(self, message):
        self.message = str(message)
        super().__init__(self.message)


@dataclass(frozen=True)
class RowError:
    """One problem of one row (numbered as the spreadsheet numbers it; 0 for the file), in
    one column (its header as the template spells it) or in none."""

    row: int
    column: str
    message: str

    def __str__(self):
        where = _("row %(row)d") % {"row": self.row}
        if self.column:
            where += f" {self.column}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Wording:
    """The refusals' messages; an importer that has always said it otherwise passes its own."""

    empty: str | Promise = gettext_lazy("The file is empty.")
    too_big: str | Promise = ""
    not_spreadsheet: str | Promise = gettext_lazy(
        "The file is not a spreadsheet: upload an XLSX or CSV file."
    )
    encoding: str | Promise = gettext_lazy("The CSV file is neither UTF-8 nor GBK encoded.")
    old_xls: str | Promise = gettext_lazy(
        "Old Excel files (.xls) are not supported: save it as .xlsx in Excel, then import it."
    )
    fake_xlsx: str | Promise = gettext_lazy(
        "The file's extension is .xlsx, but it is not a valid Excel file."
    )
    unreadable_xlsx: str | Promise = gettext_lazy(
        "The file is not a readable XLSX workbook: upload an XLSX or CSV file."
    )
    damaged_xlsx: str | Promise = gettext_lazy(
        "The file is not a readable XLSX workbook: upload an XLSX or CSV file."
    )
    malformed_csv: str | Promise = gettext_lazy("The CSV file is malformed: %(error)s")


DEFAULT_WORDING = Wording()


def cell_text(value: object) -> str:
    """A cell as stripped text; whole floats lose their '.0' (Excel stores a phone number
    or a 1 typed as a number as 13800000001.0 or 1.0)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def is_xlsx(data: bytes) -> bool:
    return data.startswith(XLSX_MAGIC)


def read_table(
    data: bytes,
    filename: str,
    *,
    wording: Wording = DEFAULT_WORDING,
    max_bytes: int | None = None,
    text_names: tuple[str, ...] | None = None,
    sheet_wanted: Callable[[list[str]], bool] | None = None,
) -> Iterator[list[str]]:
    """Every row of the file as stripped texts, empty rows and the header row included,
    read as they are needed. XLSX is told by its content, whatever its name; anything else
    is read as CSV (comma- or tab-separated), if its name ends with one of `text_names`
    (None: whatever its name). The sheet read is the first one whose first row
    `sheet_wanted` accepts (or the last one); without it, the first. Raises TabularError,
    on the first row or while reading."""
    name = (filename or "").lower()
    if max_bytes is not None and len(data) > max_bytes:
        raise TabularError(wording.too_big)
    if not data.strip():
        raise TabularError(wording.empty)
    if data.startswith(XLS_MAGIC):
        raise TabularError(wording.old_xls)
    if is_xlsx(data):
        try:
            xlsx_archive_check(data)
        except SpreadsheetLimitError as exc:
            raise TabularError(exc.message) from exc
        rows = _xlsx_rows(data, wording, sheet_wanted)
    elif text_names is not None and not name.endswith(text_names):
        raise TabularError(wording.not_spreadsheet)
    elif name.endswith(XLSX_NAMES):
        raise TabularError(wording.fake_xlsx)
    else:
        rows = _csv_rows(data, wording)
    try:
        for row in bounded_rows(rows):
            yield [cell_text(value) for value in row]
    except SpreadsheetLimitError as exc:
        raise TabularError(exc.message) from exc


def _xlsx_rows(data: bytes, wording: Wording, sheet_wanted) -> Iterator[list[object]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = _wanted_sheet_rows(workbook, sheet_wanted)
    except _XLSX_FAILURES as exc:
        raise TabularError(wording.unreadable_xlsx) from exc
    try:
        yield from rows
    except _XLSX_FAILURES as exc:
        raise TabularError(wording.damaged_xlsx) from exc
    finally:
        workbook.close()


def _wanted_sheet_rows(workbook, sheet_wanted) -> Iterator[list[object]]:
    sheets = workbook.worksheets
    for sheet in sheets:
        # Files from other tools often carry stale dimensions; read what is really there.
        sheet.reset_dimensions()
        if sheet_wanted is not None and sheet is not sheets[-1]:
            first = next(sheet.iter_rows(max_row=1, values_only=True), ())
            if not sheet_wanted([cell_text(value) for value in first]):
                continue
        return (list(row) for row in sheet.iter_rows(values_only=True))
    raise ValueError("workbook has no sheets")


def _csv_rows(data: bytes, wording: Wording) -> Iterator[list[str]]:
    # Binary bytes early on mean this is no text, whatever it decodes to (UTF-16 has them).
    if b"\x00" in data[:4096] and not data.startswith(UTF16_BOMS):
        raise TabularError(wording.not_spreadsheet)
    text = text_decode(data, western_fallback=False)
    if text is None:
        raise TabularError(wording.encoding)
    if "\x00" in text:
        raise TabularError(wording.not_spreadsheet)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as exc:
        raise TabularError(str(wording.malformed_csv) % {"error": exc}) from exc


def _mostly_gb2312(text: str) -> bool:
    """True when the non-ASCII characters look like everyday Chinese rather than byte soup
    produced by decoding a Western code page as GB18030."""
    wide = [ch for ch in text if ord(ch) > 127]
    if not wide:
        return True
    good = 0
    for ch in wide:
        with contextlib.suppress(UnicodeEncodeError):
            ch.encode("gb2312")
            good += 1
    return good >= 0.9 * len(wide)


def text_decode(data: bytes, *, western_fallback: bool = True) -> str | None:
    """An uploaded text file decoded: UTF-16 with a byte-order mark, UTF-8 (mark optional),
    GB18030/GBK, and, with `western_fallback`, Windows-1252 (old Moodle GIFT exports);
    None if it is none of them."""
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    with contextlib.suppress(UnicodeDecodeError):
        return data.decode("utf-8-sig")
    gb_text = None
    with contextlib.suppress(UnicodeDecodeError):
        gb_text = data.decode("gb18030")
    if gb_text is not None and (not western_fallback or _mostly_gb2312(gb_text)):
        return gb_text
    if western_fallback:
        with contextlib.suppress(UnicodeDecodeError):
            return data.decode("cp1252")
    return gb_text


def header_key(value: object) -> str:
    """A header cell as it is compared: full-width letters as half-width, case, spaces and
    the "*" authors put on required columns ignored."""
    text = unicodedata.normalize("NFKC", cell_text(value))
    return re.sub(r"[\s*＊]", "", text).casefold()


def header_columns(row: Iterable[object], fields: Mapping[str, Iterable[str]]) -> dict[str, int]:
    """Where each field's column is in a header row: `fields` maps a field to the headers
    that may name it; the first column named for a field wins."""
    lookup = {header_key(alias): key for key, aliases in fields.items() for alias in aliases}
    columns: dict[str, int] = {}
    for index, value in enumerate(row):
        key = lookup.get(header_key(value))
        if key and key not in columns:
            columns[key] = index
    return columns
