"""The year results spreadsheet (XLSX or CSV): one writer shared by the admin report, the
unit leaders' download, `manage.py export_year_results` and the export task, and the one
download response of the two pages."""

import io

from django.http import FileResponse
from django.utils import translation

from lms.spreadsheets import FORMATS, FormulaSafeSheet

# Each column: the field it reads and its fixed Chinese heading, as HR's forms use.
COLUMNS = [
    ("cadre.name", "姓名"),
    ("cadre.phone", "手机号"),
    ("unit_name", "单位"),
    ("position", "职务"),
    ("category_label", "人员类别"),
    ("credit_hours", "学时"),
    ("exam_score", "考试成绩"),
    ("base_score", "基础分"),
    ("bonus", "加分"),
    ("deductions", "扣分"),
    ("total", "总分"),
    ("grade", "等次"),
    ("rank_in_unit", "单位内排名"),
]


class YearResultSheet(FormulaSafeSheet):
    """Columns and headings of the export."""

    list_export = [field for field, _heading in COLUMNS]
    export_headings = dict(COLUMNS)


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


def year_results_download(*, rows, export_format: str, filename: str) -> FileResponse:
    """The rows (a YearResult queryset, with `cadre` selected) as a file to download."""
    output = io.BytesIO()
    year_results_write(
        rows=rows.iterator(chunk_size=2000), export_format=export_format, output=output
    )
    output.seek(0)
    return FileResponse(output, as_attachment=True, filename=filename)


def year_results_filename(*, year: int, unit=None, export_format: str) -> str:
    scope = unit.name if unit is not None else "全部单位"
    return f"{year}年度考核结果-{scope}.{export_format}"
