"""The year results spreadsheet (XLSX or CSV): one writer shared by the admin report, the
unit leaders' download, `manage.py export_year_results` and the export task."""

from django.utils import translation
from wagtail.admin.views.mixins import SpreadsheetExportMixin

FORMATS = ("xlsx", "csv")
# What a spreadsheet would run as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_BOM = "\ufeff"


def neutralise_formula(value):
    """Strings a spreadsheet would evaluate, prefixed with an apostrophe so they are text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class YearResultSheet(SpreadsheetExportMixin):
    """Columns and headings of the export; fixed Chinese headings, as HR's forms use."""

    list_export = [
        "cadre.name",
        "cadre.phone",
        "unit_name",
        "position",
        "category_label",
        "credit_hours",
        "exam_score",
        "base_score",
        "bonus",
        "deductions",
        "total",
        "grade",
        "rank_in_unit",
    ]
    export_headings = {
        "cadre.name": "姓名",
        "cadre.phone": "手机号",
        "unit_name": "单位",
        "position": "职务",
        "category_label": "人员类别",
        "credit_hours": "学时",
        "exam_score": "考试成绩",
        "base_score": "基础分",
        "bonus": "加分",
        "deductions": "扣分",
        "total": "总分",
        "grade": "等次",
        "rank_in_unit": "单位内排名",
    }

    def preprocess_field_value(self, field, value, export_format):
        if value is None:
            return ""
        if export_format == self.FORMAT_CSV:
            value = neutralise_formula(value)
        # XLSX: a string is a text cell; the mixin turns any cell openpyxl would take
        # for a formula back into text, so "=..." is shown, never run.
        return super().preprocess_field_value(field, value, export_format)

    def write_csv(self, rows, output) -> None:
        output.write(CSV_BOM.encode("utf-8"))
        for line in self.stream_csv(rows):
            output.write(line if isinstance(line, bytes) else line.encode("utf-8"))


def year_results_write(*, rows, export_format: str, output) -> None:
    """Write the rows (YearResult, with `cadre` selected) to a binary file object. CSV is
    UTF-8 with a byte-order mark, so Excel opens the Chinese correctly."""
    if export_format not in FORMATS:
        raise ValueError(f"unknown export format {export_format!r}")
    sheet = YearResultSheet()
    with translation.override("zh-hans"):
        if export_format == "xlsx":
            sheet.write_xlsx(rows, output)
        else:
            sheet.write_csv(rows, output)


def year_results_filename(*, year: int, unit=None, export_format: str) -> str:
    scope = unit.name if unit is not None else "全部单位"
    return f"{year}年度考核结果-{scope}.{export_format}"
