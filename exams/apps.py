"""The question bank, exam papers, attempts, scoring and practice."""

from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    name = "exams"
    verbose_name = _("Exams")

    def ready(self):
        from exams.import_jobs import QUESTIONS_JOB
        from exams.models import (
            Exam,
            ExamQuestion,
            ExamRule,
            ExamSlot,
            Question,
            QuestionVersion,
        )
        from exams.services.draw import exam_plans_stale
        from lms.accounts.models import OrgUnit
        from lms.imports.models import ImportKind
        from lms.imports.registry import import_kind_register

        # Large question files are imported in the background (lms/imports).
        import_kind_register(ImportKind.QUESTIONS, QUESTIONS_JOB)

        # What exam plans are read from (exams/services/draw.py).
        for model in (Exam, OrgUnit, Question, QuestionVersion, ExamQuestion, ExamRule, ExamSlot):
            uid = f"exam-plans-{model.__name__}"
            post_save.connect(exam_plans_stale, sender=model, dispatch_uid=uid)
            post_delete.connect(exam_plans_stale, sender=model, dispatch_uid=uid)
        m2m_changed.connect(
            exam_plans_stale, sender=Exam.audience_units.through, dispatch_uid="exam-plans-units"
        )
        m2m_changed.connect(
            exam_plans_stale, sender=ExamSlot.units.through, dispatch_uid="exam-plans-slot-units"
        )
