"""GIFT import (https://docs.moodle.org/en/GIFT_format), modelled on Moodle's qformat_gift.

Questions are separated by blank lines; escaped control characters are swapped
for placeholders before any splitting so that "\\=" or "\\~" never act as syntax.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from . import common
from .text import BLANK_MARK, decode_text, format_to_html, html_to_text, make_name
from .types import (
    ImportFormatError,
    ParsedChoice,
    ParsedQuestion,
    ParseResult,
    QuestionKind,
    RowError,
    SkippedQuestion,
)

# Private-use code points cannot occur in real text, so they are safe placeholders.
_ESCAPES = {"\\:": "\ue03a", "\\#": "\ue023", "\\=": "\ue03d", "\\{": "\ue07b", "\\}": "\ue07d"}
_ESCAPES |= {"\\~": "\ue07e", "\\n": "\ue00a"}
_BACKSLASH = "\ue05c"
_RESTORE = {v: k[1] for k, v in _ESCAPES.items()} | {"\ue00a": "\n", _BACKSLASH: "\\"}
_FORMAT_RE = re.compile(r"^\[(html|moodle|plain|markdown)\]", re.I)
_WEIGHT_RE = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_TF = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_TAG_RE = re.compile(r"\[tag:([^\]]+)\]")


def _protect(text: str) -> str:
    text = text.replace("\\\\", _BACKSLASH)
    for escaped, placeholder in _ESCAPES.items():
        text = text.replace(escaped, placeholder)
    return text


def _restore(text: str) -> str:
    return "".join(_RESTORE.get(ch, ch) for ch in text)


def _with_format(text: str, default: str) -> str:
    """Apply a leading [format] marker (or the question's format) and return HTML."""
    text = text.strip()
    match = _FORMAT_RE.match(text)
    fmt = match.group(1).lower() if match else default
    if match:
        text = text[match.end() :]
    return format_to_html(_restore(text), fmt)


def _format_of(text: str) -> str:
    match = _FORMAT_RE.match(text.strip())
    return match.group(1).lower() if match else "moodle"


@dataclass
class _Block:
    line: int
    text: str
    comments: list[str]


def _blocks(lines: list[str]) -> list[_Block]:
    blocks, current, comments, start = [], [], [], 0
    for number, raw in enumerate([*lines, ""], start=1):
        line = raw.strip()
        if not line:
            if current:
                blocks.append(_Block(start, "\n".join(current), comments))
            current, comments = [], []
            continue
        if line.startswith("//"):
            comments.append(line)
            continue
        if not current:
            start = number
        current.append(line)
    return blocks


def _label(line: int, name: str) -> str:
    return _("Line %(line)d, question “%(name)s”") % {"line": line, "name": name}


class _GiftParser:
    def __init__(self) -> None:
        self.result = ParseResult(questions=[], skipped=[], errors=[], warnings=[])
        self.category: tuple[str, ...] = ()

    def error(self, line: int, message: str) -> None:
        self.result.errors.append(RowError(row=line, column="", message=message))

    def warn(self, label: str, message: str) -> None:
        self.result.warnings.append(
            _("%(where)s: %(message)s") % {"where": label, "message": message}
        )

    def block(self, block: _Block) -> None:
        text = _protect(block.text)
        if text.startswith("$CATEGORY:"):
            first, _sep, rest = text.partition("\n")
            self.category = common.split_category_path(_restore(first[len("$CATEGORY:") :]))
            if not rest.strip():
                return
            text = rest.strip()
        name = ""
        if text.startswith("::"):
            head, sep, tail = text[2:].partition("::")
            if sep:
                name = html_to_text(_restore(head)).strip()
                text = tail.strip()
            else:
                text = text[2:]
        start, finish = text.find("{"), text.find("}")
        if start == -1 and finish == -1:
            self.skip(name or make_name(_with_format(text, "moodle")), "description")
            return
        if start == -1 or finish == -1 or finish < start:
            self.error(
                block.line,
                _("Line %(line)d: the question's braces do not match; check its “{” and “}”.")
                % {"line": block.line},
            )
            return
        answer_text = text[start + 1 : finish].strip()
        if text.endswith("}"):
            stem_text = text[:start] + text[finish + 1 :]
        else:
            # Missing-word format: the answers sit in the middle of the sentence.
            stem_text = text[:start] + BLANK_MARK + text[finish + 1 :]
        general = ""
        if "####" in answer_text:
            answer_text, _sep, general = answer_text.rpartition("####")
            answer_text = answer_text.strip()
        fmt = _format_of(stem_text)
        stem = _with_format(stem_text, fmt)
        name = name or make_name(stem)
        question = ParsedQuestion(
            kind="",
            name=name,
            stem=stem,
            explanation=_with_format(general, fmt) if general.strip() else "",
            category=self.category,
            tags=[t.strip() for c in block.comments for t in _TAG_RE.findall(c) if t.strip()],
            source=_("Line %(line)d") % {"line": block.line},
        )
        qtype = self.qtype(answer_text)
        handler = {
            "multichoice": self.multichoice,
            "truefalse": self.truefalse,
            "shortanswer": self.shortanswer,
        }.get(qtype)
        if handler is None:
            self.skip(name, qtype)
            return
        if handler(question, answer_text, fmt, block.line):
            self.result.questions.append(question)

    @staticmethod
    def qtype(answer_text: str) -> str:
        if answer_text == "":
            return "essay"
        if answer_text.startswith("#"):
            return "numerical"
        if "~" in answer_text:
            return "multichoice"
        if "=" in answer_text and "->" in answer_text:
            return "matching"
        if answer_text.split("#", 1)[0].strip() in _TF:
            return "truefalse"
        return "shortanswer"

    def skip(self, name: str, qtype: str) -> None:
        self.result.skipped.append(
            SkippedQuestion(name=name, qtype=qtype, reason=common.unsupported_reason(qtype))
        )

    def split_feedback(self, answer: str, fmt: str) -> tuple[str, str]:
        text, _sep, feedback = answer.partition("#")
        return _with_format(text, fmt), _with_format(feedback, fmt) if feedback.strip() else ""

    def weight(self, answer: str, line: int, label: str) -> tuple[Decimal | None, str]:
        match = _WEIGHT_RE.match(answer)
        if not match:
            return None, answer
        fraction = common.percent_to_fraction(match.group(1))
        if fraction is None:
            self.error(
                line,
                _("%(question)s: the answer grade %(grade)s%% is not valid.")
                % {"question": _label(line, label), "grade": match.group(1)},
            )
            fraction = Decimal(0)
        return fraction, answer[match.end() :].strip()

    def multichoice(self, q: ParsedQuestion, answer_text: str, fmt: str, line: int) -> bool:
        single = "=" in answer_text
        parts = [p.strip() for p in answer_text.replace("=", "~=").split("~")]
        parts = [p for p in parts if p]
        if len(parts) < 2:
            self.error(
                line,
                _("%(question)s needs at least two options.") % {"question": _label(line, q.name)},
            )
            return False
        for part in parts:
            if part.startswith("="):
                fraction, part = Decimal(1), part[1:].strip()
            else:
                weighted, part = self.weight(part, line, q.name)
                fraction = weighted if weighted is not None else Decimal(0)
            text, feedback = self.split_feedback(part, fmt)
            q.choices.append(ParsedChoice(text=text, fraction=fraction, feedback=feedback))
        fractions = [c.fraction for c in q.choices]
        q.kind = QuestionKind.SINGLE if single else QuestionKind.MULTIPLE
        question = {"question": _label(line, q.name)}
        if single and max(fractions) != 1:
            self.error(
                line,
                _("%(question)s is a single-answer question: one option must be fully correct.")
                % question,
            )
        if not single and not common.positive_total_ok(fractions):
            self.error(
                line,
                _(
                    "%(question)s is a multiple-answer question: the grades of its correct "
                    "options must add up to 100%%."
                )
                % question,
            )
        return True

    def truefalse(self, q: ParsedQuestion, answer_text: str, fmt: str, line: int) -> bool:
        bits = answer_text.split("#", 2)
        correct = _TF[bits[0].strip()]
        # GIFT: first feedback is for a wrong response, second for the right one.
        wrong = _with_format(bits[1], fmt) if len(bits) > 1 and bits[1].strip() else ""
        right = _with_format(bits[2], fmt) if len(bits) > 2 and bits[2].strip() else ""
        q.kind = QuestionKind.TRUEFALSE
        q.choices = [
            ParsedChoice("对", Decimal(1 if correct else 0), right if correct else wrong),
            ParsedChoice("错", Decimal(0 if correct else 1), wrong if correct else right),
        ]
        return True

    def shortanswer(self, q: ParsedQuestion, answer_text: str, fmt: str, line: int) -> bool:
        accepted, partial = [], []
        for part in (p.strip() for p in answer_text.split("=")):
            if not part:
                continue
            weighted, part = self.weight(part, line, q.name)
            text = _restore(_FORMAT_RE.sub("", part.partition("#")[0].strip())).strip()
            if weighted is None or weighted == 1:
                if text:
                    accepted.append(text)
            elif weighted > 0:
                partial.append(f"“{text}”")
        q.kind = QuestionKind.BLANK
        q.blanks = [accepted]
        label = _label(line, q.name)
        if partial:
            message = _("Answers with partial credit (%(answers)s) are not supported; ignored.")
            answers = pgettext("list separator", ", ").join(partial)
            self.warn(label, message % {"answers": answers})
        if any("*" in a for a in accepted):
            self.warn(label, _("The wildcard “*” in an answer is taken as a plain character."))
        if not accepted:
            self.error(
                line,
                _(
                    "%(question)s is a fill-in-the-blank question: at least one answer must be "
                    "fully correct."
                )
                % {"question": label},
            )
        return True


def parse_gift(data: bytes) -> ParseResult:
    if not data.strip():
        raise ImportFormatError(_("The question file is empty."))
    text = decode_text(data)
    if "\x00" in text:
        raise ImportFormatError(_("This is not a GIFT text file."))
    parser = _GiftParser()
    for block in _blocks(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")):
        parser.block(block)
    result = parser.result
    result.questions = common.drop_duplicates(result.questions, result.warnings)
    return result
