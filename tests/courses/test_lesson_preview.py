"""A trainer sees a lesson before it goes live, as a cadre with no progress yet will see it:
the draft of a lesson that was never published, and the editor's live preview of a new or
an edited lesson. Looking never records study."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, streamfield

from courses.authoring import catalogue_authoring_ensure
from courses.models import LessonPage, LessonProgress
from tests.conftest import client_for
from tests.courses import pages
from tests.courses.factories_laws import LawFactory, articles_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(roles):
    index = pages.catalogue()
    catalogue_authoring_ensure(index=index)
    return pages.course(index)


def draft_lesson(course, **fields) -> LessonPage:
    lesson = pages.lesson(course, live=False, **fields)
    lesson.save_revision()
    return lesson


def lesson_form(*, title, law, media, slug=""):
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "estimated_minutes": 5,
            "credit_hours": "0.5",
            "is_required": "on",
            "body": streamfield(
                [
                    ("law_articles", {"law": law.pk, "articles": "1-2", "note": ""}),
                    ("video", {"video": media.pk, "poster": "", "captions": "", "required": "on"}),
                ]
            ),
            "comments": {
                "TOTAL_FORMS": 0,
                "INITIAL_FORMS": 0,
                "MIN_NUM_FORMS": 0,
                "MAX_NUM_FORMS": 1000,
            },
        }
    )


def assert_shows_the_lesson_as_a_new_cadre_sees_it(response, *, number, count):
    assert response.status_code == 200
    assert response.context["lesson_number"] == number
    assert response.context["lesson_count"] == count
    assert response.context["progress"].pk is None
    assert response.context["time_percent"] == 0
    assert response.context["heartbeat_token"] == ""
    html = response.content.decode()
    assert "预览" in html
    assert "lesson.js" not in html  # no heartbeats from a preview


def test_the_draft_of_a_never_published_lesson(course, trainer):
    pages.lesson(course, title="已发布的一课")
    draft = draft_lesson(course, title="尚未发布的一课")
    response = client_for(trainer).get(reverse("wagtailadmin_pages:view_draft", args=[draft.pk]))
    assert_shows_the_lesson_as_a_new_cadre_sees_it(response, number=2, count=2)
    assert "尚未发布的一课" in response.content.decode()
    assert not LessonProgress.objects.exists()


def test_the_draft_of_a_lesson_whose_siblings_are_all_drafts(course, trainer):
    first = draft_lesson(course, title="草稿一")
    draft_lesson(course, title="草稿二")
    response = client_for(trainer).get(reverse("wagtailadmin_pages:view_draft", args=[first.pk]))
    assert_shows_the_lesson_as_a_new_cadre_sees_it(response, number=1, count=1)
    assert response.context["next_sibling"] is None


def test_the_live_preview_of_a_new_unsaved_lesson(course, trainer):
    pages.lesson(course, title="已发布的一课")
    law = LawFactory(title="中华人民共和国行政处罚法")
    articles_add(law, 3)
    media = pages.video(duration=60, title="示范视频")
    client = client_for(trainer)
    url = reverse("wagtailadmin_pages:preview_on_add", args=["courses", "lessonpage", course.pk])
    posted = client.post(url, lesson_form(title="新的一课", law=law, media=media))
    assert posted.json() == {"is_valid": True, "is_available": True}
    response = client.get(url)
    assert_shows_the_lesson_as_a_new_cadre_sees_it(response, number=2, count=2)
    html = response.content.decode()
    assert "新的一课" in html
    assert "第1条的正文。" in html and "第2条的正文。" in html  # the quoted articles
    assert media.url in html  # the video
    assert not LessonPage.objects.filter(title="新的一课").exists()
    assert not LessonProgress.objects.exists()


def test_the_live_preview_of_an_edited_lesson(course, trainer):
    lesson = pages.lesson(course, title="第一课")
    pages.lesson(course, title="第二课")
    # The trainer studied the live lesson once; the preview still shows a fresh start.
    LessonProgress.objects.create(
        user=trainer, lesson=lesson, status=LessonProgress.Status.COMPLETED, seconds_studied=600
    )
    law = LawFactory()
    articles_add(law, 2)
    media = pages.video()
    client = client_for(trainer)
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[lesson.pk])
    form = lesson_form(title="第一课（修订）", law=law, media=media, slug=lesson.slug)
    assert client.post(url, form).json() == {"is_valid": True, "is_available": True}
    response = client.get(url)
    assert_shows_the_lesson_as_a_new_cadre_sees_it(response, number=1, count=2)
    assert "第一课（修订）" in response.content.decode()
    assert response.context["next_sibling"].title == "第二课"
    assert LessonProgress.objects.get().seconds_studied == 600


def test_the_cadre_still_sees_their_own_progress(course, cadre):
    lesson = pages.lesson(course)
    LessonProgress.objects.create(user=cadre, lesson=lesson, seconds_studied=30)
    response = client_for(cadre).get(lesson.url)
    assert response.status_code == 200
    assert response.context["progress"].seconds_studied == 30
    assert response.context["heartbeat_token"]
    assert "lesson.js" in response.content.decode()
