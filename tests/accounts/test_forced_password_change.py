"""One-time passwords: a new or reset account must choose its own password first."""

import pytest
from django.urls import get_script_prefix, reverse, set_script_prefix

from lms.accounts.roles import Role
from lms.accounts.services import cadre_password_reset, user_set_one_time_password
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "my-own-Secret-77"


def test_one_time_password_forces_a_change_before_anything_else(client):
    user = UserFactory(phone="13912345678")
    one_time = user_set_one_time_password(user=user)
    response = client.post(reverse("account_login"), {"login": "13912345678", "password": one_time})
    assert response.status_code == 302
    for url in [reverse("home"), "/admin/", reverse("unit_cadres")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == reverse("account_change_password")
    # A script gets JSON it can act on rather than a redirect to a form.
    response = client.get(reverse("home"), HTTP_ACCEPT="application/json")
    assert response.status_code == 403
    assert response.json()["redirect"] == reverse("account_change_password")

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": one_time, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert user.check_password(NEW_PASSWORD)
    assert client.get(reverse("home")).status_code == 200


def test_sign_out_stays_possible_while_the_change_is_pending():
    user = UserFactory()
    user_set_one_time_password(user=user)
    client = client_for(user)
    assert client.post(reverse("account_logout")).status_code == 302


@pytest.mark.parametrize(
    ("name", "data"), [("set_language", {"language": "en"}), ("text_size", {"next": "/"})]
)
def test_language_and_text_size_stay_possible_while_the_change_is_pending(name, data):
    user = UserFactory()
    user_set_one_time_password(user=user)
    response = client_for(user).post(reverse(name), data)
    assert response.status_code == 302
    assert response.url != reverse("account_change_password")


def test_the_gate_follows_a_script_prefix():
    # Behind a proxy that serves the site under a path, the allowed addresses move with it.
    # (The test client, unlike the WSGI handler, does not set the prefix itself.)
    user = UserFactory()
    user_set_one_time_password(user=user)
    client = client_for(user)
    before = get_script_prefix()
    set_script_prefix("/lms/")
    try:
        refused = client.get("/", SCRIPT_NAME="/lms")
        response = client.post("/accounts/logout/", SCRIPT_NAME="/lms")
    finally:
        set_script_prefix(before)
    assert response.status_code == 302
    assert "password" not in response.url
    assert refused.url == "/lms" + reverse("account_change_password")


def test_leader_resets_a_cadre_in_their_unit(leader, cadre):
    response = client_for(leader).post(reverse("cadre_reset_password", args=[cadre.pk]))
    assert response.status_code == 200
    password = response.context["password"]
    cadre.refresh_from_db()
    assert cadre.must_change_password
    assert cadre.check_password(password)


def test_leader_cannot_reset_a_cadre_outside_their_units(leader, other_cadre):
    response = client_for(leader).post(reverse("cadre_reset_password", args=[other_cadre.pk]))
    assert response.status_code == 404
    other_cadre.refresh_from_db()
    assert not other_cadre.must_change_password


def test_leader_reaches_cadres_of_subunits(leader, township):
    deep = UserFactory(unit=township["a1"], role=Role.CADRE)
    assert (
        client_for(leader).post(reverse("cadre_reset_password", args=[deep.pk])).status_code == 200
    )


def test_hr_resets_any_cadre(hr, other_cadre):
    assert (
        client_for(hr).post(reverse("cadre_reset_password", args=[other_cadre.pk])).status_code
        == 200
    )


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_cadre_cannot_reset_passwords(cadre, other_cadre, method):
    client = client_for(cadre)
    url = reverse("cadre_reset_password", args=[other_cadre.pk])
    response = getattr(client, method)(url)
    assert response.status_code in (403, 405)
    assert client.get(reverse("unit_cadres")).status_code == 403


def test_reset_service_refuses_the_leaders_own_account(leader):
    from django.core.exceptions import PermissionDenied

    leader.unit = leader.led_units.first()
    leader.save()
    with pytest.raises(PermissionDenied):
        cadre_password_reset(cadre=leader, by=leader)


def test_leader_list_shows_only_their_units(leader, cadre, other_cadre):
    response = client_for(leader).get(reverse("unit_cadres"))
    names = [user.name for user in response.context["page"]]
    assert cadre.name in names
    assert other_cadre.name not in names
