"""Reads of the courses app: what a cadre may see, the catalogue, a course's outline,
and what a lesson page needs. Each function uses a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Sum
from django.utils import timezone

from courses.audience import Audience, audience_q, sees_every_audience
from courses.intervals import intervals_merge
from courses.models import CoursePage, LawCategory, LessonPage, LessonProgress, StudyCredit


def courses_visible_to(user):
    """Live courses meant for this user's unit and category (staff see every live course)."""
    courses = CoursePage.objects.live()
    if sees_every_audience(user):
        return courses
    return courses.filter(
        audience_q(user, through=CoursePage.audience_units.through, owner_field="coursepage_id")
    )


def course_is_visible_to(*, course, user) -> bool:
    return course.live and courses_visible_to(user).filter(pk=course.pk).exists()


def _lessons_by_course(courses) -> dict[int, list[tuple[int, bool]]]:
    """{course id: [(lesson id, required), ...]} for live lessons, in one query."""
    by_path = {course.path: course.pk for course in courses}
    if not by_path:
        return {}
    steplen = CoursePage.steplen
    depths = {course.depth + 1 for course in courses}
    lessons = LessonPage.objects.live().filter(depth__in=depths).order_by("path")
    prefixes = {path[:steplen] for path in by_path}  # narrows the scan to the right trees
    if len(prefixes) == 1:
        lessons = lessons.filter(path__startswith=prefixes.pop())
    grouped: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    for pk, path, required in lessons.values_list("pk", "path", "is_required"):
        course_id = by_path.get(path[:-steplen])
        if course_id is not None:
            grouped[course_id].append((pk, required))
    return grouped


def course_progress(*, courses, user) -> dict[int, dict]:
    """Per course: lessons done / total (required lessons) and percent, in two queries."""
    lessons = _lessons_by_course(courses)
    lesson_ids = [pk for items in lessons.values() for pk, _required in items]
    done = (
        set(
            LessonProgress.objects.filter(
                user=user, lesson_id__in=lesson_ids, status=LessonProgress.Status.COMPLETED
            ).values_list("lesson_id", flat=True)
        )
        if lesson_ids and user.is_authenticated
        else set()
    )
    progress = {}
    for course in courses:
        required = [pk for pk, is_required in lessons.get(course.pk, []) if is_required]
        completed = sum(1 for pk in required if pk in done)
        total = len(required)
        progress[course.pk] = {
            "done": completed,
            "total": total,
            "percent": round(100 * completed / total) if total else 0,
            "complete": bool(total) and completed == total,
        }
    return progress


CATALOGUE_FILTERS = ("year", "category", "kind", "new")


def catalogue_for(*, user, index, params) -> dict:
    courses = courses_visible_to(user).child_of(index).select_related("cover_image")
    filters = {key: (params.get(key) or "").strip() for key in CATALOGUE_FILTERS}
    if filters["year"].isdigit():
        courses = courses.filter(year=int(filters["year"]))
    if filters["category"] in LawCategory.values:
        courses = courses.filter(law_category=filters["category"])
    if filters["kind"] == "required":
        courses = courses.filter(is_required=True)
    elif filters["kind"] == "elective":
        courses = courses.filter(is_required=False)
    if filters["new"].isdigit():
        # "New laws of year Y": courses on a law that took effect in Y.
        courses = courses.filter(laws__effective_date__year=int(filters["new"])).distinct()
    courses = list(courses.order_by("-year", "path"))
    progress = course_progress(courses=courses, user=user)
    years = sorted(
        set(courses_visible_to(user).child_of(index).values_list("year", flat=True)), reverse=True
    )
    return {
        "courses": [(course, progress[course.pk]) for course in courses],
        "filters": filters,
        "years": years,
        "categories": LawCategory.choices,
    }


def course_outline(*, course, user) -> dict:
    lessons = list(LessonPage.objects.live().child_of(course).order_by("path"))
    states = (
        dict(
            LessonProgress.objects.filter(user=user, lesson__in=lessons).values_list(
                "lesson_id", "status"
            )
        )
        if user.is_authenticated
        else {}
    )
    progress = course_progress(courses=[course], user=user)[course.pk]
    credit = (
        StudyCredit.objects.filter(user=user, course=course).first()
        if user.is_authenticated
        else None
    )
    return {
        "lessons": [
            (lesson, states.get(lesson.pk, LessonProgress.Status.NOT_STARTED)) for lesson in lessons
        ],
        "progress": progress,
        "credit": credit,
    }


def credit_hours_of_year(*, user, year: int | None = None) -> Decimal:
    year = year or timezone.localdate().year
    total = StudyCredit.objects.filter(user=user, year=year).aggregate(total=Sum("credit_hours"))
    return total["total"] or Decimal("0")


def credits_of_year(*, user, year: int | None = None) -> list[StudyCredit]:
    """The cadre's credit-hour rows of the year (the ledger the evaluation reads), newest
    first, in one query."""
    year = year or timezone.localdate().year
    return list(
        StudyCredit.objects.filter(user=user, year=year)
        .only("source", "title", "credit_hours", "earned_at", "course_id", "training_session_id")
        .order_by("-earned_at", "-pk")
    )


def continue_studying(*, user, limit: int = 3):
    """The lessons this cadre touched last and has not completed, newest first."""
    rows = (
        LessonProgress.objects.filter(user=user, lesson__live=True)
        .exclude(status=LessonProgress.Status.COMPLETED)
        .select_related("lesson")
        .order_by("-updated_at")[:limit]
    )
    return [row.lesson for row in rows]


def _cited_articles(lesson) -> dict[tuple[int, tuple[int, int]], object]:
    """Every law article the lesson's law blocks quote, fetched in one query, by (law id,
    (number, k)): k is the 之N of an inserted article (0 for an article proper)."""
    from django.db.models import Q

    from courses.blocks import parse_article_refs
    from courses.law_references import article_ref, refs_filter
    from courses.models import LawArticle

    wanted = Q()
    for block in lesson.body.raw_data:
        if block.get("type") != "law_articles":
            continue
        value = block.get("value") or {}
        try:
            refs = parse_article_refs(value.get("articles", ""))
        except ValueError:
            continue
        if value.get("law"):
            wanted |= refs_filter(value["law"], refs)
    if not wanted:
        return {}
    return {
        (article.law_id, article_ref(article)): article
        for article in LawArticle.objects.filter(wanted).select_related("law")
    }


def lesson_study_context(*, lesson, user, preview: bool = False) -> dict:
    """What a lesson page shows: progress, videos, cited articles, and its place in the course.

    A preview (the admin's draft view and live preview) may show a lesson that is not live
    or not even saved: it shows what a cadre with no progress yet sees, and carries no
    heartbeat token, so that looking at a lesson before it goes live writes nothing.
    """
    from courses.services.presence_check import answer_seconds
    from courses.services.study import (
        beat_seconds,
        heartbeat_token_make,
        lesson_videos,
        text_share,
        video_watched_share,
    )

    if preview or lesson.pk is None:
        progress = LessonProgress(user=user)
    else:
        progress = LessonProgress.objects.filter(user=user, lesson=lesson).first() or (
            LessonProgress(user=user, lesson=lesson)
        )
    videos = lesson_videos(lesson)
    # The live siblings plus this lesson at its place in the tree: a draft or an unsaved
    # lesson is not among the live ones, yet a preview numbers it as the cadre will see it.
    others = LessonPage.objects.live().sibling_of(lesson, inclusive=False)
    siblings = sorted(
        [*others.only("title", "url_path", "path"), lesson], key=lambda page: page.path
    )
    position = siblings.index(lesson)
    needed = lesson.estimated_minutes * 60 * text_share()
    return {
        "progress": progress,
        "heartbeat_token": "" if preview else heartbeat_token_make(user=user, lesson=lesson),
        "preview": preview,
        "beat_seconds": beat_seconds(),
        "check_answer_seconds": answer_seconds(),
        "video_state": {
            video.block_id: {
                "position": progress.video_positions.get(video.block_id, 0),
                "watched": round(100 * video_watched_share(progress, video)),
                # What the server counted, so the page can add what plays now (lesson.js).
                "played": intervals_merge(progress.video_intervals.get(video.block_id, [])),
                "duration": video.duration,
            }
            for video in videos
        },
        "time_percent": min(100, round(100 * progress.seconds_studied / needed)) if needed else 100,
        "law_articles": _cited_articles(lesson),
        "lesson_number": position + 1,
        "lesson_count": len(siblings),
        "course": lesson.get_parent(),
        "previous_sibling": siblings[position - 1] if position > 0 else None,
        "next_sibling": siblings[position + 1] if position + 1 < len(siblings) else None,
    }


def courses_to_do(*, user, year: int | None = None, limit: int = 5):
    """This year's required courses for the cadre that are not complete, with progress."""
    year = year or timezone.localdate().year
    courses = list(
        courses_visible_to(user).filter(year=year, is_required=True).order_by("path")[:50]
    )
    progress = course_progress(courses=courses, user=user)
    todo = [
        (course, progress[course.pk]) for course in courses if not progress[course.pk]["complete"]
    ]
    return todo[:limit]


@dataclass(frozen=True)
class RequiredCourse:
    pk: int
    title: str
    audience: Audience


def required_courses_of_year(year: int) -> list[RequiredCourse]:
    """The year's live required courses with their audiences, in two queries."""
    rows = list(
        CoursePage.objects.live()
        .filter(year=year, is_required=True)
        .order_by("path")
        .values_list("pk", "title", "audience_categories")
    )
    audiences = Audience.load(CoursePage, [(pk, categories) for pk, _title, categories in rows])
    return [RequiredCourse(pk, title, audiences[pk]) for pk, title, _categories in rows]


def course_completions(*, user_ids, course_ids) -> set[tuple[int, int]]:
    """(user id, course id) of the courses these users completed (a course's credit is
    written once, when it is complete), in one query."""
    if not user_ids or not course_ids:
        return set()
    return set(
        StudyCredit.objects.filter(
            source=StudyCredit.Source.COURSE, user_id__in=user_ids, course_id__in=course_ids
        ).values_list("user_id", "course_id")
    )


def course_credit_times(*, user_ids, course_ids, before) -> dict[int, dict[int, datetime]]:
    """{user id: {course id: when its credit was earned}} for credit rows of these courses
    earned before `before`, in one query: whether a course was done by a deadline."""
    done: dict[int, dict[int, datetime]] = defaultdict(dict)
    if not user_ids or not course_ids:
        return done
    for user_id, course_id, earned_at in StudyCredit.objects.filter(
        user_id__in=user_ids, course_id__in=course_ids, earned_at__lt=before
    ).values_list("user_id", "course_id", "earned_at"):
        done[user_id][course_id] = earned_at
    return done


class YearCredit(NamedTuple):
    pk: int
    user_id: int
    title: str
    credit_hours: Decimal
    earned_at: datetime


def credits_of_year_for(*, year: int, user_ids) -> list[YearCredit]:
    """The credit rows of these users in `year`, oldest first: the study side of their
    evaluation, in one query."""
    rows = StudyCredit.objects.filter(year=year, user_id__in=user_ids).order_by("earned_at", "pk")
    return [
        YearCredit(*row)
        for row in rows.values_list("pk", "user_id", "title", "credit_hours", "earned_at")
    ]
