"""The year's formula, as pure functions of a scheme and one cadre's facts (no database:
the models are imported for their enums only).

Scores are on a 100-point scale and rounded to 2 decimal places, ROUND_HALF_UP:

- study score  = min(credit hours / required hours, 1) × 100
- annual score = the best counted annual attempt's score / full marks × 100
- exam score   = annual score × (1 − q) + quiz average × q,   q = quiz share / 100
- base score   = round(study score × study weight / 100) + round(exam score × exam weight / 100)
- bonus        = Σ fired rules + Σ approved awards, at most the year's bonus cap
- total        = base score + bonus − Σ deductions

Every point is on a ledger line; lines that share a rounded figure (study credit rows, exam
rows) are given their points by cumulative rounding, so the lines always sum to the total
exactly.
"""

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from exams.models import Exam

from ..models import BonusAward, BonusRule, LedgerEntry

ZERO = Decimal("0")
HUNDRED = Decimal("100")
CENT = Decimal("0.01")

Source = LedgerEntry.Source

# Why a line counts less than it could: the reader sees it next to the points.
NOTE_OVER_REQUIRED = "over_required"
NOTE_CAPPED = "capped"
NOTE_NOT_COUNTED = "not_counted"

# The exams whose results make the exam score.
EXAM_KINDS = (Exam.Kind.ANNUAL, Exam.Kind.QUIZ)


def round2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class RuleSpec:
    id: int
    kind: str
    points: Decimal
    title: str
    min_exam_score: Decimal | None = None
    deadline: date | None = None


@dataclass(frozen=True)
class Scheme:
    year: int
    required_credit_hours: Decimal
    study_weight: Decimal
    exam_weight: Decimal
    quiz_share: Decimal
    bonus_cap: Decimal
    top_band_requires_pass: bool
    bands: tuple[tuple[str, Decimal], ...]  # (name, min score), highest first
    rules: tuple[RuleSpec, ...]


# The fields of a year (EvaluationYear) the scheme copies: a change to one changes results.
SCHEME_YEAR_FIELDS = tuple(f.name for f in fields(Scheme) if f.name not in {"bands", "rules"})


@dataclass(frozen=True)
class CreditFact:
    id: int
    title: str
    credit_hours: Decimal
    earned_at: datetime


@dataclass(frozen=True)
class ExamFact:
    attempt_id: int
    kind: str
    title: str
    score: Decimal
    max_score: Decimal
    passed: bool

    @property
    def percent(self) -> Decimal:
        return self.score * HUNDRED / self.max_score if self.max_score else ZERO


@dataclass(frozen=True)
class AwardFact:
    id: int
    kind: str  # BonusAward.Kind
    points: Decimal
    reason: str


@dataclass(frozen=True)
class LedgerLine:
    source: str
    source_id: int | None
    title: str
    quantity: Decimal | None
    points: Decimal
    note: str = ""


@dataclass
class CadreFacts:
    """What one cadre's year is computed from, read by compute.py."""

    cadre_id: int
    credits: list[CreditFact] = field(default_factory=list)
    exams: list[ExamFact] = field(default_factory=list)
    awards: list[AwardFact] = field(default_factory=list)
    # Rules whose condition outside the exam holds: courses done in time, all training.
    rules_met: set[int] = field(default_factory=set)


@dataclass
class CadreYear:
    cadre_id: int
    credit_hours: Decimal
    study_score: Decimal
    annual_score: Decimal | None
    annual_passed: bool | None
    quiz_average: Decimal | None
    exam_score: Decimal
    base_score: Decimal
    bonus: Decimal
    deductions: Decimal
    total: Decimal
    grade: str
    lines: list[LedgerLine]


# The figures a YearResult row keeps (its columns of the same names): all but the ledger.
CadreYear.STORED_FIELDS = tuple(
    f.name for f in fields(CadreYear) if f.name not in {"cadre_id", "lines"}
)


def _spread(shares: list[Decimal]) -> list[Decimal]:
    """Round each running sum and hand out the differences: the parts add up to the
    rounded whole, whatever the number of parts."""
    parts, running, previous = [], ZERO, ZERO
    for share in shares:
        running += share
        rounded = round2(running)
        parts.append(rounded - previous)
        previous = rounded
    return parts


def _study_lines(scheme: Scheme, credits: list[CreditFact]) -> tuple[Decimal, Decimal, list]:
    required = scheme.required_credit_hours
    hours = sum((credit.credit_hours for credit in credits), ZERO)
    study_score = round2(min(hours / required, Decimal(1)) * HUNDRED)
    shares, notes, counted = [], [], ZERO
    for credit in credits:
        usable = max(ZERO, min(credit.credit_hours, required - counted))
        counted += usable
        shares.append(usable / required * scheme.study_weight)
        notes.append(NOTE_OVER_REQUIRED if usable < credit.credit_hours else "")
    lines = [
        LedgerLine(Source.CREDIT, credit.id, credit.title, credit.credit_hours, points, note)
        for credit, points, note in zip(credits, _spread(shares), notes, strict=True)
    ]
    return hours, study_score, lines


def _exam_lines(scheme: Scheme, exams: list[ExamFact]):
    q = scheme.quiz_share / HUNDRED
    annual = sorted(
        (e for e in exams if e.kind == Exam.Kind.ANNUAL), key=lambda e: (-e.percent, e.attempt_id)
    )
    quizzes = sorted((e for e in exams if e.kind == Exam.Kind.QUIZ), key=lambda e: e.attempt_id)
    if q == ZERO:
        quizzes = []
    best = annual[0] if annual else None
    annual_pct = best.percent if best else ZERO
    quiz_avg = sum((e.percent for e in quizzes), ZERO) / len(quizzes) if quizzes else None
    exam_pct = annual_pct * (1 - q) + (quiz_avg or ZERO) * q
    counted = [best] if best else []
    shares = [annual_pct * (1 - q) * scheme.exam_weight / HUNDRED] if best else []
    for quiz in quizzes:
        counted.append(quiz)
        shares.append(quiz.percent / len(quizzes) * q * scheme.exam_weight / HUNDRED)
    lines = [
        LedgerLine(Source.ATTEMPT, e.attempt_id, e.title, round2(e.percent), points)
        for e, points in zip(counted, _spread(shares), strict=True)
    ]
    lines += [
        LedgerLine(Source.ATTEMPT, e.attempt_id, e.title, round2(e.percent), ZERO, NOTE_NOT_COUNTED)
        for e in annual[1:]
    ]
    return {
        "annual_score": round2(annual_pct) if best else None,
        "annual_passed": any(e.passed for e in annual) if annual else None,
        "quiz_average": round2(quiz_avg) if quiz_avg is not None else None,
        "exam_score": round2(exam_pct),
        "exam_points": round2(exam_pct * scheme.exam_weight / HUNDRED),
        "lines": lines,
    }


def _fired_rules(scheme: Scheme, facts: CadreFacts, annual_score: Decimal | None):
    for rule in scheme.rules:
        if rule.kind == BonusRule.Kind.EXAM_SCORE:
            fired = annual_score is not None and annual_score >= rule.min_exam_score
        else:
            fired = rule.id in facts.rules_met
        if fired:
            yield rule


def _bonus_lines(scheme: Scheme, facts: CadreFacts, annual_score: Decimal | None):
    items = [
        (Source.RULE, r.id, r.title, r.points) for r in _fired_rules(scheme, facts, annual_score)
    ]
    items += [
        (Source.AWARD, a.id, a.reason, a.points)
        for a in facts.awards
        if a.kind == BonusAward.Kind.AWARD
    ]
    lines, room = [], scheme.bonus_cap
    for source, source_id, title, points in items:
        counted = min(points, room)
        room -= counted
        lines.append(
            LedgerLine(
                source, source_id, title, points, counted, NOTE_CAPPED if counted < points else ""
            )
        )
    lines += [
        LedgerLine(Source.DEDUCTION, a.id, a.reason, a.points, -a.points)
        for a in facts.awards
        if a.kind == BonusAward.Kind.DEDUCTION
    ]
    return lines


def grade_for(scheme: Scheme, total: Decimal, annual_passed: bool | None) -> str:
    """The highest band the total reaches; the top band also needs a passed annual exam
    (no attempt counts as not passed) when the scheme says so."""
    if not scheme.bands:
        return ""
    for index, (name, min_score) in enumerate(scheme.bands):
        if total < min_score:
            continue
        if index == 0 and scheme.top_band_requires_pass and annual_passed is not True:
            continue
        return name
    return scheme.bands[-1][0]


def year_compute_cadre(*, scheme: Scheme, facts: CadreFacts) -> CadreYear:
    """One cadre's year under the scheme, with the ledger lines behind every point."""
    hours, study_score, study = _study_lines(scheme, facts.credits)
    exam = _exam_lines(scheme, facts.exams)
    bonus = _bonus_lines(scheme, facts, exam["annual_score"])
    study_points = sum((line.points for line in study), ZERO)
    base = study_points + exam["exam_points"]
    bonus_total = sum((line.points for line in bonus if line.points > 0), ZERO)
    deductions = -sum((line.points for line in bonus if line.points < 0), ZERO)
    total = base + bonus_total - deductions
    return CadreYear(
        cadre_id=facts.cadre_id,
        credit_hours=hours,
        study_score=study_score,
        annual_score=exam["annual_score"],
        annual_passed=exam["annual_passed"],
        quiz_average=exam["quiz_average"],
        exam_score=exam["exam_score"],
        base_score=base,
        bonus=bonus_total,
        deductions=deductions,
        total=total,
        grade=grade_for(scheme, total, exam["annual_passed"]),
        lines=[*study, *exam["lines"], *bonus],
    )
