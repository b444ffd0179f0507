"""Writes on a year: create a scheme, finalise (freeze the results), reopen."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from ..models import (
    DEFAULT_GRADE_BANDS,
    EvaluationYear,
    GradeBand,
    LedgerEntry,
    YearFinalisation,
    YearResult,
)
from .compute import BATCH_SIZE, year_compute_iter
from .refresh import year_refresh_later
from .results import result_row, results_rank
from .year_score import CadreYear

FINALISE_PERMISSION = "evaluation.finalise_evaluationyear"


def grade_bands_ensure(*, evaluation_year: EvaluationYear) -> None:
    """Give a year without grade bands the default four."""
    if not evaluation_year.grade_bands.exists():
        GradeBand.objects.bulk_create(
            GradeBand(evaluation_year=evaluation_year, name=name, min_score=min_score)
            for name, min_score in DEFAULT_GRADE_BANDS
        )


def evaluation_year_create(*, year: int, by=None, rules=(), **scheme) -> EvaluationYear:
    """A year's scheme with the default grade bands; `rules` are dicts of BonusRule fields."""
    with transaction.atomic():
        if EvaluationYear.objects.filter(year=year).exists():
            raise ValidationError(_("The scheme for %(year)s already exists.") % {"year": year})
        evaluation_year = EvaluationYear(year=year, **scheme)
        evaluation_year.full_clean()
        evaluation_year.save()
        grade_bands_ensure(evaluation_year=evaluation_year)
        for values in rules:
            rule = evaluation_year.bonus_rules.model(evaluation_year=evaluation_year, **values)
            rule.full_clean()
            rule.save()
        if by is not None:
            log(evaluation_year, "wagtail.create", user=by)
    return evaluation_year


def _lock(year) -> EvaluationYear:
    number = year.year if isinstance(year, EvaluationYear) else int(year)
    try:
        return EvaluationYear.objects.select_for_update().get(year=number)
    except EvaluationYear.DoesNotExist:
        raise ValidationError(
            _("There is no evaluation scheme for %(year)s.") % {"year": number}
        ) from None


def _require_finalise_permission(by):
    if not by.has_perm(FINALISE_PERMISSION):
        raise PermissionDenied(_("Only HR can finalise or reopen a year."))


_STATUS_ACTIONS = {
    EvaluationYear.Status.FINALISED: "evaluation.year.finalise",
    EvaluationYear.Status.OPEN: "evaluation.year.reopen",
}


def _status_set(evaluation_year, status, *, by, data: dict) -> None:
    """Finalise or reopen, logged in Wagtail's action log with `data`."""
    evaluation_year.status = status
    evaluation_year.save(update_fields=["status", "updated_at"])
    log(evaluation_year, _STATUS_ACTIONS[status], user=by, data=data)


def _entries(row: YearResult, result: CadreYear) -> list[LedgerEntry]:
    return [
        LedgerEntry(
            result=row,
            position=position,
            source=line.source,
            source_id=line.source_id,
            title=line.title[:255],
            quantity=line.quantity,
            note=line.note,
            points=line.points,
        )
        for position, line in enumerate(result.lines, start=1)
    ]


def evaluation_year_finalise(*, year, by) -> YearFinalisation:
    """Freeze the year: every evaluated cadre's result and the ledger behind it are written
    as new rows of a new finalisation, which nothing changes afterwards. Earlier
    finalisations (before a reopening) are kept."""
    _require_finalise_permission(by)
    with transaction.atomic():
        evaluation_year = _lock(year)
        if evaluation_year.is_finalised:
            raise ValidationError(
                _("%(year)s is already finalised.") % {"year": evaluation_year.year},
                code="finalised",
            )
        now = timezone.now()
        last = evaluation_year.finalisations.order_by("-version").first()
        finalisation = YearFinalisation.objects.create(
            evaluation_year=evaluation_year,
            version=(last.version + 1) if last else 1,
            finalised_by=by,
            finalised_at=now,
        )
        count = 0
        pending: list[tuple] = []
        for cadre, result in year_compute_iter(year=evaluation_year):
            pending.append((cadre, result))
            if len(pending) >= BATCH_SIZE:
                count += _freeze(evaluation_year, finalisation, pending, now)
                pending = []
        count += _freeze(evaluation_year, finalisation, pending, now)
        results_rank(evaluation_year, finalisation=finalisation)
        data = {"version": finalisation.version, "results": count}
        _status_set(evaluation_year, EvaluationYear.Status.FINALISED, by=by, data=data)
    return finalisation


def _freeze(evaluation_year, finalisation, pending, now) -> int:
    rows = YearResult.objects.bulk_create(
        [
            result_row(evaluation_year, cadre, result, computed_at=now, finalisation=finalisation)
            for cadre, result in pending
        ],
        batch_size=BATCH_SIZE,
    )
    LedgerEntry.objects.bulk_create(
        [
            entry
            for row, (_c, result) in zip(rows, pending, strict=True)
            for entry in _entries(row, result)
        ],
        batch_size=BATCH_SIZE * 5,
    )
    return len(rows)


def evaluation_year_reopen(*, year, by, reason: str) -> EvaluationYear:
    """Open a finalised year again (logged with the reason). Its frozen results stay, and
    live results are shown again until the next finalisation."""
    _require_finalise_permission(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for reopening the year."))
    with transaction.atomic():
        evaluation_year = _lock(year)
        if not evaluation_year.is_finalised:
            raise ValidationError(
                _("%(year)s is not finalised.") % {"year": evaluation_year.year}, code="open"
            )
        finalisation = evaluation_year.finalisations.order_by("-version").first()
        finalisation.reopened_by = by
        finalisation.reopened_at = timezone.now()
        finalisation.reopen_reason = reason
        finalisation.save(update_fields=["reopened_by", "reopened_at", "reopen_reason"])
        data = {"version": finalisation.version, "reason": reason}
        _status_set(evaluation_year, EvaluationYear.Status.OPEN, by=by, data=data)
        year_refresh_later(year=evaluation_year.year)
    return evaluation_year


def current_finalisation(evaluation_year: EvaluationYear) -> YearFinalisation | None:
    """The finalisation whose frozen results stand, or None while the year is open."""
    if not evaluation_year.is_finalised:
        return None
    return evaluation_year.finalisations.order_by("-version").first()
