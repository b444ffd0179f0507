"""The admin pages of background imports, under /admin/imports/ (registered in
wagtail_hooks.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.import_jobs_view, name="import_jobs"),
    path("<int:job_id>/", views.import_job_view, name="import_job"),
    path("<int:job_id>/status/", views.import_job_status_view, name="import_job_status"),
]
