"""The project's one formula-safe spreadsheet writer (XLSX and CSV), shared by every app
that writes a sheet a person opens in Excel: the year results, the roster's one-time
passwords, every admin listing's export, the exam statistics, the question bank. It lives
here, below the apps, so that lms/accounts may use it too.

XLSX rows go through Wagtail's SpreadsheetExportMixin, which turns any cell openpyxl would
take for a formula back into text (append_row does the same for hand-built workbooks); CSV
cells that a spreadsheet would evaluate get an apostrophe in front (OWASP "CSV injection").
Wagtail neutralises only XLSX: its CSV exports (every ModelViewSet with `list_export`, its
own reports such as the site history, which holds reasons people typed) write cells raw.
So formula_guard_install(), run by the accounts app at start-up, puts the CSV rule into
SpreadsheetExportMixin itself, and no export of any view can miss it."""

import io
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import pgettext_lazy
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.admin.widgets.button import HeaderButton

FORMATS = ("xlsx", "csv")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What a spreadsheet would run as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_BOM = "\ufeff"
# Excel refuses a sheet title longer than this.
SHEET_TITLE_LENGTH = 31


def neutralise_formula(value):
    """Strings a spreadsheet would evaluate, prefixed with an apostrophe so they are text.
    Leading spaces are looked through: some spreadsheets trim them before deciding."""
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _formula_safe(preprocess):
    def preprocess_field_value(self, field, value, export_format):
        value = preprocess(self, field, value, export_format)
        if export_format == self.FORMAT_CSV:
            value = neutralise_formula(value)
        return value

    preprocess_field_value.formula_safe = True
    return preprocess_field_value


def formula_guard_install() -> None:
    """Make every CSV that Wagtail's SpreadsheetExportMixin writes formula-safe (idempotent)."""
    current = SpreadsheetExportMixin.preprocess_field_value
    if not getattr(current, "formula_safe", False):
        SpreadsheetExportMixin.preprocess_field_value = _formula_safe(current)


class FormulaSafeSheet(SpreadsheetExportMixin):
    """Columns (`list_export`) and fixed headings (`export_headings`) of a sheet; rows are
    objects or dicts read by those names."""

    def to_row_dict(self, item):
        if isinstance(item, dict):
            return {field: item.get(field) for field in self.list_export}
        return super().to_row_dict(item)

    def get_heading(self, queryset, field):
        if field in self.export_headings:
            return str(self.export_headings[field])
        return super().get_heading(queryset, field)

    def preprocess_field_value(self, field, value, export_format):
        if value is None:
            return ""
        # CSV: the mixin's formula guard (formula_guard_install). XLSX: a string is a text
        # cell; the mixin turns any cell openpyxl would take for a formula back into text.
        return super().preprocess_field_value(field, value, export_format)

    def write_csv(self, rows, output) -> None:
        """UTF-8 with a byte-order mark, so Excel opens the Chinese correctly."""
        output.write(CSV_BOM.encode("utf-8"))
        for line in self.stream_csv(rows):
            output.write(line if isinstance(line, bytes) else line.encode("utf-8"))

    def xlsx_bytes(self, rows) -> bytes:
        output = io.BytesIO()
        self.write_xlsx(rows, output)
        return output.getvalue()


class ExportHeaderButtonsMixin:
    """For listing views with `list_export`: Wagtail puts its XLSX and CSV downloads in the
    header's unlabelled "…" menu, where clerks never look; these put them in the header as
    labelled buttons, as Wagtail does for other list-wide actions (add, import)."""

    export_xlsx_label = pgettext_lazy("admin header button", "Export Excel")
    export_csv_label = pgettext_lazy("admin header button", "Export CSV")

    @property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        if not self.show_export_buttons:
            return buttons
        exports = {self.xlsx_export_url, self.csv_export_url}
        return [button for button in buttons if button.url not in exports]

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.show_export_buttons:
            buttons += [
                HeaderButton(
                    self.export_xlsx_label,
                    url=self.xlsx_export_url,
                    icon_name="download",
                    priority=1100,
                ),
                HeaderButton(
                    self.export_csv_label,
                    url=self.csv_export_url,
                    icon_name="download",
                    priority=1110,
                ),
            ]
        return buttons


def append_row(worksheet, values) -> None:
    """Append a row to an openpyxl worksheet of a multi-sheet workbook, with the rule of the
    writer above: a string openpyxl would store as a formula ("=…") stays text."""
    worksheet.append(list(values))
    for cell in worksheet[worksheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def xlsx_workbook():
    """A workbook with no sheet yet: each comes from xlsx_sheet, in order."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    return book


def xlsx_sheet(
    book,
    title,
    rows: Iterable[Iterable[object]] = (),
    *,
    header: Iterable[object] | None = None,
    styled_header: bool = False,
    widths: Iterable[float | None] = (),
    number_formats: dict[int, str] | None = None,
):
    """A new sheet of `book`: its title cut to Excel's limit, the header row (in bold and
    kept in view when scrolling, if `styled_header`), the rows (formula-safe, append_row),
    the columns' widths in order (None: Excel's) and number formats of the rows' cells by
    column number, e.g. {4: "0.0%"}."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(str(title)[:SHEET_TITLE_LENGTH])
    first_row = 1
    if header is not None:
        append_row(sheet, header)
        first_row = 2
        if styled_header:
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            sheet.freeze_panes = "A2"
    for row in rows:
        append_row(sheet, row)
    for index, width in enumerate(widths, start=1):
        if width is not None:
            sheet.column_dimensions[get_column_letter(index)].width = width
    for column, number_format in (number_formats or {}).items():
        for (cell,) in sheet.iter_rows(min_row=first_row, min_col=column, max_col=column):
            cell.number_format = number_format
    return sheet


def xlsx_bytes(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_response(data: bytes, *, filename: str) -> HttpResponse:
    """An XLSX to download, under `filename` (which may be Chinese)."""
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
