"""Bonus-award evidence is private in every configuration: the embedded media server
(SERVE_MEDIA) answers 404 for it, whoever asks; only the permission-checked view serves it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from lms.evaluation.services import bonus_award_propose
from tests.conftest import client_for
from tests.evaluation.factories import YEAR, scheme

pytestmark = pytest.mark.django_db


@pytest.fixture
def award(cadre, leader):
    scheme()
    evidence = SimpleUploadedFile("证明.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    return bonus_award_propose(
        cadre=cadre, points=1, reason="防汛", evidence=evidence, by=leader, year=YEAR
    )


def _clients(cadre, other_cadre, hr):
    return {"anonymous": Client(), "cadre": client_for(cadre),
            "another cadre": client_for(other_cadre), "hr": client_for(hr)}  # fmt: skip


def test_the_media_url_serves_evidence_to_nobody(award, cadre, other_cadre, hr):
    media_url = "/media/" + award.evidence.name
    tricks = [media_url, media_url.replace("evaluation/", "evaluation//"),
              "/media/courses/../" + award.evidence.name]  # fmt: skip
    for who, client in _clients(cadre, other_cadre, hr).items():
        for url in tricks:
            assert client.get(url).status_code == 404, (who, url)


def test_the_evidence_view_checks_who_asks(award, cadre, other_cadre, hr):
    url = reverse("evaluation_award_evidence", args=[award.pk])
    statuses = {who: c.get(url).status_code for who, c in _clients(cadre, other_cadre, hr).items()}
    assert statuses == {"anonymous": 302, "cadre": 403, "another cadre": 403, "hr": 200}


def test_other_media_is_still_served(settings, db):
    (settings.MEDIA_ROOT / "documents").mkdir(parents=True)
    (settings.MEDIA_ROOT / "documents" / "a.pdf").write_bytes(b"%PDF-1.4")
    assert Client().get("/media/documents/a.pdf").status_code == 200
