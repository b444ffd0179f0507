"""The one workbook builder (lms/spreadsheets.py): titles, header, widths, formats, and
formula-looking text kept as text."""

import io

from openpyxl import load_workbook

from lms.spreadsheets import XLSX_TYPE, xlsx_bytes, xlsx_response, xlsx_sheet, xlsx_workbook


def test_a_sheet_with_a_styled_header_widths_and_percentages():
    book = xlsx_workbook()
    xlsx_sheet(
        book,
        "单位" * 20,
        [["河口村", 0.5], ["=1+1", 0.25]],
        header=["单位", "通过率"],
        styled_header=True,
        widths=[30, None],
        number_formats={2: "0.0%"},
    )
    xlsx_sheet(book, "说明", [["第一行"]])
    opened = load_workbook(io.BytesIO(xlsx_bytes(book)))
    sheet = opened.worksheets[0]
    assert [s.title for s in opened.worksheets] == [("单位" * 20)[:31], "说明"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["单位", "通过率"],
        ["河口村", 0.5],
        ["=1+1", 0.25],
    ]
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    assert sheet["A3"].data_type == "s"
    assert sheet.column_dimensions["A"].width == 30
    assert sheet["B2"].number_format == "0.0%" and sheet["B1"].number_format == "General"


def test_the_download_response_names_the_file():
    response = xlsx_response(b"data", filename="考核结果.xlsx")
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
