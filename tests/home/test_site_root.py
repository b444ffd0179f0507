"""The site has a name and its root page a Chinese title, on a fresh database and in the
demo; the page URLs under the root do not change."""

import pytest
from django.core.management import call_command
from wagtail.models import Site

from courses.models import CourseIndexPage

pytestmark = pytest.mark.django_db


def test_a_fresh_site_is_named_and_its_root_titled(settings):
    site = Site.objects.get(is_default_site=True)
    assert site.site_name == settings.WAGTAIL_SITE_NAME
    assert site.root_page.title == settings.WAGTAIL_SITE_NAME


def test_the_demo_names_the_township_site(client):
    call_command("seed_demo")
    site = Site.objects.get(is_default_site=True)
    assert site.site_name == site.root_page.title == "青山镇干部学法"
    assert CourseIndexPage.objects.get().url == "/courses/"
