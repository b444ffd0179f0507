"""The site's own 404, 403, 500 and expired-form pages: Chinese, phone layout, a way home;
the development server (DEBUG on) shows the same 404; a favicon; no e-mail pages."""

import pytest
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.views.defaults import server_error

from lms.settings import dev

pytestmark = pytest.mark.django_db

DEV_404 = {"DEBUG": True, "MIDDLEWARE": dev.MIDDLEWARE}


def assert_site_page(response, status, heading):
    assert response.status_code == status
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert 'href="/"' in html, "a way back to the home page"
    assert 'name="viewport"' in html
    assert "Page not found" not in html and "Using the URLconf" not in html


@pytest.mark.parametrize("path", ["/no-such-page/", "/exams/no/such/thing.txt", "/laws/missing/"])
@pytest.mark.parametrize("debug", [False, True], ids=["production", "make-run"])
def test_a_wrong_address_gets_the_site_404(client, cadre, path, debug):
    client.force_login(cadre)
    with override_settings(**DEV_404) if debug else override_settings():
        response = client.get(path)
    assert_site_page(response, 404, "页面不存在")
    assert "返回首页" in response.content.decode()


def test_a_refused_page_says_what_to_do(client, cadre):
    client.force_login(cadre)
    response = client.get(reverse("unit_cadres"))
    assert_site_page(response, 403, "您不能打开这个页面")
    assert "本单位负责人或人事干事" in response.content.decode()


def test_an_expired_form_says_reload_and_retry(cadre):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cadre)
    response = client.post(reverse("text_size"), {"next": "/"})
    assert_site_page(response, 403, "页面已过期")


def test_a_server_error_page_needs_no_database():
    request = RequestFactory().get("/exams/")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.db.backends.base.base.BaseDatabaseWrapper.cursor", None)
        response = server_error(request)
    assert_site_page(response, 500, "系统出了点问题")


def test_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"


def test_pages_link_their_icon(client, cadre):
    client.force_login(cadre)
    assert 'rel="icon"' in client.get("/").content.decode()
