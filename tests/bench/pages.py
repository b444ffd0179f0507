"""Page costs for `make bench`: SQL queries and gzip size of the cadre's main pages, on the
demo data and again on ten times as much; run in its own process with the bench settings
(`python -m tests.bench.pages`), prints one JSON line."""

import gzip
import json
import os
import sys
from decimal import Decimal


def _setup():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.bench.settings")
    django.setup()


def _pages(attempt):
    from courses.models import CourseIndexPage, LessonPage

    lesson = LessonPage.objects.live().order_by("path").first()
    return {
        "home": "/",
        "catalogue": CourseIndexPage.objects.live().first().url,
        "lesson": lesson.url,
        "attempt": f"/exams/attempts/{attempt.pk}/",
        "evaluation": "/evaluation/",
    }


def _measure(cadre, attempt) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="localhost")
    client.force_login(cadre)
    measured = {}
    for name, url in _pages(attempt).items():
        client.get(url)  # the first load fills per-process caches (content types, site)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        measured[name] = {
            "url": url,
            "status": response.status_code,
            "queries": len(queries),
            "gzip_bytes": len(gzip.compress(response.content)),
        }
    return measured


def _exam_with_attempt(cadre, *, title, graded):
    from exams.services.attempts import attempt_grade, attempt_start
    from tests.exams import exam_builders as build

    paper = build.exam(
        questions=[build.question() for _ in range(50)],
        points=Decimal("2"),
        title=title,
        attempts_allowed=0,
        time_limit_minutes=90,
    )
    attempt = attempt_start(exam=paper, user=cadre)
    if graded:
        attempt_grade(attempt_id=attempt.pk)
    return attempt


def _grow_tenfold(cadre):
    """Nine more of everything the pages list: cadres, courses with their lessons, the
    cadre's progress in them, exams and graded attempts."""
    from courses.models import CourseIndexPage, CoursePage, LessonPage, LessonProgress
    from lms.accounts.models import User

    users = list(User.objects.exclude(pk=cadre.pk).filter(unit__isnull=False))
    User.objects.bulk_create(
        [
            User(
                username=f"x10-{copy}-{u.pk}",
                phone=f"166{copy}{u.pk:07d}",
                name=f"{u.name}{copy}",
                unit_id=u.unit_id,
                password=u.password,
            )
            for copy in range(1, 10)
            for u in users
        ]
    )
    index = CourseIndexPage.objects.live().first()
    originals = list(CoursePage.objects.child_of(index).live())
    for copy in range(1, 10):
        for course in originals:
            course.copy(
                recursive=True,
                to=index,
                update_attrs={"slug": f"{course.slug}-{copy}", "title": f"{course.title} {copy}"},
                keep_live=True,
                copy_revisions=False,
                log_action=None,
            )
    mine = {p.lesson_id: p for p in LessonProgress.objects.filter(user=cadre)}
    copies = []
    for lesson in LessonPage.objects.live():
        original = next(
            (p for lid, p in mine.items() if lesson.slug.startswith(p.lesson.slug)), None
        )
        if original and lesson.pk not in mine:
            copies.append(
                LessonProgress(
                    user=cadre,
                    lesson=lesson,
                    status=original.status,
                    seconds_studied=original.seconds_studied,
                    reached_end=original.reached_end,
                    completed_at=original.completed_at,
                )
            )
    LessonProgress.objects.bulk_create(copies, ignore_conflicts=True)
    for copy in range(1, 10):
        _exam_with_attempt(cadre, title=f"测验 {copy}", graded=True)


def main():
    _setup()
    from django.core.management import call_command

    from lms.accounts.models import User

    call_command("seed_demo", verbosity=0)
    cadre = User.objects.get(username="13800000001")
    attempt = _exam_with_attempt(cadre, title="年度考试", graded=False)
    demo = _measure(cadre, attempt)
    _grow_tenfold(cadre)
    tenfold = _measure(cadre, attempt)
    pages = {
        name: {
            **demo[name],
            "queries_x10": tenfold[name]["queries"],
            "gzip_bytes_x10": tenfold[name]["gzip_bytes"],
            "status_x10": tenfold[name]["status"],
        }
        for name in demo
    }
    sys.stdout.write(json.dumps({"pages": pages}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
