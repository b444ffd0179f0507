"""The roster import as a background job (lms.imports): the same roster_import as the
import page. The new cadres' one-time passwords are plaintext, so, as on the page, they
are never written to the database: they wait in the cache (Redis in production, which the
task worker shares with the web servers) under the job's key, for PASSWORDS_TTL, and only
the user who ran the import can take them (roster_job_passwords_view)."""

from dataclasses import asdict

from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext as _

from lms.imports.registry import ImportJobFailed, ImportKindSpec, ImportOutcome

from .roster import RosterImportError, roster_import


def roster_background_possible() -> bool:
    """Whether the task's cache is the web servers' cache: true with Redis, or when the
    task runs in the request's own process (the immediate backend). With a per-process
    memory cache and a separate worker, the passwords would be lost, so a roster then
    stays in the request as before."""
    from django.conf import settings

    cache_backend = settings.CACHES["default"]["BACKEND"]
    task_backend = settings.TASKS["default"]["BACKEND"]
    return "locmem" not in cache_backend.lower() or task_backend.endswith("ImmediateBackend")


def roster_job_passwords_key(job_id: int) -> str:
    return f"roster-passwords:job:{job_id}"


def roster_job_run(job, data: bytes, progress) -> ImportOutcome:
    from .admin_views import PASSWORDS_TTL

    try:
        result = roster_import(data=data, filename=job.filename, progress=progress)
    except RosterImportError as exc:
        raise ImportJobFailed([str(error) for error in exc.errors]) from exc
    notes = []
    if result.new_accounts:
        cache.set(
            roster_job_passwords_key(job.pk),
            {"user": job.user_id, "accounts": [asdict(a) for a in result.new_accounts]},
            PASSWORDS_TTL,
        )
        notes.append(
            _(
                "The new cadres' one-time passwords are kept for %(minutes)d minutes, for "
                "you alone: download them or print the slips now."
            )
            % {"minutes": PASSWORDS_TTL // 60}
        )
    return ImportOutcome(
        summary=_("Roster imported: %s.") % result.summary(),
        details=notes,
        result={"passwords": len(result.new_accounts)},
    )


def _links(job, user):
    # The passwords go to the user who ran the import, not even to a superuser.
    if not job.result.get("passwords") or job.user_id != user.pk:
        return []
    return [
        (_("Download the passwords (Excel)"), reverse("roster_job_passwords_xlsx", args=[job.pk])),
        (_("Print password slips"), reverse("roster_job_password_slips", args=[job.pk])),
    ]


ROSTER_JOB = ImportKindSpec(
    run=roster_job_run, import_url=lambda: reverse("roster_import"), links=_links
)
