"""我的证书: the cadre's certificates, each a link to its page; an empty state that says
how to earn one; a print button that works under the site's CSP."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.conftest import client_for
from tests.exams import exam_builders as build

pytestmark = pytest.mark.django_db


def test_the_list_shows_the_cadres_certificates_only(cadre, other_cadre):
    mine = build.passed_attempt(cadre, title="2026年度学法考试")
    build.passed_attempt(cadre, title="不发证书的测验", certificates=False)
    build.passed_attempt(other_cadre, title="别人的考试")
    html = client_for(cadre).get("/exams/certificates/").content.decode()
    assert "2026年度学法考试" in html and reverse("certificate", args=[mine.pk]) in html
    assert "100 / 100 分" in html and "通过" in html
    for absent in ["不发证书的测验", "别人的考试"]:
        assert absent not in html


def test_an_empty_list_says_how_to_earn_one(cadre):
    html = client_for(cadre).get("/exams/certificates/").content.decode()
    assert "还没有证书" in html and "颁发证书的考试" in html and 'href="/exams/"' in html


def test_the_list_needs_sign_in():
    response = Client().get("/exams/certificates/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_list_queries_do_not_grow(cadre, django_assert_max_num_queries):
    client = client_for(cadre)
    build.passed_attempt(cadre, title="第一场")
    client.get("/exams/certificates/")
    with django_assert_max_num_queries(4) as small:
        client.get("/exams/certificates/")
    for n in range(4):
        build.passed_attempt(cadre, title=f"又一场{n}")
    with django_assert_max_num_queries(len(small)):
        client.get("/exams/certificates/")


def test_print_is_bound_by_a_static_script_not_an_inline_handler(cadre):
    attempt = build.passed_attempt(cadre, title="2026年度学法考试")
    html = client_for(cadre).get(reverse("certificate", args=[attempt.pk])).content.decode()
    assert "onclick" not in html
    assert "data-print" in html and 'src="/static/js/certificate.js"' in html
    script = Path(settings.BASE_DIR, "lms/static/js/certificate.js").read_text()
    assert "window.print()" in script and "[data-print]" in script
    assert reverse("certificate_image", args=[attempt.pk]) in html and "保存图片" in html
