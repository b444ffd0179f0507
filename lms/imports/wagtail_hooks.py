"""Registers the admin pages of background imports."""

from django.urls import path
from wagtail import hooks

from . import views


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path("imports/", views.import_jobs_view, name="import_jobs"),
        path("imports/<int:job_id>/", views.import_job_view, name="import_job"),
        path(
            "imports/<int:job_id>/status/", views.import_job_status_view, name="import_job_status"
        ),
    ]
