"""Who opens /admin/ and where they land: staff in the admin, the signed-out at allauth's
sign-in (with its second factor), a cadre or unit leader on a page that says where their
work is. Never a redirect loop, never Wagtail's password-only sign-in form."""

import pytest
from django.test import Client

from lms.accounts.roles import Role
from tests.conftest import client_for
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_signed_out_goes_to_sign_in_and_back():
    response = Client().get("/admin/pages/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=/admin/pages/"
    assert response.status_code == 200


def test_a_unit_leader_is_told_where_their_work_is(leader):
    response = client_for(leader).get("/admin/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) == 1
    html = response.content.decode()
    assert "您的工作不在后台管理中" in html
    assert 'href="/evaluation/units/"' in html and 'href="/unit/cadres/"' in html


def test_a_cadre_is_sent_back_to_their_study(cadre):
    response = client_for(cadre).get("/admin/pages/", follow=True)
    assert response.status_code == 403
    html = response.content.decode()
    assert 'href="/"' in html and "/evaluation/units/" not in html


@pytest.mark.parametrize("role", [Role.TRAINER, Role.HR])
def test_staff_who_arrive_here_signed_in_go_on_to_the_admin(roles, role):
    client = client_for(UserFactory(role=role, mfa=True))
    assert client.get("/admin/login/?next=/admin/pages/").url == "/admin/pages/"
    assert client.get("/admin/login/?next=https://elsewhere.example/").url == "/admin/"


def test_wagtails_password_only_sign_in_is_gone(hr):
    client = Client()
    response = client.post("/admin/login/", {"username": hr.username, "password": PASSWORD})
    assert response.status_code == 405
    assert client.get("/admin/").status_code == 302  # still signed out
