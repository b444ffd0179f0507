"""Wagtail admin for exam papers (settings, fixed questions, random rules, preview) and
their statistics (distribution, units, item analysis, XLSX, answer-key correction)."""

import django_filters
from django import forms
from django.db.models import Case, DecimalField, F, OuterRef, Subquery, Sum, When
from django.db.models.functions import Coalesce
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton, ListingButton
from wagtail.log_actions import LogFormatter

from exams.admin.paper_pages import (
    STATS_PERMISSION,
    ExamDeleteView,
    ExamPreviewView,
    ExamRegradeView,
    ExamStatsView,
)
from exams.admin.question_chooser import question_chooser
from exams.admin.slots import SLOT_PERMISSION, slots_url
from exams.forms_exams import ExamForm, OrderedInlinePanel, TotalPointsPanel
from exams.models import (
    Attempt,
    Exam,
    ExamQuestion,
    ExamRule,
)
from exams.services.key_correction import KEY_CORRECTION_ACTION
from lms.subqueries import count_per

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
    graded = Attempt.objects.filter(exam=OuterRef("pk"), status=Attempt.Status.GRADED)
    fixed_count = count_per(ExamQuestion.objects.filter(exam=OuterRef("pk")), "exam")
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
        graded_count=count_per(graded, "exam"),
    )


def _exam_buttons(user, exam, button_class, **kwargs) -> list:
    """Preview, slots, statistics and attempts of one exam, for the listing row and the
    edit page, each shown to whoever holds its permission (None: every trainer)."""
    shown = [
        (None, _("Preview"), reverse("exams_exam:preview", args=[exam.pk]), "view", 5),
        (SLOT_PERMISSION, _("Exam slots"), None, "time", 7),
        (
            STATS_PERMISSION,
            _("Statistics"),
            reverse("exams_exam:stats", args=[exam.pk]),
            "table",
            6,
        ),
        (
            STATS_PERMISSION,
            _("Exam attempts"),
            reverse("exams_attempt:index") + f"?exam={exam.pk}",
            "tasks",
            7,
        ),
    ]
    return [
        button_class(label, url=url or slots_url(exam), icon_name=icon, priority=priority, **kwargs)
        for permission, label, url, icon, priority in shown
        if permission is None or user.has_perm(permission)
    ]


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
