"""Writes on bonus awards and deductions: propose, approve, reject, record a deduction.
Each is logged in Wagtail's action log (who, when, what) and refreshes the cadre's live
result once the transaction commits."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from lms.accounts.selectors import cadre_is_visible_to

from ..models import BonusAward, EvaluationYear

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
    from ..tasks import year_results_refresh_task

    year, cadre_id = award.evaluation_year.year, award.cadre_id
    transaction.on_commit(lambda: year_results_refresh_task.enqueue(year=year, user_ids=[cadre_id]))


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
    if not by.has_perm(PROPOSE_PERMISSION):
        raise PermissionDenied(_("You may not propose bonus awards."))
    if cadre.pk == by.pk:
        raise PermissionDenied(_("You cannot propose a bonus award for yourself."))
    if not cadre_is_visible_to(cadre=cadre, user=by):
        raise PermissionDenied(_("You can only propose awards for cadres in your units."))
    points, reason = _points(points), _reason(reason)
    with transaction.atomic():
        evaluation_year = _open_year(year or timezone.localdate().year, lock=True)
        award = BonusAward(
            evaluation_year=evaluation_year,
            cadre=cadre,
            kind=BonusAward.Kind.AWARD,
            points=points,
            reason=reason,
            proposed_by=by,
            proposed_at=timezone.now(),
        )
        if evidence:
            award.evidence = evidence
        award.full_clean()
        award.save()
        log(award, "evaluation.award.propose", user=by, data=_log_data(award))
    return award


def _decide(*, award: BonusAward, by, status: str, note: str, action: str) -> BonusAward:
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
        log(award, action, user=by, data=_log_data(award, note=award.decision_note))
        _refresh_later(award)
    return award


def bonus_award_approve(*, award: BonusAward, by, note: str = "") -> BonusAward:
    """HR approves a proposed award; the proposer cannot approve their own proposal."""
    return _decide(
        award=award,
        by=by,
        status=BonusAward.Status.APPROVED,
        note=note,
        action="evaluation.award.approve",
    )


def bonus_award_reject(*, award: BonusAward, by, note: str = "") -> BonusAward:
    """HR rejects a proposed award, saying why: the proposer reads the note."""
    if not (note or "").strip():
        raise ValidationError(_("Give the reason for rejecting this award."), code="required")
    return _decide(
        award=award,
        by=by,
        status=BonusAward.Status.REJECTED,
        note=note,
        action="evaluation.award.reject",
    )


def bonus_deduction_record(
    *, cadre, points, reason: str, by, year: int | None = None
) -> BonusAward:
    """HR records a deduction; it counts at once."""
    if not by.has_perm(APPROVE_PERMISSION):
        raise PermissionDenied(_("Only HR can record deductions."))
    if cadre.pk == by.pk:
        raise PermissionDenied(_("You cannot record a deduction for yourself."))
    points, reason = _points(points), _reason(reason)
    with transaction.atomic():
        evaluation_year = _open_year(year or timezone.localdate().year, lock=True)
        now = timezone.now()
        award = BonusAward.objects.create(
            evaluation_year=evaluation_year,
            cadre=cadre,
            kind=BonusAward.Kind.DEDUCTION,
            points=points,
            reason=reason,
            status=BonusAward.Status.APPROVED,
            proposed_by=by,
            proposed_at=now,
            decided_by=by,
            decided_at=now,
        )
        log(award, "evaluation.award.deduct", user=by, data=_log_data(award))
        _refresh_later(award)
    return award
