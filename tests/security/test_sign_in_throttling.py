"""Repeated wrong passwords slow an account down (a short wait that grows) instead of
locking it, and the per-address limit counts per client, not per proxy."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


class FakeClock:
    def __init__(self):
        self.now = 1_800_000_000.0

    def time(self):
        return self.now


@pytest.fixture(autouse=True)
def _fresh_limits():
    # The limits are counted in the cache; another test's failures must not count here.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock(monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr("lms.accounts.adapter.time", clock)
    return clock


def _sign_in(client, login, password, language="en", **headers):
    return client.post(
        reverse("account_login"),
        {"login": login, "password": password},
        HTTP_ACCEPT_LANGUAGE=language,
        **headers,
    )


def _fail(client, cadre, times):
    for _ in range(times):
        assert _sign_in(client, cadre.phone, "wrong-password").status_code == 200


def test_four_failures_cost_nothing(client, cadre, clock):
    _fail(client, cadre, 4)
    assert _sign_in(client, cadre.phone, PASSWORD).status_code == 302


def test_after_the_free_failures_the_account_waits_and_the_wait_grows(client, cadre, clock):
    _fail(client, cadre, 5)
    refused = _sign_in(client, cadre.phone, PASSWORD, "zh-CN")
    assert refused.status_code == 200
    assert "请 2 秒后再试" in refused.content.decode()
    assert "_auth_user_id" not in client.session

    clock.now += 2
    _fail(client, cadre, 1)
    assert "Try again in 4 seconds" in _sign_in(client, cadre.phone, PASSWORD).content.decode()
    clock.now += 4
    _fail(client, cadre, 1)
    assert "Try again in 8 seconds" in _sign_in(client, cadre.phone, PASSWORD).content.decode()


def test_the_wait_is_capped_and_a_stranger_cannot_lock_the_cadre_out(client, cadre, clock):
    for _ in range(20):
        _sign_in(client, cadre.phone, "wrong-password", REMOTE_ADDR="203.0.113.7")
        clock.now += 61
    # The stranger's last failure set at most a minute's wait; then the cadre is in.
    clock.now += 60
    response = _sign_in(client, cadre.phone, PASSWORD, REMOTE_ADDR="198.51.100.2")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cadre.pk)


def test_tries_during_the_wait_do_not_extend_it(client, cadre, clock):
    _fail(client, cadre, 5)
    for _ in range(10):
        _sign_in(client, cadre.phone, "wrong-password")
    clock.now += 2
    assert _sign_in(client, cadre.phone, PASSWORD).status_code == 302


def test_other_logins_are_not_slowed(client, cadre, other_cadre, clock):
    _fail(client, cadre, 6)
    response = _sign_in(client, other_cadre.phone, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(other_cadre.pk)


def _many_wrong_sign_ins(client, **headers):
    """21 failures, each for a different account, from one client; then a right one."""
    for number in range(21):
        _sign_in(client, f"1370000{number:04d}", "wrong-password", **headers)
    return _sign_in(client, UserFactory().phone, PASSWORD, **headers)


def test_the_per_address_limit_refuses_one_client(client, clock):
    response = _many_wrong_sign_ins(client, REMOTE_ADDR="203.0.113.7")
    assert "from this address" in response.content.decode()


def test_behind_a_trusted_proxy_each_cadre_has_their_own_bucket(client, settings, clock):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    _many_wrong_sign_ins(client, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    response = _sign_in(
        client,
        UserFactory().phone,
        PASSWORD,
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.2",
    )
    assert response.status_code == 302


def test_without_trusted_proxies_the_header_is_ignored(client, settings, clock):
    settings.TRUSTED_PROXIES = []
    for number in range(21):
        _sign_in(
            client,
            f"1370000{number:04d}",
            "wrong-password",
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{number}",
        )
    response = _sign_in(client, UserFactory().phone, PASSWORD, REMOTE_ADDR="127.0.0.1")
    assert "from this address" in response.content.decode()
