"""The question blocks of the attempt page.

At the start of the year-end exam every cadre opens a page of fifty unanswered questions
within the same few seconds, and rendering fifty blocks through the template engine was
most of that page's cost. An unanswered block is the template's output for its kind, its
choice letters, its points, its number of blanks and the language, with the stem, the
choices' texts (as the template puts them: as they are, `|safe`) and the choices' opaque
values (exams.option_tokens) put in, and the choices in this attempt's order. Each
process renders that skeleton once, with stand-ins for the stem, the choices, their
values and the question's number, and fills it in for every question of the same shape.
Answered blocks (a resumed attempt) carry the cadre's answers and go through the
template each time.

Figure (`make bench-tricks`, 300 cadres, medians of three interleaved pairs on the 2-core
development machine, 2026-12-04): reloads of fresh 50-question pages in a closed loop
65 req/s against 38 with every block through the template (+70 %, p95 5.9 s against
9.2 s); starts, which answer with this page, 46 req/s against 28 (+65 %). A second run,
after the other tricks went: reloads 151 against 83 (+83 %), starts 78 against 54 (+45 %).
Invariant: a kept block is the template's output for its shape, which holds while each
choice is one `<label class="option">…</label>` and nothing in the block depends on the
question beyond the skeleton's key. Guarded by tests/exams/test_attempt_page.py: the kept
blocks equal the template's for every kind, at any position, in both languages and with
any HTML in stems and choices, so a change to the template's markup that the splice
cannot follow fails there."""

import functools
import secrets
from dataclasses import dataclass

from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

TEMPLATE = "exams/attempt_question.html"
OPTION_START = '<label class="option">'
OPTION_END = "</label>"
# Stand-ins: random, so that no stem or choice can contain them.
_TOKEN = secrets.token_hex(8)
_POSITION = f"position{_TOKEN}"
_STEM = f"stem{_TOKEN}"


def _text_stand_in(key: str) -> str:
    return f"choice{key}{_TOKEN}"


def _value_stand_in(key: str) -> str:
    return f"value{key}{_TOKEN}"


@dataclass(frozen=True)
class Skeleton:
    head: str  # up to the first choice, with the stem's stand-in
    choices: dict[str, str]  # each choice's label, with its text's stand-in
    between: str  # what the template puts between two choices
    tail: str


def question_blocks(questions: list[dict]) -> list[str]:
    """The HTML of each question (dicts from `attempt_questions`), in the given order."""
    language = get_language()
    template = get_template(TEMPLATE)
    blocks = []
    for question in questions:
        if question["answer"] or question["seq"]:
            blocks.append(template.render({"q": question}))
            continue
        options = question["options"]
        skeleton = _skeleton(
            question["kind"],
            "".join(sorted(option["key"] for option in options)),
            question["points"],
            len(question["blank_values"]),
            language,
        )
        labels = [
            skeleton.choices[option["key"]]
            .replace(_value_stand_in(option["key"]), option["value"])
            .replace(_text_stand_in(option["key"]), option["text"])
            for option in options
        ]
        block = skeleton.head.replace(_STEM, question["stem"])
        block += skeleton.between.join(labels) + skeleton.tail
        blocks.append(mark_safe(block.replace(_POSITION, str(question["position"]))))
    return blocks


@functools.lru_cache(maxsize=1024)
def _skeleton(kind, keys, points, slots, language) -> Skeleton:
    # `language` is the active language; it is in the arguments to key the cache by it.
    question = {
        "position": _POSITION,
        "kind": kind,
        "stem": _STEM,
        "options": [
            {"key": key, "value": _value_stand_in(key), "text": _text_stand_in(key)} for key in keys
        ],
        "points": points,
        "blank_values": [""] * slots,
        "answer": [],
        "seq": 0,
    }
    html = str(get_template(TEMPLATE).render({"q": question}))
    if not keys:
        return Skeleton(head=html, choices={}, between="", tail="")
    spans = []
    for key in keys:
        text = html.index(_text_stand_in(key))
        spans.append(
            (html.rindex(OPTION_START, 0, text), html.index(OPTION_END, text) + len(OPTION_END))
        )
    return Skeleton(
        head=html[: spans[0][0]],
        choices={key: html[start:end] for key, (start, end) in zip(keys, spans, strict=True)},
        between=html[spans[0][1] : spans[1][0]] if len(spans) > 1 else "",
        tail=html[spans[-1][1] :],
    )
