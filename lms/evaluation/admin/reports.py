"""The year results report in the admin: the year's standing results (live or frozen)
of the units the user sees, filtered by unit, category and grade, and its export."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from lms.accounts.models import CadreCategory
from lms.accounts.selectors import units_visible_to
from lms.spreadsheets import ExportHeaderButtonsMixin

from ..export import YearResultSheet, year_results_download, year_results_filename
from ..models import EvaluationYear, GradeBand, YearResult
from ..selectors import evaluation_year_for, results_state, year_results


def _year_choices():
    return [(str(y), str(y)) for y in EvaluationYear.objects.values_list("year", flat=True)]


def _grade_choices():
    names = GradeBand.objects.order_by("-min_score").values_list("name", flat=True)
    return [(name, name) for name in dict.fromkeys(names)]


class YearResultFilterSet(WagtailFilterSet):
    year = django_filters.ChoiceFilter(
        label=gettext_lazy("Year"), choices=_year_choices, method="filter_nothing", empty_label=None
    )
    unit = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Unit (with subunits)"),
        queryset=lambda request: units_visible_to(request.user).order_by("path"),
        method="filter_unit",
    )
    category = django_filters.ChoiceFilter(
        label=gettext_lazy("Category"), choices=CadreCategory.choices
    )
    grade = django_filters.ChoiceFilter(label=gettext_lazy("Grade"), choices=_grade_choices)

    class Meta:
        model = YearResult
        fields = ["year", "unit", "category", "grade"]

    def filter_nothing(self, queryset, name, value):
        return queryset  # the view picks the year's standing results itself

    def filter_unit(self, queryset, name, value):
        return queryset.filter(unit_path__startswith=value.path)


class YearResultReportView(ExportHeaderButtonsMixin, YearResultSheet, ReportView):
    page_title = gettext_lazy("Year results")
    header_icon = "table"
    index_url_name = "evaluation_results"
    index_results_url_name = "evaluation_results_results"
    filterset_class = YearResultFilterSet
    permission_policy = ModelPermissionPolicy(YearResult)
    permission_required = "view"
    columns = [
        Column("cadre", label=pgettext_lazy("person", "Name")),
        Column("unit_name", label=gettext_lazy("Unit")),
        Column("position", label=gettext_lazy("Position")),
        Column("credit_hours", label=gettext_lazy("Credit hours")),
        Column("exam_score", label=gettext_lazy("Exam score")),
        Column("base_score", label=gettext_lazy("Base score")),
        Column("bonus", label=gettext_lazy("Bonus")),
        Column("deductions", label=gettext_lazy("Deductions")),
        Column("total", label=gettext_lazy("Total")),
        Column("grade", label=gettext_lazy("Grade")),
        Column("rank_in_unit", label=gettext_lazy("Rank in unit")),
    ]

    @property
    def evaluation_year(self):
        if not hasattr(self, "_evaluation_year"):
            value = self.request.GET.get("year", "")
            year = int(value) if value.isascii() and value.isdigit() else None
            self._evaluation_year = evaluation_year_for(year) or evaluation_year_for(None)
        return self._evaluation_year

    @property
    def page_subtitle(self):
        evaluation_year = self.evaluation_year
        if evaluation_year is None:
            return _("No evaluation year yet")
        state = results_state(evaluation_year)
        when = (
            timezone.localtime(state.computed_at).strftime("%Y-%m-%d %H:%M")
            if state.computed_at
            else "—"
        )
        if state.frozen:
            return _("%(year)s · final results (version %(version)s, frozen %(when)s)") % {
                "year": evaluation_year.year,
                "version": state.finalisation.version,
                "when": when,
            }
        return _("%(year)s · live results, computed %(when)s; not final") % {
            "year": evaluation_year.year,
            "when": when,
        }

    def get_queryset(self):
        if self.evaluation_year is None:
            return YearResult.objects.none()
        return year_results(evaluation_year=self.evaluation_year, user=self.request.user)

    def get_filename(self):
        unit = None
        if self.is_export and self.filters is not None and self.filters.form.is_valid():
            unit = self.filters.form.cleaned_data.get("unit")
        year = self.evaluation_year.year if self.evaluation_year else timezone.localdate().year
        return year_results_filename(year=year, unit=unit, export_format="")[:-1]

    def as_spreadsheet(self, queryset, spreadsheet_format):
        return year_results_download(
            rows=queryset,
            export_format=spreadsheet_format,
            filename=f"{self.get_filename()}.{spreadsheet_format}",
        )
