"""Bonus awards in the admin (HR): the list and page of each award with its approve and
reject buttons, the decision page, and recording a deduction. Awards change only through
the services, never through Wagtail's generic edit views."""

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton, ListingButton
from wagtail.permission_policies import ModelPermissionPolicy

from lms.accounts.models import User

from ..models import BonusAward
from ..services import bonus_award_approve, bonus_award_reject, bonus_deduction_record
from ..services.awards import APPROVE_PERMISSION
from .actions import ActionView


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


class AwardActionView(ActionView):
    permission = APPROVE_PERMISSION

    def get_back_url(self):
        return reverse("evaluation_awards:index")


class AwardDecideView(AwardActionView):
    """Approve or reject one proposed award; `?decision=approve|reject` (the row and page
    buttons) offers only that action, a rejection needs its reason."""

    form_class = DecisionForm
    page_title = gettext_lazy("Decide on a bonus award")
    # pgettext: Wagtail's own "Approve" and "Reject" belong to its moderation workflow.
    actions = [
        ("approve", pgettext_lazy("bonus award", "Approve")),
        ("reject", pgettext_lazy("bonus award", "Reject")),
    ]
    success_message = gettext_lazy("Decision saved.")
    # The service's "give the reason" is said at the note it asks for.
    error_fields = {"required": "note"}

    def get_object(self):
        return get_object_or_404(
            BonusAward.objects.select_related("cadre", "cadre__unit", "proposed_by"),
            pk=self.kwargs["pk"],
        )

    def get_actions(self):
        decision = self.request.GET.get("decision")
        if decision in DECISIONS:
            return [action for action in self.actions if action[0] == decision]
        return self.actions

    def get_intro(self):
        award = self.object
        return _(
            "%(cadre)s (%(unit)s): +%(points)s points, proposed by %(by)s on %(when)s. "
            "Reason: %(reason)s"
        ) % {
            "cadre": award.cadre,
            "unit": award.cadre.unit or EMPTY,
            "points": award.points,
            "by": award.proposed_by or EMPTY,
            "when": _local_time(award.proposed_at),
            "reason": award.reason,
        }

    def get_context_data(self, **kwargs):
        evidence_url = (
            reverse("evaluation_award_evidence", args=[self.object.pk])
            if self.object.evidence
            else ""
        )
        return super().get_context_data(evidence_url=evidence_url, **kwargs)

    def perform(self, form):
        decide = bonus_award_approve if "approve" in self.request.POST else bonus_award_reject
        decide(award=self.object, by=self.request.user, note=form.cleaned_data["note"])


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


class DeductionAddView(AwardActionView):
    form_class = DeductionForm
    page_title = gettext_lazy("Record a deduction")
    intro = gettext_lazy("A deduction counts at once and is logged with your name.")
    actions = [("save", gettext_lazy("Record"))]
    success_message = gettext_lazy("Deduction recorded.")

    def get_form_kwargs(self):
        return {"initial": {"year": timezone.localdate().year}}

    def perform(self, form):
        bonus_deduction_record(
            cadre=form.cleaned_data["phone"],
            points=form.cleaned_data["points"],
            reason=form.cleaned_data["reason"],
            year=form.cleaned_data["year"],
            by=self.request.user,
        )
