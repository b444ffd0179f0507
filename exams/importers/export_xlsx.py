"""XLSX export in the import template's layout, so an export can be edited and re-imported."""

from django.utils.translation import gettext as _
from openpyxl.styles import Alignment
from openpyxl.worksheet.datavalidation import DataValidation

from lms.spreadsheets import xlsx_bytes, xlsx_sheet, xlsx_workbook

from .common import KIND_LABELS
from .spreadsheet import FIELDS, OPTION_LETTERS, header_name
from .text import html_to_cell
from .types import ParsedQuestion, QuestionKind

COLUMNS = [
    "kind",
    "stem",
    *(f"option_{x}" for x in OPTION_LETTERS),
    "answer",
    "explanation",
    "category",
    "difficulty",
    "points",
    "law",
    "tags",
]
HEADERS = [header_name(key) for key in COLUMNS]
DIFFICULTY_CELLS = {"easy": "易", "medium": "中", "hard": "难"}
WIDTHS = {"stem": 60, "explanation": 40, "law": 30, "category": 20}

EXAMPLE_ROWS = [
    {
        "kind": "单选题",
        "stem": "根据《中华人民共和国行政处罚法》，违法行为在（  ）内未被发现的，不再给予行政处罚，"
        "法律另有规定的除外。",
        "option_A": "六个月",
        "option_B": "一年",
        "option_C": "二年",
        "option_D": "五年",
        "answer": "C",
        "explanation": "违法行为在二年内未被发现的，不再给予行政处罚；"
        "涉及公民生命健康安全、金融安全且有危害后果的，上述期限延长至五年。法律另有规定的除外。",
        "category": "行政法/行政处罚法",
        "difficulty": "易",
        "points": 1,
        "law": "《中华人民共和国行政处罚法》第三十六条",
    },
    {
        "kind": "多选题",
        "stem": "根据《中华人民共和国行政处罚法》，下列属于行政处罚种类的有（  ）。",
        "option_A": "警告、通报批评",
        "option_B": "罚款、没收违法所得、没收非法财物",
        "option_C": "暂扣许可证件、降低资质等级、吊销许可证件",
        "option_D": "记过",
        "answer": "ABC",
        "explanation": "记过是政务处分或处分的种类，不属于行政处罚。",
        "category": "行政法/行政处罚法",
        "difficulty": "中",
        "points": 2,
        "law": "《中华人民共和国行政处罚法》第九条",
    },
]

INSTRUCTIONS = [
    "填写说明",
    "1. 第1行是表头，请勿修改；题目从第2行开始，每行一题，空行会被跳过。",
    "2. 题型：单选题、多选题、判断题、填空题（也可写 单选、多选、判断、填空）。",
    "3. 选项A～选项H：选择题至少填两个选项，且必须从选项A开始连续填写。",
    "4. 答案：单选填一个字母，如 A；多选填多个字母，如 ABD 或 A,B,D；"
    "判断填 对/错（或 正确/错误、√/×、T/F）。",
    "5. 填空题答案：多个空用 | 或 ； 分隔，同一空的多个可接受答案用 / 分隔，如 二年/两年|五年。",
    "6. 分类：多级分类用 / 或 > 分隔，如 行政法/行政处罚法。",
    "7. 难度：易、中、难（不填为中）；分值：大于0的数字（不填为1）。",
    "8. 法律依据：如《中华人民共和国行政处罚法》第三十六条。",
]


def _answer(q: ParsedQuestion) -> str:
    if q.kind == QuestionKind.TRUEFALSE:
        return "对" if q.choices and q.choices[0].fraction == 1 else "错"
    if q.kind == QuestionKind.BLANK:
        return "|".join("/".join(alternatives) for alternatives in q.blanks)
    if q.kind == QuestionKind.SINGLE:
        best = max((c.fraction for c in q.choices), default=0)
        return next(
            (x for x, c in zip(OPTION_LETTERS, q.choices, strict=False) if c.fraction == best), ""
        )
    return "".join(x for x, c in zip(OPTION_LETTERS, q.choices, strict=False) if c.fraction > 0)


def _row(q: ParsedQuestion) -> dict[str, object]:
    row: dict[str, object] = {
        "kind": KIND_LABELS.get(q.kind, q.kind),
        "stem": html_to_cell(q.stem),
        "answer": _answer(q),
        "explanation": html_to_cell(q.explanation),
        "category": "/".join(q.category),
        "difficulty": DIFFICULTY_CELLS.get(q.difficulty, "中"),
        "points": q.points,
        "law": q.law_reference,
        "tags": ",".join(q.tags),
    }
    if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        if len(q.choices) > len(OPTION_LETTERS):
            raise ValueError(
                _("%(question)s: more than %(count)d options, it cannot go into a spreadsheet.")
                % {"question": q.source or q.name, "count": len(OPTION_LETTERS)}
            )
        for letter, choice in zip(OPTION_LETTERS, q.choices, strict=False):
            row[f"option_{letter}"] = html_to_cell(choice.text)
    return row


def _workbook(rows: list[dict[str, object]], *, with_help: bool) -> bytes:
    workbook = xlsx_workbook()
    # A stem or a GIFT choice can start with "=": text, never a formula (xlsx_sheet).
    sheet = xlsx_sheet(
        workbook,
        "题目",
        ([row.get(key, "") for key in COLUMNS] for row in rows),
        header=HEADERS,
        styled_header=True,
        widths=[WIDTHS.get(key, 14) for key in COLUMNS],
    )
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    if with_help:
        kinds = DataValidation(
            type="list", formula1='"单选题,多选题,判断题,填空题"', allow_blank=True
        )
        levels = DataValidation(type="list", formula1='"易,中,难"', allow_blank=True)
        sheet.add_data_validation(kinds)
        sheet.add_data_validation(levels)
        kinds.add("A2:A5000")
        column = sheet.cell(row=1, column=COLUMNS.index("difficulty") + 1).column_letter
        levels.add(f"{column}2:{column}5000")
        xlsx_sheet(workbook, "填写说明", ([line] for line in INSTRUCTIONS), widths=[100])
    return xlsx_bytes(workbook)


def write_xlsx(questions: list[ParsedQuestion]) -> bytes:
    return _workbook([_row(q) for q in questions], with_help=False)


def xlsx_template() -> bytes:
    return _workbook(EXAMPLE_ROWS, with_help=True)


assert set(COLUMNS) <= set(FIELDS)
