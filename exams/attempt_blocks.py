"""The question blocks of the attempt page.

At the start of the year-end exam every cadre opens a page of fifty unanswered questions
within the same few seconds, and rendering fifty blocks through the template engine was
most of that page's cost. An unanswered block depends only on what the cadre is shown (the
frozen version's stem and choices, in this attempt's order), the points and the language,
so each process keeps the blocks it has rendered, keyed by exactly that content: a block
can never be served for content it was not rendered from. Answered blocks (a resumed
attempt) carry the cadre's answers and are rendered each time."""

import functools
import secrets

from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

TEMPLATE = "exams/attempt_question.html"
# Stands for the question's number inside a kept block, so that the one block serves
# every position that shuffling puts the question at.
_POSITION = "position" + secrets.token_hex(8)


def question_blocks(questions: list[dict]) -> list[str]:
    """The HTML of each question (dicts from `attempt_questions`), in the given order."""
    language = get_language()
    template = get_template(TEMPLATE)
    blocks = []
    for question in questions:
        if question["answer"] or question["seq"]:
            blocks.append(template.render({"q": question}))
            continue
        block = _unanswered_block(
            question["kind"],
            question["stem"],
            tuple((option["key"], option["text"]) for option in question["options"]),
            question["points"],
            len(question["blank_values"]),
            language,
        )
        blocks.append(mark_safe(block.replace(_POSITION, str(question["position"]))))
    return blocks


@functools.lru_cache(maxsize=4096)
def _unanswered_block(kind, stem, options, points, slots, language) -> str:
    # `language` is the active language; it is in the arguments to key the cache by it.
    question = {
        "position": _POSITION,
        "kind": kind,
        "stem": stem,
        "options": [{"key": key, "text": text} for key, text in options],
        "points": points,
        "blank_values": [""] * slots,
        "answer": [],
        "seq": 0,
    }
    return str(get_template(TEMPLATE).render({"q": question}))
