"""Moodle XML export that Moodle itself and parse_moodle_xml both read back.

Difficulty and legal basis have no Moodle field; they are written as extra
<difficulty>/<lawreference> elements, which Moodle ignores on import.
"""

import base64
import html
from decimal import Decimal
from xml.etree import ElementTree as ET

from .cloze import build_cloze
from .common import fraction_to_percent, join_category_path
from .types import ParsedImage, ParsedQuestion, QuestionKind

_SEVEN = Decimal("0.0000001")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    if text is not None:
        el.text = text
    return el


def _rich(parent, tag, value: str, images: list[ParsedImage], placed: set[str], **attrs):
    el = _sub(parent, tag, format="html", **attrs)
    _sub(el, "text", value)
    for image in images:
        # Moodle keeps files per text area, so each area carries the images it shows.
        if html.escape(f"@@PLUGINFILE@@/{image.name}", quote=True) in value:
            placed.add(image.name)
            _sub(
                el,
                "file",
                base64.b64encode(image.data).decode("ascii"),
                name=image.name,
                path="/",
                encoding="base64",
            )
    return el


def _question(quiz: ET.Element, q: ParsedQuestion) -> None:
    single_blank = q.kind == QuestionKind.BLANK and len(q.blanks) == 1
    qtype = {
        QuestionKind.SINGLE: "multichoice",
        QuestionKind.MULTIPLE: "multichoice",
        QuestionKind.TRUEFALSE: "truefalse",
        QuestionKind.BLANK: "shortanswer" if single_blank else "cloze",
    }[q.kind]
    el = _sub(quiz, "question", type=qtype)
    _sub(_sub(el, "name"), "text", q.name)
    stem = q.stem if q.kind != QuestionKind.BLANK or single_blank else build_cloze(q.stem, q.blanks)
    placed: set[str] = set()
    questiontext = _rich(el, "questiontext", stem, q.images, placed)
    _rich(el, "generalfeedback", q.explanation, q.images, placed)
    _sub(el, "defaultgrade", format(q.points.quantize(_SEVEN), "f"))
    _sub(el, "penalty", "0.3333333")
    _sub(el, "hidden", "0")
    _sub(el, "idnumber", "")
    _sub(el, "difficulty", q.difficulty)
    if q.law_reference:
        _sub(el, "lawreference", q.law_reference)
    if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        _sub(el, "single", "true" if q.kind == QuestionKind.SINGLE else "false")
        _sub(el, "shuffleanswers", "true")
        _sub(el, "answernumbering", "ABCD")
        _sub(el, "showstandardinstruction", "0")
        for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
            _sub(_sub(el, tag, format="html"), "text", "")
        for choice in q.choices:
            answer = _rich(
                el,
                "answer",
                choice.text,
                q.images,
                placed,
                fraction=fraction_to_percent(choice.fraction),
            )
            _rich(answer, "feedback", choice.feedback, q.images, placed)
    elif q.kind == QuestionKind.TRUEFALSE:
        for value, choice in zip(("true", "false"), q.choices, strict=False):
            answer = _sub(
                el,
                "answer",
                fraction=fraction_to_percent(choice.fraction),
                format="moodle_auto_format",
            )
            _sub(answer, "text", value)
            _rich(answer, "feedback", choice.feedback, q.images, placed)
    elif single_blank:
        _sub(el, "usecase", "0")
        for text in q.blanks[0]:
            answer = _sub(el, "answer", fraction="100", format="moodle_auto_format")
            _sub(answer, "text", text)
            _sub(_sub(answer, "feedback", format="html"), "text", "")
    if q.tags:
        tags = _sub(el, "tags")
        for tag in q.tags:
            _sub(_sub(tags, "tag"), "text", tag)
    for image in q.images:
        if image.name not in placed:
            _sub(
                questiontext,
                "file",
                base64.b64encode(image.data).decode("ascii"),
                name=image.name,
                path="/",
                encoding="base64",
            )


def write_moodle_xml(questions: list[ParsedQuestion]) -> bytes:
    quiz = ET.Element("quiz")
    current = None
    for q in questions:
        if q.category != current:
            category = _sub(quiz, "question", type="category")
            _sub(_sub(category, "category"), "text", join_category_path(q.category))
            current = q.category
        _question(quiz, q)
    ET.indent(quiz)
    return ET.tostring(quiz, encoding="utf-8", xml_declaration=True)
