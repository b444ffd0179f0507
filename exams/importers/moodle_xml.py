"""Moodle XML question import, following what Moodle's own qformat_xml accepts."""

import base64
import binascii
import html
import re
from decimal import Decimal
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as safe_et
from defusedxml import DefusedXmlException
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

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


def _named(name: str) -> str:
    return _("Question “%(name)s”") % {"name": name}


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
        if self.name:
            return _named(self.name)
        return _("Question %(number)d") % {"number": self.index}

    def error(self, message: str) -> None:
        self.result.errors.append(RowError(row=self.index, column="", message=message))

    def warn(self, message: str) -> None:
        self.result.warnings.append(
            _("%(where)s: %(message)s") % {"where": self.label(), "message": message}
        )

    def warn_partial(self, answers: list[str]) -> None:
        self.warn(
            _("Answers with partial credit (%(answers)s) are not supported; ignored.")
            % {"answers": pgettext("list separator", ", ").join(answers)}
        )

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
            self.warn(_("The attachment %(name)s is damaged; ignored.") % {"name": name})
            return
        if common.image_kind(name, data) is None:
            if name not in self.dropped:
                self.dropped.add(name)
                self.warn(
                    _(
                        "The attachment %(name)s is not an image; ignored (only png, jpg, gif "
                        "and webp images are supported)."
                    )
                    % {"name": name}
                )
            return
        if not common.add_image(self.images, name, data):
            self.warn(
                _("Several different images are named %(name)s; only the first was kept.")
                % {"name": name}
            )

    def base(self, kind: str, stem: str) -> ParsedQuestion:
        points = common.parse_decimal(_text(self.el, "defaultgrade") or "1")
        if points is None or points <= 0:
            self.error(
                _("%(question)s: the grade (defaultgrade) must be a number greater than 0.")
                % {"question": self.label()}
            )
            points = Decimal(1)
        difficulty = _text(self.el, "difficulty").strip() or "medium"
        if difficulty not in DIFFICULTIES:
            self.warn(
                _("Unknown difficulty “%(difficulty)s”; taken as medium.")
                % {"difficulty": difficulty}
            )
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
            source=_named(self.name or make_name(stem)),
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
        bad = [raw for _ans, fraction, raw in answers if fraction is None]
        if bad:
            self.error(
                _(
                    "%(question)s: the answer grades %(grades)s are not valid (Moodle accepts "
                    "only 100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, "
                    "20, 16.66667, 14.28571, 12.5, 11.11111, 10, 5, 0 and their negatives)."
                )
                % {"question": self.label(), "grades": ", ".join(b + "%" for b in bad)}
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
        for ans, fraction, _raw in answers
    ]
    q = r.base(QuestionKind.SINGLE if single else QuestionKind.MULTIPLE, stem)
    q.choices = choices
    question = {"question": r.label()}
    if len(choices) < 2:
        r.error(_("%(question)s needs at least two options.") % question)
    elif fractions_ok:
        fractions = [c.fraction for c in choices]
        if single and max(fractions) != 1:
            r.error(
                _("%(question)s is a single-answer question: one option must be graded 100%%.")
                % question
            )
        if not single and not common.positive_total_ok(fractions):
            r.error(
                _(
                    "%(question)s is a multiple-answer question: the grades of its correct "
                    "options must add up to 100%%."
                )
                % question
            )
    return q


def _truefalse(r: _QuestionReader) -> ParsedQuestion | None:
    stem = r.stem()
    answers = r.answers()
    found: dict[str, tuple[Decimal, str]] = {}
    for position, (ans, fraction, _raw) in enumerate(answers):
        value = html_to_text(_text(ans)).strip().lower()
        if value not in ("true", "false"):
            # Moodle treats old files without true/false texts as ordered true, false.
            value = "true" if position == 0 else "false"
        found[value] = (Decimal(1) if fraction == 1 else Decimal(0), r.rich(ans.find("feedback")))
    q = r.base(QuestionKind.TRUEFALSE, stem)
    if set(found) != {"true", "false"} or len(answers) != 2:
        r.error(
            _(
                "%(question)s is a true/false question: it must have exactly two answers, "
                "“true” and “false”."
            )
            % {"question": r.label()}
        )
        return q
    true_fraction, true_feedback = found["true"]
    false_fraction, false_feedback = found["false"]
    if true_fraction + false_fraction != 1:
        r.error(
            _("%(question)s is a true/false question: exactly one answer must be graded 100%%.")
            % {"question": r.label()}
        )
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
        r.warn_partial(partial)
    if any("*" in a for a in accepted):
        r.warn(_("The wildcard “*” in an answer is taken as a plain character."))
    if not accepted:
        r.error(
            _(
                "%(question)s is a fill-in-the-blank question: at least one answer must be "
                "graded 100%%."
            )
            % {"question": r.label()}
        )
    if _bool(_text(r.el, "usecase") if r.el.find("usecase") is not None else None, False):
        r.warn(_("The “case sensitive” setting is not supported; ignored."))
    return q


def _cloze(r: _QuestionReader) -> ParsedQuestion | None:
    stem = r.stem()
    parsed = parse_cloze(stem)
    if parsed is None:
        return None
    q = r.base(QuestionKind.BLANK, parsed.stem)
    q.blanks = parsed.blanks
    if parsed.partial:
        r.warn_partial(parsed.partial)
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
        raise ImportFormatError(_("The question file is empty."))
    data = _as_utf8(data)
    try:
        root = safe_et.fromstring(data)
    except DefusedXmlException as exc:
        raise ImportFormatError(
            _("The XML file has unsafe entities or external references; it was refused.")
        ) from exc
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise ImportFormatError(
            _("The XML file is malformed (near line %(line)d, column %(column)d): cannot read it.")
            % {"line": line, "column": column}
        ) from exc
    if root.tag != "quiz":
        raise ImportFormatError(
            _("This is not a Moodle XML question file (its root element should be <quiz>).")
        )
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
            reader.error(_("%(question)s has an empty stem.") % {"question": reader.label()})
        questions.append(question)
    result.questions = common.drop_duplicates(questions, result.warnings)
    return result
