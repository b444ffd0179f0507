"""HR decides a bonus award by clicking: approve / reject buttons on the award's row and
on its page; a rejection needs its reason; the page shows local times, the evidence as a
checked link and "—" for what is empty."""

import re
from datetime import UTC, datetime
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lms.evaluation.models import BonusAward
from lms.evaluation.services import bonus_award_approve, bonus_award_propose
from tests.conftest import client_for
from tests.evaluation.factories import YEAR, scheme

pytestmark = pytest.mark.django_db


@pytest.fixture
def award(cadre, leader):
    scheme()
    return bonus_award_propose(cadre=cadre, points=2, reason="调解纠纷", by=leader, year=YEAR)


def decide_url(award, decision):
    return reverse("evaluation_award_decide", args=[award.pk]) + f"?decision={decision}"


def test_the_award_list_shows_approve_and_reject_on_a_pending_row(award, hr, cadre, leader):
    decided = bonus_award_propose(cadre=cadre, points=1, reason="另一件事", by=leader, year=YEAR)
    bonus_award_approve(award=decided, by=hr)
    html = unescape(client_for(hr).get(reverse("evaluation_awards:index")).content.decode())
    assert f'href="{decide_url(award, "approve")}"' in html
    assert f'href="{decide_url(award, "reject")}"' in html
    assert ">批准<" in html.replace("\n", "").replace(" ", "")
    assert "驳回（写明理由）" in html
    assert decide_url(decided, "approve") not in html  # already decided: no buttons
    assert reverse("evaluation_awards:inspect", args=[award.pk]) in html


def test_the_proposer_is_offered_no_buttons(hr, cadre):
    scheme()
    own = bonus_award_propose(cadre=cadre, points=1, reason="自己申报", by=hr, year=YEAR)
    html = unescape(client_for(hr).get(reverse("evaluation_awards:index")).content.decode())
    assert decide_url(own, "approve") not in html


def test_the_award_page_has_local_times_the_evidence_link_and_no_none(cadre, leader, hr):
    scheme()
    evidence = SimpleUploadedFile("证明.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    award = bonus_award_propose(
        cadre=cadre, points=2, reason="防汛", evidence=evidence, by=leader, year=YEAR
    )
    BonusAward.objects.filter(pk=award.pk).update(
        proposed_at=datetime(2025, 6, 1, 1, 30, tzinfo=UTC)
    )
    response = client_for(hr).get(reverse("evaluation_awards:inspect", args=[award.pk]))
    html = unescape(response.content.decode())
    assert "2025年6月1日 09:30" in html  # Asia/Shanghai, not 01:30 UTC
    assert reverse("evaluation_award_evidence", args=[award.pk]) in html
    assert award.evidence.name not in html  # never the storage path
    fields = dict(
        (re.sub(r"<[^>]+>|\s", "", dt), re.sub(r"<[^>]+>|\s", "", dd))
        for dt, dd in re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", html, re.S)
    )
    assert fields["审核人"] == fields["审核时间"] == fields["审核意见"] == "—"
    assert fields["证明材料"] == "查看证明材料"
    assert "None" not in "".join(fields.values())
    assert f'href="{decide_url(award, "approve")}"' in html  # the page's own buttons
    assert f'href="{decide_url(award, "reject")}"' in html


def test_reject_without_a_reason_is_a_form_error_in_chinese(award, hr):
    client = client_for(hr)
    page = client.get(decide_url(award, "reject"))
    assert page.status_code == 200
    assert [name for name, _label in page.context["actions"]] == ["reject"]
    response = client.post(decide_url(award, "reject"), {"reject": "1", "note": "  "})
    assert response.status_code == 400
    assert response.context["form"].errors["note"] == ["驳回加分申请须写明理由。"]
    award.refresh_from_db()
    assert award.status == BonusAward.Status.PROPOSED
    response = client.post(decide_url(award, "reject"), {"reject": "1", "note": "证据不足"})
    assert response.status_code == 302
    award.refresh_from_db()
    assert (award.status, award.decision_note) == (BonusAward.Status.REJECTED, "证据不足")


def test_hr_approves_from_the_row_button(award, hr):
    response = client_for(hr).post(decide_url(award, "approve"), {"approve": "1", "note": ""})
    assert response.status_code == 302
    award.refresh_from_db()
    assert (award.status, award.decided_by) == (BonusAward.Status.APPROVED, hr)


@pytest.mark.parametrize("who", ["trainer", "leader"])
def test_a_trainer_or_leader_cannot_decide(award, who, request):
    client = client_for(request.getfixturevalue(who))
    response = client.post(decide_url(award, "approve"), {"approve": "1"})
    assert response.status_code in (302, 403)
    assert not response.get("Location", "").startswith(reverse("evaluation_awards:index"))
    award.refresh_from_db()
    assert award.status == BonusAward.Status.PROPOSED
