"""Scoring one answer against a frozen question version, and the pass mark of a paper.
Pure functions, no database."""

import re
import unicodedata
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from exams.kinds import ONE_CHOICE_KINDS, QuestionKind

CENT = Decimal("0.01")
POINT = Decimal("1")
DEFAULT_PASS_PERCENT = 60
_SPACES = re.compile(r"\s+")


def blank_normalize(text: str) -> str:
    """Full-width and half-width forms compare equal, surrounding and repeated spaces are
    ignored, Latin letters compare without case."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", str(text or ""))).strip().casefold()


def _fractions(choices) -> dict[str, Decimal]:
    return {c["key"]: Decimal(str(c.get("fraction", 0))) for c in choices}


def answer_score(
    *, kind: str, choices, blanks, answer, points: Decimal, partial_multiple: bool
) -> Decimal:
    """Points earned, between 0 and `points` inclusive, rounded to cents."""
    points = Decimal(points)
    if answer is None:
        return Decimal("0.00")
    if kind == QuestionKind.BLANK:
        if not blanks or not isinstance(answer, list):
            return Decimal("0.00")
        per_blank = points / len(blanks)
        hits = sum(
            1
            for accepted, given in zip(blanks, answer, strict=False)
            if blank_normalize(given) in {blank_normalize(a) for a in accepted}
        )
        return (per_blank * hits).quantize(CENT, ROUND_HALF_UP)
    fractions = _fractions(choices)
    picked = set(answer) if isinstance(answer, list) else set()
    if not picked or not picked <= fractions.keys():
        return Decimal("0.00")
    if kind in ONE_CHOICE_KINDS:
        if len(picked) != 1:
            return Decimal("0.00")
        share = max(fractions[next(iter(picked))], Decimal("0"))
    elif partial_multiple:
        # Points in proportion to the correct choices picked; nothing if a wrong one is.
        if any(fractions[key] <= 0 for key in picked):
            return Decimal("0.00")
        share = min(sum(fractions[key] for key in picked), Decimal("1"))
    else:
        correct = {key for key, fraction in fractions.items() if fraction > 0}
        share = Decimal("1") if picked == correct else Decimal("0")
    return (points * share).quantize(CENT, ROUND_HALF_UP)


def exam_points_total(*, fixed, rules, fixed_draw_count=None) -> Decimal:
    """A paper's full marks as planned: fixed questions' points (or, when they are a pool
    of equal points, the number drawn times those points) plus each rule's count times
    its points (an attempt's own full marks are the points of what it drew)."""
    fixed = list(fixed)
    if fixed_draw_count and fixed_draw_count < len(fixed):
        fixed_points = fixed_draw_count * Decimal(fixed[0].points or 0)
    else:
        fixed_points = sum((Decimal(f.points or 0) for f in fixed), Decimal("0"))
    return fixed_points + sum(
        (Decimal(r.count or 0) * Decimal(r.points or 0) for r in rules), Decimal("0")
    )


def fixed_pool_problems(*, count, fixed) -> list[str]:
    """Why fixed questions cannot be a pool drawing `count` of them: more asked than there
    are, or points that differ (every cadre's paper must have the same full marks)."""
    if not count:
        return []
    fixed = list(fixed)
    if count > len(fixed):
        return [
            _("The pool draws %(count)d fixed questions but the paper has %(have)d.")
            % {"count": count, "have": len(fixed)}
        ]
    if len({Decimal(f.points or 0) for f in fixed}) > 1:
        return [_("Fixed questions drawn from a pool must all carry the same points.")]
    return []


def pass_mark_points(*, pass_percent: int, max_score) -> int:
    """The pass mark of a paper in whole points, from the trainer's percentage.

    pass_percent × max_score / 100, rounded half up to a whole point (60 % of 97 is
    58.2, so 58; 60 % of 97.5 is 58.5, so 59), but never above the paper's full marks
    rounded down, so that it can be reached: 100 % of 97.5 is 97, not 98.
    """
    full = Decimal(max_score or 0)
    mark = (Decimal(pass_percent) * full / 100).quantize(POINT, ROUND_HALF_UP)
    return int(min(mark, full.quantize(POINT, ROUND_FLOOR)))


def score_passes(*, score, pass_percent: int, max_score) -> bool:
    """An attempt passes when its score reaches the paper's pass mark (≥, not >)."""
    return Decimal(score or 0) >= pass_mark_points(pass_percent=pass_percent, max_score=max_score)
