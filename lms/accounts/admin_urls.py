"""The roster's admin pages, under /admin/roster/ (registered in wagtail_hooks.py)."""

from django.urls import path

from . import admin_views as views

urlpatterns = [
    path("import/", views.roster_import_view, name="roster_import"),
    path("template.xlsx", views.roster_template_view, name="roster_template"),
    path("passwords.xlsx", views.roster_passwords_xlsx_view, name="roster_passwords_xlsx"),
    path("passwords/slips/", views.roster_password_slips_view, name="roster_password_slips"),
    path("passwords/clear/", views.roster_passwords_clear_view, name="roster_passwords_clear"),
    path(
        "jobs/<int:job_id>/passwords.xlsx",
        views.roster_job_passwords_xlsx_view,
        name="roster_job_passwords_xlsx",
    ),
    path(
        "jobs/<int:job_id>/passwords/slips/",
        views.roster_job_password_slips_view,
        name="roster_job_password_slips",
    ),
]
