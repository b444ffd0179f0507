"""Question import from the Chinese-headed XLSX/CSV template.

Every row is validated and every problem reported, because the import is
all-or-nothing and authors fix a whole sheet at once.
"""

import re
from collections.abc import Iterator
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from lms.tabular import TabularError, Wording, header_columns, read_table

from . import common
from .text import ENCODING_UNKNOWN, cell_to_html, make_name, normalize_answer
from .types import (
    ImportFormatError,
    ParsedChoice,
    ParsedQuestion,
    ParseResult,
    QuestionKind,
    RowError,
)

OPTION_LETTERS = "ABCDEFGH"

# Canonical header first: it is what error messages and the exporter use.
FIELDS = {
    "kind": ("题型", "题目类型", "试题类型"),
    "stem": ("题干", "题目", "题目内容", "试题内容"),
    "answer": ("答案", "正确答案", "参考答案", "标准答案"),
    "explanation": ("解析", "答案解析", "试题解析"),
    "category": ("分类", "题目分类", "题库分类"),
    "difficulty": ("难度",),
    "points": ("分值", "分数"),
    "law": ("法律依据",),
    "tags": ("标签",),
}
FIELDS |= {f"option_{x}": (f"选项{x}", x, f"{x}选项") for x in OPTION_LETTERS}
REQUIRED = ("kind", "stem", "answer")

KINDS = {
    "单选": QuestionKind.SINGLE,
    "单选题": QuestionKind.SINGLE,
    "单项选择": QuestionKind.SINGLE,
    "单项选择题": QuestionKind.SINGLE,
    "多选": QuestionKind.MULTIPLE,
    "多选题": QuestionKind.MULTIPLE,
    "多项选择": QuestionKind.MULTIPLE,
    "多项选择题": QuestionKind.MULTIPLE,
    "判断": QuestionKind.TRUEFALSE,
    "判断题": QuestionKind.TRUEFALSE,
    "填空": QuestionKind.BLANK,
    "填空题": QuestionKind.BLANK,
}
DIFFICULTIES = {
    "易": "easy",
    "简单": "easy",
    "容易": "easy",
    "中": "medium",
    "中等": "medium",
    "一般": "medium",
    "难": "hard",
    "困难": "hard",
    "较难": "hard",
}
TRUE_WORDS = frozenset({"对", "正确", "√", "✓", "✔", "T", "TRUE", "是"})
FALSE_WORDS = frozenset({"错", "错误", "×", "✗", "✘", "X", "F", "FALSE", "否"})

_LETTER_SEPARATORS = re.compile(r"[\s,，、;；]+")
_BLANK_SEPARATORS = re.compile(r"[|｜；;]")
_ALTERNATIVE_SEPARATORS = re.compile(r"[/／]")
_TAG_SEPARATORS = re.compile(r"[,，、;；]")


def header_name(key: str) -> str:
    return FIELDS[key][0]


def _map_header(row: list[str]) -> dict[str, int]:
    return header_columns(row, FIELDS)


def _require_header(columns: dict[str, int]) -> None:
    missing = [header_name(k) for k in REQUIRED if k not in columns]
    if missing:
        # The column names are the template's, in Chinese whatever the language.
        raise ImportFormatError(
            _(
                "No header found: row 1 must have the columns “题型”, “题干” and “答案”; "
                "missing “%(missing)s”."
            )
            % {"missing": pgettext("between quoted column names", "”, “").join(missing)}
        )


# How this importer has always worded a file it cannot read.
WORDING = Wording(
    empty=gettext_lazy("The question file is empty."),
    not_spreadsheet=gettext_lazy("This is not a CSV spreadsheet in text form."),
    encoding=ENCODING_UNKNOWN,
    unreadable_xlsx=gettext_lazy(
        "Cannot read the Excel file: make sure it is an .xlsx file and not damaged."
    ),
    damaged_xlsx=gettext_lazy("The Excel file's contents are damaged: cannot read it."),
)


def _is_question_sheet(header: list[str]) -> bool:
    return "stem" in _map_header(header)


def _rows(data: bytes, filename: str) -> Iterator[list[str]]:
    try:
        yield from read_table(data, filename, wording=WORDING, sheet_wanted=_is_question_sheet)
    except TabularError as exc:
        raise ImportFormatError(exc.message) from exc


class _Row:
    def __init__(self, number: int, values: list[str], columns: dict[str, int]):
        self.number = number
        self.values = values
        self.columns = columns
        self.errors: list[RowError] = []

    def get(self, key: str) -> str:
        index = self.columns.get(key)
        if index is None or index >= len(self.values):
            return ""
        return self.values[index]

    def error(self, key: str, message: str) -> None:
        column = header_name(key) if key in FIELDS else key
        self.errors.append(RowError(row=self.number, column=column, message=message))

    def options(self) -> dict[str, str]:
        present = {x: self.get(f"option_{x}") for x in OPTION_LETTERS}
        last = max((i for i, x in enumerate(OPTION_LETTERS) if present[x]), default=-1)
        for x in OPTION_LETTERS[:last]:
            if not present[x]:
                self.error(
                    f"option_{x}",
                    _("The options have a gap: option %(letter)s has no text.") % {"letter": x},
                )
        return {x: t for x, t in present.items() if t}


def _answer_letters(row: _Row, raw: str) -> list[str] | None:
    compact = _LETTER_SEPARATORS.sub("", normalize_answer(raw).upper())
    if not compact or any(ch not in OPTION_LETTERS for ch in compact):
        row.error(
            "answer",
            _(
                "The answer “%(answer)s” is not in the right form: write the letters of the "
                "options, such as A or ABD."
            )
            % {"answer": raw},
        )
        return None
    return list(dict.fromkeys(compact))


def _choices(row: _Row, kind: str, raw: str) -> list[ParsedChoice]:
    options = row.options()
    if len(options) < 2:
        # "选项" and the columns it names are the template's headers: data, in Chinese.
        row.error("选项", _("A choice question needs at least two options (选项A, 选项B)."))
    letters = _answer_letters(row, raw) if raw else None
    if not letters:
        return []
    for letter in letters:
        if letter not in options:
            row.error(
                "answer",
                _("The answer names option %(letter)s, which has no text.") % {"letter": letter},
            )
    if kind == QuestionKind.SINGLE and len(letters) > 1:
        row.error("answer", _("A single-answer question can have only one correct answer."))
    if kind == QuestionKind.MULTIPLE and len(letters) < 2:
        row.error("answer", _("A multiple-answer question needs at least two correct answers."))
    share = Decimal(1) if kind == QuestionKind.SINGLE else common.equal_share(len(letters))
    return [
        ParsedChoice(text=cell_to_html(text), fraction=share if x in letters else Decimal(0))
        for x, text in options.items()
    ]


def _truefalse(row: _Row, raw: str) -> list[ParsedChoice]:
    value = normalize_answer(raw).upper()
    if value not in TRUE_WORDS | FALSE_WORDS:
        if raw:
            # The answer words are what the sheet may hold: data, in Chinese.
            row.error(
                "answer",
                _(
                    "The true/false answer “%(answer)s” is not valid: write “对” or “错” "
                    "(or 正确/错误, √/×, T/F)."
                )
                % {"answer": raw},
            )
        return []
    correct = value in TRUE_WORDS
    return [
        ParsedChoice(text="对", fraction=Decimal(1 if correct else 0)),
        ParsedChoice(text="错", fraction=Decimal(0 if correct else 1)),
    ]


def _blanks(row: _Row, raw: str) -> list[list[str]]:
    blanks = []
    for position, part in enumerate(_BLANK_SEPARATORS.split(raw), start=1):
        alternatives = [a.strip() for a in _ALTERNATIVE_SEPARATORS.split(part) if a.strip()]
        if not alternatives and raw:
            row.error(
                "answer",
                _("Blank %(position)d of the fill-in-the-blank question has no answer.")
                % {"position": position},
            )
        blanks.append(alternatives)
    return blanks


def _points(row: _Row) -> Decimal:
    raw = row.get("points")
    if not raw:
        return Decimal(1)
    value = common.parse_decimal(normalize_answer(raw))
    if value is None:
        row.error("points", _("The points “%(value)s” are not a number.") % {"value": raw})
        return Decimal(1)
    if value <= 0:
        row.error(
            "points", _("The points must be more than 0; they are “%(value)s”.") % {"value": raw}
        )
        return Decimal(1)
    return common.clean_decimal(value)


def _difficulty(row: _Row) -> str:
    raw = normalize_answer(row.get("difficulty"))
    if not raw:
        return "medium"
    value = DIFFICULTIES.get(raw) or (raw.lower() if raw.lower() in DIFFICULTIES.values() else None)
    if value is None:
        # The difficulty words are what the sheet may hold: data, in Chinese.
        row.error(
            "difficulty",
            _("The difficulty “%(value)s” is not valid: write “易”, “中” or “难”.")
            % {"value": raw},
        )
        return "medium"
    return value


def _parse_row(row: _Row) -> ParsedQuestion | None:
    kind_raw = normalize_answer(row.get("kind"))
    kind = KINDS.get(kind_raw) or (
        kind_raw.lower() if kind_raw.lower() in QuestionKind.values else None
    )
    stem_raw = row.get("stem")
    answer = row.get("answer")
    if not kind_raw:
        row.error("kind", _("The question type cannot be empty."))
    elif kind is None:
        # The type words are what the sheet may hold: data, in Chinese.
        row.error(
            "kind",
            _("Unknown question type “%(kind)s”: write 单选, 多选, 判断 or 填空.")
            % {"kind": kind_raw},
        )
    if not stem_raw:
        row.error("stem", _("The stem cannot be empty."))
    if not answer:
        row.error("answer", _("The answer cannot be empty."))
    stem = cell_to_html(stem_raw)
    question = ParsedQuestion(
        kind=kind or "",
        name=make_name(stem),
        stem=stem,
        explanation=cell_to_html(row.get("explanation")),
        category=common.category_path_split(row.get("category")),
        difficulty=_difficulty(row),
        points=_points(row),
        law_reference=row.get("law"),
        tags=[t.strip() for t in _TAG_SEPARATORS.split(row.get("tags")) if t.strip()],
        source=_("Row %(number)d") % {"number": row.number},
    )
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        question.choices = _choices(row, kind, answer)
    elif kind == QuestionKind.TRUEFALSE:
        question.choices = _truefalse(row, answer)
    elif kind == QuestionKind.BLANK:
        question.blanks = _blanks(row, answer)
    return None if row.errors else question


def parse_spreadsheet(data: bytes, filename: str) -> ParseResult:
    rows = _rows(data, filename)
    header = next(rows, None)
    if header is None or not any(header):
        raise ImportFormatError(_("The file is empty, or row 1 has no header."))
    columns = _map_header(header)
    _require_header(columns)
    result = ParseResult(questions=[], skipped=[], errors=[], warnings=[])
    questions = []
    for number, values in enumerate(rows, start=2):
        if not any(values):
            continue
        row = _Row(number, values, columns)
        question = _parse_row(row)
        result.errors.extend(row.errors)
        if question is not None:
            questions.append(question)
    if not questions and not result.errors:
        raise ImportFormatError(
            _("The sheet has no questions: row 1 is the header, the questions start in row 2.")
        )
    result.questions = common.drop_duplicates(questions, result.warnings)
    return result
