"""Wagtail admin for the question bank: the question listing (filters, substring search,
needs-review flag, export), the question form that saves through the versioning service,
the phone preview, the import page, categories and cadres' error reports."""

import copy

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views import View
from django.views.generic import FormView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn, ButtonsColumnMixin, Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import HeaderButton, ListingButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from courses.selectors_laws import laws_all
from exams.forms_bank import QuestionCategoryForm, QuestionForm, QuestionImportForm
from exams.importers import detect_format, xlsx_template
from exams.models import (
    Difficulty,
    Question,
    QuestionCategory,
    QuestionKind,
    QuestionReport,
    QuestionStatus,
)
from exams.selectors.bank import OUTDATED_LAW, question_listing, questions_in_category
from exams.services.bank import question_create, question_update
from exams.services.bank_export import EXPORT_FORMATS, questions_export
from exams.services.bank_import import QuestionImportError, questions_import
from lms.imports.models import ImportKind
from lms.imports.services import (
    import_background_rows,
    import_goes_background,
    import_job_start,
)
from lms.spreadsheet_limits import sheet_rows_estimate

XLSX_TYPE = EXPORT_FORMATS["xlsx"][1]


class NoDeletePermissionPolicy(ModelPermissionPolicy):
    """Nothing used is ever deleted: questions are retired, reports resolved, and a
    category holds questions that attempts may point at."""

    denied = frozenset({"delete"})

    def user_has_permission(self, user, action):
        return action not in self.denied and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        actions = [a for a in actions if a not in self.denied]
        return (
            super().users_with_any_permission(actions)
            if actions
            else self.model._default_manager.none()
        )


class ReportPermissionPolicy(NoDeletePermissionPolicy):
    # Reports come from cadres on the site; the admin only reads and resolves them.
    denied = frozenset({"delete", "add"})


question_policy = NoDeletePermissionPolicy(Question)
register_permission_policy(Question, question_policy)
register_permission_policy(QuestionCategory, NoDeletePermissionPolicy(QuestionCategory))
register_permission_policy(QuestionReport, ReportPermissionPolicy(QuestionReport))


def _can(user, *actions) -> bool:
    return question_policy.user_has_any_permission(user, list(actions))


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
        if _can(self.request.user, "add"):
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
        if not _can(request.user, "add", "change", "view"):
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


class QuestionImportView(WagtailAdminTemplateMixin, FormView):
    form_class = QuestionImportForm
    template_name = "exams/admin/question_import.html"
    page_title = _("Import questions")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not _can(request.user, "add"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("exams_question:index"), "label": Question._meta.verbose_name_plural},
            {"url": "", "label": self.get_page_title()},
        ]

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(
                _("Download the XLSX template"),
                url=reverse("exams_question:import_template"),
                icon_name="download",
            )
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["template_url"] = reverse("exams_question:import_template")
        context["index_url"] = reverse("exams_question:index")
        context["jobs_url"] = reverse("import_jobs")
        context["background_rows"] = import_background_rows()
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        data = upload.read()
        rows = sheet_rows_estimate(data) if _is_sheet(upload.name, data, form) else None
        if import_goes_background(rows=rows, size=len(data)):
            # A large file would hold the request (and a worker) for minutes: it runs as a
            # task, and the clerk watches its progress page.
            job = import_job_start(
                user=self.request.user,
                kind=ImportKind.QUESTIONS,
                data=data,
                filename=upload.name,
                options={
                    "format": form.cleaned_data["format"] or "",
                    "category": form.cleaned_data["category"] or "",
                },
                rows_total=rows or 0,
            )
            messages.info(
                self.request,
                _("The file is large: it is being imported in the background."),
            )
            return redirect("import_job", job.pk)
        try:
            summary = questions_import(
                data=data,
                filename=upload.name,
                fmt=form.cleaned_data["format"] or None,
                category_path=form.cleaned_data["category"] or None,
                by=self.request.user,
            )
        except QuestionImportError as exc:
            # Every problem in a table, so the author fixes the whole file at once.
            context = self.get_context_data(form=form, import_errors=exc.messages)
            return self.render_to_response(context, status=400)
        messages.success(self.request, summary.summary_line())
        return self.render_to_response(self.get_context_data(form=form, summary=summary))

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


def _is_sheet(filename, data, form) -> bool:
    return (form.cleaned_data["format"] or detect_format(filename, data)) in ("xlsx", "csv")


class QuestionTemplateView(View):
    def get(self, request):
        if not _can(request.user, "add"):
            raise PermissionDenied
        response = HttpResponse(xlsx_template(), content_type=XLSX_TYPE)
        response["Content-Disposition"] = 'attachment; filename="question-template.xlsx"'
        return response


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


class QuestionBankViewSetGroup(ModelViewSetGroup):
    items = (QuestionViewSet, QuestionCategoryViewSet, QuestionReportViewSet)
    menu_label = _("Question bank")
    menu_icon = "help"
    menu_order = 310


VIEWSETS = [QuestionBankViewSetGroup()]
ADMIN_URLS = []
