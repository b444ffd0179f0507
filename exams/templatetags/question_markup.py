"""The markup a question shares wherever a cadre meets it: the answer inputs (the exam's
attempt page, the mistake book's and the daily practice's forms) and the verdict on each
choice (the review, the practice feedback). One template each, so a change to how an
option looks is made once; the attempt page's cached blocks (exams/attempt_blocks.py) are
rendered from the same template."""

from django import template

from exams.kinds import QuestionKind
from exams.services.attempts.save import MAX_BLANK_LENGTH

register = template.Library()


@register.filter
def kind_label(kind) -> str:
    """The kind of question in words: 单选题, 判断题…"""
    return QuestionKind(kind).label


@register.inclusion_tag("exams/includes/answer_inputs.html")
def answer_inputs(
    kind, *, position=None, choices=(), picked=(), written=(), blanks=None, letters=False
):
    """The inputs of one question. `choices` are dicts with `key`, `text` and, where the
    page sends an opaque value instead of the key (the exam), `value`. `written` are the
    values already written, one per blank; `blanks` how many blanks there are, where
    nothing is written yet (never the accepted answers: they are the key). With a
    `position` (the attempt page) the inputs are named after it and each blank carries its
    index, as the page's script saves answers one by one; without, they are one form's
    `choice` and `blank` fields."""
    indexed = position is not None
    name = f"q{position}" if indexed else "choice"
    if kind == QuestionKind.BLANK:
        return {
            "kind": kind,
            "max_length": MAX_BLANK_LENGTH,
            "blanks": [
                {
                    "name": f"{name}-{index}" if indexed else "blank",
                    "index": index if indexed else None,
                    "value": value,
                }
                for index, value in enumerate(written or [""] * (blanks or 0))
            ],
        }
    return {
        "kind": kind,
        "input_type": "checkbox" if kind == QuestionKind.MULTIPLE else "radio",
        "name": name,
        "letters": letters,
        "choices": [
            {
                "key": choice["key"],
                "value": choice.get("value", choice["key"]),
                "text": choice["text"],
                "checked": choice["key"] in (picked or ()),
            }
            for choice in choices
        ],
    }


@register.inclusion_tag("exams/includes/answer_verdict.html")
def answer_verdict(
    kind,
    *,
    answer,
    choices=(),
    correct=(),
    accepted=(),
    show_key=True,
    withheld=False,
    letters=False,
):
    """What the cadre answered beside the key: each choice marked picked and/or correct,
    or the blanks written beside the accepted answers. With `show_key` false (the exam's
    review policy) or `withheld` (this question's key is still secret) only the cadre's
    own answer is shown."""
    show_key = show_key and not withheld
    return {
        "kind": kind,
        "answer": answer,
        "accepted": accepted if show_key else (),
        "show_key": show_key,
        "letters": letters,
        "choices": [
            {
                "key": choice["key"],
                "text": choice["text"],
                "picked": choice["key"] in (answer or ()),
                "correct": show_key and choice["key"] in (correct or ()),
            }
            for choice in choices
        ],
    }
