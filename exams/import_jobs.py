"""The question import as a background job (lms.imports): the same questions_import as
the import page, its summary and notes kept on the job for the progress page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from exams.services.bank_import import QuestionImportError, questions_import
from lms.imports.registry import ImportJobFailed, ImportKindSpec, ImportOutcome


def questions_job_run(job, data: bytes, progress) -> ImportOutcome:
    try:
        summary = questions_import(
            data=data,
            filename=job.filename,
            fmt=job.options.get("format") or None,
            category_path=job.options.get("category") or None,
            by=job.user,
            progress=progress,
        )
    except QuestionImportError as exc:
        raise ImportJobFailed(exc.messages) from exc
    notes = [
        _("Unchanged (already in the bank): %(unchanged)d. Images stored: %(images)d.")
        % {"unchanged": summary.unchanged, "images": summary.images},
        *(
            _("Skipped: %(name)s (%(type)s): %(reason)s")
            % {"name": s.name, "type": s.qtype, "reason": s.reason}
            for s in summary.skipped
        ),
        *summary.duplicates,
        *summary.warnings,
    ]
    return ImportOutcome(summary=summary.summary_line(), details=notes)


def _links(job, user):
    return [(_("Back to the questions"), reverse("exams_question:index"))]


QUESTIONS_JOB = ImportKindSpec(
    run=questions_job_run, import_url=lambda: reverse("exams_question:import"), links=_links
)
