"""Wagtail admin for the question bank: the question listing (filters, substring search,
needs-review flag, export), the question form that saves through the versioning service,
the phone preview, the import page, categories and cadres' error reports."""

import copy

import django_filters
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views import View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn, ButtonsColumnMixin, Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import HeaderButton, ListingButton

from courses.selectors_laws import laws_all
from exams.admin.bank_permissions import bank_can
from exams.admin.categories_reports import QuestionCategoryViewSet, QuestionReportViewSet
from exams.admin.question_import import QuestionImportView, QuestionTemplateView
from exams.forms_bank import QuestionForm
from exams.models import (
    Difficulty,
    Question,
    QuestionCategory,
    QuestionKind,
    QuestionStatus,
)
from exams.selectors.bank import OUTDATED_LAW, question_listing, questions_in_category
from exams.services.bank import question_create, question_update
from exams.services.bank_export import EXPORT_FORMATS, questions_export

# --- questions ----------------------------------------------------------------------


class QuestionFilterSet(WagtailFilterSet):
    category = django_filters.ModelChoiceFilter(
        label=_("Category (with subcategories)"),
        queryset=QuestionCategory.objects.all(),
        method="filter_category",
    )
    kind = django_filters.ChoiceFilter(
        label=pgettext_lazy("question", "Type"), choices=QuestionKind.choices
    )
    law = django_filters.ModelChoiceFilter(label=_("Law"), queryset=laws_all())
    difficulty = django_filters.ChoiceFilter(label=_("Difficulty"), choices=Difficulty.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=QuestionStatus.choices)
    needs_review = django_filters.BooleanFilter(
        label=_("Needs review (law amended or repealed)"), method="filter_needs_review"
    )

    class Meta:
        model = Question
        fields = ["category", "kind", "law", "difficulty", "status"]

    def filter_category(self, queryset, name, value):
        return queryset.filter(questions_in_category(value)) if value else queryset

    def filter_needs_review(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(OUTDATED_LAW) if value else queryset.exclude(OUTDATED_LAW)


class StemColumn(ButtonsColumnMixin, TitleColumn):
    """The title column with the row's buttons (edit, preview), which Wagtail adds only to
    a title column it builds itself from a field name; the stem needs its own accessor.
    The listing view gives its own copy the request's buttons."""

    buttons_for = None

    def get_buttons(self, instance, parent_context):
        return self.buttons_for(instance) if self.buttons_for else []


class QuestionIndexView(generic.IndexView):
    """The listing; `?bank_export=xlsx|moodle-xml` downloads what the filters select."""

    def get_base_queryset(self):
        return question_listing()

    @cached_property
    def columns(self):
        # The viewset's columns are shared by every request: copy the stem column before
        # binding this request's buttons to it.
        stem, *rest = super().columns
        stem = copy.copy(stem)
        stem.buttons_for = self.get_list_buttons
        return [stem, *rest]

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("bank_export")
        if fmt:
            if fmt not in EXPORT_FORMATS:
                return HttpResponse(_("Unknown export format."), status=400)
            extension, content_type = EXPORT_FORMATS[fmt]
            data = questions_export(questions=self.get_queryset(), fmt=fmt)
            response = HttpResponse(data, content_type=content_type)
            response["Content-Disposition"] = f'attachment; filename="questions.{extension}"'
            return response
        return super().get(request, *args, **kwargs)

    def _export_url(self, fmt):
        query = self.request.GET.copy()
        query.pop("p", None)
        query["bank_export"] = fmt
        return f"{self.index_url}?{query.urlencode()}"

    @cached_property
    def header_buttons(self):
        # Import and export are list-wide actions: labelled header buttons, not the
        # unlabelled "…" menu. The export takes what the filters select.
        buttons = list(super().header_buttons)
        if bank_can(self.request.user, "add"):
            buttons.append(
                HeaderButton(_("Import"), url=reverse("exams_question:import"), icon_name="upload")
            )
        buttons += [
            HeaderButton(
                pgettext_lazy("admin header button", "Export Excel"),
                url=self._export_url("xlsx"),
                icon_name="download",
                priority=1100,
            ),
            HeaderButton(
                pgettext_lazy("admin header button", "Export Moodle XML"),
                url=self._export_url("moodle-xml"),
                icon_name="download",
                priority=1110,
            ),
        ]
        return buttons

    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            ListingButton(
                _("Preview"),
                url=reverse("exams_question:preview", args=[instance.pk]),
                icon_name="view",
            ),
        ]


class QuestionSaveMixin:
    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if kwargs.get("instance") is not None and kwargs["instance"].pk:
            # The form reads the current version's content.
            kwargs["instance"] = Question.objects.select_related("current_version").get(
                pk=kwargs["instance"].pk
            )
        return kwargs

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as exc:
            # A rule the form could not check (e.g. a concurrent change) still ends as
            # a form error, never a server error.
            for message in exc.messages:
                form.add_error(None, message)
            return self.form_invalid(form)


class QuestionCreateView(QuestionSaveMixin, generic.CreateView):
    template_name = "exams/admin/question_form.html"

    def save_instance(self):
        metadata = self.form.metadata()
        tags = metadata.pop("tags", [])
        metadata.pop("status", None)
        content = self.form.content
        return question_create(**metadata, **content, tags=tags, by=self.request.user)


class QuestionEditView(QuestionSaveMixin, generic.EditView):
    template_name = "exams/admin/question_form.html"

    def save_instance(self):
        return question_update(
            question=self.object,
            by=self.request.user,
            **self.form.metadata(),
            **self.form.content,
        )


class QuestionPreviewView(WagtailAdminTemplateMixin, View):
    """The question as a cadre sees it on a phone: no answer marked. `?key=1` shows the
    answer key and the explanation, as the cadre sees them at review."""

    template_name = "exams/admin/question_preview.html"
    page_title = _("Preview")
    header_icon = "view"

    def get(self, request, pk):
        if not bank_can(request.user, "add", "change", "view"):
            raise PermissionDenied
        self.question = get_object_or_404(
            Question.objects.select_related("current_version", "category", "law"), pk=pk
        )
        self.show_key = request.GET.get("key") == "1"
        return TemplateResponse(request, self.template_name, self.get_context_data())

    def get_page_subtitle(self):
        return str(self.question)

    def get_context_data(self, **kwargs):
        version = self.question.current_version
        context = super().get_context_data(**kwargs)
        context.update(
            question=self.question,
            version=version,
            show_key=self.show_key,
            correct_keys=set(version.correct_keys) if version else set(),
            multiple=self.question.kind == QuestionKind.MULTIPLE,
            edit_url=reverse("exams_question:edit", args=[self.question.pk]),
        )
        return context


def _stem_column(question):
    text = question.stem_text
    return text[:60] + ("…" if len(text) > 60 else "")


class OpenReportsColumn(Column):
    cell_template_name = "exams/admin/reports_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["url"] = (
            reverse("exams_questionreport:index") + "?" + urlencode({"question": instance.pk})
        )
        return context


class QuestionViewSet(ModelViewSet):
    model = Question
    name = "exams_question"
    url_prefix = "question-bank/questions"
    icon = "help"
    index_view_class = QuestionIndexView
    add_view_class = QuestionCreateView
    edit_view_class = QuestionEditView
    filterset_class = QuestionFilterSet
    search_fields = ["stem_text"]
    # Substring search: full-text search splits at spaces, which Chinese does not have.
    search_backend_name = None
    copy_view_enabled = False
    add_to_reference_index = False
    list_per_page = 50

    @cached_property
    def list_display(self):
        return [
            StemColumn(
                "stem_text",
                label=_("Stem"),
                accessor=_stem_column,
                url_name=self.get_url_name("edit"),
            ),
            Column(
                "kind",
                label=pgettext_lazy("question", "Type"),
                accessor="get_kind_display",
                sort_key="kind",
            ),
            Column("category", label=_("Category"), sort_key="category__full_path"),
            Column("law", label=_("Law")),
            Column("difficulty", label=_("Difficulty"), accessor="get_difficulty_display"),
            Column("status", label=_("Status"), accessor="get_status_display"),
            BooleanColumn("needs_review", label=_("Needs review")),
            OpenReportsColumn("open_reports", label=_("Open reports"), sort_key="open_reports"),
        ]

    def get_form_class(self, for_update=False):
        return QuestionForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("import/", QuestionImportView.as_view(), name="import"),
            path("import/template/", QuestionTemplateView.as_view(), name="import_template"),
            path("preview/<int:pk>/", QuestionPreviewView.as_view(), name="preview"),
        ]


class QuestionBankViewSetGroup(ModelViewSetGroup):
    items = (QuestionViewSet, QuestionCategoryViewSet, QuestionReportViewSet)
    menu_label = _("Question bank")
    menu_icon = "help"
    menu_order = 310


VIEWSETS = [QuestionBankViewSetGroup()]
ADMIN_URLS = []
