"""Who may reset whose password: every pair of roles, through the leader's page."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from wagtail.models import ModelLogEntry

from lms.accounts.roles import Role
from tests.conftest import client_for
from tests.factories import PASSWORD, UserFactory

ROLES = {
    "cadre": Role.CADRE,
    "trainer": Role.TRAINER,
    "leader": Role.UNIT_LEADER,
    "hr": Role.HR,
    "admin": Role.ADMIN,
}
# (actor, target) -> allowed; a target "+mfa" has enrolled a second factor.
ALLOWED = {
    ("leader", "cadre"),
    ("hr", "cadre"),
    ("hr", "leader"),
    ("admin", "cadre"),
    ("admin", "trainer"),
    ("admin", "leader"),
    ("admin", "hr"),
    ("admin", "admin"),
    ("admin", "cadre+mfa"),
    ("admin", "hr+mfa"),
}
TARGETS = [*ROLES, "cadre+mfa", "hr+mfa"]


def _user(name, township, *, actor=False):
    role = ROLES[name.removesuffix("+mfa")]
    # Actors in HR and Admin have enrolled MFA, as the site requires of them.
    mfa = name.endswith("+mfa") or (actor and role in Role.MFA_REQUIRED)
    user = UserFactory(unit=township["a"], role=role, mfa=mfa)
    if role == Role.UNIT_LEADER:
        user.led_units.add(township["a"])
    return user


@pytest.mark.parametrize("target_name", TARGETS)
@pytest.mark.parametrize("actor_name", list(ROLES))
def test_password_reset_follows_the_role_ladder(roles, township, actor_name, target_name):
    actor = _user(actor_name, township, actor=True)
    target = _user(target_name, township)
    response = client_for(actor).post(
        reverse("cadre_reset_password", args=[target.pk]), {"reason": "换了手机"}
    )
    target.refresh_from_db()
    if (actor_name, target_name) in ALLOWED:
        assert response.status_code == 200
        assert not target.check_password(PASSWORD)
        assert target.must_change_password
    else:
        assert response.status_code in (302, 403, 404)
        assert target.check_password(PASSWORD)
        assert not target.must_change_password


def test_an_mfa_reset_needs_a_reason_and_resets_the_second_factor(roles, township):
    admin = _user("admin", township, actor=True)
    target = _user("hr+mfa", township)
    url = reverse("cadre_reset_password", args=[target.pk])
    refused = client_for(admin).post(url, {"reason": "  "})
    assert refused.status_code == 302
    assert Authenticator.objects.filter(user=target).exists()

    assert client_for(admin).post(url, {"reason": "丢失手机"}).status_code == 200
    assert not Authenticator.objects.filter(user=target).exists()
    entry = ModelLogEntry.objects.get(action="accounts.password.reset", object_id=str(target.pk))
    assert entry.user_id == admin.pk
    assert entry.data == {"mfa_reset": True, "reason": "丢失手机"}


def test_the_list_offers_a_reset_only_where_allowed(roles, township):
    leader = _user("leader", township)
    cadre = _user("cadre", township)
    trainer = _user("trainer", township)
    body = client_for(leader).get(reverse("unit_cadres")).content.decode()
    assert reverse("cadre_reset_password", args=[cadre.pk]) in body
    assert reverse("cadre_reset_password", args=[trainer.pk]) not in body


def test_the_list_costs_the_same_queries_for_more_cadres(
    roles, township, django_assert_max_num_queries
):
    hr = _user("hr", township, actor=True)
    client = client_for(hr)
    client.get(reverse("unit_cadres"))
    for _ in range(10):
        _user("cadre", township)
    with django_assert_max_num_queries(12):
        client.get(reverse("unit_cadres"))
