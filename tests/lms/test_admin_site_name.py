"""The admin's dashboard and title bar name the site for every role, as HR named it
(Wagtail names the site of the pages a user may explore: HR has none, the admin sees the
tree's root, and a site with no name reads as its hostname)."""

import re

import pytest
from wagtail.models import Site

from lms.accounts.roles import Role
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def dashboard(user) -> tuple[str, str]:
    html = client_for(user).get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    h1 = re.search(r"<h1[^>]*>\s*(.*?)\s*</h1>", html, re.S).group(1)
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    return h1, title


@pytest.mark.parametrize("role", ["trainer", "hr", "admin"])
def test_every_role_reads_the_sites_name(request, role):
    Site.objects.filter(is_default_site=True).update(site_name="青山镇干部学法")
    if role == "admin":  # as seed_demo makes it, TOTP enrolled
        user = UserFactory(is_superuser=True, is_staff=True, role=Role.ADMIN, mfa=True)
    else:
        user = request.getfixturevalue(role)
    h1, title = dashboard(user)
    assert h1 == "青山镇干部学法"
    assert title.endswith("- 青山镇干部学法") and "Wagtail" not in title


def test_a_site_with_no_name_reads_as_the_projects_name_not_its_hostname(trainer, settings):
    Site.objects.update(site_name="")
    h1, _title = dashboard(trainer)
    assert h1 == settings.WAGTAIL_SITE_NAME != "localhost"
