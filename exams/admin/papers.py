"""Wagtail admin for exam papers (settings, fixed questions, random rules, preview) and
their statistics (distribution, units, item analysis, XLSX, answer-key correction)."""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, DecimalField, F, OuterRef, Subquery, Sum, When
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views import View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton, ListingButton
from wagtail.log_actions import LogFormatter

from exams.admin.slots import SLOT_PERMISSION, slots_url
from exams.forms_exams import ExamForm, OrderedInlinePanel, TotalPointsPanel
from exams.models import (
    Attempt,
    Exam,
    ExamQuestion,
    ExamRule,
    Question,
    QuestionKind,
    QuestionStatus,
    QuestionVersion,
)
from exams.selectors.statistics import exam_statistics
from exams.services.draw import exam_draw
from exams.services.integrity import client_ip
from exams.services.key_correction import (
    KEY_CORRECTION_ACTION,
    exam_key_correct,
    key_correction_plan,
)
from exams.services.statistics_export import exam_statistics_xlsx

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATS_PERMISSION = "exams.view_attempt"
REGRADE_PERMISSION = "exams.change_attempt"


# --- question chooser (active questions, substring search) ---------------------------


class QuestionChooserFilterForm(BaseFilterForm):
    q = forms.CharField(label=gettext_lazy("Search the stem"), required=False)
    kind = forms.ChoiceField(
        label=pgettext_lazy("question", "Type"),
        choices=[("", pgettext_lazy("question", "All types")), *QuestionKind.choices],
        required=False,
    )

    def filter(self, objects):
        query = self.cleaned_data.get("q")
        if query:
            # Substring search: Chinese has no spaces for a full-text index to split at.
            objects = objects.filter(stem_text__icontains=query)
            self.is_searching = True
            self.search_query = query
        if self.cleaned_data.get("kind"):
            objects = objects.filter(kind=self.cleaned_data["kind"])
        return objects


class QuestionChooseMixin:
    filter_form_class = QuestionChooserFilterForm

    @property
    def columns(self):
        return [
            self.title_column,
            Column("kind", label=pgettext_lazy("question", "Type"), accessor="get_kind_display"),
            Column("category", label=gettext_lazy("Category")),
        ]


class QuestionChooseView(QuestionChooseMixin, chooser_views.ChooseView):
    pass


class QuestionChooseResultsView(QuestionChooseMixin, chooser_views.ChooseResultsView):
    pass


class QuestionChooserViewSet(ChooserViewSet):
    model = Question
    icon = "help"
    choose_one_text = gettext_lazy("Choose a question")
    choose_another_text = gettext_lazy("Choose another question")
    choose_view_class = QuestionChooseView
    choose_results_view_class = QuestionChooseResultsView
    # The widget is used explicitly by the exam form; the question bank decides what other
    # forms use.
    register_widget = False
    per_page = 20

    def get_object_list(self):
        return Question.objects.filter(
            status=QuestionStatus.ACTIVE, current_version__isnull=False
        ).select_related("category")


question_chooser = QuestionChooserViewSet("exams_question_chooser", url_prefix="exams/questions")


# --- exam papers ----------------------------------------------------------------------


def _year_choices(request=None):
    years = Exam.objects.order_by("-year").values_list("year", flat=True).distinct()
    return [(year, str(year)) for year in years]


class ExamFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label=gettext_lazy("Kind"), choices=Exam.Kind.choices)
    year = django_filters.ChoiceFilter(label=gettext_lazy("Year"), choices=_year_choices)
    is_published = django_filters.BooleanFilter(label=gettext_lazy("Published"))

    class Meta:
        model = Exam
        fields = ["kind", "year", "is_published"]


def _points_subquery(model, expression):
    return Coalesce(
        Subquery(
            model.objects.filter(exam=OuterRef("pk"))
            .order_by()
            .values("exam")
            .annotate(total=Sum(expression))
            .values("total"),
            output_field=DecimalField(max_digits=9, decimal_places=1),
        ),
        0,
        output_field=DecimalField(max_digits=9, decimal_places=1),
    )


def exams_listing():
    """Papers with their total points and graded attempts, in one query."""
    graded = (
        Attempt.objects.filter(exam=OuterRef("pk"), status=Attempt.Status.GRADED)
        .order_by()
        .values("exam")
        .annotate(n=Count("pk"))
        .values("n")
    )
    fixed_count = Subquery(
        ExamQuestion.objects.filter(exam=OuterRef("pk"))
        .order_by()
        .values("exam")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # A pool of fixed questions (of equal points) counts only the questions drawn from it.
    fixed_points = Case(
        When(
            fixed_draw_count__lt=fixed_count,
            then=F("fixed_draw_count") * _points_subquery(ExamQuestion, F("points")) / fixed_count,
        ),
        default=_points_subquery(ExamQuestion, F("points")),
        output_field=DecimalField(max_digits=9, decimal_places=1),
    )
    return Exam.objects.annotate(
        total_points=fixed_points + _points_subquery(ExamRule, F("count") * F("points")),
        graded_count=Coalesce(Subquery(graded), 0),
    )


def _exam_buttons(user, exam, button_class, **kwargs) -> list:
    """Preview, slots and statistics of one exam, for the listing row and the edit page."""
    buttons = [
        button_class(
            _("Preview"),
            url=reverse("exams_exam:preview", args=[exam.pk]),
            icon_name="view",
            priority=5,
            **kwargs,
        )
    ]
    if user.has_perm(SLOT_PERMISSION):
        buttons.append(
            button_class(
                _("Exam slots"),
                url=slots_url(exam),
                icon_name="time",
                priority=7,
                **kwargs,
            )
        )
    if user.has_perm(STATS_PERMISSION):
        buttons.append(
            button_class(
                _("Statistics"),
                url=reverse("exams_exam:stats", args=[exam.pk]),
                icon_name="table",
                priority=6,
                **kwargs,
            )
        )
        buttons.append(
            button_class(
                _("Exam attempts"),
                url=reverse("exams_attempt:index") + f"?exam={exam.pk}",
                icon_name="tasks",
                priority=7,
                **kwargs,
            )
        )
    return buttons


class ExamIndexView(generic.IndexView):
    def get_base_queryset(self):
        return exams_listing()

    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            *_exam_buttons(self.request.user, instance, ListingButton),
        ]


class ExamEditView(generic.EditView):
    @cached_property
    def header_buttons(self):
        return [
            *super().header_buttons,
            *_exam_buttons(self.request.user, self.object, HeaderButton),
        ]


class ExamAdminPageMixin(WagtailAdminTemplateMixin):
    """The exam's own admin pages (preview, statistics, key correction) sit under the exam
    list and the exam in the breadcrumbs, as Wagtail's own views do; without them the
    header shows only "首页"."""

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

    def get(self, request, pk):
        if not (
            request.user.has_perm("exams.view_exam") or request.user.has_perm("exams.change_exam")
        ):
            raise PermissionDenied
        self.exam = get_object_or_404(Exam, pk=pk)
        return TemplateResponse(request, self.template_name, self.get_context_data())

    def get_page_subtitle(self):
        return self.exam.title

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

    def get(self, request, pk):
        if not request.user.has_perm(STATS_PERMISSION):
            raise PermissionDenied
        self.exam = get_object_or_404(Exam, pk=pk)
        if request.GET.get("export") == "xlsx":
            data = exam_statistics_xlsx(stats=exam_statistics(exam=self.exam))
            response = HttpResponse(data, content_type=XLSX_TYPE)
            response["Content-Disposition"] = (
                f'attachment; filename="exam-{self.exam.pk}-stats.xlsx"'
            )
            return response
        return TemplateResponse(request, self.template_name, self.get_context_data())

    def get_page_subtitle(self):
        return self.exam.title

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

    def dispatch(self, request, pk, question_id):
        if not request.user.has_perm(REGRADE_PERMISSION):
            raise PermissionDenied
        self.exam = get_object_or_404(Exam, pk=pk)
        self.question = get_object_or_404(
            Question.objects.select_related("current_version"), pk=question_id
        )
        return super().dispatch(request, pk, question_id)

    def get_page_subtitle(self):
        return self.exam.title

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


def _total_points(exam):
    return exam.total_points


class ExamViewSet(ModelViewSet):
    model = Exam
    icon = "doc-full-inverse"
    add_to_admin_menu = True
    menu_order = 320
    url_prefix = "exams/papers"
    index_view_class = ExamIndexView
    edit_view_class = ExamEditView
    delete_view_class = ExamDeleteView
    filterset_class = ExamFilterSet
    search_fields = ["title"]
    search_backend_name = None
    copy_view_enabled = False
    add_to_reference_index = False
    ordering = "-opens_at"
    list_per_page = 50

    @cached_property
    def list_display(self):
        return [
            # A field name, not a TitleColumn: Wagtail then makes it the title column that
            # carries the row's buttons (preview, statistics).
            "title",
            Column(
                "kind", label=gettext_lazy("Kind"), accessor="get_kind_display", sort_key="kind"
            ),
            Column("year", label=gettext_lazy("Year"), sort_key="year"),
            Column("opens_at", label=gettext_lazy("Opens"), sort_key="opens_at"),
            Column("closes_at", label=gettext_lazy("Closes")),
            Column("total_points", label=gettext_lazy("Total points"), accessor=_total_points),
            Column("graded_count", label=gettext_lazy("Graded attempts")),
            BooleanColumn("is_published", label=gettext_lazy("Published")),
        ]

    @cached_property
    def edit_handler(self):
        chooser = question_chooser.widget_class()
        return TabbedInterface(
            [
                ObjectList(
                    [
                        FieldPanel("title"),
                        FieldRowPanel([FieldPanel("kind"), FieldPanel("year")]),
                        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                        FieldRowPanel(
                            [
                                FieldPanel("time_limit_minutes"),
                                FieldPanel("attempts_allowed"),
                                FieldPanel("counting"),
                            ]
                        ),
                        FieldRowPanel([FieldPanel("pass_percent"), FieldPanel("multiple_scoring")]),
                        FieldRowPanel(
                            [FieldPanel("shuffle_questions"), FieldPanel("shuffle_options")]
                        ),
                        FieldRowPanel(
                            [FieldPanel("review_policy"), FieldPanel("review_shows_answers")]
                        ),
                        FieldRowPanel(
                            [FieldPanel("required_credit_hours"), FieldPanel("leave_limit")]
                        ),
                        FieldRowPanel(
                            [
                                FieldPanel("counts_for_evaluation"),
                                FieldPanel("certificates"),
                                FieldPanel("is_published"),
                            ]
                        ),
                    ],
                    heading=gettext_lazy("Settings"),
                ),
                ObjectList(
                    [
                        TotalPointsPanel(heading=gettext_lazy("Total points")),
                        FieldPanel("fixed_draw_count"),
                        OrderedInlinePanel(
                            "fixed_questions",
                            heading=gettext_lazy("Fixed questions"),
                            label=gettext_lazy("Fixed question"),
                            panels=[
                                FieldPanel("question", widget=chooser),
                                FieldPanel("points"),
                            ],
                        ),
                        OrderedInlinePanel(
                            "rules",
                            heading=gettext_lazy("Random rules"),
                            label=gettext_lazy("Random rule"),
                            panels=[
                                FieldRowPanel([FieldPanel("count"), FieldPanel("kind")]),
                                FieldRowPanel([FieldPanel("category"), FieldPanel("difficulty")]),
                                FieldPanel("points"),
                            ],
                        ),
                    ],
                    heading=gettext_lazy("Questions"),
                ),
                ObjectList(
                    [
                        MultiFieldPanel(
                            [
                                FieldPanel("audience_units", widget=forms.CheckboxSelectMultiple),
                                FieldPanel("audience_categories"),
                            ],
                            heading=gettext_lazy("Who takes it (empty: everyone)"),
                        ),
                    ],
                    heading=gettext_lazy("Audience"),
                ),
            ],
            base_form_class=ExamForm,
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("preview/<int:pk>/", ExamPreviewView.as_view(), name="preview"),
            path("stats/<int:pk>/", ExamStatsView.as_view(), name="stats"),
            path(
                "stats/<int:pk>/regrade/<int:question_id>/",
                ExamRegradeView.as_view(),
                name="regrade",
            ),
        ]


def register_exam_log_actions(actions):
    @actions.register_action(KEY_CORRECTION_ACTION)
    class KeyCorrectionFormatter(LogFormatter):
        label = gettext_lazy("Correct an answer key")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return _(
                "Answer key of question #%(question)s corrected; %(attempts)s attempts "
                "re-graded, %(changed)s scores changed"
            ) % {
                "question": data.get("question", "?"),
                "attempts": data.get("attempts", 0),
                "changed": len(data.get("score_changes", [])),
            }


VIEWSETS = [ExamViewSet("exams_exam"), question_chooser]
ADMIN_URLS = []
