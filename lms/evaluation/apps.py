"""The annual evaluation: each cadre's year from study credit, exams and bonus points."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "lms.evaluation"
    label = "evaluation"
    verbose_name = _("Annual evaluation")

    def ready(self):
        from . import signals

        signals.connect()
