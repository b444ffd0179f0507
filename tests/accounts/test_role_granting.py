"""Who hands out which role: HR makes cadres and unit leaders from the cadre list, never a
trainer, HR or Admin, and cannot reach Wagtail's own user editor (设置 → 用户), which knows
no ladder; the system administrator grants every role."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from lms.accounts.roles import Role
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(roles, township):
    return UserFactory(unit=township["township"], role=Role.ADMIN, mfa=True)


def edit_form(client, user):
    response = client.get(reverse("cadres:edit", args=[user.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    return response.context["form"]


def post_edit(client, user, *roles):
    groups = [Group.objects.get(name=role).pk for role in roles]
    data = {
        "name": user.name,
        "phone": user.phone,
        "username": user.username,
        "unit": user.unit_id,
        "position": user.position,
        "category": user.category,
        "is_active": "on",
        "groups": groups,
    }
    return client.post(reverse("cadres:edit", args=[user.pk]), data)


def test_hr_offers_only_the_cadre_and_leader_roles(hr, cadre):
    form = edit_form(client_for(hr), cadre)
    offered = {group.name for group in form.fields["groups"].queryset}
    assert offered == {Role.CADRE, Role.UNIT_LEADER}
    assert "只能由系统管理员授予" in form.fields["groups"].help_text


def test_hr_makes_a_cadre_a_unit_leader(hr, cadre):
    response = post_edit(client_for(hr), cadre, Role.CADRE, Role.UNIT_LEADER)
    assert response.status_code == 302
    assert set(cadre.groups.values_list("name", flat=True)) == {Role.CADRE, Role.UNIT_LEADER}


@pytest.mark.parametrize("role", [Role.TRAINER, Role.HR, Role.ADMIN])
def test_hr_cannot_grant_a_staff_role(hr, cadre, role):
    response = post_edit(client_for(hr), cadre, Role.CADRE, role)
    assert response.status_code == 200  # the form again, with its error
    assert response.context["form"].errors["groups"]
    assert set(cadre.groups.values_list("name", flat=True)) == {Role.CADRE}


@pytest.mark.parametrize("role", [Role.TRAINER, Role.HR, Role.ADMIN])
def test_hr_cannot_change_a_staff_account(hr, township, role):
    staff = UserFactory(unit=township["a"], role=role)
    client = client_for(hr)
    # Wagtail's way with a refused admin page: back to the dashboard with its message.
    for view in ("edit", "delete"):
        response = client.get(reverse(f"cadres:{view}", args=[staff.pk]))
        assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
    response = post_edit(client, staff, Role.CADRE)
    assert response.status_code == 302
    assert client.post(reverse("cadres:delete", args=[staff.pk])).status_code == 302
    staff.refresh_from_db()
    assert set(staff.groups.values_list("name", flat=True)) == {role}


def test_the_admin_grants_any_role(admin, cadre):
    client = client_for(admin)
    offered = {group.name for group in edit_form(client, cadre).fields["groups"].queryset}
    assert set(Role.ALL) <= offered
    assert post_edit(client, cadre, Role.CADRE, Role.TRAINER).status_code == 302
    assert set(cadre.groups.values_list("name", flat=True)) == {Role.CADRE, Role.TRAINER}


def test_hrs_save_keeps_the_groups_it_does_not_offer(hr, township):
    """Wagtail's own groups (an editor of pages, say) are not on HR's form: saving a cadre
    keeps them as they were."""
    editors = Group.objects.get_or_create(name="Editors")[0]
    user = UserFactory(unit=township["a"], role=Role.CADRE)
    user.groups.add(editors)
    response = post_edit(client_for(hr), user, Role.CADRE, Role.UNIT_LEADER)
    assert response.status_code == 302, response.context["form"].errors
    assert set(user.groups.values_list("name", flat=True)) == {
        Role.CADRE,
        Role.UNIT_LEADER,
        "Editors",
    }


def test_wagtails_user_admin_is_for_the_administrator_only(hr, admin):
    hr_client = client_for(hr)
    assert hr_client.get(reverse("wagtailusers_users:index")).status_code in (302, 403)
    assert hr_client.get(reverse("wagtailusers_users:edit", args=[hr.pk])).status_code in (
        302,
        403,
    )
    dashboard = hr_client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("wagtailusers_users:index") not in dashboard
    assert client_for(admin).get(reverse("wagtailusers_users:index")).status_code == 200


def test_hrs_list_offers_no_edit_link_for_staff_accounts(hr, township, cadre):
    trainer = UserFactory(unit=township["a"], role=Role.TRAINER, name="讲师乙")
    html = client_for(hr).get(reverse("cadres:index")).content.decode()
    assert trainer.name in html
    assert reverse("cadres:edit", args=[trainer.pk]) not in html
    assert reverse("cadres:delete", args=[trainer.pk]) not in html
    assert reverse("cadres:edit", args=[cadre.pk]) in html


def test_hrs_list_costs_the_same_queries_for_more_accounts(
    hr, township, django_assert_max_num_queries
):
    client = client_for(hr)
    UserFactory(unit=township["a"], role=Role.TRAINER)
    client.get(reverse("cadres:index"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("cadres:index"))
    for n in range(15):
        UserFactory(unit=township["b"], role=Role.TRAINER if n % 2 else Role.CADRE)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("cadres:index"))
