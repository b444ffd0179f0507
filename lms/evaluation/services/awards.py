"""Writes on bonus awards and deductions: propose, approve, reject, record a deduction.
Each is logged in Wagtail's action log (who, when, what) and refreshes the cadre's live
result once the transaction commits."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from lms.accounts.selectors import cadre_is_visible_to

from ..models import BonusAward, EvaluationYear
from .refresh import year_refresh_later

PROPOSE_PERMISSION = "evaluation.add_bonusaward"
APPROVE_PERMISSION = "evaluation.approve_bonusaward"


def _open_year(year, *, lock=False) -> EvaluationYear:
    number = year.year if isinstance(year, EvaluationYear) else int(year)
    years = EvaluationYear.objects.select_for_update() if lock else EvaluationYear.objects
    evaluation_year = years.filter(year=number).first()
    if evaluation_year is None:
        raise ValidationError(
            _("HR has not set up the evaluation for %(year)s yet.") % {"year": number},
            code="no_year",
        )
    if evaluation_year.is_finalised:
        raise ValidationError(
            _(
                "The evaluation of %(year)s is finalised: awards can no longer be proposed "
                "or decided. HR must reopen the year first."
            )
            % {"year": number},
            code="finalised",
        )
    return evaluation_year


def _points(value) -> Decimal:
    try:
        points = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Points must be a number."), code="invalid") from None
    if not Decimal("0") < points <= Decimal("100"):
        raise ValidationError(_("Points must be more than 0 and at most 100."), code="invalid")
    return points


def _reason(value) -> str:
    reason = (value or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason."), code="required")
    return reason


def _refresh_later(award: BonusAward) -> None:
    year_refresh_later(year=award.evaluation_year.year, cadre_ids=[award.cadre_id])


# Who may write an award for a cadre: holders of the permission, never for themselves.
_ACTS = {
    "propose": (
        PROPOSE_PERMISSION,
        gettext_lazy("You may not propose bonus awards."),
        gettext_lazy("You cannot propose a bonus award for yourself."),
    ),
    "deduct": (
        APPROVE_PERMISSION,
        gettext_lazy("Only HR can record deductions."),
        gettext_lazy("You cannot record a deduction for yourself."),
    ),
}


def _may_act(act: str, *, by, cadre) -> None:
    permission, refused, on_self = _ACTS[act]
    if not by.has_perm(permission):
        raise PermissionDenied(refused)
    if cadre.pk == by.pk:
        raise PermissionDenied(on_self)


def _award_new(evaluation_year, cadre, kind, points, reason, by) -> BonusAward:
    values = {"kind": kind, "points": points, "reason": reason}
    proposed = {"proposed_by": by, "proposed_at": timezone.now()}
    return BonusAward(evaluation_year=evaluation_year, cadre=cadre, **values, **proposed)


def _log_data(award: BonusAward, **extra) -> dict:
    return {
        "cadre": award.cadre_id,
        "year": award.evaluation_year.year,
        "kind": award.kind,
        "points": str(award.points),
        "reason": award.reason,
        **extra,
    }


def bonus_award_propose(
    *, cadre, points, reason: str, evidence=None, by, year: int | None = None
) -> BonusAward:
    """A unit leader (or HR) proposes a bonus for a cadre in the units they see."""
    _may_act("propose", by=by, cadre=cadre)
    if not cadre_is_visible_to(cadre=cadre, user=by):
        raise PermissionDenied(_("You can only propose awards for cadres in your units."))
    points, reason = _points(points), _reason(reason)
    with transaction.atomic():
        evaluation_year = _open_year(year or timezone.localdate().year, lock=True)
        award = _award_new(evaluation_year, cadre, BonusAward.Kind.AWARD, points, reason, by)
        if evidence:
            award.evidence = evidence
        award.full_clean()
        award.save()
        log(award, "evaluation.award.propose", user=by, data=_log_data(award))
    return award


_DECISION_ACTIONS = {
    BonusAward.Status.APPROVED: "evaluation.award.approve",
    BonusAward.Status.REJECTED: "evaluation.award.reject",
}


def _decide(award: BonusAward, by, status: str, note: str) -> BonusAward:
    if not by.has_perm(APPROVE_PERMISSION):
        raise PermissionDenied(_("Only HR can approve or reject bonus awards."))
    with transaction.atomic():
        award = BonusAward.objects.select_for_update().get(pk=award.pk)
        _open_year(award.evaluation_year, lock=True)
        if award.status != BonusAward.Status.PROPOSED:
            raise ValidationError(
                _("This award was already decided (%(status)s).")
                % {"status": award.get_status_display()},
                code="decided",
            )
        if award.proposed_by_id == by.pk:
            raise PermissionDenied(
                _("You proposed this award: another person must approve or reject it.")
            )
        if award.cadre_id == by.pk:
            raise PermissionDenied(_("You cannot decide an award for yourself."))
        award.status = status
        award.decided_by = by
        award.decided_at = timezone.now()
        award.decision_note = (note or "").strip()
        award.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        data = _log_data(award, note=award.decision_note)
        log(award, _DECISION_ACTIONS[status], user=by, data=data)
        _refresh_later(award)
    return award


def bonus_award_approve(*, award: BonusAward, by, note: str = "") -> BonusAward:
    """HR approves a proposed award; the proposer cannot approve their own proposal."""
    return _decide(award, by, BonusAward.Status.APPROVED, note)


def bonus_award_reject(*, award: BonusAward, by, note: str = "") -> BonusAward:
    """HR rejects a proposed award, saying why: the proposer reads the note."""
    if not (note or "").strip():
        raise ValidationError(_("Give the reason for rejecting this award."), code="required")
    return _decide(award, by, BonusAward.Status.REJECTED, note)


def bonus_deduction_record(
    *, cadre, points, reason: str, by, year: int | None = None
) -> BonusAward:
    """HR records a deduction; it counts at once."""
    _may_act("deduct", by=by, cadre=cadre)
    points, reason = _points(points), _reason(reason)
    with transaction.atomic():
        evaluation_year = _open_year(year or timezone.localdate().year, lock=True)
        award = _award_new(evaluation_year, cadre, BonusAward.Kind.DEDUCTION, points, reason, by)
        award.status = BonusAward.Status.APPROVED
        award.decided_by, award.decided_at = by, award.proposed_at
        award.save()
        log(award, "evaluation.award.deduct", user=by, data=_log_data(award))
        _refresh_later(award)
    return award
