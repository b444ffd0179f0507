"""Wagtail admin of the evaluation (HR): year schemes, award approval, deductions,
finalising and reopening a year, and the year results report with its export."""

import io

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext, pgettext_lazy
from wagtail.admin.auth import permission_required
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton, ListingButton
from wagtail.permission_policies import ModelPermissionPolicy

from lms.accounts.models import CadreCategory, User
from lms.accounts.selectors import units_visible_to
from lms.spreadsheets import ExportHeaderButtonsMixin

from .export import YearResultSheet, year_results_filename, year_results_write
from .models import BonusAward, EvaluationYear, GradeBand, YearResult
from .selectors import evaluation_year_for, results_state, year_results, year_unresolved
from .services import (
    bonus_award_approve,
    bonus_award_reject,
    bonus_deduction_record,
    evaluation_year_finalise,
    evaluation_year_reopen,
    grade_bands_ensure,
)
from .services.awards import APPROVE_PERMISSION
from .services.years import FINALISE_PERMISSION


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# Year schemes ---------------------------------------------------------------------------


class EvaluationYearForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.instance.is_finalised:
            raise ValidationError(
                _("This year is finalised: reopen it before changing its scheme.")
            )
        bands = self.formsets.get("grade_bands")
        if bands is not None and bands.is_valid():
            kept = [
                f.cleaned_data
                for f in bands.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            names = [band["name"] for band in kept]
            scores = [band["min_score"] for band in kept]
            if len(set(names)) != len(names) or len(set(scores)) != len(scores):
                raise ValidationError(_("Each grade band needs its own name and lowest score."))
            if kept and min(scores) != 0:
                raise ValidationError(_("The lowest grade band must start at 0."))
        return cleaned


YEAR_PANELS = [
    FieldPanel("year"),
    FieldRowPanel([FieldPanel("required_credit_hours"), FieldPanel("bonus_cap")]),
    FieldRowPanel(
        [FieldPanel("study_weight"), FieldPanel("exam_weight"), FieldPanel("quiz_share")]
    ),
    MultiFieldPanel(
        [FieldPanel("top_band_requires_pass"), FieldPanel("leaderboard_visible")],
        heading=gettext_lazy("Grades and ranks"),
    ),
    InlinePanel(
        "grade_bands",
        heading=gettext_lazy("Grade bands"),
        label=gettext_lazy("Grade band"),
        help_text=gettext_lazy("Leave empty for 优秀 90, 良好 80, 合格 60, 不合格 0."),
    ),
    InlinePanel(
        "bonus_rules", heading=gettext_lazy("Automatic bonus rules"), label=gettext_lazy("Rule")
    ),
]


class EvaluationYearCreateView(generic.CreateView):
    def save_instance(self):
        instance = super().save_instance()
        grade_bands_ensure(evaluation_year=instance)
        return instance


class EvaluationYearIndexView(generic.IndexView):
    def get_list_buttons(self, instance):
        buttons = [
            ListingButton(
                _("Results"),
                url=reverse("evaluation_results") + f"?year={instance.year}",
                icon_name="table",
                priority=5,
            )
        ]
        if self.request.user.has_perm(FINALISE_PERMISSION):
            if instance.is_finalised:
                buttons.append(
                    ListingButton(
                        _("Reopen"),
                        icon_name="undo",
                        priority=6,
                        url=reverse("evaluation_year_reopen", args=[instance.pk]),
                    )
                )
            else:
                buttons.append(
                    ListingButton(
                        _("Finalise"),
                        icon_name="lock",
                        priority=6,
                        url=reverse("evaluation_year_finalise", args=[instance.pk]),
                    )
                )
                buttons.append(
                    ListingButton(
                        _("Recompute"),
                        icon_name="resubmit",
                        priority=7,
                        url=reverse("evaluation_year_recompute", args=[instance.pk]),
                    )
                )
        return [*buttons, *super().get_list_buttons(instance)]


class EvaluationYearViewSet(ModelViewSet):
    model = EvaluationYear
    icon = "date"
    add_to_admin_menu = True
    menu_order = 900
    add_view_class = EvaluationYearCreateView
    index_view_class = EvaluationYearIndexView
    edit_handler = ObjectList(YEAR_PANELS, base_form_class=EvaluationYearForm)
    list_display = [
        "year",
        "status",
        "required_credit_hours",
        "study_weight",
        "exam_weight",
        "bonus_cap",
        "updated_at",
    ]
    copy_view_enabled = False


# Bonus awards ---------------------------------------------------------------------------


class AwardPermissionPolicy(ModelPermissionPolicy):
    """Awards change only through the services (propose, approve, reject, deduct), so the
    generic add, edit and delete views are closed to everyone."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


EMPTY = "—"
DECISIONS = ("approve", "reject")


def _may_decide(user, award) -> bool:
    """Whether to offer this user the decide buttons; the service has the final word."""
    return (
        award.status == BonusAward.Status.PROPOSED
        and user.has_perm(APPROVE_PERMISSION)
        and award.proposed_by_id != user.pk
        and award.cadre_id != user.pk
    )


def _decide_url(award, decision) -> str:
    return reverse("evaluation_award_decide", args=[award.pk]) + f"?decision={decision}"


def _decide_buttons(award, button_class, **kwargs):
    return [
        button_class(
            pgettext("bonus award", "Approve"),
            url=_decide_url(award, "approve"),
            icon_name="check",
            **kwargs,
        ),
        button_class(
            _("Reject with a reason"), url=_decide_url(award, "reject"), icon_name="cross", **kwargs
        ),
    ]


class BonusAwardIndexView(generic.IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("cadre", "cadre__unit", "proposed_by", "decided_by", "evaluation_year")
        )

    def get_list_more_buttons(self, instance):
        # Listing buttons (not menu items) show on the row itself; the "…" menu keeps
        # Wagtail's own inspect and history links.
        buttons = list(super().get_list_more_buttons(instance))
        if _may_decide(self.request.user, instance):
            buttons += _decide_buttons(instance, ListingButton, priority=5)
        return buttons

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm(APPROVE_PERMISSION):
            buttons.append(
                HeaderButton(
                    _("Record a deduction"),
                    icon_name="minus",
                    url=reverse("evaluation_deduction_add"),
                )
            )
        return buttons


class EvidenceLink(Component):
    """The evidence through the permission-checked view, never the storage path."""

    def __init__(self, award):
        self.award = award

    def render_html(self, parent_context=None):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("evaluation_award_evidence", args=[self.award.pk]),
            _("Open the evidence"),
        )


def _local_time(value) -> str:
    return formats.localize(timezone.localtime(value)) if value else EMPTY


class BonusAwardInspectView(generic.InspectView):
    """The award page: local times, the evidence as a link, "—" for what is empty, and the
    decide buttons while the award waits for HR."""

    def get_object(self, queryset=None):
        return get_object_or_404(
            BonusAward.objects.select_related(
                "cadre", "proposed_by", "decided_by", "evaluation_year"
            ),
            pk=self.pk,
        )

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        return EMPTY if value is None or value == "" else value

    def get_proposed_at_display_value(self):
        return _local_time(self.object.proposed_at)

    def get_decided_at_display_value(self):
        return _local_time(self.object.decided_at)

    def get_evidence_display_value(self):
        return EvidenceLink(self.object) if self.object.evidence else EMPTY

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if _may_decide(self.request.user, self.object):
            buttons += _decide_buttons(self.object, HeaderButton)
        return buttons


class BonusAwardHistoryView(generic.HistoryView):
    # Nobody may edit awards here, so reading their history needs "view", not "change".
    any_permission_required = ["view"]


class BonusAwardViewSet(ModelViewSet):
    model = BonusAward
    icon = "pick"
    add_to_admin_menu = True
    menu_order = 901
    index_view_class = BonusAwardIndexView
    inspect_view_class = BonusAwardInspectView
    history_view_class = BonusAwardHistoryView
    inspect_view_enabled = True
    inspect_view_fields = [
        "evaluation_year",
        "cadre",
        "kind",
        "points",
        "reason",
        "evidence",
        "status",
        "proposed_by",
        "proposed_at",
        "decided_by",
        "decided_at",
        "decision_note",
    ]
    # The first column is a plain field name, so Wagtail makes it the title column that
    # carries the row's buttons (a Column instance there carries none).
    list_display = [
        "cadre",
        Column("cadre.unit", label=gettext_lazy("Unit")),
        "kind",
        "points",
        "reason",
        "status",
        "proposed_by",
        "proposed_at",
        "decided_by",
    ]
    list_filter = ["status", "kind", "evaluation_year"]
    search_fields = ["cadre__name", "cadre__phone", "reason"]
    search_backend_name = None
    form_fields = ["reason"]
    copy_view_enabled = False


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note (required to reject)"),
        required=False,
        widget=forms.Textarea({"rows": 3}),
    )


def _status_for(error: ValidationError) -> int:
    return 409 if getattr(error, "code", None) in ("finalised", "decided", "open") else 400


def _action_page(request, *, title, intro, form=None, actions, back, status=200, extra=None):
    context = {"title": title, "intro": intro, "form": form, "actions": actions, "back": back}
    context.update(extra or {})
    return render(request, "evaluation/admin/action_form.html", context, status=status)


@permission_required(APPROVE_PERMISSION)
def award_decide_view(request, pk):
    """Approve or reject one proposed award; `?decision=approve|reject` (the row and page
    buttons) offers only that action, a rejection needs its reason."""
    award = get_object_or_404(
        BonusAward.objects.select_related("cadre", "cadre__unit", "proposed_by"), pk=pk
    )
    form = DecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            decide = bonus_award_approve if "approve" in request.POST else bonus_award_reject
            try:
                decide(award=award, by=request.user, note=form.cleaned_data["note"])
            except PermissionDenied as error:
                messages.error(request, str(error))
                status = 403
            except ValidationError as error:
                if getattr(error, "code", None) == "required":
                    form.add_error("note", error)
                else:
                    messages.error(request, _error_text(error))
                status = _status_for(error)
            else:
                messages.success(request, _("Decision saved."))
                return redirect("evaluation_awards:index")
    decision = request.GET.get("decision")
    # pgettext: Wagtail's own "Approve" and "Reject" belong to its moderation workflow.
    actions = [
        ("approve", pgettext("bonus award", "Approve")),
        ("reject", pgettext("bonus award", "Reject")),
    ]
    if decision in DECISIONS:
        actions = [action for action in actions if action[0] == decision]
    return _action_page(
        request,
        title=_("Decide on a bonus award"),
        intro=_(
            "%(cadre)s (%(unit)s): +%(points)s points, proposed by %(by)s on %(when)s. "
            "Reason: %(reason)s"
        )
        % {
            "cadre": award.cadre,
            "unit": award.cadre.unit or EMPTY,
            "points": award.points,
            "by": award.proposed_by or EMPTY,
            "when": _local_time(award.proposed_at),
            "reason": award.reason,
        },
        form=form,
        actions=actions,
        back=reverse("evaluation_awards:index"),
        status=status,
        extra={
            "evidence_url": reverse("evaluation_award_evidence", args=[award.pk])
            if award.evidence
            else ""
        },
    )


class DeductionForm(forms.Form):
    phone = forms.CharField(label=gettext_lazy("Cadre's mobile number"), max_length=11)
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    points = forms.DecimalField(
        label=gettext_lazy("Points deducted"), min_value=0.01, max_value=100, decimal_places=2
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea({"rows": 3}))

    def clean_phone(self):
        cadre = User.active.filter(phone=self.cleaned_data["phone"].strip()).first()
        if cadre is None:
            raise ValidationError(_("No active cadre has this mobile number."))
        return cadre


@permission_required(APPROVE_PERMISSION)
def deduction_add_view(request):
    form = DeductionForm(request.POST or None, initial={"year": timezone.localdate().year})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                bonus_deduction_record(
                    cadre=form.cleaned_data["phone"],
                    points=form.cleaned_data["points"],
                    reason=form.cleaned_data["reason"],
                    year=form.cleaned_data["year"],
                    by=request.user,
                )
            except PermissionDenied as error:
                messages.error(request, str(error))
                status = 403
            except ValidationError as error:
                messages.error(request, _error_text(error))
                status = _status_for(error)
            else:
                messages.success(request, _("Deduction recorded."))
                return redirect("evaluation_awards:index")
    return _action_page(
        request,
        title=_("Record a deduction"),
        intro=_("A deduction counts at once and is logged with your name."),
        form=form,
        actions=[("save", _("Record"))],
        back=reverse("evaluation_awards:index"),
        status=status,
    )


# Finalising, reopening, recomputing ----------------------------------------------------


class ReopenForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea({"rows": 3}))


class FinaliseForm(forms.Form):
    """With anything unresolved, HR confirms by ticking a box that names it."""

    confirm = forms.BooleanField(required=True)

    def __init__(self, *args, unresolved, **kwargs):
        super().__init__(*args, **kwargs)
        counts = [
            (
                unresolved.pending_award_count,
                "%(counter)s bonus award still pending",
                "%(counter)s bonus awards still pending",
            ),
            (
                unresolved.open_attempt_count,
                "%(counter)s attempt still open",
                "%(counter)s attempts still open",
            ),
            (
                unresolved.cadres_without_result_count,
                "%(counter)s cadre without an exam result",
                "%(counter)s cadres without an exam result",
            ),
        ]
        # The same messages as the list's headings above, naming only what is there.
        items = pgettext("list separator", ", ").join(
            ngettext(singular, plural, count) % {"counter": count}
            for count, singular, plural in counts
            if count
        )
        self.fields["confirm"].label = _(
            "I know of these (%(items)s): finalise the year as it stands."
        ) % {"items": items}
        self.fields["confirm"].error_messages["required"] = _(
            "Tick the box to confirm, or resolve these first."
        )


@permission_required(FINALISE_PERMISSION)
def year_finalise_view(request, pk):
    evaluation_year = get_object_or_404(EvaluationYear, pk=pk)
    unresolved = year_unresolved(evaluation_year=evaluation_year)
    form = FinaliseForm(request.POST or None, unresolved=unresolved) if unresolved else None
    status = 200
    if request.method == "POST":
        status = 400
        if form is None or form.is_valid():
            try:
                evaluation_year_finalise(year=evaluation_year, by=request.user)
            except ValidationError as error:
                messages.error(request, _error_text(error))
                status = _status_for(error)
            else:
                messages.success(request, _("%(year)s is finalised.") % {"year": evaluation_year})
                return redirect(reverse("evaluation_results") + f"?year={evaluation_year.year}")
    return _action_page(
        request,
        title=_("Finalise %(year)s") % {"year": evaluation_year},
        intro=_(
            "Every cadre's result is computed now and frozen. Later study credit, exam "
            "attempts or awards change nothing in it, unless the year is reopened."
        ),
        form=form,
        actions=[("finalise", _("Finalise"))],
        back=reverse("evaluation_years:index"),
        status=status,
        extra={"unresolved": unresolved},
    )


@permission_required(FINALISE_PERMISSION)
def year_reopen_view(request, pk):
    evaluation_year = get_object_or_404(EvaluationYear, pk=pk)
    form = ReopenForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                evaluation_year_reopen(
                    year=evaluation_year, by=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                messages.error(request, _error_text(error))
                status = _status_for(error)
            else:
                messages.success(request, _("%(year)s is open again.") % {"year": evaluation_year})
                return redirect("evaluation_years:index")
    return _action_page(
        request,
        title=_("Reopen %(year)s") % {"year": evaluation_year},
        intro=_(
            "The frozen results are kept; live results are shown again until the year is "
            "finalised again. The reason is logged."
        ),
        form=form,
        actions=[("reopen", _("Reopen"))],
        back=reverse("evaluation_years:index"),
        status=status,
    )


@permission_required(FINALISE_PERMISSION)
def year_recompute_view(request, pk):
    from .tasks import compute_year_task

    evaluation_year = get_object_or_404(EvaluationYear, pk=pk)
    if request.method == "POST":
        if evaluation_year.is_finalised:
            messages.error(request, _("A finalised year is not recomputed; reopen it first."))
            return redirect("evaluation_years:index")
        compute_year_task.enqueue(year=evaluation_year.year)
        messages.success(
            request, _("Recomputing %(year)s has started.") % {"year": evaluation_year}
        )
        return redirect(reverse("evaluation_results") + f"?year={evaluation_year.year}")
    return _action_page(
        request,
        title=_("Recompute %(year)s") % {"year": evaluation_year},
        intro=_("Live results are recomputed from study credit, exams and awards."),
        actions=[("recompute", _("Recompute"))],
        back=reverse("evaluation_years:index"),
    )


# The results report ----------------------------------------------------------------------


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
        output = io.BytesIO()
        year_results_write(
            rows=queryset.iterator(chunk_size=2000), export_format=spreadsheet_format, output=output
        )
        output.seek(0)
        return FileResponse(
            output, as_attachment=True, filename=f"{self.get_filename()}.{spreadsheet_format}"
        )


VIEWSETS = [EvaluationYearViewSet("evaluation_years"), BonusAwardViewSet("evaluation_awards")]
ADMIN_URLS = [
    path("evaluation/results/", YearResultReportView.as_view(), name="evaluation_results"),
    path(
        "evaluation/results/results/",
        YearResultReportView.as_view(results_only=True),
        name="evaluation_results_results",
    ),
    path(
        "evaluation/years/<int:pk>/finalise/", year_finalise_view, name="evaluation_year_finalise"
    ),
    path("evaluation/years/<int:pk>/reopen/", year_reopen_view, name="evaluation_year_reopen"),
    path(
        "evaluation/years/<int:pk>/recompute/",
        year_recompute_view,
        name="evaluation_year_recompute",
    ),
    path("evaluation/awards/<int:pk>/decide/", award_decide_view, name="evaluation_award_decide"),
    path("evaluation/deductions/new/", deduction_add_view, name="evaluation_deduction_add"),
]
