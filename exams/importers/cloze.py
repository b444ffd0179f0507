"""Cloze (Moodle "embedded answers") support limited to short-answer gaps.

A cloze whose gaps are all SHORTANSWER is exactly a fill-in-the-blank question;
that is also how multi-blank questions are exported to Moodle XML. Any other gap
type means the question is skipped like other unsupported types.
"""

import html
import re
from dataclasses import dataclass, field

from .text import BLANK_MARK

_GAP_RE = re.compile(r"\{(\d*):([A-Za-z_]+):((?:\\.|[^\\}])*)\}", re.S)
_SHORTANSWER = frozenset({"SHORTANSWER", "SA", "MW", "SHORTANSWER_C", "SAC", "MWC"})
_WEIGHT_RE = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_ESCAPE_RE = re.compile(r"\\(.)", re.S)
_SPECIAL = '\\}{~#=/"'


@dataclass
class ClozeBlanks:
    stem: str
    blanks: list[list[str]] = field(default_factory=list)
    partial: list[str] = field(default_factory=list)  # answers with partial credit, ignored


def _split_unescaped(text: str, sep: str) -> list[str]:
    parts, current, i = [], [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            current.append(text[i : i + 2])
            i += 2
            continue
        if ch == sep:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    parts.append("".join(current))
    return parts


def _unescape(text: str) -> str:
    return _ESCAPE_RE.sub(r"\1", text)


def parse_cloze(stem_html: str) -> ClozeBlanks | None:
    """Blanks of a short-answer-only cloze, or None if it has no gaps or other gap types."""
    gaps = list(_GAP_RE.finditer(stem_html))
    if not gaps or any(m.group(2).upper() not in _SHORTANSWER for m in gaps):
        return None
    result = ClozeBlanks(stem=_GAP_RE.sub(BLANK_MARK, stem_html))
    for gap in gaps:
        accepted = []
        for raw in _split_unescaped(gap.group(3), "~"):
            answer = _split_unescaped(raw, "#")[0].strip()
            if answer.startswith("="):
                accepted.append(html.unescape(_unescape(answer[1:])).strip())
                continue
            weight = _WEIGHT_RE.match(answer)
            if weight:
                text = html.unescape(_unescape(answer[weight.end() :])).strip()
                if float(weight.group(1)) == 100:
                    accepted.append(text)
                elif float(weight.group(1)) > 0:
                    result.partial.append(text)
        if not [a for a in accepted if a]:
            return None
        result.blanks.append([a for a in accepted if a])
    return result


def _escape(text: str) -> str:
    return "".join("\\" + ch if ch in _SPECIAL else ch for ch in text)


def build_cloze(stem_html: str, blanks: list[list[str]]) -> str:
    """Put one SHORTANSWER gap per blank into the stem, at the blank marks if it has
    exactly one per blank, else appended at the end."""
    gaps = [
        "{1:SHORTANSWER:" + "~".join("=" + _escape(html.escape(a, quote=False)) for a in alts) + "}"
        for alts in blanks
    ]
    pieces = stem_html.split(BLANK_MARK)
    if len(pieces) == len(gaps) + 1:
        out = [pieces[0]]
        for gap, piece in zip(gaps, pieces[1:], strict=True):
            out += [gap, piece]
        return "".join(out)
    return stem_html + " " + " ".join(gaps)
