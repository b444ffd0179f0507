"""The bank's categories and the cadres' error reports (纠错) in the admin."""

import django_filters
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from exams.forms_bank import QuestionCategoryForm
from exams.models import (
    QuestionCategory,
    QuestionReport,
)

# --- categories and reports ---------------------------------------------------------


class CategoryIndexView(generic.IndexView):
    def get_base_queryset(self):
        return QuestionCategory.objects.annotate(question_count=Count("questions"))


class QuestionCategoryViewSet(ModelViewSet):
    model = QuestionCategory
    name = "exams_questioncategory"
    url_prefix = "question-bank/categories"
    icon = "folder-open-inverse"
    index_view_class = CategoryIndexView
    list_display = [
        TitleColumn("full_path", label=_("Category"), url_name="exams_questioncategory:edit"),
        Column("question_count", label=_("Questions")),
    ]
    search_fields = ["full_path"]
    search_backend_name = None
    copy_view_enabled = False
    add_to_reference_index = False

    def get_form_class(self, for_update=False):
        return QuestionCategoryForm


class QuestionReportFilterSet(WagtailFilterSet):
    question = django_filters.NumberFilter(label=_("Question id"), field_name="question_id")

    class Meta:
        model = QuestionReport
        fields = ["status", "question"]


class ReportIndexView(generic.IndexView):
    def get_base_queryset(self):
        return QuestionReport.objects.select_related("question", "user")


class QuestionReportViewSet(ModelViewSet):
    model = QuestionReport
    name = "exams_questionreport"
    url_prefix = "question-bank/reports"
    icon = "warning"
    index_view_class = ReportIndexView
    filterset_class = QuestionReportFilterSet
    form_fields = ["status"]
    list_display = [
        TitleColumn("text", label=_("What is wrong"), url_name="exams_questionreport:edit"),
        Column("question", label=_("Question")),
        Column("user", label=_("Reported by")),
        Column("status", label=_("Status"), accessor="get_status_display"),
        Column("created_at", label=_("Reported at")),
    ]
    copy_view_enabled = False
    add_to_reference_index = False
