"""The stored form of a cadre's year: the values of a YearResult row, and ranks in unit.
Live rows (kept up to date by `year_compute`) and frozen rows (written by a finalisation)
are written the same way."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from ..models import YearResult
from .year_score import CadreYear

# Copied from the cadre at compute time: a frozen result keeps the unit the cadre was in.
PLACE_COLUMNS = ("unit_id", "unit_name", "unit_path", "position", "category")
RESULT_COLUMNS = (*CadreYear.STORED_FIELDS, *PLACE_COLUMNS)


def result_values(cadre, result: CadreYear) -> dict:
    """The columns of the cadre's YearResult row (cadre loaded with its unit)."""
    unit = cadre.unit
    values = {name: getattr(result, name) for name in CadreYear.STORED_FIELDS}
    values.update(
        unit_id=cadre.unit_id,
        unit_name=unit.name if unit else "",
        unit_path=unit.path if unit else "",
        position=cadre.position,
        category=cadre.category,
    )
    return values


def result_row(evaluation_year, cadre, result: CadreYear, *, computed_at, finalisation=None):
    return YearResult(
        evaluation_year=evaluation_year,
        finalisation=finalisation,
        cadre=cadre,
        computed_at=computed_at,
        **result_values(cadre, result),
    )


def results_rank(evaluation_year, finalisation=None, unit_ids=None) -> set[int]:
    """Give live (or one finalisation's) rows their rank in unit: 1 + the number of rows of
    the same unit with a higher total (1, 2, 2, 4). One UPDATE with a correlated count,
    plus a read before and after; returns the cadres whose rank changed."""
    rows = YearResult.objects.filter(evaluation_year=evaluation_year, finalisation=finalisation)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    before = dict(rows.values_list("cadre_id", "rank_in_unit").iterator(chunk_size=5000))
    higher = (
        YearResult.objects.filter(
            evaluation_year=evaluation_year,
            finalisation=finalisation,
            unit_id=OuterRef("unit_id"),
            total__gt=OuterRef("total"),
        )
        .order_by()
        .values("unit_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    rows.update(rank_in_unit=Coalesce(Subquery(higher), 0) + 1)
    after = rows.values_list("cadre_id", "rank_in_unit").iterator(chunk_size=5000)
    return {cadre_id for cadre_id, rank in after if before.get(cadre_id) != rank}
