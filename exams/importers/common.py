"""Helpers shared by the question parsers and the result post-processing."""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from .text import html_to_text, normalize_answer
from .types import ParsedImage, ParsedQuestion, QuestionKind

# Moodle only accepts these grades (question_bank::fraction_options_full); anything else
# makes Moodle refuse the import, and we follow it.
# fmt: off
_MOODLE_GRADES = [Decimal(g) for g in (
    "1", "0.9", "0.8333333", "0.8", "0.75", "0.7", "0.6666667", "0.6", "0.5", "0.4",
    "0.3333333", "0.3", "0.25", "0.2", "0.1666667", "0.1428571", "0.125", "0.1111111",
    "0.1", "0.05",
)]
# fmt: on
VALID_FRACTIONS = [Decimal(0)] + _MOODLE_GRADES + [-g for g in _MOODLE_GRADES]
_TOLERANCE = Decimal("0.00001")
FRACTION_PLACES = Decimal("0.0000001")

IMAGE_EXTENSIONS = frozenset({"png", "jpg", "jpeg", "gif", "webp"})
CONTEXT_PREFIX_RE = re.compile(r"^\$[a-z]+\$$")


def clean_decimal(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation (10 stays 10, not 1E+1)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def parse_decimal(raw: object) -> Decimal | None:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def match_fraction(value: Decimal) -> Decimal | None:
    """Snap a fraction (e.g. 0.3333333333) to Moodle's canonical grade, or None if invalid."""
    for grade in VALID_FRACTIONS:
        if abs(value - grade) < _TOLERANCE:
            return clean_decimal(grade)
    return None


def percent_to_fraction(raw: str) -> Decimal | None:
    value = parse_decimal(raw)
    if value is None:
        return None
    return match_fraction(value / 100)


def fraction_to_percent(value: Decimal) -> str:
    return format(clean_decimal((value * 100).quantize(Decimal("0.00001"))), "f")


def equal_share(count: int) -> Decimal:
    """Fraction for each correct option of a multiple-answer question with `count` answers."""
    return clean_decimal((Decimal(1) / count).quantize(FRACTION_PLACES))


def positive_total_ok(fractions: list[Decimal]) -> bool:
    total = sum((f for f in fractions if f > 0), Decimal(0))
    return abs(total - 1) < Decimal("0.01")


def image_kind(name: str, data: bytes) -> str | None:
    """Image type when both the extension and the bytes say it is an image we can show."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in IMAGE_EXTENSIONS:
        return None
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def add_image(images: list[ParsedImage], name: str, data: bytes) -> bool:
    """Add unless already present by name; returns False when the name clashes with
    different bytes (the first one is kept)."""
    for existing in images:
        if existing.name == name:
            return existing.data == data
    images.append(ParsedImage(name=name, data=data))
    return True


# What separates the levels of a category path a person types: "民法/总则", "民法 > 总则",
# full-width as well.
_CATEGORY_SEPARATORS = re.compile(r"\s*[/／>＞]\s*")


def category_path_split(path, *, name_length: int | None = None) -> tuple[str, ...]:
    """A typed category path ("民法/总则"), or one already split into names, as its names:
    stripped, empty ones dropped, each cut to `name_length` if given."""
    if not path:
        return ()
    if isinstance(path, str):
        path = _CATEGORY_SEPARATORS.split(path)
    names = (name.strip() for name in path if name and name.strip())
    return tuple(name[:name_length] for name in names)


def split_category_path(path: str) -> tuple[str, ...]:
    """Moodle path '$course$/top/A/B' -> ('A', 'B'); '//' inside a name is a literal slash."""
    segments = re.split(r"(?<!/)/(?!/)", path.strip().strip("/"))
    names = [html_to_text(s.replace("//", "/")).strip() for s in segments]
    names = [n for n in names if n]
    if names and CONTEXT_PREFIX_RE.match(names[0]):
        names = names[1:]
    if names and names[0] == "top":
        names = names[1:]
    return tuple(names)


def join_category_path(category: tuple[str, ...]) -> str:
    return "/".join(["$course$", "top", *(c.replace("/", "//") for c in category)])


def _dedupe_key(q: ParsedQuestion) -> tuple:
    # Chinese banks reuse generic stems ("下列说法正确的是") for different questions, so
    # the options/answers are part of what makes a question a duplicate.
    return (
        q.category,
        q.kind,
        normalize_answer(html_to_text(q.stem)),
        tuple((normalize_answer(html_to_text(c.text)), c.fraction) for c in q.choices),
        tuple(tuple(b) for b in q.blanks),
    )


def duplicate_warning(source: str, first: str) -> str:
    """The warning for a question that repeats an earlier one (the import sorts these
    out by this very wording, see exams.services.bank_import)."""
    return _("%(source)s repeats %(first)s; the question from %(first)s was kept.") % {
        "source": source,
        "first": first,
    }


def drop_duplicates(questions: list[ParsedQuestion], warnings: list[str]) -> list[ParsedQuestion]:
    seen: dict[tuple, ParsedQuestion] = {}
    kept = []
    for q in questions:
        key = _dedupe_key(q)
        first = seen.get(key)
        if first is None:
            seen[key] = q
            kept.append(q)
        else:
            warnings.append(duplicate_warning(q.source, first.source))
    return kept


# The 题型 words of the spreadsheet template: the export writes them, the import reads them
# back, so they are data and stay as they are.
KIND_LABELS = {
    QuestionKind.SINGLE: "单选题",
    QuestionKind.MULTIPLE: "多选题",
    QuestionKind.TRUEFALSE: "判断题",
    QuestionKind.BLANK: "填空题",
}

# Moodle's names of the question types we cannot import, for the reason shown to the clerk.
UNSUPPORTED_LABELS = {
    "essay": pgettext_lazy("question type", "Essay"),
    "matching": pgettext_lazy("question type", "Matching"),
    "match": pgettext_lazy("question type", "Matching"),
    "numerical": pgettext_lazy("question type", "Numerical"),
    "cloze": pgettext_lazy("question type", "Embedded answers (Cloze)"),
    "multianswer": pgettext_lazy("question type", "Embedded answers (Cloze)"),
    "description": pgettext_lazy("question type", "Description"),
    "gapselect": pgettext_lazy("question type", "Select missing words"),
    "ddwtos": pgettext_lazy("question type", "Drag and drop into text"),
    "ddimageortext": pgettext_lazy("question type", "Drag and drop onto image"),
    "ddmarker": pgettext_lazy("question type", "Drag and drop markers"),
    "random": pgettext_lazy("question type", "Random"),
    "randomsamatch": pgettext_lazy("question type", "Random short-answer matching"),
    "calculated": pgettext_lazy("question type", "Calculated"),
    "calculatedsimple": pgettext_lazy("question type", "Calculated simple"),
    "calculatedmulti": pgettext_lazy("question type", "Calculated multichoice"),
}


def unsupported_reason(qtype: str) -> str:
    label = UNSUPPORTED_LABELS.get(qtype) or pgettext("question type", "Unknown type")
    return _("Unsupported question type: %(label)s (%(qtype)s)") % {
        "label": label,
        "qtype": qtype or pgettext("question type", "not specified"),
    }
