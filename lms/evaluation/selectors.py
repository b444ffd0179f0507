"""Reads of the annual evaluation: the results that stand for a year (live or frozen), who
may see which, a unit leader's overview, and a cadre's own year with its ledger. Each
function uses a fixed number of queries, however many cadres there are."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from courses.selectors import course_completions, credit_hours_of_year, required_courses_of_year
from exams.selectors.counted import attempts_open, users_with_counted_attempt
from lms.accounts.selectors import units_visible_to

from .models import BonusAward, EvaluationYear, LedgerEntry, YearResult
from .services.compute import evaluated_cadres, year_compute_iter
from .services.year_score import LedgerLine
from .services.years import current_finalisation


def evaluation_year_for(year: int | None) -> EvaluationYear | None:
    if year is None:
        return EvaluationYear.objects.first()  # the latest year
    return EvaluationYear.objects.filter(year=year).first()


def required_credit_hours(year: int) -> Decimal:
    """The year's scheme sets the requirement; before HR writes one, a setting does."""
    scheme = evaluation_year_for(year)
    if scheme is not None:
        return scheme.required_credit_hours
    return Decimal(str(getattr(settings, "STUDY_REQUIRED_CREDIT_HOURS", 20)))


def standing_results() -> QuerySet[YearResult]:
    """The results that stand for each year: live rows while a year is open, the rows of
    its current finalisation once it is finalised (earlier finalisations were reopened)."""
    return YearResult.objects.filter(
        Q(finalisation__isnull=True, evaluation_year__status=EvaluationYear.Status.OPEN)
        | Q(
            finalisation__isnull=False,
            finalisation__reopened_at__isnull=True,
            evaluation_year__status=EvaluationYear.Status.FINALISED,
        )
    )


def year_results(
    *, evaluation_year: EvaluationYear, user=None, unit=None, category="", grade=""
) -> QuerySet[YearResult]:
    """The year's standing results a user may see (every unit when `user` is None, as for
    commands), optionally for one unit with its subunits, a category and a grade; ordered
    by unit, then rank."""
    rows = standing_results().filter(evaluation_year=evaluation_year)
    if user is not None:
        rows = rows.filter(unit__in=units_visible_to(user))
    if unit is not None:
        rows = rows.filter(unit_path__startswith=unit.path)
    if category:
        rows = rows.filter(category=category)
    if grade:
        rows = rows.filter(grade=grade)
    return rows.select_related("cadre").order_by("unit_path", "rank_in_unit", "cadre__name", "pk")


@dataclass(frozen=True)
class ResultsState:
    frozen: bool
    finalisation: object  # YearFinalisation or None
    computed_at: object  # when live results were last computed, or None


def results_state(evaluation_year: EvaluationYear) -> ResultsState:
    finalisation = current_finalisation(evaluation_year)
    if finalisation is not None:
        return ResultsState(True, finalisation, finalisation.finalised_at)
    latest = (
        YearResult.objects.filter(evaluation_year=evaluation_year, finalisation=None)
        .order_by("-computed_at")
        .values_list("computed_at", flat=True)
        .first()
    )
    return ResultsState(False, None, latest)


def unit_overview(*, evaluation_year: EvaluationYear, user, behind_limit=100) -> dict:
    """A leader's (or HR's) view of their units: per unit the completion rate (credit hours
    at least the required), the annual exam pass rate; cadres behind on credit hours; the
    year's award proposals and their status. Five queries."""
    rows = year_results(evaluation_year=evaluation_year, user=user)
    required = evaluation_year.required_credit_hours
    units = []
    for unit in (
        rows.order_by()
        .values("unit_id", "unit_name", "unit_path")
        .annotate(
            cadres=Count("pk"),
            done=Count("pk", filter=Q(credit_hours__gte=required)),
            passed=Count("pk", filter=Q(annual_passed=True)),
        )
        .order_by("unit_path")
    ):
        cadres = unit["cadres"]
        units.append(
            {
                **unit,
                "completion_rate": round(100 * unit["done"] / cadres) if cadres else 0,
                "pass_rate": round(100 * unit["passed"] / cadres) if cadres else 0,
            }
        )
    behind = _behind(rows, year=evaluation_year.year, required=required, limit=behind_limit)
    proposals = list(
        BonusAward.objects.filter(
            evaluation_year=evaluation_year, cadre__unit__in=units_visible_to(user)
        )
        .select_related("cadre", "cadre__unit", "proposed_by", "decided_by")
        .order_by("-proposed_at", "-pk")[:100]
    )
    return {"units": units, "behind": behind, "proposals": proposals, "required": required}


@dataclass(frozen=True)
class Behind:
    result: YearResult
    short_hours: bool
    unfinished: list[str]  # titles of the required courses meant for them, not completed


def _behind(rows, *, year: int, required: Decimal, limit: int) -> list[Behind]:
    """Cadres short of the required hours or with a required course meant for them not
    completed, fewest hours first, each with those courses named. Five queries, whatever
    the number of cadres: the audience rule runs on the unit and category each result
    keeps."""
    courses = required_courses_of_year(year)
    facts = list(
        rows.order_by().values_list("pk", "cadre_id", "unit_path", "category", "credit_hours")
    )
    completed = course_completions(
        user_ids=[cadre_id for _pk, cadre_id, *_rest in facts],
        course_ids=[course.pk for course in courses],
    )
    found = []
    for pk, cadre_id, unit_path, category, hours in facts:
        unfinished = [
            course.title
            for course in courses
            if (cadre_id, course.pk) not in completed
            and course.audience.includes(unit_path, category)
        ]
        if hours < required or unfinished:
            found.append((hours, unit_path, pk, unfinished))
    found.sort(key=lambda item: item[:3])
    found = found[:limit]
    results = rows.filter(pk__in=[pk for _hours, _path, pk, _unfinished in found]).in_bulk()
    return [
        Behind(results[pk], hours < required, unfinished) for hours, _path, pk, unfinished in found
    ]


@dataclass(frozen=True)
class YearUnresolved:
    """What finalising a year would freeze as it stands; each list is cut at `limit` and
    the counts are whole."""

    pending_awards: list
    pending_award_count: int
    open_attempts: list
    open_attempt_count: int
    cadres_without_result: list
    cadres_without_result_count: int

    def __bool__(self) -> bool:
        return bool(
            self.pending_award_count or self.open_attempt_count or self.cadres_without_result_count
        )


def year_unresolved(*, evaluation_year: EvaluationYear, limit: int = 20) -> YearUnresolved:
    """Awards still proposed, attempts still open, and evaluated cadres without an exam
    result that counts: HR sees them before finalising. Six queries."""
    awards = BonusAward.objects.filter(
        evaluation_year=evaluation_year, status=BonusAward.Status.PROPOSED
    )
    attempts = attempts_open(year=evaluation_year.year)
    cadres = evaluated_cadres().exclude(
        pk__in=users_with_counted_attempt(year=evaluation_year.year)
    )
    return YearUnresolved(
        pending_awards=list(
            awards.select_related("cadre", "cadre__unit").order_by("proposed_at", "pk")[:limit]
        ),
        pending_award_count=awards.count(),
        open_attempts=list(attempts[:limit]),
        open_attempt_count=attempts.count(),
        cadres_without_result=list(cadres.order_by("unit__path", "name")[:limit]),
        cadres_without_result_count=cadres.count(),
    )


@dataclass
class MyYear:
    evaluation_year: EvaluationYear | None
    result: object  # CadreYear (live) or YearResult (frozen) or None
    lines: list
    frozen: bool
    rank: int | None
    credit_hours: Decimal


def my_year(*, user, year: int | None = None) -> MyYear:
    """A cadre's year: live from the ledger while the year is open (computed now), the
    frozen result and ledger once it is finalised. The lines sum to the total."""
    year = year or timezone.localdate().year
    evaluation_year = EvaluationYear.objects.filter(year=year).first()
    if evaluation_year is None:
        hours = credit_hours_of_year(user=user, year=year)
        return MyYear(None, None, [], False, None, hours)
    finalisation = current_finalisation(evaluation_year)
    if finalisation is not None:
        row = YearResult.objects.filter(finalisation=finalisation, cadre=user).first()
        lines = (
            [
                LedgerLine(e.source, e.source_id, e.title, e.quantity, e.points, e.note)
                for e in LedgerEntry.objects.filter(result=row).order_by("position")
            ]
            if row
            else []
        )
        rank = row.rank_in_unit if row and evaluation_year.leaderboard_visible else None
        return MyYear(
            evaluation_year, row, lines, True, rank, row.credit_hours if row else Decimal("0")
        )
    [(_user, result)] = year_compute_iter(year=evaluation_year, users=[user])
    rank = None
    if evaluation_year.leaderboard_visible:
        rank = (
            YearResult.objects.filter(
                evaluation_year=evaluation_year, finalisation=None, cadre=user
            )
            .values_list("rank_in_unit", flat=True)
            .first()
        )
    return MyYear(evaluation_year, result, result.lines, False, rank, result.credit_hours)


def years_of(user) -> list[int]:
    """Years with a scheme, newest first, for the cadre's year switcher."""
    return list(EvaluationYear.objects.values_list("year", flat=True))
