from django.http import Http404

from .models import ImportJob

RECENT_JOBS = 20


def import_job_for(user, job_id: int) -> ImportJob:
    """The job, to the user who started it or a superuser; 404 to anyone else (not 403:
    a job's existence is no one else's business)."""
    jobs = ImportJob.objects.select_related("user")
    if not user.is_superuser:
        jobs = jobs.filter(user=user)
    try:
        return jobs.get(pk=job_id)
    except ImportJob.DoesNotExist:
        raise Http404 from None


def import_jobs_recent(user, kind: str | None = None):
    jobs = ImportJob.objects.filter(user=user).defer("details", "result", "options")
    if kind:
        jobs = jobs.filter(kind=kind)
    return jobs[:RECENT_JOBS]
