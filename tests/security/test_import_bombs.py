"""Import bombs: small XLSX files that unpack to a huge string, a sheet of millions of
cells, or too many rows are refused, before or while they are read, with a message that
names the limit; by the question and the roster importers alike."""

import io
import zipfile

import pytest
from django.utils import translation
from openpyxl import Workbook

from exams.importers.spreadsheet import parse_spreadsheet
from exams.importers.types import ImportFormatError
from lms.accounts.roster import RosterImportError, roster_import

pytestmark = pytest.mark.django_db


def _workbook(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _replaced(data: bytes, name: str, content: bytes) -> bytes:
    """The workbook with one part's content replaced or added (deflated, so it stays
    small; openpyxl writes no shared strings of its own)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info.filename, source.read(info.filename))
        target.writestr(name, content)
    return out.getvalue()


HEADER = ["题型", "题干", "答案", "姓名", "手机号", "单位编码"]


def _shared_string_bomb() -> bytes:
    # One shared string of 30 million characters, a few tens of KB once deflated.
    strings = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        b'uniqueCount="1"><si><t>' + b"a" * 30_000_000 + b"</t></si></sst>"
    )
    return _replaced(_workbook([HEADER, ["x"]]), "xl/sharedStrings.xml", strings)


def _column_bomb() -> bytes:
    # A sheet whose one row declares two million cells.
    cells = b"".join(b'<c r="A1" t="n"><v>1</v></c>' for _ in range(2_000_000))
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<dimension ref="A1:XFD1"/><sheetData><row r="1">' + cells + b"</row></sheetData>"
        b"</worksheet>"
    )
    return _replaced(_workbook([HEADER]), "xl/worksheets/sheet1.xml", sheet)


def _refusal(importer, data) -> str:
    with translation.override("zh-hans"):
        if importer == "questions":
            with pytest.raises(ImportFormatError) as caught:
                parse_spreadsheet(data, "bomb.xlsx")
        else:
            with pytest.raises(RosterImportError) as caught:
                roster_import(data=data, filename="bomb.xlsx")
        return str(caught.value)


IMPORTERS = ["questions", "roster"]


@pytest.mark.parametrize("importer", IMPORTERS)
def test_a_huge_shared_string_is_refused_before_opening(importer):
    data = _shared_string_bomb()
    assert len(data) < 200_000
    assert "20 MB" in _refusal(importer, data)


@pytest.mark.parametrize("importer", IMPORTERS)
def test_two_million_columns_are_refused_before_opening(importer):
    data = _column_bomb()
    assert len(data) < 1_000_000
    assert "20 MB" in _refusal(importer, data)


@pytest.mark.parametrize("importer", IMPORTERS)
def test_too_many_parts_are_refused(importer):
    data = _workbook([HEADER])
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a") as archive:
        for number in range(120):
            archive.writestr(f"xl/media/pad{number}.bin", b"")
    assert "100" in _refusal(importer, out.getvalue())


@pytest.mark.parametrize("importer", IMPORTERS)
def test_a_long_cell_is_refused_naming_the_limit(importer):
    data = _workbook([HEADER, ["单选题", "题" * 5001, "A", "王", "13800000001", "T"]])
    assert "5000" in _refusal(importer, data)


@pytest.mark.parametrize("importer", IMPORTERS)
def test_too_many_columns_are_refused(importer):
    data = _workbook([HEADER, ["x"] * 51])
    assert "50" in _refusal(importer, data)


@pytest.mark.parametrize("importer", IMPORTERS)
def test_too_many_rows_are_refused(importer, settings):
    settings.IMPORT_LIMITS = {**settings.IMPORT_LIMITS, "rows": 30}
    data = _workbook([HEADER] + [["单选题", "题", "A", "王", "138", "T"]] * 31)
    assert "30" in _refusal(importer, data)


@pytest.mark.parametrize("importer", IMPORTERS)
def test_too_many_rows_in_a_csv_are_refused(importer, settings):
    settings.IMPORT_LIMITS = {**settings.IMPORT_LIMITS, "rows": 30}
    data = ("\n".join([",".join(HEADER)] + ["单选题,题,A,王,138,T"] * 31)).encode()
    with translation.override("zh-hans"):
        if importer == "questions":
            with pytest.raises(ImportFormatError, match="30"):
                parse_spreadsheet(data, "bomb.csv")
        else:
            with pytest.raises(RosterImportError, match="30"):
                roster_import(data=data, filename="bomb.csv")


def _question_refusal(data: bytes, filename: str) -> str:
    from exams.services.bank_import import QuestionImportError, questions_import

    with translation.override("zh-hans"), pytest.raises(QuestionImportError) as caught:
        questions_import(data=data, filename=filename)
    return "；".join(caught.value.messages)


LONG = "长" * 5001


@pytest.mark.django_db
@pytest.mark.parametrize(
    "filename, data",
    [
        ("long.gift", f"::长题干:: {LONG} {{=甲 ~乙}}\n".encode()),
        ("long-option.gift", f"::长选项:: 题干 {{={LONG} ~乙}}\n".encode()),
        (
            "long.xml",
            (
                '<?xml version="1.0" encoding="UTF-8"?><quiz><question type="truefalse">'
                f"<name><text>长</text></name><questiontext><text>{LONG}</text></questiontext>"
                '<answer fraction="100"><text>true</text></answer>'
                '<answer fraction="0"><text>false</text></answer></question></quiz>'
            ).encode(),
        ),
    ],
    ids=["GIFT stem", "GIFT option", "Moodle XML stem"],
)
def test_a_long_text_in_any_question_format_is_refused_naming_the_limit(filename, data):
    from exams.models import Question

    message = _question_refusal(data, filename)
    assert "超过 5000 个字符" in message
    assert not Question.objects.exists()


def test_a_law_file_over_two_megabytes_is_refused_before_it_is_read(trainer):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from courses.models import Law
    from tests.conftest import client_for

    big = SimpleUploadedFile("big-law.md", ("# 测试法\n\n第一条 " + "字" * 700_000).encode())
    response = client_for(trainer).post(
        reverse("wagtailsnippets_courses_law:import"), {"file": big}
    )
    assert response.status_code == 400
    assert "2 MB" in response.content.decode()
    assert not Law.objects.exists()
