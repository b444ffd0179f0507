"""Law study: the law library, courses and lessons, progress, training sessions."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Law study")
    default_auto_field = "django.db.models.BigAutoField"
