"""Moodle XML question import, following what Moodle's own qformat_xml accepts."""

import base64
import binascii
import html
import re
from decimal import Decimal
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as safe_et
from defusedxml import DefusedXmlException

from . import common
from .cloze import parse_cloze
from .html_clean import unlink_files
from .text import format_to_html, html_to_text, make_name
from .types import (
    ImportFormatError,
    ParsedChoice,
    ParsedQuestion,
    ParseResult,
    QuestionKind,
    RowError,
    SkippedQuestion,
)

DIFFICULTIES = ("easy", "medium", "hard")


def _bool(value: str | None, default: bool) -> bool:
    # Moodle writes both true/false and 1/0, sometimes with surrounding whitespace.
    if value is None:
        return default
    value = value.strip().lower()
    return value not in ("", "0", "false", "no")


def _text(el: Element | None, path: str = "text") -> str:
    if el is None:
        return ""
    found = el.find(path) if path else el
    return (found.text or "") if found is not None else ""


class _QuestionReader:
    """Reads one <question>; collects images and messages for it."""

    def __init__(self, el: Element, index: int, result: ParseResult):
        self.el = el
        self.index = index
        self.result = result
        self.name = html_to_text(_text(el.find("name"))).replace("\n", " ").strip()
        self.images: list = []
        self.dropped: set[str] = set()

    def label(self) -> str:
        return f"题目“{self.name}”" if self.name else f"第{self.index}题"

    def error(self, message: str) -> None:
        self.result.errors.append(RowError(row=self.index, column="", message=message))

    def warn(self, message: str) -> None:
        self.result.warnings.append(f"{self.label()}：{message}")

    def rich(self, el: Element | None, default_format: str = "html") -> str:
        """HTML of a <questiontext>/<answer>/<feedback>-like element, keeping its images."""
        if el is None:
            return ""
        for file_el in el.findall("file"):
            self.take_file(file_el.get("name", ""), file_el.get("encoding", ""), file_el.text)
        return format_to_html(_text(el), el.get("format", default_format))

    def take_file(self, name: str, encoding: str, payload: str | None) -> None:
        if not name or encoding not in ("base64", ""):
            return
        try:
            data = base64.b64decode("".join((payload or "").split()), validate=True)
        except (binascii.Error, ValueError):
            self.warn(f"附件 {name} 内容损坏，已忽略。")
            return
        if common.image_kind(name, data) is None:
            if name not in self.dropped:
                self.dropped.add(name)
                self.warn(f"非图片附件 {name} 已忽略（只支持 png、jpg、gif、webp 图片）。")
            return
        if not common.add_image(self.images, name, data):
            self.warn(f"多个同名图片 {name} 内容不同，只保留了第一个。")

    def base(self, kind: str, stem: str) -> ParsedQuestion:
        points = common.parse_decimal(_text(self.el, "defaultgrade") or "1")
        if points is None or points <= 0:
            self.error(f"{self.label()}的分值（defaultgrade）必须是大于 0 的数字。")
            points = Decimal(1)
        difficulty = _text(self.el, "difficulty").strip() or "medium"
        if difficulty not in DIFFICULTIES:
            self.warn(f"未知难度“{difficulty}”，已按中等处理。")
            difficulty = "medium"
        tags = [t.strip() for t in (_text(tag) for tag in self.el.findall("tags/tag")) if t.strip()]
        explanation = self.rich(self.el.find("generalfeedback"))
        return ParsedQuestion(
            kind=kind,
            name=self.name or make_name(stem),
            stem=stem,
            explanation=explanation,
            points=common.clean_decimal(points),
            difficulty=difficulty,
            law_reference=html_to_text(_text(self.el, "lawreference")),
            tags=tags,
            source=f"题目“{self.name or make_name(stem)}”",
        )

    def stem(self) -> str:
        stem = self.rich(self.el.find("questiontext"))
        # Moodle 1.9 kept one picture per question outside the text.
        old_name = (_text(self.el, "image") or "").strip()
        old_data = _text(self.el, "image_base64")
        if old_name and old_data.strip():
            before = len(self.images)
            self.take_file(old_name, "base64", old_data)
            if len(self.images) > before:
                src = html.escape(f"@@PLUGINFILE@@/{old_name}", quote=True)
                stem = f'{stem}<img src="{src}" alt="">'
        return stem

    def answers(self) -> list[tuple[Element, Decimal | None, str]]:
        out = []
        for ans in self.el.findall("answer"):
            raw = ans.get("fraction", "0").strip() or "0"
            out.append((ans, common.percent_to_fraction(raw), raw))
        return out

    def check_fractions(self, answers) -> bool:
        bad = [raw for _, fraction, raw in answers if fraction is None]
        if bad:
            self.error(
                f"{self.label()}的答案分值 {', '.join(b + '%' for b in bad)} 无效"
                "（Moodle 只接受 100、90、83.33333、80、75、70、66.66667、60、50、40、33.33333、"
                "30、25、20、16.66667、14.28571、12.5、11.11111、10、5、0 及其负值）。"
            )
        return not bad


def _multichoice(r: _QuestionReader) -> ParsedQuestion | None:
    stem = r.stem()
    single = _bool(_text(r.el, "single") if r.el.find("single") is not None else None, True)
    answers = r.answers()
    fractions_ok = r.check_fractions(answers)
    choices = [
        ParsedChoice(
            text=r.rich(ans),
            fraction=fraction if fraction is not None else Decimal(0),
            feedback=r.rich(ans.find("feedback")),
        )
        for ans, fraction, _ in answers
    ]
    q = r.base(QuestionKind.SINGLE if single else QuestionKind.MULTIPLE, stem)
    q.choices = choices
    if len(choices) < 2:
        r.error(f"{r.label()}至少需要两个选项。")
    elif fractions_ok:
        fractions = [c.fraction for c in choices]
        if single and max(fractions) != 1:
            r.error(f"{r.label()}是单选题，必须有一个得分为 100% 的选项。")
        if not single and not common.positive_total_ok(fractions):
            r.error(f"{r.label()}是多选题，正确选项的得分之和必须为 100%。")
    return q


def _truefalse(r: _QuestionReader) -> ParsedQuestion | None:
    stem = r.stem()
    answers = r.answers()
    found: dict[str, tuple[Decimal, str]] = {}
    for position, (ans, fraction, _) in enumerate(answers):
        value = html_to_text(_text(ans)).strip().lower()
        if value not in ("true", "false"):
            # Moodle treats old files without true/false texts as ordered true, false.
            value = "true" if position == 0 else "false"
        found[value] = (Decimal(1) if fraction == 1 else Decimal(0), r.rich(ans.find("feedback")))
    q = r.base(QuestionKind.TRUEFALSE, stem)
    if set(found) != {"true", "false"} or len(answers) != 2:
        r.error(f"{r.label()}是判断题，必须恰好有“true”和“false”两个答案。")
        return q
    true_fraction, true_feedback = found["true"]
    false_fraction, false_feedback = found["false"]
    if true_fraction + false_fraction != 1:
        r.error(f"{r.label()}是判断题，必须且只能有一个答案得分为 100%。")
    q.choices = [
        ParsedChoice(text="对", fraction=true_fraction, feedback=true_feedback),
        ParsedChoice(text="错", fraction=false_fraction, feedback=false_feedback),
    ]
    return q


def _shortanswer(r: _QuestionReader) -> ParsedQuestion | None:
    stem = r.stem()
    answers = r.answers()
    r.check_fractions(answers)
    accepted, partial = [], []
    for ans, fraction, raw in answers:
        # Short answers are compared as typed, so they are plain text, not HTML.
        text = _text(ans).strip()
        if fraction == 1 and text:
            accepted.append(text)
        elif fraction is not None and 0 < fraction < 1:
            partial.append(f"“{text}”({raw}%)")
    q = r.base(QuestionKind.BLANK, stem)
    q.blanks = [accepted]
    if partial:
        r.warn(f"部分得分的答案 {'、'.join(partial)} 不受支持，已忽略。")
    if any("*" in a for a in accepted):
        r.warn("答案中的通配符“*”将按普通字符处理。")
    if not accepted:
        r.error(f"{r.label()}是填空题，至少需要一个得分为 100% 的答案。")
    if _bool(_text(r.el, "usecase") if r.el.find("usecase") is not None else None, False):
        r.warn("“区分大小写”设置不受支持，已忽略。")
    return q


def _cloze(r: _QuestionReader) -> ParsedQuestion | None:
    stem = r.stem()
    parsed = parse_cloze(stem)
    if parsed is None:
        return None
    q = r.base(QuestionKind.BLANK, parsed.stem)
    q.blanks = parsed.blanks
    if parsed.partial:
        r.warn(f"部分得分的答案 {'、'.join(parsed.partial)} 不受支持，已忽略。")
    return q


READERS = {
    "multichoice": _multichoice,
    "truefalse": _truefalse,
    "shortanswer": _shortanswer,
    "cloze": _cloze,
    "multianswer": _cloze,
}


_DECLARED_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)[\"']")


def _as_utf8(data: bytes) -> bytes:
    """Expat only knows a few encodings; re-encode e.g. GB2312/GBK files as UTF-8."""
    match = _DECLARED_ENCODING.match(data[:200])
    if not match or match.group(1).lower() in (b"utf-8", b"utf8", b"us-ascii", b"ascii"):
        return data
    try:
        text = data.decode(match.group(1).decode("ascii"))
    except (LookupError, UnicodeDecodeError):
        return data
    # The declaration is ASCII, so its first occurrence of the name is the declared one.
    return text.replace(match.group(1).decode("ascii"), "UTF-8", 1).encode("utf-8")


def _load(data: bytes) -> Element:
    if not data.strip():
        raise ImportFormatError("文件为空。")
    data = _as_utf8(data)
    try:
        root = safe_et.fromstring(data)
    except DefusedXmlException as exc:
        raise ImportFormatError("XML 文件包含不安全的实体或外部引用，已拒绝导入。") from exc
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise ImportFormatError(
            f"XML 文件格式错误（第{line}行第{column}列附近），无法读取。"
        ) from exc
    if root.tag != "quiz":
        raise ImportFormatError("这不是 Moodle XML 题库文件（根元素应为 <quiz>）。")
    return root


def parse_moodle_xml(data: bytes) -> ParseResult:
    root = _load(data)
    result = ParseResult(questions=[], skipped=[], errors=[], warnings=[])
    category: tuple[str, ...] = ()
    questions = []
    for index, el in enumerate(root.findall("question"), start=1):
        qtype = (el.get("type") or "").strip()
        if qtype == "category":
            category = common.split_category_path(_text(el.find("category")))
            continue
        reader = _QuestionReader(el, index, result)
        handler = READERS.get(qtype)
        question = handler(reader) if handler else None
        if question is None:
            name = reader.name or make_name(_text(el.find("questiontext")))
            result.skipped.append(
                SkippedQuestion(name=name, qtype=qtype, reason=common.unsupported_reason(qtype))
            )
            continue
        question.category = category
        question.images = reader.images
        if reader.dropped:
            question.stem = unlink_files(question.stem, reader.dropped)
            question.explanation = unlink_files(question.explanation, reader.dropped)
            for choice in question.choices:
                choice.text = unlink_files(choice.text, reader.dropped)
                choice.feedback = unlink_files(choice.feedback, reader.dropped)
        if not html_to_text(question.stem) and not question.images:
            reader.error(f"{reader.label()}的题干为空。")
        questions.append(question)
    result.questions = common.drop_duplicates(questions, result.warnings)
    return result
