"""What each role may open: the admin, the cadre listing, the roster import."""

import pytest
from django.urls import reverse

from lms.accounts.roles import Role, roles_ensure
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_roles_exist_and_sync_is_idempotent(roles):
    from django.contrib.auth.models import Group

    roles_ensure()
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.ALL)
    hr = Group.objects.get(name=Role.HR)
    assert hr.permissions.filter(codename="import_roster").exists()
    assert not Group.objects.get(name=Role.CADRE).permissions.exists()


@pytest.mark.parametrize(
    "who, opens",
    [
        ("cadre", set()),
        ("leader", set()),
        ("trainer", {"admin"}),
        ("hr", {"admin", "cadres", "units", "roster"}),
    ],
)
def test_admin_pages_by_role(request, who, opens):
    """Wagtail answers a page a role may not open with a redirect, never the page."""
    client = client_for(request.getfixturevalue(who))
    urls = {
        "admin": "/admin/",
        "cadres": reverse("cadres:index"),
        "units": reverse("units:index"),
        "roster": reverse("roster_import"),
    }
    for name, url in urls.items():
        status = client.get(url).status_code
        assert (status == 200) == (name in opens), (name, status)
        assert status in (200, 302)


def test_hr_cannot_grant_the_admin_role(hr, cadre):
    from django.contrib.auth.models import Group

    admin_group = Group.objects.get(name=Role.ADMIN)
    client = client_for(hr)
    response = client.get(reverse("cadres:edit", args=[cadre.pk]))
    assert response.status_code == 200
    assert response.context["form"].fields["groups"].queryset.filter(pk=admin_group.pk).count() == 0


def test_hr_creates_a_cadre_with_a_one_time_password(hr, township):
    from lms.accounts.models import User

    response = client_for(hr).post(
        reverse("cadres:add"),
        {
            "name": "赵新",
            "phone": "13511112222",
            "username": "13511112222",
            "unit": township["a"].pk,
            "position": "村委委员",
            "category": "village_cadre",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    user = User.objects.get(phone="13511112222")
    assert user.must_change_password
    assert user.groups.filter(name=Role.CADRE).exists()


def test_admin_rejects_an_invalid_phone(hr, township):
    response = client_for(hr).post(
        reverse("cadres:add"),
        {"name": "赵新", "phone": "12345", "username": "zx", "unit": township["a"].pk},
    )
    assert response.status_code == 200
    assert "phone" in response.context["form"].errors
