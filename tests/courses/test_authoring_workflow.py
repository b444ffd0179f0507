"""Trainers write and submit course pages; only the reviewer publishes them."""

import pytest
from django.urls import reverse
from wagtail.models import WorkflowState

from courses.authoring import catalogue_authoring_ensure
from courses.models import CoursePage
from lms.accounts.roles import Role
from tests.conftest import client_for
from tests.courses import pages
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(roles):
    index = pages.catalogue()
    catalogue_authoring_ensure(index=index)
    catalogue_authoring_ensure(index=index)  # idempotent
    return index


def course_form(title):
    return {
        "title": title,
        "slug": "xingzheng-chufa",
        "summary": "",
        "year": 2026,
        "law_category": "administrative",
        "credit_hours": "2.0",
        "is_required": "on",
        "audience_categories": [],
        "comments-TOTAL_FORMS": 0,
        "comments-INITIAL_FORMS": 0,
        "comments-MIN_NUM_FORMS": 0,
        "comments-MAX_NUM_FORMS": 1000,
    }


def test_trainer_submits_and_cannot_publish(index, trainer):
    client = client_for(trainer)
    url = reverse("wagtailadmin_pages:add", args=["courses", "coursepage", index.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {**course_form("行政处罚法解读"), "action-submit": "1"})
    assert response.status_code == 302
    course = CoursePage.objects.get(title="行政处罚法解读")
    assert not course.live
    assert WorkflowState.objects.filter(object_id=str(course.pk), status="in_progress").exists()
    # "Publish" from a trainer creates no live page.
    client.post(
        reverse("wagtailadmin_pages:edit", args=[course.pk]),
        {**course_form("行政处罚法解读"), "action-publish": "1"},
    )
    course.refresh_from_db()
    assert not course.live


def test_reviewer_approves_and_publishes(index, trainer):
    client_for(trainer).post(
        reverse("wagtailadmin_pages:add", args=["courses", "coursepage", index.pk]),
        {**course_form("民法典学习"), "action-submit": "1"},
    )
    course = CoursePage.objects.get(title="民法典学习")
    reviewer = UserFactory(role=Role.ADMIN, mfa=True)
    state = WorkflowState.objects.get(object_id=str(course.pk))
    task_state = state.current_task_state
    response = client_for(reviewer).post(
        reverse("wagtailadmin_pages:workflow_action", args=[course.pk, "approve", task_state.pk]),
        {"comment": ""},
    )
    assert response.status_code in (200, 302)
    course.refresh_from_db()
    assert course.live


@pytest.mark.parametrize("who", ["cadre", "leader"])
def test_cadres_and_leaders_cannot_author(index, request, who):
    client = client_for(request.getfixturevalue(who))
    url = reverse("wagtailadmin_pages:add", args=["courses", "coursepage", index.pk])
    assert client.get(url).status_code == 302


def test_trainer_cannot_touch_accounts_admin(index, trainer):
    client = client_for(trainer)
    assert client.get(reverse("cadres:index")).status_code == 302
    assert client.get(reverse("wagtailusers_users:index")).status_code == 302
