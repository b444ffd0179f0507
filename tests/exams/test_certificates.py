"""Certificates: the owner's printable page, and a public check that shows nothing else
about the cadre."""

import pytest
from django.test import Client
from django.urls import reverse

from exams.models import Attempt
from exams.services.attempts import attempt_grade, attempt_start
from exams.services.certificates import name_mask
from tests.conftest import client_for
from tests.exams import exam_builders as build

pytestmark = pytest.mark.django_db


@pytest.fixture
def passed(cadre):
    cadre.name = "王建国"
    cadre.phone = "13912345678"
    cadre.save()
    return build.passed_attempt(cadre, title="2026年度学法考试")


def test_the_owner_gets_a_printable_certificate(cadre, passed):
    assert passed.passed and len(passed.certificate_code) == 10
    client = client_for(cadre)
    response = client.get(reverse("certificate", args=[passed.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for shown in ["王建国", "河口村", "2026年度学法考试", passed.certificate_code, "100"]:
        assert shown in html
    result = client.get(reverse("attempt_result", args=[passed.pk])).content.decode()
    assert reverse("certificate", args=[passed.pk]) in result


def test_nobody_else_sees_it(other_cadre, passed):
    assert client_for(other_cadre).get(reverse("certificate", args=[passed.pk])).status_code == 404
    assert Client().get(reverse("certificate", args=[passed.pk])).status_code == 302


def test_no_certificate_without_passing_or_without_the_setting(cadre):
    paper = build.exam(questions=[build.question()], certificates=True, title="failed")
    failed = attempt_grade(attempt_id=attempt_start(exam=paper, user=cadre).pk)
    assert not failed.passed and not failed.certificate_code
    assert client_for(cadre).get(reverse("certificate", args=[failed.pk])).status_code == 404
    graded = build.passed_attempt(cadre, title="plain", certificates=False)
    assert graded.passed and not graded.certificate_code
    assert client_for(cadre).get(reverse("certificate", args=[graded.pk])).status_code == 404


def test_public_check_shows_the_masked_name_exam_and_date_only(passed):
    response = Client().get(reverse("certificate_verify", args=[passed.certificate_code]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "王*国" in html and "2026年度学法考试" in html
    assert response.context["check"].valid
    for hidden in ["王建国", "13912345678", "河口村", "100"]:
        assert hidden not in html, hidden
    assert response["X-Robots-Tag"] == "noindex"
    # Lower case works too: people type codes.
    lower = Client().get(reverse("certificate_verify", args=[passed.certificate_code.lower()]))
    assert lower.status_code == 200


@pytest.mark.parametrize("code", ["0000000000", "ZZZ", "A" * 11, "%20"])
def test_unknown_codes_are_404(passed, code):
    assert Client().get(reverse("certificate_verify", args=[code])).status_code == 404


def test_a_certificate_withdrawn_by_a_regrade_is_shown_as_not_valid(passed):
    Attempt.objects.filter(pk=passed.pk).update(passed=False)
    response = Client().get(reverse("certificate_verify", args=[passed.certificate_code]))
    assert response.status_code == 200
    assert response.context["check"].valid is False


@pytest.mark.parametrize(
    "name, masked",
    [("王建国", "王*国"), ("王五", "王*"), ("欧阳建国", "欧**国"), ("", "*"), ("李", "*")],
)
def test_name_mask(name, masked):
    assert name_mask(name) == masked
