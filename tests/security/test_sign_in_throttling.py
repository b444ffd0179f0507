"""Repeated wrong passwords are refused by allauth's rate limits (ACCOUNT_RATE_LIMITS):
after five failures for one login, even the right password is refused for a while."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    # The limits are counted in the cache; another test's failures must not count here.
    cache.clear()
    yield
    cache.clear()


def _sign_in(client, login, password, language="en"):
    return client.post(
        reverse("account_login"),
        {"login": login, "password": password},
        HTTP_ACCEPT_LANGUAGE=language,
    )


def _refused_after_failures(client, cadre):
    for _ in range(5):
        response = _sign_in(client, cadre.phone, "wrong-password")
        assert response.status_code == 200  # the form again, with an error
    return _sign_in(client, cadre.phone, PASSWORD)


def test_repeated_wrong_passwords_lock_the_login_for_a_while(client, cadre):
    response = _refused_after_failures(client, cadre)
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert "Too many failed" in response.content.decode() or response.status_code == 429


def test_other_logins_are_not_locked(client, cadre, other_cadre):
    _refused_after_failures(client, cadre)
    response = _sign_in(client, other_cadre.phone, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(other_cadre.pk)


def test_the_refusal_says_when_to_try_again(client, cadre):
    _refused_after_failures(client, cadre)
    assert "five minutes" in _sign_in(client, cadre.phone, PASSWORD).content.decode()
    assert "五分钟" in _sign_in(client, cadre.phone, PASSWORD, "zh-CN").content.decode()
