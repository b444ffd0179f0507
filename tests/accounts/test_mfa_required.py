"""HR and Admin must enrol TOTP before they reach the admin or anything else."""

import pytest
from django.urls import reverse

from lms.accounts.roles import Role
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.HR, Role.ADMIN])
def test_staff_without_mfa_are_led_to_enrol(roles, role):
    client = client_for(UserFactory(role=role))
    for url in ["/admin/", reverse("home"), reverse("unit_cadres")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == reverse("mfa_activate_totp")
    # Seconds after signing in, the enrolment page opens without asking for the password
    # a second time.
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200


@pytest.mark.parametrize("role", [Role.HR, Role.ADMIN])
def test_signing_in_leads_straight_to_enrolment(roles, role):
    from django.test import Client

    from tests.factories import PASSWORD

    user = UserFactory(role=role)
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": user.username, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    assert response.status_code == 200
    assert "account_reauthenticate" not in str(response.redirect_chain)


def test_a_later_visit_is_asked_for_the_password_again(roles):
    """Only the sign-in counts as a reauthentication; an old session is asked again."""
    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY

    client = client_for(UserFactory(role=Role.HR))
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {**record, "at": record["at"] - 3600}
        for record in session[AUTHENTICATION_METHODS_SESSION_KEY]
    ]
    session.save()
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 302
    assert page.url.startswith(reverse("account_reauthenticate"))


def test_superuser_without_mfa_is_led_to_enrol(db):
    client = client_for(UserFactory(is_superuser=True, is_staff=True))
    assert client.get("/admin/").url == reverse("mfa_activate_totp")


def test_hr_with_mfa_uses_the_admin(hr):
    assert client_for(hr).get("/admin/").status_code == 200


@pytest.mark.parametrize("role", [Role.CADRE, Role.TRAINER, Role.UNIT_LEADER])
def test_other_roles_do_not_need_mfa(roles, role):
    assert client_for(UserFactory(role=role)).get(reverse("home")).status_code == 200


def test_after_enrolment_the_codes_page_leads_on_to_the_admin(roles):
    import pyotp

    client = client_for(UserFactory(role=Role.HR))
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret
    response = client.post(
        reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()}, follow=True
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("mfa_view_recovery_codes")
    assert f'href="{reverse("wagtailadmin_home")}">进入管理后台' in html
