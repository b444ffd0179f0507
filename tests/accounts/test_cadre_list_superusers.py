"""The cadre list is titled 干部 and never hands a superuser to HR: not in the list or its
export, and their edit, delete, history and usage pages are not found."""

import pytest
from django.urls import reverse

from lms.accounts.roles import Role
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(roles):
    return UserFactory(
        name="超级账号甲", is_superuser=True, is_staff=True, role=Role.ADMIN, mfa=True
    )


def test_hr_sees_cadres_not_superusers(hr, cadre, superuser):
    client = client_for(hr)
    html = client.get(reverse("cadres:index"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert cadre.name in html and superuser.name not in html
    assert "<title>干部 - " in html and "新建: " not in html
    response = client.get(reverse("cadres:index") + "?export=csv")
    export = b"".join(response.streaming_content).decode("utf-8-sig")
    assert cadre.name in export and superuser.name not in export
    for view in ("edit", "delete", "history", "usage"):
        assert client.get(reverse(f"cadres:{view}", args=[superuser.pk])).status_code == 404
        assert client.get(reverse(f"cadres:{view}", args=[cadre.pk])).status_code != 404


def test_a_superuser_manages_superusers_from_the_list(superuser):
    client = client_for(superuser)
    html = client.get(reverse("cadres:index")).content.decode()
    assert superuser.name in html
    assert client.get(reverse("cadres:edit", args=[superuser.pk])).status_code == 200


def test_the_add_page_names_a_cadre(hr):
    html = client_for(hr).get(reverse("cadres:add"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "新建: 干部" in html.content.decode()
