"""Law study: the law library, courses and lessons, progress, training sessions."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Law study")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from lms.imports.models import ImportKind
        from lms.imports.registry import import_kind_register

        from .import_jobs import LAW_JOB

        # A very large law text is imported in the background (lms/imports).
        import_kind_register(ImportKind.LAW, LAW_JOB)
