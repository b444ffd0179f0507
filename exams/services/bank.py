"""Writes to the question bank: create, update (versioned), retire, and the rules a
question must satisfy whatever the way in (admin form, import, demo)."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from exams.importers.common import clean_decimal, positive_total_ok
from exams.importers.html_clean import sanitize_html
from exams.importers.text import html_to_text, normalize_answer
from exams.kinds import CHOICE_KINDS
from exams.models import (
    AttemptItem,
    DailyPracticeItem,
    Question,
    QuestionKind,
    QuestionReport,
    QuestionStatus,
    QuestionVersion,
)
from exams.models.bank import CHOICE_KEYS

MIN_CHOICES = 2
MAX_CHOICES = len(CHOICE_KEYS)
TRUE_TEXT = "对"
FALSE_TEXT = "错"
# Changing any of these changes what a cadre sees or how it is scored: a new version when
# an attempt already holds the current one.
CONTENT_FIELDS = ("kind", "stem", "choices", "blanks", "explanation")
# What a version holds of them (the kind is the question's, frozen by the attempt item).
VERSION_FIELDS = ("stem", "choices", "blanks", "explanation")
METADATA_FIELDS = (
    "category",
    "difficulty",
    "default_points",
    "law",
    "law_articles",
    "law_reference",
    "status",
)


def stem_plain_text(stem: str) -> str:
    """What `Question.stem_text` holds: the stem without markup, for search and matching."""
    return html_to_text(stem)


def stem_match_key(stem_text: str) -> str:
    """Full-width and half-width forms and spacing do not make two stems different."""
    return normalize_answer(stem_text)


def _fraction(value) -> Decimal:
    try:
        fraction = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {"choices": _("A choice's score share “%(value)s” is not a number.") % {"value": value}}
        ) from None
    if not fraction.is_finite() or not Decimal(-1) <= fraction <= Decimal(1):
        raise ValidationError({"choices": _("A choice's score share must be between -1 and 1.")})
    return fraction


def choices_normalize(choices) -> list[dict]:
    """Choices as stored on a version: keys A, B, … in order, sanitised HTML, fractions as
    strings (JSON has no decimals). Accepts dicts or the importers' ParsedChoice."""
    out = []
    for index, choice in enumerate(choices or []):
        if not isinstance(choice, dict):
            choice = {"text": choice.text, "fraction": choice.fraction, "feedback": choice.feedback}
        item = {
            "key": CHOICE_KEYS[index] if index < len(CHOICE_KEYS) else str(index + 1),
            "text": sanitize_html(str(choice.get("text", "") or "")),
            "fraction": format(clean_decimal(_fraction(choice.get("fraction", 0))), "f"),
        }
        feedback = sanitize_html(str(choice.get("feedback", "") or ""))
        if feedback:
            item["feedback"] = feedback
        out.append(item)
    return out


def blanks_normalize(blanks) -> list[list[str]]:
    return [
        [str(a).strip() for a in (alternatives or []) if str(a).strip()]
        for alternatives in blanks or []
    ]


def question_validate(
    *, kind: str, stem: str, choices: list[dict], blanks: list[list[str]]
) -> None:
    """Raise ValidationError (keyed by field) unless the question can be shown and scored."""
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    if kind not in QuestionKind.values:
        add("kind", _("Unknown question type."))
    if not stem_plain_text(stem) and "<img" not in (stem or ""):
        add("stem", _("The stem cannot be empty."))
    if kind in CHOICE_KINDS:
        if blanks:
            add("blanks", _("A choice question has no blanks."))
        if any(not html_to_text(c["text"]) and "<img" not in c["text"] for c in choices):
            add("choices", _("Every choice needs some text."))
        fractions = [Decimal(c["fraction"]) for c in choices]
        if kind == QuestionKind.TRUEFALSE:
            texts = [html_to_text(c["text"]) for c in choices]
            if texts != [TRUE_TEXT, FALSE_TEXT] or sorted(fractions) != [0, 1]:
                add(
                    "choices",
                    _(
                        "A true-or-false question has exactly the two choices 对 and 错, "
                        "one of them correct."
                    ),
                )
        elif not MIN_CHOICES <= len(choices) <= MAX_CHOICES:
            add(
                "choices",
                _("A choice question needs %(min)d to %(max)d choices.")
                % {"min": MIN_CHOICES, "max": MAX_CHOICES},
            )
        elif kind == QuestionKind.SINGLE:
            # Moodle's single-answer questions may give part marks to near-misses; exactly
            # one choice is the answer.
            if sum(1 for f in fractions if f == 1) != 1:
                add("choices", _("A single-choice question has exactly one correct choice."))
        elif kind == QuestionKind.MULTIPLE:
            if sum(1 for f in fractions if f > 0) < 2:
                add("choices", _("A multiple-choice question has at least two correct choices."))
            elif not positive_total_ok(fractions):
                add(
                    "choices",
                    _("The score shares of the correct choices must add up to 1 (100%)."),
                )
    elif kind == QuestionKind.BLANK:
        if choices:
            add("choices", _("A fill-in-the-blank question has no choices."))
        if not blanks:
            add("blanks", _("A fill-in-the-blank question needs at least one blank."))
        elif any(not alternatives for alternatives in blanks):
            add("blanks", _("Every blank needs at least one accepted answer."))
    if errors:
        raise ValidationError(errors)


def _content(kind, stem, choices, blanks, explanation) -> dict:
    content = {
        "kind": kind,
        "stem": sanitize_html(stem or ""),
        "choices": choices_normalize(choices) if kind in CHOICE_KINDS else [],
        "blanks": blanks_normalize(blanks) if kind == QuestionKind.BLANK else [],
        "explanation": sanitize_html(explanation or ""),
    }
    question_validate(
        kind=content["kind"],
        stem=content["stem"],
        choices=content["choices"],
        blanks=content["blanks"],
    )
    return content


def points_clean(value) -> Decimal:
    try:
        points = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({"default_points": _("The points must be a number.")}) from None
    if not points.is_finite() or points < Decimal("0.5") or points >= 10000:
        raise ValidationError({"default_points": _("The points must be at least 0.5.")})
    return points.quantize(Decimal("0.1"))


@transaction.atomic
def question_create(
    *,
    category,
    kind: str,
    stem: str,
    choices=(),
    blanks=(),
    explanation: str = "",
    difficulty: str = "medium",
    default_points=Decimal("1"),
    law=None,
    law_articles: str = "",
    law_reference: str = "",
    tags=(),
    by=None,
) -> Question:
    content = _content(kind, stem, choices, blanks, explanation)
    question = Question.objects.create(
        category=category,
        kind=content["kind"],
        difficulty=difficulty,
        default_points=points_clean(default_points),
        law=law,
        law_articles=law_articles,
        law_reference=law_reference,
        stem_text=stem_plain_text(content["stem"]),
        created_by=by,
    )
    version = _version_add(question, number=1, content=content, by=by)
    question.current_version = version
    question.save(update_fields=["current_version"])
    if tags:
        question.tags.set(list(tags))
    return question


def _version_add(question, *, number: int, content: dict, by) -> QuestionVersion:
    return QuestionVersion.objects.create(
        question=question,
        number=number,
        created_by=by,
        **{field: content[field] for field in VERSION_FIELDS},
    )


def version_is_used(version) -> bool:
    """Whether anything holds this version as what a cadre saw: an attempt's question, a
    daily-practice question or an error report. Such a version is frozen: an edit to
    what it shows makes a new one."""
    return (
        AttemptItem.objects.filter(version=version).exists()
        or DailyPracticeItem.objects.filter(version=version).exists()
        or QuestionReport.objects.filter(version=version).exists()
    )


@transaction.atomic
def question_update(*, question: Question, by=None, **changes) -> Question:
    """Apply changes; content changes to a version an attempt holds go into a new version,
    so the attempt keeps exactly what its cadre saw."""
    unknown = set(changes) - set(CONTENT_FIELDS) - set(METADATA_FIELDS) - {"tags"}
    if unknown:
        raise TypeError(f"question_update() got unexpected fields: {sorted(unknown)}")
    # Lock the row: two trainers saving at once must not both write version n+1.
    question = Question.objects.select_for_update().get(pk=question.pk)
    current = question.current_version
    before = {
        "kind": question.kind,
        "stem": current.stem,
        "choices": current.choices,
        "blanks": current.blanks,
        "explanation": current.explanation,
    }
    wanted = {field: changes.get(field, before[field]) for field in CONTENT_FIELDS}
    content = _content(**wanted)
    for field in METADATA_FIELDS:
        if field in changes:
            value = changes[field]
            setattr(question, field, points_clean(value) if field == "default_points" else value)
    if "law" in changes or "law_articles" in changes:
        # Saved by a trainer who has seen the law change: reviewed.
        question.law_review = ""
    # Compared as cleaned now: HTML stored by an older cleaner may be spelled otherwise.
    if content != _content(**before):
        if version_is_used(current):
            latest = question.versions.order_by("-number").values_list("number", flat=True)[0]
            current = _version_add(question, number=latest + 1, content=content, by=by)
            question.current_version = current
        else:
            for field in VERSION_FIELDS:
                setattr(current, field, content[field])
            current.save(update_fields=list(VERSION_FIELDS))
        question.kind = content["kind"]
        question.stem_text = stem_plain_text(content["stem"])
    question.save()
    if "tags" in changes:
        question.tags.set(list(changes["tags"]))
    return question


def question_retire(*, question: Question, by=None) -> Question:
    """Hide a question from new exams; attempts and papers that hold it keep it."""
    question.status = QuestionStatus.RETIRED
    question.save(update_fields=["status", "updated_at"])
    return question
