"""The admin's pages of background imports: a user's recent imports, one import's
progress page (refreshed by lms/static/js/import-progress.js) and its JSON status."""

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import ImportStatus
from .registry import import_kind
from .selectors import import_job_for, import_jobs_recent

# How often the progress page asks for the status (milliseconds).
POLL_INTERVAL_MS = 2000


def import_jobs_view(request):
    return render(
        request,
        "imports/job_list.html",
        {"jobs": import_jobs_recent(request.user), "page_title": _("My recent imports")},
    )


def import_job_view(request, job_id):
    job = import_job_for(request.user, job_id)
    spec = import_kind(job.kind)
    links = (
        spec.links(job, request.user) if (spec.links and job.status == ImportStatus.DONE) else []
    )
    return render(
        request,
        "imports/job_detail.html",
        {
            "job": job,
            "page_title": _("Background import"),
            "import_url": spec.import_url(),
            "status_url": reverse("import_job_status", args=[job.pk]),
            "links": links,
            "poll_interval": POLL_INTERVAL_MS,
        },
    )


def import_job_status_view(request, job_id):
    job = import_job_for(request.user, job_id)
    response = JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "rows_done": job.rows_done,
            "rows_total": job.rows_total,
            "percent": job.percent,
            "finished": job.finished,
        }
    )
    response["Cache-Control"] = "no-store"
    return response
