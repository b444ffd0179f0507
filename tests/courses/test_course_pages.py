"""Catalogue, course and lesson pages: audience rules, filters, fixed query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import LessonProgress
from lms.accounts.roles import Role
from tests.conftest import client_for
from tests.courses import pages
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_sign_in(client):
    course = pages.course()
    for url in ["/courses/", course.url, pages.lesson(course).url]:
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response.url


def test_course_for_another_unit_answers_404(cadre, township):
    course = pages.course(units=[township["b"]])
    lesson = pages.lesson(course)
    client = client_for(cadre)
    assert client.get(course.url).status_code == 404
    assert client.get(lesson.url).status_code == 404
    assert course.title not in client.get("/courses/").content.decode()


def test_unit_audience_includes_subunits(roles, township):
    deep = UserFactory(unit=township["a1"], role=Role.CADRE)
    course = pages.course(units=[township["a"]])
    assert client_for(deep).get(course.url).status_code == 200


def test_category_audience(cadre, township):
    grid_only = pages.course(categories=["grid_manager"])
    village = pages.course(categories=["village_cadre", "grid_manager"])
    client = client_for(cadre)  # a village cadre
    assert client.get(grid_only.url).status_code == 404
    assert client.get(village.url).status_code == 200


def test_unpublished_course_is_hidden(cadre):
    course = pages.course()
    course.unpublish()
    assert client_for(cadre).get(course.url).status_code == 404


def test_trainers_see_every_course(trainer, township):
    course = pages.course(units=[township["b"]], categories=["grid_manager"])
    assert client_for(trainer).get(course.url).status_code == 200


def test_catalogue_filters_and_progress(cadre):
    index = pages.catalogue()
    required = pages.course(index, title="必修课", year=2026, is_required=True)
    pages.course(index, title="选修课", year=2025, is_required=False)
    lesson = pages.lesson(required)
    pages.lesson(required)
    LessonProgress.objects.create(user=cadre, lesson=lesson, status="completed")
    client = client_for(cadre)
    html = client.get("/courses/").content.decode()
    assert "必修课" in html and "选修课" in html
    response = client.get("/courses/?kind=elective")
    assert [c.title for c, _p in response.context["courses"]] == ["选修课"]
    response = client.get("/courses/?year=2026")
    [(course, progress)] = response.context["courses"]
    assert (progress["done"], progress["total"], progress["percent"]) == (1, 2, 50)
    assert client.get("/courses/?year=abc&category=<script>").status_code == 200


def test_new_laws_filter(cadre):
    from datetime import date

    from courses.models import Law

    law = Law.objects.create(
        title="中华人民共和国乡村振兴促进法", slug="rural", effective_date=date(2021, 6, 1)
    )
    on_new_law = pages.course(title="乡村振兴促进法解读")
    on_new_law.laws.add(law)
    on_new_law.save()
    pages.course(title="宪法学习")
    response = client_for(cadre).get("/courses/?new=2021")
    assert [c.title for c, _p in response.context["courses"]] == ["乡村振兴促进法解读"]


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_catalogue_queries_do_not_grow_with_courses_or_lessons(cadre, township):
    index = pages.catalogue()
    first = pages.course(index)
    pages.lesson(first)
    client = client_for(cadre)
    small = _count(client, "/courses/")
    for n in range(6):
        extra = pages.course(index, units=[township["a"]] if n % 2 else [])
        for _ in range(3):
            LessonProgress.objects.create(
                user=cadre, lesson=pages.lesson(extra), status="in_progress"
            )
        UserFactory(unit=township["a"], role=Role.CADRE)
    assert _count(client, "/courses/") == small


def test_lesson_page_queries_do_not_grow_with_data(cadre, township):
    course = pages.course()
    media = pages.video()
    lesson = pages.lesson(course, body=[pages.text_block(), pages.video_block(media)])
    client = client_for(cadre)
    client.get(lesson.url)
    small = _count(client, lesson.url)
    for _ in range(5):
        pages.lesson(course, body=[pages.text_block()])
        other = UserFactory(unit=township["a"], role=Role.CADRE)
        LessonProgress.objects.create(user=other, lesson=lesson)
    assert _count(client, lesson.url) == small


def test_lesson_page_carries_a_heartbeat_token_and_no_answers(cadre):
    course = pages.course()
    media = pages.video()
    lesson = pages.lesson(course, body=[pages.text_block(), pages.video_block(media)])
    html = client_for(cadre).get(lesson.url).content.decode()
    assert 'data-token="' in html
    assert "/study/heartbeat/" in html
    assert "clip" in html and "<video" in html
