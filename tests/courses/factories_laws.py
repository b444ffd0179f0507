"""Factories for the law library tests: laws, articles, and lessons quoting laws."""

from datetime import date
from pathlib import Path

import factory
from wagtail.models import Page

from courses.law_markdown import int_to_chinese_numeral
from courses.models import CourseIndexPage, CoursePage, Law, LawArticle, LawCategory, LessonPage

LAWS_DIR = Path(__file__).resolve().parents[2] / "courses" / "data" / "laws"


def law_file(name: str) -> str:
    return (LAWS_DIR / name).read_text(encoding="utf-8")


class LawFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Law

    title = factory.Sequence(lambda n: f"中华人民共和国测试法{n}")
    short_name = factory.LazyAttribute(lambda law: law.title.removeprefix("中华人民共和国"))
    slug = factory.Sequence(lambda n: f"test-law-{n}")
    effective_date = date(2021, 6, 1)
    category = LawCategory.ADMINISTRATIVE


def articles_add(law: Law, count: int, *, chapter: str = "第一章 总则") -> list[LawArticle]:
    """Give `law` articles 第一条 … in one query."""
    return LawArticle.objects.bulk_create(
        LawArticle(
            law=law,
            sort_order=n,
            number=n,
            label=f"第{int_to_chinese_numeral(n)}条",
            chapter=chapter,
            text=f"第{n}条的正文。\n第二款。",
        )
        for n in range(1, count + 1)
    )


def lesson_quoting(*laws: Law, articles: str = "1", title: str = "课时") -> LessonPage:
    """A published lesson whose body has one law_articles block per law."""
    index = CourseIndexPage.objects.first()
    if index is None:
        index = Page.get_first_root_node().add_child(instance=CourseIndexPage(title="课程"))
    course = CoursePage.objects.child_of(index).first()
    if course is None:
        course = index.add_child(instance=CoursePage(title="新法学习"))
    body = [("law_articles", {"law": law, "articles": articles, "note": ""}) for law in laws]
    lesson = course.add_child(instance=LessonPage(title=title, body=body))
    lesson.save_revision().publish()
    return lesson
