"""Shared fixtures: users in each role, a small unit tree, a signed-in client per role."""

import pytest
from django.test import Client
from django.utils import translation

from lms.accounts.roles import Role, roles_ensure
from tests.factories import OrgUnitFactory, UserFactory


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _site_language():
    # A test client's request leaves the language it negotiated active in the thread
    # (LocaleMiddleware never deactivates it): a test that asked in English must not leave
    # the next one's gettext (the importers' messages, say) in English.
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def roles(db):
    roles_ensure()


@pytest.fixture
def township(db):
    township = OrgUnitFactory(code="T", name="青山镇", kind="township")
    village_a = OrgUnitFactory(code="V-A", name="河口村", kind="village", parent=township)
    village_b = OrgUnitFactory(code="V-B", name="石桥村", kind="village", parent=township)
    group = OrgUnitFactory(code="V-A-1", name="河口村一组", kind="other", parent=village_a)
    return {"township": township, "a": village_a, "b": village_b, "a1": group}


@pytest.fixture
def cadre(roles, township):
    return UserFactory(unit=township["a"], role=Role.CADRE)


@pytest.fixture
def other_cadre(roles, township):
    return UserFactory(unit=township["b"], role=Role.CADRE)


@pytest.fixture
def leader(roles, township):
    user = UserFactory(unit=township["township"], role=Role.UNIT_LEADER)
    user.led_units.add(township["a"])
    return user


@pytest.fixture
def trainer(roles, township):
    return UserFactory(unit=township["township"], role=Role.TRAINER)


@pytest.fixture
def hr(roles, township):
    return UserFactory(unit=township["township"], role=Role.HR, mfa=True)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
