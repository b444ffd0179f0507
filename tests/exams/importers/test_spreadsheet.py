import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook

from exams.importers import ImportFormatError, QuestionKind, parse_spreadsheet
from tests.exams.sheet_header import HEADER

GOOD = {
    "题型": "单选题",
    "题干": "行政处罚的设定机关是？",
    "选项A": "甲",
    "选项B": "乙",
    "答案": "A",
}


def zipped(name: str, content: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(name, content)
    return out.getvalue()


def xlsx(rows: list[dict], header: list[str] = HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(h) for h in header])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_good_file_with_every_kind():
    header = ["备注", "答案", "题干", "题型", "选项B", "选项A", "选项C", "分类", "难度", "分值"]
    header += ["解析", "法律依据"]
    rows = [
        {**GOOD, "分类": "2021年新法/行政处罚法", "难度": "难", "分值": 2.5, "解析": "见第十条"},
        {"题型": "多选", "题干": "多", "选项A": "a", "选项B": "b", "选项C": "c", "答案": "a、c"},
        {"题型": "判断题", "题干": "判断", "答案": "×", "法律依据": "《行政处罚法》第三十三条"},
        {"题型": "填空", "题干": "两空____和____", "答案": "二年/两年|五年", "分类": "甲 > 乙"},
        {"题型": "判断", "题干": "Excel 布尔值", "答案": True},
    ]
    result = parse_spreadsheet(xlsx(rows, header), "题库.xlsx")
    assert not result.errors and not result.warnings
    single, multiple, truefalse, blank, excel_bool = result.questions
    assert single.kind == QuestionKind.SINGLE
    assert [(c.text, c.fraction) for c in single.choices] == [("甲", 1), ("乙", 0)]
    assert single.category == ("2021年新法", "行政处罚法")
    assert (single.difficulty, single.points, single.explanation) == (
        "hard",
        Decimal("2.5"),
        "见第十条",
    )
    assert single.source == "第2行" and single.name == "行政处罚的设定机关是？"
    assert [c.fraction for c in multiple.choices] == [Decimal("0.5"), 0, Decimal("0.5")]
    assert multiple.difficulty == "medium" and multiple.points == 1
    assert [c.fraction for c in truefalse.choices] == [0, 1]
    assert truefalse.law_reference == "《行政处罚法》第三十三条"
    assert blank.blanks == [["二年", "两年"], ["五年"]] and blank.category == ("甲", "乙")
    assert [c.fraction for c in excel_bool.choices] == [1, 0]


@pytest.mark.parametrize(
    ("answer", "correct"),
    [("ABD", "ABD"), ("a,b,d", "ABD"), ("A、C", "AC"), ("Ａ，Ｃ", "AC"), ("ABCD", "ABCD")],
)
def test_multiple_answer_notations(answer, correct):
    row = {"题型": "多选题", "题干": "q", "选项A": "1", "选项B": "2", "选项C": "3", "选项D": "4"}
    (q,) = parse_spreadsheet(xlsx([{**row, "答案": answer}]), "a.xlsx").questions
    assert "".join(x for x, c in zip("ABCD", q.choices, strict=True) if c.fraction > 0) == correct
    assert sum(c.fraction for c in q.choices) == pytest.approx(1, abs=1e-6)


@pytest.mark.parametrize(
    ("override", "column", "message"),
    [
        ({"题干": None}, "题干", "题干不能为空"),
        ({"题型": "问答题"}, "题型", "未知题型"),
        ({"答案": "C"}, "答案", "选项C没有内容"),
        ({"答案": "AB"}, "答案", "单选题只能有一个正确答案"),
        ({"题型": "多选题", "答案": "A"}, "答案", "多选题至少需要两个正确答案"),
        ({"题型": "判断题", "答案": "也许"}, "答案", "判断题答案"),
        ({"选项B": None}, "选项", "至少需要两个选项"),
        ({"分值": "两分"}, "分值", "不是数字"),
        ({"分值": -1}, "分值", "必须大于0"),
        ({"难度": "超难"}, "难度", "难度"),
        ({"选项B": None, "选项C": "丙"}, "选项B", "选项不连续"),
        ({"答案": "A1"}, "答案", "格式不正确"),
        ({"答案": None}, "答案", "答案不能为空"),
    ],
)
def test_row_errors(override, column, message):
    result = parse_spreadsheet(xlsx([GOOD, {**GOOD, "题干": "第二题", **override}]), "a.xlsx")
    assert result.questions == [] or len(result.questions) == 1
    assert result.errors, "expected an error"
    assert all(e.row == 3 for e in result.errors)
    assert any(e.column == column and message in e.message for e in result.errors), result.errors


def test_all_errors_collected_and_blank_rows_skipped():
    rows = [{**GOOD, "答案": "Z"}, {}, {**GOOD, "题干": "另一题", "分值": 0}]
    result = parse_spreadsheet(xlsx(rows), "a.xlsx")
    assert [(e.row, e.column) for e in result.errors] == [(2, "答案"), (4, "分值")]


def test_duplicate_rows_keep_first():
    result = parse_spreadsheet(xlsx([GOOD, {**GOOD, "答案": "A"}]), "a.xlsx")
    assert len(result.questions) == 1
    assert result.warnings == ["第3行与第2行的题目重复，已保留第2行的题目。"]


def test_same_generic_stem_with_other_options_is_not_a_duplicate():
    rows = [GOOD, {**GOOD, "选项B": "丙"}]
    assert len(parse_spreadsheet(xlsx(rows), "a.xlsx").questions) == 2


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-8"])
def test_csv_encodings(encoding):
    text = (
        "题型,题干,选项A,选项B,答案\n单选,《宪法》是根本法吗？,是,否,A\n判断,宪法日是12月4日,,,对\n"
    )
    result = parse_spreadsheet(text.encode(encoding), "题库.csv")
    assert not result.errors
    assert [q.stem for q in result.questions] == ["《宪法》是根本法吗？", "宪法日是12月4日"]
    assert result.questions[1].source == "第3行"


def test_html_like_text_is_escaped_but_markup_is_kept():
    rows = [{**GOOD, "题干": "a<5 且 b>3\n第二行"}, {**GOOD, "题干": "<p>加粗<b>字</b></p>"}]
    first, second = parse_spreadsheet(xlsx(rows), "a.xlsx").questions
    assert first.stem == "a&lt;5 且 b&gt;3<br>第二行"
    assert second.stem == "<p>加粗<b>字</b></p>"


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"", "a.xlsx"),
        (b"   ", "a.csv"),
        (b"PK\x03\x04 not really a zip", "a.xlsx"),
        (zipped("word/document.xml", "<w/>"), "a.xlsx"),
        (zipped("[Content_Types].xml", "<broken"), "a.xlsx"),
        (b"\x00\x01\x02\x03binary", "a.csv"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old", "a.xls"),
        ("姓名,年龄\n张三,30\n".encode(), "a.csv"),
        ("题型,题干,答案\n".encode(), "a.csv"),
    ],
)
def test_unreadable_files_raise(data, filename):
    with pytest.raises(ImportFormatError):
        parse_spreadsheet(data, filename)


def test_five_thousand_rows():
    rows = [{**GOOD, "题干": f"第{i}题"} for i in range(5000)]
    result = parse_spreadsheet(xlsx(rows), "big.xlsx")
    assert len(result.questions) == 5000 and result.questions[-1].source == "第5001行"
