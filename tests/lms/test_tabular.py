"""The one reader of uploaded tables (lms/tabular.py), shared by the roster and the
question importers: encodings, refusals, header aliases and the row error's wording."""

import io
import zipfile

import pytest
from django.utils import translation
from openpyxl import Workbook

from lms.tabular import RowError, TabularError, Wording, header_columns, read_table

ROWS = [["姓名", "手机号"], ["张伟", "13800001234"]]


def xlsx(*sheets) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for rows in sheets:
        sheet = book.create_sheet()
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def refusal(data: bytes, filename: str, **options) -> str:
    with translation.override("zh-hans"), pytest.raises(TabularError) as caught:
        list(read_table(data, filename, **options))
    return caught.value.message


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-8", "utf-16"])
def test_csv_in_every_encoding_a_clerk_saves(encoding):
    data = "姓名,手机号\n张伟,13800001234\n".encode(encoding)
    assert list(read_table(data, "r.csv")) == ROWS


def test_tab_separated_text_and_stripped_cells():
    assert list(read_table(" 姓名 \t手机号\n张伟\t 13800001234\n".encode(), "r.txt")) == ROWS


def test_xlsx_numbers_typed_as_numbers_read_as_text():
    rows = list(read_table(xlsx([ROWS[0], ["张伟", 13800001234.0], ["李", 2.5, True]]), "r"))
    assert rows[1:] == [["张伟", "13800001234"], ["李", "2.5", "TRUE"]]


def test_the_wanted_sheet_is_the_first_whose_header_it_accepts():
    data = xlsx([["说明"]], ROWS, [["其他"]])
    assert list(read_table(data, "r.xlsx", sheet_wanted=lambda header: "姓名" in header)) == ROWS
    assert list(read_table(data, "r.xlsx")) == [["说明"]]


@pytest.mark.parametrize(
    ("data", "filename", "options", "fragment"),
    [
        (b"", "r.csv", {}, "空"),
        (b" \n ", "r.xlsx", {}, "空"),
        (b"x" * 11, "r.csv", {"max_bytes": 10, "wording": Wording(too_big="too big")}, "too big"),
        (b"\x00\x01\x02\x03binary", "r.csv", {}, "不是电子表格"),
        (b"a,b\n" * 2000 + b"\x00", "r.csv", {}, "不是电子表格"),
        (b"%PDF-1.4", "r.pdf", {"text_names": (".csv",)}, "不是电子表格"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old", "r.xls", {}, ".xls"),
        (b"PK\x03\x04 not a zip", "r.xlsx", {}, "XLSX"),
        (b"a,b\n", "r.xlsx", {}, ".xlsx"),
        (b"\xff\xfe\x00\xd8", "r.csv", {}, "UTF-8"),
    ],
)
def test_files_that_cannot_be_read_are_refused_saying_why(data, filename, options, fragment):
    assert fragment in refusal(data, filename, **options)


def test_an_importer_words_a_refusal_its_own_way():
    assert refusal(b"", "r.csv", wording=Wording(empty="没有题目")) == "没有题目"


def test_an_archive_declaring_too_many_parts_is_refused_before_opening(settings):
    settings.IMPORT_LIMITS = {"xlsx_entries": 3}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for number in range(5):
            archive.writestr(f"part{number}.xml", "<x/>")
    assert "3" in refusal(out.getvalue(), "r.xlsx")


def test_rows_past_the_limit_are_refused_naming_it(settings):
    settings.IMPORT_LIMITS = {"rows": 2}
    assert "2" in refusal(b"h\n1\n2\n3\n", "r.csv")


def test_header_aliases_ignore_case_width_spaces_and_required_marks():
    fields = {"name": ("姓名", "name"), "unit_code": ("单位编码", "unit code")}
    header = ["备注", "*姓名", "ＵＮＩＴ　ＣＯＤＥ", "name"]
    assert header_columns(header, fields) == {"name": 1, "unit_code": 2}


def test_row_error_names_the_row_and_the_column():
    with translation.override("zh-hans"):
        assert str(RowError(3, "手机号", "号码无效")) == "第3行 手机号: 号码无效"
        assert str(RowError(2, "", "没有人员")) == "第2行: 没有人员"
