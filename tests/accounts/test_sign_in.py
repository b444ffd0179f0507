"""Signing in by phone number or user name through allauth's pages; sign-up is closed."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def sign_in(client, login, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": login, "password": password})


@pytest.mark.parametrize(
    "typed", ["13912345678", "139 1234 5678", "+86 139-1234-5678", "１３９１２３４５６７８"]
)
def test_sign_in_by_phone_in_any_usual_spelling(client, typed):
    UserFactory(username="wang", phone="13912345678")
    response = sign_in(client, typed)
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_sign_in_by_username(client):
    UserFactory(username="trainer1")
    assert sign_in(client, "trainer1").status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_wrong_password_is_refused_with_a_message(client):
    UserFactory(phone="13912345678")
    response = sign_in(client, "13912345678", "wrong-password")
    assert response.status_code == 200
    assert "不正确" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_deactivated_cadre_cannot_sign_in(client):
    UserFactory(phone="13912345678", is_active=False)
    sign_in(client, "13912345678")
    assert client.get(reverse("home")).status_code == 302


def test_home_requires_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_sign_up_is_closed(client):
    response = client.get("/accounts/signup/")
    assert response.status_code == 403
    assert "名单" in response.content.decode()
    response = client.post(
        "/accounts/signup/",
        {"username": "x", "password1": "a-Long-pass-1", "password2": "a-Long-pass-1"},
    )
    assert response.status_code == 403


def test_forgotten_password_page_points_to_the_unit_leader(client):
    response = client.get(reverse("account_reset_password"))
    assert response.status_code == 200
    assert "单位负责人" in response.content.decode()


def test_login_page_is_chinese_and_phone_sized(client):
    html = client.get(reverse("account_login")).content.decode()
    assert 'name="viewport"' in html
    assert "手机号或用户名" in html
