"""Site pages of the annual evaluation: the cadre's own year; for unit leaders (and HR) their
units' overview, the results download and the award proposal form."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.accounts.models import User
from lms.accounts.selectors import (
    cadre_is_visible_to,
    cadres_search,
    cadres_visible_to,
    units_visible_to,
)
from lms.uploads import EVIDENCE_EXTENSIONS

from .export import FORMATS, year_results_download, year_results_filename
from .models import BonusAward, EvaluationYear, evidence_max_bytes
from .selectors import (
    evaluation_year_for,
    my_year,
    results_state,
    unit_overview,
    year_results,
    years_of,
)
from .services import bonus_award_propose
from .services.awards import APPROVE_PERMISSION, PROPOSE_PERMISSION

LEADER_PERMISSION = "evaluation.view_yearresult"


def _year_param(request) -> int | None:
    value = request.GET.get("year", "")
    if not value:
        return None
    if not (value.isascii() and value.isdigit() and len(value) == 4):
        raise Http404
    return int(value)


@login_required
def evaluation_mine(request, year=None):
    """我的年度评价: the result and every ledger row behind it."""
    today = timezone.localdate()
    year = year or today.year
    if not 2000 <= year <= today.year + 1:
        raise Http404
    mine = my_year(user=request.user, year=year)
    return render(
        request,
        "evaluation/mine.html",
        {"mine": mine, "year": year, "years": years_of(request.user)},
    )


def _require_leader(user):
    if not user.has_perm(LEADER_PERMISSION):
        raise PermissionDenied(_("Only unit leaders and HR can see this page."))


@login_required
def unit_overview_view(request):
    _require_leader(request.user)
    evaluation_year = evaluation_year_for(_year_param(request) or timezone.localdate().year)
    if evaluation_year is None:
        evaluation_year = evaluation_year_for(None)
    context = {"evaluation_year": evaluation_year, "years": years_of(request.user)}
    if evaluation_year is not None:
        context.update(unit_overview(evaluation_year=evaluation_year, user=request.user))
        context["state"] = results_state(evaluation_year)
        context["units_visible"] = units_visible_to(request.user).order_by("path")
        query = request.GET.get("q", "").strip()[:50]
        if query:
            context["query"] = query
            context["found"] = cadres_search(cadres_visible_to(request.user), query)[:20]
    return render(request, "evaluation/unit_overview.html", context)


@login_required
def unit_export(request):
    """The year results spreadsheet for the units this user sees (all for HR)."""
    _require_leader(request.user)
    export_format = request.GET.get("format", "xlsx")
    if export_format not in FORMATS:
        return HttpResponseBadRequest(_("Unknown format."))
    evaluation_year = evaluation_year_for(_year_param(request))
    if evaluation_year is None:
        raise Http404
    unit = None
    if request.GET.get("unit"):
        unit = units_visible_to(request.user).filter(code=request.GET["unit"]).first()
        if unit is None:
            raise Http404
    return year_results_download(
        rows=year_results(evaluation_year=evaluation_year, user=request.user, unit=unit),
        export_format=export_format,
        filename=year_results_filename(
            year=evaluation_year.year, unit=unit, export_format=export_format
        ),
    )


class AwardProposalForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int)
    points = forms.DecimalField(
        label=gettext_lazy("Points"), min_value=0.01, max_value=100, decimal_places=2
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    evidence = forms.FileField(
        label=gettext_lazy("Evidence (optional)"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{ext}" for ext in EVIDENCE_EXTENSIONS)}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].help_text = _("A PDF or a photo, at most %(limit)d MB.") % {
            "limit": evidence_max_bytes() // (1024 * 1024)
        }
        # Finalised years are listed too: choosing one is refused with the reason.
        years = list(EvaluationYear.objects.values_list("year", "status"))
        self.fields["year"].choices = [
            (
                y,
                y
                if status == EvaluationYear.Status.OPEN
                else _("%(year)s (finalised)") % {"year": y},
            )
            for y, status in years
        ]
        years = [y for y, status in years if status == EvaluationYear.Status.OPEN]
        current = timezone.localdate().year
        self.fields["year"].initial = current if current in years else (years[0] if years else None)


@login_required
def award_propose(request, cadre_pk):
    """A unit leader proposes a bonus for a cadre of their units (403 for anyone else's)."""
    if not request.user.has_perm(PROPOSE_PERMISSION):
        raise PermissionDenied(_("You may not propose bonus awards."))
    cadre = get_object_or_404(User.objects.select_related("unit"), pk=cadre_pk)
    if not cadre_is_visible_to(cadre=cadre, user=request.user):
        raise PermissionDenied(_("You can only propose awards for cadres in your units."))
    status = 200
    form = AwardProposalForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                bonus_award_propose(
                    cadre=cadre,
                    points=form.cleaned_data["points"],
                    reason=form.cleaned_data["reason"],
                    evidence=form.cleaned_data["evidence"],
                    by=request.user,
                    year=form.cleaned_data["year"],
                )
            except ValidationError as error:
                if getattr(error, "code", None) in ("finalised", "no_year"):
                    status = 409
                if hasattr(error, "error_dict"):
                    for field, errors in error.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            else:
                messages.success(request, _("Proposal sent to HR for approval."))
                return redirect("evaluation_units")
    return render(
        request, "evaluation/award_propose.html", {"form": form, "cadre": cadre}, status=status
    )


@login_required
def award_evidence(request, pk):
    """The evidence file, for HR, the proposer and leaders who see the cadre."""
    award = get_object_or_404(BonusAward.objects.select_related("cadre"), pk=pk)
    user = request.user
    allowed = user.has_perm(APPROVE_PERMISSION) or award.proposed_by_id == user.pk
    if not allowed and user.has_perm(LEADER_PERMISSION):
        allowed = cadre_is_visible_to(cadre=award.cadre, user=user)
    if not allowed:
        raise PermissionDenied
    if not award.evidence:
        raise Http404
    return FileResponse(award.evidence.open("rb"), as_attachment=False)
