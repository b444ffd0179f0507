"""Reading uploaded spreadsheets (XLSX or CSV in UTF-8 or GBK) into rows of text."""

import csv
import io
import zipfile
from collections.abc import Iterator

from django.utils.translation import gettext as _

from lms.spreadsheet_limits import SpreadsheetLimitError, bounded_rows, xlsx_archive_check

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class SpreadsheetError(ValueError):
    """The file as a whole cannot be read; the message says why, for the person uploading."""


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        # Excel stores phone numbers typed as numbers as floats: 13800000001.0
        value = int(value)
    return str(value).strip()


def _decode_csv(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError(_("The CSV file is neither UTF-8 nor GBK encoded."))


def read_rows(data: bytes, filename: str) -> list[list[str]]:
    """All rows of the first sheet as stripped strings, the header row included."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise SpreadsheetError(_("The file is larger than 5 MB."))
    if not data.strip():
        raise SpreadsheetError(_("The file is empty."))
    name = (filename or "").lower()
    if data[:4] == b"PK\x03\x04":
        try:
            xlsx_archive_check(data)
            rows = list(bounded_rows(_xlsx_rows(data)))
        except SpreadsheetLimitError as exc:
            raise SpreadsheetError(exc.message) from exc
    elif name.endswith(".csv") or name.endswith(".txt"):
        if b"\x00" in data[:4096]:
            raise SpreadsheetError(_("The file is not a spreadsheet: upload an XLSX or CSV file."))
        text = _decode_csv(data)
        try:
            reader = bounded_rows(csv.reader(io.StringIO(text)))
            rows = [[cell.strip() for cell in row] for row in reader]
        except SpreadsheetLimitError as exc:
            raise SpreadsheetError(exc.message) from exc
    else:
        raise SpreadsheetError(_("The file is not a spreadsheet: upload an XLSX or CSV file."))
    rows = [row for row in rows if any(row)]
    if not rows:
        raise SpreadsheetError(_("The file is empty."))
    return rows


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise SpreadsheetError(
            _("The file is not a readable XLSX workbook: upload an XLSX or CSV file.")
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [_cell_text(value) for value in row]
    finally:
        workbook.close()
