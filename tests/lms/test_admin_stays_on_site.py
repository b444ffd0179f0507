"""The admin reaches nothing outside the site: township networks are often offline or
filtered. No update check, no Gravatar avatars, no links to Wagtail's English guides."""

import re

import pytest

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_dashboard_loads_and_links_nothing_outside(trainer):
    html = client_for(trainer).get("/admin/").content.decode()
    assert 'data-controller="w-upgrade"' not in html  # the release check's script
    assert "gravatar" not in html
    assert "guide.wagtail.org" not in html
    # The noscript notice is Wagtail's only outside link, and no script follows it.
    outside = set(re.findall(r'(?:src|href)="(?:https?:)?//([^/"]+)', html))
    assert outside <= {"www.enable-javascript.com"}, outside


def test_the_page_editor_links_nothing_outside(trainer):
    """The editor's content-checks explainer linked guide.wagtail.org."""
    from courses.authoring import catalogue_authoring_ensure
    from tests.courses import pages

    catalogue = pages.catalogue()
    catalogue_authoring_ensure(index=catalogue)
    lesson = pages.lesson(pages.course(catalogue))
    client = client_for(trainer)
    for url in (f"/admin/pages/{lesson.pk}/edit/", f"/admin/pages/{lesson.get_parent().pk}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "guide.wagtail.org" not in html, url
        outside = set(re.findall(r'(?:src|href)="(?:https?:)?//([^/"]+)', html))
        assert outside <= {"www.enable-javascript.com"}, (url, outside)
