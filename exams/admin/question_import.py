"""Importing questions into the bank from a file (GIFT, Moodle XML, spreadsheet), and the
spreadsheet template."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.widgets import HeaderButton

from exams.admin.bank_permissions import bank_can
from exams.forms_bank import QuestionImportForm
from exams.importers import detect_format, xlsx_template
from exams.models import (
    Question,
)
from exams.services.bank_import import QuestionImportError, questions_import
from lms.imports.models import ImportKind
from lms.imports.services import (
    import_background_rows,
    import_goes_background,
    import_job_start,
)
from lms.spreadsheet_limits import sheet_rows_estimate
from lms.spreadsheets import xlsx_response


class QuestionImportView(WagtailAdminTemplateMixin, FormView):
    form_class = QuestionImportForm
    template_name = "exams/admin/question_import.html"
    page_title = _("Import questions")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not bank_can(request.user, "add"):
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
        if not bank_can(request.user, "add"):
            raise PermissionDenied
        return xlsx_response(xlsx_template(), filename="question-template.xlsx")
