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
    # allauth asks for the password again before enrolment; both pages open.
    page = client.get(reverse("mfa_activate_totp"), follow=True)
    assert page.status_code == 200
    assert page.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))


def test_superuser_without_mfa_is_led_to_enrol(db):
    client = client_for(UserFactory(is_superuser=True, is_staff=True))
    assert client.get("/admin/").url == reverse("mfa_activate_totp")


def test_hr_with_mfa_uses_the_admin(hr):
    assert client_for(hr).get("/admin/").status_code == 200


@pytest.mark.parametrize("role", [Role.CADRE, Role.TRAINER, Role.UNIT_LEADER])
def test_other_roles_do_not_need_mfa(roles, role):
    assert client_for(UserFactory(role=role)).get(reverse("home")).status_code == 200
