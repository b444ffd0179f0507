"""Writes and computations of the annual evaluation (re-exported for callers)."""

from .awards import (
    bonus_award_approve,
    bonus_award_propose,
    bonus_award_reject,
    bonus_deduction_record,
)
from .compute import evaluated_cadres, year_compute, year_compute_iter
from .refresh import year_refresh_later
from .year_score import CadreYear, LedgerLine
from .years import (
    current_finalisation,
    evaluation_year_create,
    evaluation_year_finalise,
    evaluation_year_reopen,
    grade_bands_ensure,
)

__all__ = [
    "CadreYear",
    "LedgerLine",
    "bonus_award_approve",
    "bonus_award_propose",
    "bonus_award_reject",
    "bonus_deduction_record",
    "current_finalisation",
    "evaluated_cadres",
    "evaluation_year_create",
    "evaluation_year_finalise",
    "evaluation_year_reopen",
    "grade_bands_ensure",
    "year_compute",
    "year_compute_iter",
    "year_refresh_later",
]
