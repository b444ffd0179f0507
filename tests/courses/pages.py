"""Builders for the catalogue, courses, lessons and videos used by the courses tests."""

import json
from decimal import Decimal

from django.core.files.base import ContentFile
from wagtail.models import Site
from wagtailmedia.models import get_media_model

from courses.models import CourseIndexPage, CoursePage, LessonPage


def catalogue() -> CourseIndexPage:
    existing = CourseIndexPage.objects.first()
    if existing:
        return existing
    home = Site.objects.get(is_default_site=True).root_page
    index = CourseIndexPage(title="课程学习", slug="courses")
    home.add_child(instance=index)
    return index


def course(index=None, *, units=(), categories=(), **fields) -> CoursePage:
    index = index or catalogue()
    fields.setdefault("title", f"课程{CoursePage.objects.count() + 1}")
    fields.setdefault("slug", f"course-{CoursePage.objects.count() + 1}")
    fields.setdefault("year", 2026)
    fields.setdefault("credit_hours", Decimal("2.0"))
    page = CoursePage(audience_categories=list(categories), **fields)
    index.add_child(instance=page)
    if units:
        page.audience_units.set(units)
        page.save()
    return page


def lesson(parent: CoursePage, *, body=(), **fields) -> LessonPage:
    count = LessonPage.objects.count() + 1
    fields.setdefault("title", f"第{count}课")
    fields.setdefault("slug", f"lesson-{count}")
    fields.setdefault("estimated_minutes", 1)
    page = LessonPage(body=json.dumps(list(body)), **fields)
    parent.add_child(instance=page)
    return page


def video(duration=100.0, title="示范视频"):
    Media = get_media_model()
    media = Media(title=title, type="video", duration=duration)
    media.file.save("clip.mp4", ContentFile(b"\x00" * 64), save=False)
    media.save()
    return media


def video_block(media, block_id="v1", required=True) -> dict:
    return {
        "type": "video",
        "id": block_id,
        "value": {"video": media.pk, "poster": None, "captions": None, "required": required},
    }


def text_block(text="<p>第一条 为了规范行政处罚。</p>", block_id="t1") -> dict:
    return {"type": "text", "id": block_id, "value": text}
