"""Bounds on a spreadsheet being imported (questions, roster), checked before and while it
is read, so that a small file cannot take a server's memory or a thread for minutes.

An XLSX is a zip: a 99 KB file can hold one 100 MB shared string, or a sheet of two million
cells. So, before openpyxl opens it, the archive's directory is read (zipfile.infolist:
declared sizes, no decompression) and refused if it declares too many entries or too many
uncompressed bytes in all; zipfile never inflates an entry past its declared size, so the
declaration binds. The rows are then read in openpyxl's read-only mode (streamed), and
bounded_rows stops at the first row, column or cell past its limit. The limits are the
IMPORT_LIMITS setting; each refusal names the limit it hit.
"""

import io
import zipfile
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.utils.translation import gettext as _

DEFAULTS = {
    "cell_chars": 5000,
    "columns": 50,
    "rows": 20000,
    "xlsx_entries": 100,
    "xlsx_uncompressed_mb": 20,
}


class SpreadsheetLimitError(ValueError):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def import_limit(name: str) -> int:
    return {**DEFAULTS, **getattr(settings, "IMPORT_LIMITS", {})}[name]


def xlsx_archive_check(data: bytes) -> None:
    """Refuse an XLSX whose archive declares too many entries or bytes; a file that is not
    a zip at all is left to the reader, which says so in its own words."""
    try:
        entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    if len(entries) > import_limit("xlsx_entries"):
        raise SpreadsheetLimitError(
            _(
                "The workbook holds more than %(limit)d parts: "
                "save it again in Excel as a plain .xlsx."
            )
            % {"limit": import_limit("xlsx_entries")}
        )
    megabytes = import_limit("xlsx_uncompressed_mb")
    if sum(entry.file_size for entry in entries) > megabytes * 1024 * 1024:
        raise SpreadsheetLimitError(
            _(
                "The workbook unpacks to more than %(limit)d MB: split it into smaller files "
                "or remove what is not needed."
            )
            % {"limit": megabytes}
        )


def bounded_rows(rows: Iterable[Iterable[object]]) -> Iterator[list[object]]:
    """The rows, each as a list, refused at the first row, column or cell past its limit.
    Empty cells at the end of a row do not count as columns (files carry stale ones)."""
    max_rows, max_columns = import_limit("rows"), import_limit("columns")
    max_chars = import_limit("cell_chars")
    for number, row in enumerate(rows, start=1):
        if number > max_rows + 1:  # the header row is not counted
            raise SpreadsheetLimitError(
                _("The sheet has more than %(limit)d rows: split it into smaller files.")
                % {"limit": max_rows}
            )
        values = list(row)
        used = len(values)
        while used and values[used - 1] in (None, ""):
            used -= 1
        if used > max_columns:
            raise SpreadsheetLimitError(
                _("Row %(row)d has more than %(limit)d columns.")
                % {"row": number, "limit": max_columns}
            )
        for value in values[:used]:
            if isinstance(value, str) and len(value) > max_chars:
                raise SpreadsheetLimitError(
                    _("A cell in row %(row)d holds more than %(limit)d characters.")
                    % {"row": number, "limit": max_chars}
                )
        yield values


def sheet_rows_estimate(data: bytes) -> int | None:
    """About how many data rows the first sheet of an XLSX (or a CSV) holds, cheaply, to
    decide whether its import runs in the background; None if the file cannot be sized
    (the importer then says what is wrong with it, as always)."""
    if data[:4] != b"PK\x03\x04":
        # CSV: lines (a quoted multi-line cell counts twice; an estimate is enough).
        return max(0, data.count(b"\n") + (0 if data.endswith(b"\n") else 1) - 1)
    try:
        xlsx_archive_check(data)
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            # The sheet's declared dimension; without one, the rows are counted (streamed).
            rows = sheet.max_row if sheet.max_row is not None else None
            if rows is None:
                rows = sum(1 for _row in sheet.iter_rows(values_only=True))
        finally:
            workbook.close()
    except Exception:  # noqa: BLE001 - a file that cannot be sized is left to the importer
        return None
    return max(0, rows - 1)
