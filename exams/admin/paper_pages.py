"""An exam paper's own admin pages: its preview, its statistics and the answer-key
correction."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views import View
from wagtail.admin.views import generic
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.widgets import HeaderButton

from exams.models import (
    Exam,
    Question,
    QuestionKind,
    QuestionVersion,
)
from exams.selectors.statistics import exam_statistics
from exams.services.draw import exam_draw
from exams.services.integrity import client_ip
from exams.services.key_correction import (
    exam_key_correct,
    key_correction_plan,
)
from exams.services.statistics_export import exam_statistics_xlsx
from lms.spreadsheets import xlsx_response

STATS_PERMISSION = "exams.view_attempt"
REGRADE_PERMISSION = "exams.change_attempt"


class ExamAdminPageMixin(WagtailAdminTemplateMixin):
    """The exam's own admin pages (preview, statistics, key correction) sit under the exam
    list and the exam in the breadcrumbs, as Wagtail's own views do; without them the
    header shows only "首页". Each page says which permissions (any one) let a user in; the
    check comes before the exam is looked up, so a stranger learns nothing of which exist."""

    permissions: tuple[str, ...] = ()

    def dispatch(self, request, pk, *args, **kwargs):
        if not any(request.user.has_perm(permission) for permission in self.permissions):
            raise PermissionDenied
        self.exam = get_object_or_404(Exam, pk=pk)
        self.load(**kwargs)
        return super().dispatch(request, pk, *args, **kwargs)

    def load(self, **kwargs):
        """What else the page reads from its URL, after the exam."""

    def get(self, request, *args, **kwargs):
        return TemplateResponse(request, self.template_name, self.get_context_data())

    def get_page_subtitle(self):
        return self.exam.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("exams_exam:index"), "label": Exam._meta.verbose_name_plural},
            {"url": reverse("exams_exam:edit", args=[self.exam.pk]), "label": self.exam.title},
            {"url": "", "label": self.get_page_title()},
        ]


class ExamDeleteView(generic.DeleteView):
    """A paper that cadres have sat is kept: their attempts point at it."""

    def dispatch(self, request, *args, **kwargs):
        exam = get_object_or_404(Exam, pk=kwargs.get("pk"))
        if exam.attempts.exists():
            messages.error(
                request,
                _("Cadres have taken this exam, so it cannot be deleted. Unpublish it instead."),
            )
            return redirect("exams_exam:edit", exam.pk)
        return super().dispatch(request, *args, **kwargs)


class ExamPreviewView(ExamAdminPageMixin, View):
    """The paper as a cadre sees it: the fixed questions, and one sample draw for each
    random rule (each cadre gets a different draw)."""

    template_name = "exams/admin/exam_preview.html"
    page_title = gettext_lazy("Preview")
    header_icon = "view"
    permissions = ("exams.view_exam", "exams.change_exam")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        drawn = exam_draw(exam=self.exam)
        fixed = set(self.exam.fixed_questions.values_list("question_id", flat=True))
        versions = QuestionVersion.objects.in_bulk([d.shape.version_id for d in drawn])
        questions = [
            {
                "position": position,
                "kind": d.shape.kind,
                "kind_label": QuestionKind(d.shape.kind).label,
                "points": d.points,
                "stem": versions[d.shape.version_id].stem,
                "choices": versions[d.shape.version_id].choices,
                "blanks": range(len(versions[d.shape.version_id].blanks)),
                "sample": d.question_id not in fixed or bool(self.exam.fixed_draw_count),
            }
            for position, d in enumerate(drawn, start=1)
        ]
        context.update(
            exam=self.exam,
            questions=questions,
            total=sum((d.points for d in drawn), 0),
            edit_url=reverse("exams_exam:edit", args=[self.exam.pk]),
        )
        return context


class ExamStatsView(ExamAdminPageMixin, View):
    template_name = "exams/admin/exam_stats.html"
    page_title = gettext_lazy("Statistics")
    header_icon = "table"
    permissions = (STATS_PERMISSION,)

    def get(self, request, pk):
        if request.GET.get("export") == "xlsx":
            data = exam_statistics_xlsx(stats=exam_statistics(exam=self.exam))
            return xlsx_response(data, filename=f"exam-{self.exam.pk}-stats.xlsx")
        return super().get(request, pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stats = exam_statistics(exam=self.exam)
        peak = max((count for _label, count in stats.bands), default=0)
        context.update(
            stats=stats,
            exam=self.exam,
            bands=[
                (label, count, round(100 * count / peak) if peak else 0)
                for label, count in stats.bands
            ],
            can_regrade=self.request.user.has_perm(REGRADE_PERMISSION),
        )
        return context

    @cached_property
    def header_buttons(self):
        # The workbook is a list-wide action: a labelled header button, as on the listings.
        return [
            HeaderButton(
                pgettext_lazy("admin header button", "Export Excel"),
                url=reverse("exams_exam:stats", args=[self.exam.pk]) + "?export=xlsx",
                icon_name="download",
            )
        ]


class ExamRegradeView(ExamAdminPageMixin, View):
    """Apply a question's corrected key to this exam's attempts and re-grade them."""

    template_name = "exams/admin/exam_regrade.html"
    page_title = gettext_lazy("Correct the answer key")
    header_icon = "repeat"
    permissions = (REGRADE_PERMISSION,)

    def load(self, *, question_id):
        self.question = get_object_or_404(
            Question.objects.select_related("current_version"), pk=question_id
        )

    def get(self, request, pk, question_id, status=200):
        try:
            plan = key_correction_plan(exam=self.exam, question=self.question)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("exams_exam:stats", self.exam.pk)
        context = self.get_context_data(plan=plan)
        return TemplateResponse(request, self.template_name, context, status=status)

    def post(self, request, pk, question_id):
        try:
            result = exam_key_correct(
                exam=self.exam, question=self.question, by=request.user, ip=client_ip(request)
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return self.get(request, pk, question_id, status=409)
        messages.success(
            request,
            _("Answer key corrected: %(attempts)d attempts re-graded, %(changed)d scores changed.")
            % {"attempts": result.attempts, "changed": result.changed},
        )
        return redirect("exams_exam:stats", self.exam.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            exam=self.exam,
            question=self.question,
            stats_url=reverse("exams_exam:stats", args=[self.exam.pk]),
            question_edit_url=reverse("exams_question:edit", args=[self.question.pk]),
        )
        return context
