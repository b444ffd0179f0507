"""Starting a background import and running it: the file is stored privately, a job
records it, and a django-tasks task runs the kind's importer, which is the same function
as the page's synchronous import (all or nothing, every bad row named)."""

import logging
import time

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import ImportJob, ImportStatus
from .registry import ImportJobFailed, import_kind

logger = logging.getLogger(__name__)

# Progress is written at most this often (seconds), so that a 20,000-row sheet does not
# cost 20,000 updates.
PROGRESS_INTERVAL = 1.0


def import_background_rows() -> int:
    return getattr(settings, "IMPORT_BACKGROUND_ROWS", 2000)


def import_background_bytes() -> int:
    return getattr(settings, "IMPORT_BACKGROUND_BYTES", 1024 * 1024)


def import_goes_background(*, rows: int | None, size: int) -> bool:
    """A file runs in the background when it has more rows than IMPORT_BACKGROUND_ROWS
    (spreadsheets), or more bytes than IMPORT_BACKGROUND_BYTES (any file)."""
    if rows is not None and rows > import_background_rows():
        return True
    return size > import_background_bytes()


def import_job_start(
    *, user, kind: str, data: bytes, filename: str, options=None, rows_total: int = 0
) -> ImportJob:
    """Store the file, record the job and queue its task; the job is returned queued (or
    already finished, with the immediate backend of development and tests)."""
    from .tasks import import_job_run_task

    job = ImportJob(
        user=user,
        kind=kind,
        filename=filename[:255],
        # The worker writes the summary and the problems in the starter's language.
        options={**(options or {}), "language": translation.get_language()},
        rows_total=rows_total,
    )
    job.file.save(filename, ContentFile(data), save=False)
    job.save()
    # The task must find the job committed, whatever transaction the caller is in.
    transaction.on_commit(lambda: import_job_run_task.enqueue(job.pk))
    if transaction.get_autocommit():
        job.refresh_from_db()
    return job


def _progress_writer(job_id: int):
    last = 0.0

    def progress(done: int, total: int, *, force: bool = False) -> None:
        nonlocal last
        now = time.monotonic()
        if not force and now - last < PROGRESS_INTERVAL:
            return
        last = now
        ImportJob.objects.filter(pk=job_id).update(rows_done=done, rows_total=total)

    return progress


def import_job_run(job_id: int) -> str:
    """Run a queued job once; returns its final status. A job already started (the task
    delivered twice) is left alone."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING
    )
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or not claimed:
        return job.status if job else ""
    try:
        with job.file.open("rb") as stored:
            data = stored.read()
        with translation.override(job.options.get("language") or settings.LANGUAGE_CODE):
            outcome = import_kind(job.kind).run(job, data, _progress_writer(job.pk))
    except ImportJobFailed as exc:
        job.status, job.summary, job.details = ImportStatus.FAILED, "", exc.messages
    except Exception:
        logger.exception("background import %s failed", job.pk)
        job.status = ImportStatus.FAILED
        job.summary = _(
            "The import stopped because of an error on the server; nothing was imported."
        )
        job.details = []
    else:
        job.status, job.summary = ImportStatus.DONE, outcome.summary
        job.details, job.result = outcome.details, outcome.result
    job.finished_at = timezone.now()
    # The counts are the ones progress wrote; a finished import did every row.
    job.rows_done, job.rows_total = ImportJob.objects.values_list("rows_done", "rows_total").get(
        pk=job.pk
    )
    if job.status == ImportStatus.DONE:
        job.rows_done = job.rows_total = max(job.rows_done, job.rows_total)
    job.save()
    # The file was only needed until now (a roster holds personal data).
    job.file.delete(save=True)
    return job.status
