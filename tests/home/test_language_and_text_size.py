"""Chinese by default, English on request (switcher or browser), large text remembered."""

import pytest
from django.urls import reverse

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_chinese_is_the_default(client):
    html = client.get(reverse("account_login")).content.decode()
    assert '<html lang="zh-hans"' in html
    assert "登录" in html


def test_browser_accept_language_is_honoured(client):
    html = client.get(
        reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
    ).content.decode()
    assert '<html lang="en"' in html
    assert "Sign In" in html


def test_switcher_sets_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert "Mobile number or username" in client.get(reverse("account_login")).content.decode()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "手机号或用户名" in client.get(reverse("account_login")).content.decode()


def test_large_text_is_remembered_on_the_account(cadre):
    client = client_for(cadre)
    assert 'class=""' in client.get(reverse("home")).content.decode()
    response = client.post(reverse("text_size"), {"next": reverse("home")})
    assert response.status_code == 302
    cadre.refresh_from_db()
    assert cadre.large_text
    # Another device, same account: still large.
    assert 'class="large-text"' in client_for(cadre).get(reverse("home")).content.decode()


def test_text_size_refuses_foreign_redirects(client):
    response = client.post(reverse("text_size"), {"next": "https://evil.example/"})
    assert response.url == "/"


def test_home_links_to_the_parts_of_study(cadre):
    html = client_for(cadre).get(reverse("home")).content.decode()
    assert "我的学习" in html
    for label in ["课程", "考试", "年度考核"]:
        assert label in html
