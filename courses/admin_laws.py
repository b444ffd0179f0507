"""Wagtail admin for the law library: laws as snippets, the Markdown import page, and the
report of lessons that quote an amended or repealed law."""

from pathlib import PurePosixPath

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from courses.law_uploads import law_texts_read
from courses.models import Law, LawArticle, LawCategory, LawStatus
from courses.selectors_laws import (
    changed_articles_cited_by,
    lessons_needing_review,
    outdated_laws_cited_by,
)
from courses.services.law_import import law_import_text
from courses.services.law_versions import versions_summary
from lms.imports.models import ImportKind
from lms.imports.services import import_goes_background, import_job_start
from lms.spreadsheets import ExportHeaderButtonsMixin

law_permission_policy = ModelPermissionPolicy(Law)


def _law_search(laws, query):
    # Substring search: full-text search splits words at spaces, which Chinese lacks.
    return laws.filter(Q(title__icontains=query) | Q(short_name__icontains=query))


class LawChooserFilterForm(BaseFilterForm):
    q = forms.CharField(
        label=_("Search term"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Search")}),
    )

    def filter(self, objects):
        objects = super().filter(objects)
        query = self.cleaned_data.get("q")
        if query:
            objects = _law_search(objects, query)
            self.is_searching = True
            self.search_query = query
        return objects


class LawChooseView(ChooseView):
    filter_form_class = LawChooserFilterForm


class LawChooseResultsView(ChooseResultsView):
    filter_form_class = LawChooserFilterForm


class LawChooserViewSet(SnippetChooserViewSet):
    choose_view_class = LawChooseView
    choose_results_view_class = LawChooseResultsView


class LawIndexView(ExportHeaderButtonsMixin, IndexView):
    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if law_import_allowed(self.request.user):
            buttons.append(
                HeaderButton(
                    _("Import from Markdown"),
                    url=reverse(Law.snippet_viewset.get_url_name("import")),
                    icon_name="upload",
                )
            )
        return buttons


def law_import_allowed(user) -> bool:
    # An import may create a law or rewrite one, so it needs both rights.
    return law_permission_policy.user_has_permission(
        user, "add"
    ) and law_permission_policy.user_has_permission(user, "change")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented way): cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)]


class LawImportForm(forms.Form):
    file = MultipleFileField(
        label=_("Law texts (Markdown, or a ZIP of them)"),
        help_text=_(
            "One or several UTF-8 .md files, or a .zip of them: “# title” on the first "
            "line, then the history lines, headings for parts, chapters and sections, and "
            "each article starting with “第X条”. Each file is imported whole or not at all."
        ),
    )
    slug = forms.SlugField(
        label=_("Slug"),
        required=False,
        max_length=80,
        help_text=_(
            "The law's web address. Leave empty to use the file name. A law with the same "
            "slug is updated in place."
        ),
    )
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[
            ("", _("Guess from the title (new laws) or keep (existing laws)")),
            *LawCategory.choices,
        ],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("In force (new laws) or keep (existing laws)")), *LawStatus.choices],
    )

    def clean_file(self):
        uploads = self.cleaned_data["file"]
        self.texts = law_texts_read(uploads)
        return uploads

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("slug") and len(getattr(self, "texts", [])) > 1:
            self.add_error("slug", _("A slug can be given for one law only."))
        return cleaned


def law_import_message(result) -> str:
    law = result.law
    message = (
        _("Imported %(law)s: %(count)d articles (new law).")
        if result.outcome == "created"
        else _("Updated %(law)s: %(count)d articles.")
    )
    message %= {"law": law, "count": law.articles.count()}
    if result.versions is not None:
        message += " " + versions_summary(result.versions)
    return message


def _import_one(form, law_text, slug=None):
    return law_import_text(
        text=law_text.text,
        filename=PurePosixPath(law_text.name).name,
        slug=slug,
        category=form.cleaned_data["category"] or None,
        status=form.cleaned_data["status"] or None,
    )


class LawImportView(WagtailAdminTemplateMixin, FormView):
    form_class = LawImportForm
    template_name = "courses/admin/law_import.html"
    page_title = _("Import a law from Markdown")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not law_import_allowed(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse(Law.snippet_viewset.get_url_name("list")),
                "label": capfirst(Law._meta.verbose_name_plural),
            },
            {"url": "", "label": self.page_title},
        ]

    def form_valid(self, form):
        if len(form.texts) > 1:
            return self._import_several(form)
        law_text = form.texts[0]
        data = law_text.text.encode("utf-8")
        if import_goes_background(rows=None, size=len(data)):
            # A very large text would hold the request: it runs as a task, and the
            # trainer watches its progress page.
            job = import_job_start(
                user=self.request.user,
                kind=ImportKind.LAW,
                data=data,
                filename=PurePosixPath(law_text.name).name,
                options={
                    key: form.cleaned_data[key] or "" for key in ("slug", "category", "status")
                },
            )
            messages.info(
                self.request, _("The file is large: it is being imported in the background.")
            )
            return redirect("import_job", job.pk)
        try:
            result = _import_one(form, law_text, slug=form.cleaned_data["slug"] or None)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, law_import_message(result))
        # To the listing, not the edit form: a 500-article law makes a heavy form.
        return redirect(Law.snippet_viewset.get_url_name("list"))

    def _import_several(self, form):
        """Each file on its own, all or nothing, as manage.py import_law does; a refused
        file is named with its line and reason and does not stop the others."""
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        refused = []
        for law_text in form.texts:
            try:
                result = _import_one(form, law_text)
            except ValidationError as exc:
                refused.append(f"{law_text.name}：{'；'.join(exc.messages)}")
                continue
            counts[result.outcome] += 1
            if result.versions is not None:
                messages.info(self.request, law_import_message(result))
        if not any(counts.values()):
            for line in refused:
                form.add_error(None, line)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "%(files)d files: %(created)d new laws, %(updated)d updated, %(unchanged)d "
                "unchanged, %(refused)d refused."
            )
            % {**counts, "files": len(form.texts), "refused": len(refused)},
        )
        for line in refused:
            messages.error(self.request, line)
        return redirect(Law.snippet_viewset.get_url_name("list"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["jobs_url"] = reverse("import_jobs")
        return context

    def form_invalid(self, form):
        # A failed import is a bad request, not a page to cache or count as success.
        return self.render_to_response(self.get_context_data(form=form), status=400)


class LawViewSet(SnippetViewSet):
    model = Law
    icon = "doc-full"
    index_view_class = LawIndexView
    chooser_viewset_class = LawChooserViewSet
    list_display = ["title", "short_name", "kind", "status", "effective_date", "updated_at"]
    list_filter = ["kind", "category", "status"]
    list_export = [
        "title",
        "short_name",
        "document_number",
        "issuing_body",
        "promulgation_date",
        "effective_date",
        "kind",
        "category",
        "status",
    ]
    export_filename = "laws"
    search_fields = ["title", "short_name", "document_number"]
    search_backend_name = None  # substring search; see _law_search
    copy_view_enabled = False

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("import/", LawImportView.as_view(), name="import")]


class LessonsNeedingReviewView(ExportHeaderButtonsMixin, ReportView):
    page_title = _("Lessons needing review")
    header_icon = "warning"
    index_url_name = "lessons_needing_review:index"
    index_results_url_name = "lessons_needing_review:results"
    permission_policy = law_permission_policy
    permission_required = "change"
    list_export = ["title", "course_title", "outdated_laws_text", "live", "last_published_at"]
    export_headings = {
        "title": _("Lesson"),
        "course_title": _("Course"),
        "outdated_laws_text": _("Quotes"),
        "live": _("Published"),
        "last_published_at": _("Last published"),
    }
    columns = [
        TitleColumn(
            "title",
            label=_("Lesson"),
            get_url=lambda lesson: reverse("wagtailadmin_pages:edit", args=[lesson.pk]),
        ),
        Column("course_title", label=_("Course")),
        Column("outdated_laws_text", label=_("Quotes")),
        DateColumn("last_published_at", label=_("Last published")),
    ]

    def get_filename(self):
        return "lessons-needing-review"

    def get_queryset(self):
        return lessons_needing_review()

    def decorate_paginated_queryset(self, lessons):
        lessons = list(lessons)
        cited = outdated_laws_cited_by(lessons)
        changed = changed_articles_cited_by(lessons)
        for lesson in lessons:
            texts = []
            for law in cited.get(lesson.pk, []):
                notes = [
                    (_("%(label)s changed") if a.change == "changed" else _("%(label)s removed"))
                    % {"label": a.label}
                    for a in changed.get(lesson.pk, [])
                    if a.law_id == law.pk
                ]
                status = law.get_status_display()
                texts.append(
                    f"{law}（{status}：{'、'.join(notes)}）" if notes else f"{law}（{status}）"
                )
            lesson.outdated_laws_text = "；".join(texts)
        return lessons


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return law_permission_policy.user_has_permission(request.user, self.permission)


class LessonsNeedingReviewViewSet(ViewSet):
    name = "lessons_needing_review"
    icon = "warning"
    menu_label = _("Lessons needing review")

    def get_urlpatterns(self):
        return [
            path("", LessonsNeedingReviewView.as_view(), name="index"),
            path("results/", LessonsNeedingReviewView.as_view(results_only=True), name="results"),
        ]

    def get_menu_item(self, order=None):
        return PermissionMenuItem(
            self.menu_label,
            self.menu_url,
            name=self.name,
            icon_name=self.icon,
            order=self.get_menu_item_order(order),
            permission="change",
        )


class LawArticleViewSet(SnippetViewSet):
    model = LawArticle
    icon = "list-ol"
    list_display = ["label", "law", "chapter", "section"]
    list_filter = ["law"]
    search_fields = ["text", "label"]
    search_backend_name = None  # substring search: Chinese text has no spaces to split on
    copy_view_enabled = False
    ordering = ["law", "sort_order", "number"]


class LawLibraryViewSetGroup(SnippetViewSetGroup):
    items = (LawViewSet, LawArticleViewSet, LessonsNeedingReviewViewSet)
    menu_label = _("Law library")
    menu_icon = "doc-full"
    menu_order = 300


VIEWSETS = [LawLibraryViewSetGroup()]
ADMIN_URLS = []
