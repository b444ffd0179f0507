"""Bonus awards: a leader proposes for cadres of their units, another person (HR)
approves; only approved awards count; every step is logged."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from wagtail.models import ModelLogEntry

from lms.accounts.roles import Role
from lms.evaluation.models import BonusAward, evidence_max_bytes
from lms.evaluation.services import (
    bonus_award_approve,
    bonus_award_propose,
    bonus_award_reject,
)
from tests.conftest import client_for
from tests.evaluation.factories import YEAR, computed, scheme
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(db):
    return scheme()


def propose(cadre, by, points=2, reason="调解邻里纠纷"):
    return bonus_award_propose(cadre=cadre, points=points, reason=reason, by=by, year=YEAR)


def bonus_of(cadre):
    return computed(cadre).bonus


def test_only_approved_awards_count(year, cadre, leader, hr):
    award = propose(cadre, leader)
    assert bonus_of(cadre) == 0
    bonus_award_approve(award=award, by=hr)
    assert bonus_of(cadre) == Decimal("2")
    rejected = propose(cadre, leader, points=5)
    bonus_award_reject(award=rejected, by=hr, note="证据不足")
    assert bonus_of(cadre) == Decimal("2")


def test_the_proposer_cannot_approve_their_own_proposal(year, cadre, hr):
    award = propose(cadre, hr)
    with pytest.raises(PermissionDenied):
        bonus_award_approve(award=award, by=hr)
    other_hr = UserFactory(role=Role.HR)
    bonus_award_approve(award=award, by=other_hr)
    award.refresh_from_db()
    assert (award.status, award.decided_by) == (BonusAward.Status.APPROVED, other_hr)


def test_a_unit_leader_cannot_approve(year, cadre, leader, hr):
    award = propose(cadre, hr)
    with pytest.raises(PermissionDenied):
        bonus_award_approve(award=award, by=leader)


def test_a_decided_award_cannot_be_decided_again(year, cadre, leader, hr):
    award = propose(cadre, leader)
    bonus_award_approve(award=award, by=hr)
    with pytest.raises(ValidationError) as error:
        bonus_award_reject(award=award, by=hr, note="重复审核")
    assert error.value.code == "decided"


def test_a_leader_cannot_propose_outside_their_units(year, other_cadre, leader):
    with pytest.raises(PermissionDenied):
        propose(other_cadre, leader)
    response = client_for(leader).post(
        reverse("evaluation_award_propose", args=[other_cadre.pk]),
        {"points": "2", "reason": "好人好事", "year": YEAR},
    )
    assert response.status_code == 403
    assert not BonusAward.objects.exists()


def test_a_leader_proposes_on_the_phone_form(year, cadre, leader, township):
    sub_unit_cadre = UserFactory(unit=township["a1"], role=Role.CADRE)
    client = client_for(leader)
    url = reverse("evaluation_award_propose", args=[sub_unit_cadre.pk])
    assert client.get(url).status_code == 200
    evidence = SimpleUploadedFile("证明.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post(
        url, {"points": "1.5", "reason": "防汛抢险", "evidence": evidence, "year": YEAR}
    )
    assert response.status_code == 302
    award = BonusAward.objects.get()
    assert (award.cadre, award.proposed_by, award.points) == (
        sub_unit_cadre,
        leader,
        Decimal("1.5"),
    )
    assert award.evidence.name.endswith(".pdf")
    assert client.get(reverse("evaluation_award_evidence", args=[award.pk])).status_code == 200


@pytest.mark.parametrize(
    "data, field",
    [
        ({"points": "2", "reason": "  "}, "reason"),
        ({"points": "0", "reason": "x"}, "points"),
        ({"points": "abc", "reason": "x"}, "points"),
    ],
)
def test_bad_proposals_answer_400(year, cadre, leader, data, field):
    response = client_for(leader).post(
        reverse("evaluation_award_propose", args=[cadre.pk]), {**data, "year": YEAR}
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not BonusAward.objects.exists()


def test_evidence_must_be_a_pdf_or_an_image(year, cadre, leader):
    evidence = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationError):
        bonus_award_propose(
            cadre=cadre, points=1, reason="x", evidence=evidence, by=leader, year=YEAR
        )


def test_evidence_that_only_looks_like_a_pdf_is_refused(year, cadre, leader):
    page = SimpleUploadedFile("证明.pdf", b"<html><script>", content_type="application/pdf")
    with pytest.raises(ValidationError):
        bonus_award_propose(cadre=cadre, points=1, reason="x", evidence=page, by=leader, year=YEAR)
    assert not BonusAward.objects.exists()


def test_evidence_is_size_limited(year, cadre, leader):
    big = SimpleUploadedFile("big.pdf", b"0" * (evidence_max_bytes() + 1))
    with pytest.raises(ValidationError):
        bonus_award_propose(cadre=cadre, points=1, reason="x", evidence=big, by=leader, year=YEAR)


def test_the_evidence_limit_follows_the_settings_in_force(year, cadre, leader, settings):
    def propose_two_mb():
        two_mb = SimpleUploadedFile("证明.pdf", b"%PDF-1.4 " + b"0" * (2 * 1024 * 1024 - 9))
        return bonus_award_propose(
            cadre=cadre, points=1, reason="x", evidence=two_mb, by=leader, year=YEAR
        )

    with override_settings(UPLOAD_LIMITS_MB={**settings.UPLOAD_LIMITS_MB, "evidence": 1}):
        assert evidence_max_bytes() == 1024 * 1024
        page = client_for(leader).get(reverse("evaluation_award_propose", args=[cadre.pk]))
        assert "PDF 或照片，不超过 1 MB。" in page.content.decode()
        with pytest.raises(ValidationError):
            propose_two_mb()
    assert evidence_max_bytes() == settings.UPLOAD_LIMITS_MB["evidence"] * 1024 * 1024
    assert propose_two_mb().evidence


def test_every_step_is_logged_with_who(year, cadre, leader, hr):
    award = propose(cadre, leader)
    bonus_award_approve(award=award, by=hr, note="属实")
    entries = ModelLogEntry.objects.filter(object_id=str(award.pk)).order_by("timestamp", "pk")
    assert [(e.action, e.user_id) for e in entries] == [
        ("evaluation.award.propose", leader.pk),
        ("evaluation.award.approve", hr.pk),
    ]
    assert entries[1].data["note"] == "属实"


def test_hr_decides_in_the_admin_and_sees_the_history(year, cadre, leader, hr):
    award = propose(cadre, leader)
    client = client_for(hr)
    assert client.get(reverse("evaluation_awards:index")).status_code == 200
    response = client.post(
        reverse("evaluation_award_decide", args=[award.pk]), {"approve": "1", "note": "同意"}
    )
    assert response.status_code == 302
    award.refresh_from_db()
    assert award.status == BonusAward.Status.APPROVED
    history = client.get(reverse("evaluation_awards:history", args=[award.pk]))
    assert history.status_code == 200
    assert "evaluation.award.approve" in {e.action for e in history.context["object_list"]}


def test_the_generic_admin_cannot_edit_or_add_awards(year, cadre, leader, hr):
    award = propose(cadre, leader)
    client = client_for(hr)
    assert client.get(reverse("evaluation_awards:edit", args=[award.pk])).status_code == 302
    assert client.get(reverse("evaluation_awards:add")).status_code == 302


def test_the_leader_has_no_admin_access(year, leader):
    response = client_for(leader).get(reverse("evaluation_results"))
    assert response.status_code == 302


def test_hr_records_a_deduction_in_the_admin(year, cadre, hr):
    response = client_for(hr).post(
        reverse("evaluation_deduction_add"),
        {"phone": cadre.phone, "year": YEAR, "points": "3", "reason": "违反纪律"},
    )
    assert response.status_code == 302
    assert computed(cadre).deductions == Decimal("3")
