"""Background work of the annual evaluation (django-tasks): recompute a year or some
cadres' results, export a year's results to a file in the default storage."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django_tasks import task


@task()
def year_compute_task(year: int, user_ids: list[int] | None = None) -> int:
    """`year_compute` in the background: every live result of an open year, or those of
    some cadres (after a credit, an attempt, an award, a move); returns how many changed."""
    from .models import EvaluationYear
    from .services import year_compute

    evaluation_year = EvaluationYear.objects.filter(year=year).first()
    if evaluation_year is None:
        return 0
    return year_compute(year=evaluation_year, users=None if user_ids is None else list(user_ids))


@task()
def export_year_results_task(
    year: int, export_format: str, unit_code: str | None = None, path: str = ""
) -> str:
    """Write the year's standing results to the default storage; returns the file's name."""
    import io

    from lms.accounts.models import OrgUnit

    from .export import year_results_filename, year_results_write
    from .selectors import evaluation_year_for, year_results

    evaluation_year = evaluation_year_for(year)
    unit = OrgUnit.objects.get(code=unit_code) if unit_code else None
    rows = year_results(evaluation_year=evaluation_year, unit=unit).iterator(chunk_size=2000)
    output = io.BytesIO()
    year_results_write(rows=rows, export_format=export_format, output=output)
    name = path or "evaluation/exports/" + year_results_filename(
        year=year, unit=unit, export_format=export_format
    )
    return default_storage.save(name, ContentFile(output.getvalue()))
