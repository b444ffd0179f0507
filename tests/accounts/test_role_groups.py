"""The groups staff see in the admin have Chinese names, Wagtail's own two included, and
code still finds each role's group by its Role constant."""

import pytest
from django.contrib.auth.models import Group

from lms.accounts.roles import Role, user_has_role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_group_has_a_chinese_name(roles):
    names = set(Group.objects.values_list("name", flat=True))
    assert set(Role.ALL) <= names
    assert {"编辑", "审核员"} <= names  # Wagtail's Editors and Moderators
    assert not [name for name in names if name.isascii()]


def test_roles_are_found_by_their_constant(roles):
    user = UserFactory(role=Role.UNIT_LEADER)
    assert user_has_role(user, Role.UNIT_LEADER)
    assert Group.objects.get(name=Role.UNIT_LEADER).permissions.filter(codename="add_bonusaward")
