"""The law import as a background job (lms.imports): the same law_import as the import
page, for a Markdown file over IMPORT_BACKGROUND_BYTES."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from courses.services.law_import import law_import_text
from lms.imports.registry import ImportJobFailed, ImportKindSpec, ImportOutcome


def law_job_run(job, data: bytes, progress) -> ImportOutcome:
    from courses.admin_laws import law_import_message

    try:
        result = law_import_text(
            text=data.decode("utf-8"),
            filename=job.filename,
            slug=job.options.get("slug") or None,
            category=job.options.get("category") or None,
            status=job.options.get("status") or None,
            progress=progress,
        )
    except ValidationError as exc:
        raise ImportJobFailed(exc.messages) from exc
    return ImportOutcome(summary=law_import_message(result), result={"law": result.law.pk})


def _law_url(name: str) -> str:
    from courses.models import Law

    return reverse(Law.snippet_viewset.get_url_name(name))


def _links(job, user):
    return [(_("Back to the laws"), _law_url("list"))]


LAW_JOB = ImportKindSpec(run=law_job_run, import_url=lambda: _law_url("import"), links=_links)
