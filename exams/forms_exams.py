"""The exam paper form in the admin: settings, fixed questions and random rules, checked
against the bank before saving, with the paper's total points."""

from decimal import Decimal

from django.db.models import Q
from django.forms.formsets import DELETION_FIELD_NAME
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import HelpPanel, InlinePanel

from exams.models import Exam, ExamQuestion, ExamRule, Question, QuestionStatus
from exams.scoring import exam_points_total, fixed_pool_problems
from exams.services.draw import rule_shortfalls


def _live_rows(formset) -> list[dict]:
    """The cleaned rows a formset will save: not deleted, not left empty."""
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get(DELETION_FIELD_NAME)
    ]


class ExamForm(WagtailAdminModelForm):
    """Refuses a paper whose rules the bank cannot fill, judged on the data being saved
    (not what is in the database), with the engine's own rule_shortfalls."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Fixed questions come from the active bank; one already on this paper stays
        # choosable so that editing an older paper never fails on a retired question.
        formset = self.formsets.get("fixed_questions")
        if formset is not None:
            on_paper = (
                ExamQuestion.objects.filter(exam=self.instance).values("question_id")
                if self.instance.pk
                else ExamQuestion.objects.none().values("question_id")
            )
            queryset = Question.objects.filter(
                Q(status=QuestionStatus.ACTIVE, current_version__isnull=False) | Q(pk__in=on_paper)
            )
            for form in [*formset.forms, formset.empty_form]:
                form.fields["question"].queryset = queryset

    def unsaved_paper(self) -> Exam:
        """An in-memory copy of the paper as submitted: its questions and rules."""
        paper = Exam()
        paper.fixed_questions = [
            ExamQuestion(question=row["question"], points=row["points"])
            for row in _live_rows(self.formsets["fixed_questions"])
            if row.get("question")
        ]
        paper.rules = [
            ExamRule(
                count=row["count"],
                kind=row["kind"],
                category=row["category"],
                difficulty=row.get("difficulty") or "",
                points=row["points"],
            )
            for row in _live_rows(self.formsets["rules"])
            if row.get("category")
        ]
        return paper

    def is_valid(self):
        valid = super().is_valid()
        if not valid:
            return False
        paper = self.unsaved_paper()
        if not paper.fixed_questions.all() and not paper.rules.all():
            self.add_error(None, _("Add fixed questions or random rules: the paper is empty."))
        for message in rule_shortfalls(paper):
            self.add_error(None, message)
        for message in fixed_pool_problems(
            count=self.cleaned_data.get("fixed_draw_count"), fixed=paper.fixed_questions.all()
        ):
            self.add_error("fixed_draw_count", message)
        return not self.errors

    def save(self, commit=True):
        # The paper keeps the order the trainer gave its questions and rules.
        for name in ("fixed_questions", "rules"):
            formset = self.formsets.get(name)
            if formset is not None and formset.can_order:
                for order, form in enumerate(formset.ordered_forms):
                    form.instance.sort_order = order
        return super().save(commit=commit)


class OrderedInlinePanel(InlinePanel):
    """An inline panel whose rows can be moved up and down (the child models keep a
    `sort_order` without being wagtail Orderables)."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["can_order"] = True
        return options


class TotalPointsPanel(HelpPanel):
    """The paper's total points: computed on the server from the saved paper, updated as
    the trainer types by a few lines of script in the template."""

    def __init__(self, **kwargs):
        kwargs.setdefault("template", "exams/admin/exam_total_points.html")
        super().__init__(**kwargs)

    class BoundPanel(HelpPanel.BoundPanel):
        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            paper = self.instance
            if paper is not None and paper.pk:
                total = exam_points_total(
                    fixed=paper.fixed_questions.all(),
                    rules=paper.rules.all(),
                    fixed_draw_count=paper.fixed_draw_count,
                )
            else:
                total = Decimal("0")
            context["total"] = total
            return context
