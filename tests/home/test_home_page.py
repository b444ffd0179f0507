"""我的学习: the year's credit hours, where to continue, courses still to do."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.models import LessonProgress, StudyCredit
from lms.accounts.roles import Role
from tests.conftest import client_for
from tests.courses import pages
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_home_shows_hours_continue_and_todo(cadre, settings):
    settings.STUDY_REQUIRED_CREDIT_HOURS = 10
    year = timezone.localdate().year
    done = pages.course(title="已完成课程", year=year)
    todo = pages.course(title="待学课程", year=year)
    started = pages.lesson(todo, title="正在学的课")
    LessonProgress.objects.create(user=cadre, lesson=started, status="in_progress")
    StudyCredit.objects.create(
        user=cadre,
        year=year,
        source="course",
        course=done,
        credit_hours=Decimal("2.5"),
        title=done.title,
        earned_at=timezone.now(),
    )
    lesson_done = pages.lesson(done)
    LessonProgress.objects.create(user=cadre, lesson=lesson_done, status="completed")
    response = client_for(cadre).get("/")
    context = response.context
    assert context["earned_hours"] == Decimal("2.5")
    assert context["hours_percent"] == 25
    assert [lesson.title for lesson in context["continue_lessons"]] == ["正在学的课"]
    assert [course.title for course, _p in context["courses_to_do"]] == ["待学课程"]


def test_home_queries_do_not_grow(cadre, township):
    client = client_for(cadre)
    year = timezone.localdate().year
    first = pages.course(year=year)
    LessonProgress.objects.create(user=cadre, lesson=pages.lesson(first), status="in_progress")
    with CaptureQueriesContext(connection) as small:
        client.get("/")
    for _ in range(5):
        course = pages.course(year=year)
        LessonProgress.objects.create(user=cadre, lesson=pages.lesson(course), status="in_progress")
        UserFactory(unit=township["a"], role=Role.CADRE)
    with CaptureQueriesContext(connection) as large:
        client.get("/")
    assert len(large) == len(small)
