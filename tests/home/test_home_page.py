"""我的学习: the year's credit hours, where to continue, courses still to do."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.models import LessonProgress, StudyCredit
from exams.models import Exam, Question
from exams.services.attempts import attempt_grade, attempt_start
from exams.services.mistakes import mistakes_add
from lms.accounts.roles import Role
from tests.conftest import client_for
from tests.courses import pages
from tests.exams import exam_builders as build
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


def test_home_shows_todays_tasks_with_units_and_words(cadre, settings):
    settings.STUDY_REQUIRED_CREDIT_HOURS = 20
    year = timezone.localdate().year
    StudyCredit.objects.create(
        user=cadre,
        year=year,
        source="manual",
        credit_hours=Decimal("28"),
        title="集中学法",
        earned_at=timezone.now(),
    )
    local = timezone.get_current_timezone()
    opens = datetime(year + 1, 12, 20, 9, 0, tzinfo=local)
    exam = build.exam(
        title="年度学法考试",
        kind=Exam.Kind.ANNUAL,
        opens_at=opens,
        closes_at=datetime(year + 1, 12, 31, 18, 0, tzinfo=local),
    )
    build.exam(title="练习卷", kind=Exam.Kind.PRACTICE)
    html = client_for(cadre).get("/").content.decode()
    assert "已学 <strong>28</strong> / 要求 20 学时" in html
    assert "今日已答 0 / 5 题，未完成" in html and 'href="/exams/daily/"' in html
    assert "下一场考试：年度学法考试" in html and f'href="/exams/{exam.pk}/"' in html
    # Next year's window says its year, as every date on the site does.
    assert f"{year + 1}年12月20日 09:00 – {year + 1}年12月31日 18:00" in html
    assert "学时记录" in html


def test_the_next_exam_is_the_one_still_to_take(cadre):
    now = timezone.now()
    taken = build.exam(title="已考的测验", questions=[build.question()])
    attempt_grade(attempt_id=attempt_start(exam=taken, user=cadre).pk)
    build.exam(title="已结束的测验", opens_at=now - timedelta(days=3), closes_at=now - timedelta(1))
    later = build.exam(
        title="下月测验", opens_at=now + timedelta(days=30), closes_at=now + timedelta(40)
    )
    build.exam(title="再下月测验", opens_at=now + timedelta(days=60), closes_at=now + timedelta(70))
    assert client_for(cadre).get("/").context["next_exam"] == later
    for paper in Exam.objects.exclude(kind=Exam.Kind.PRACTICE):
        paper.closes_at = now - timedelta(hours=1)
        paper.save()
    html = client_for(cadre).get("/").content.decode()
    assert "暂时没有待考的考试" in html


def test_home_queries_do_not_grow(cadre, township, django_assert_max_num_queries):
    client = client_for(cadre)
    year = timezone.localdate().year
    first = pages.course(year=year)
    LessonProgress.objects.create(user=cadre, lesson=pages.lesson(first), status="in_progress")
    build.exam(title="测验")
    client.get("/")  # the first request also fills Wagtail's cache of site root paths
    with CaptureQueriesContext(connection) as small:
        client.get("/")
    for _ in range(5):
        course = pages.course(year=year)
        LessonProgress.objects.create(user=cadre, lesson=pages.lesson(course), status="in_progress")
        UserFactory(unit=township["a"], role=Role.CADRE)
        build.exam(title="又一场测验", questions=[build.question()])
        build.exam(title="练习", kind=Exam.Kind.PRACTICE)
    mistakes_add(user_id=cadre.pk, question_ids=list(Question.objects.values_list("pk", flat=True)))
    for paper in Exam.objects.filter(title="又一场测验")[:3]:
        attempt_start(exam=paper, user=cadre)
    # Session, user, roles, hours, requirement, two permission reads, lessons to continue,
    # courses to do (courses, lessons, progress), training sessions, today's practice, the
    # next exam and the cadre's slot in it, and Wagtail's site for the page links.
    with django_assert_max_num_queries(16), CaptureQueriesContext(connection) as large:
        client.get("/")
    assert len(large) == len(small)


def test_a_leaders_home_links_the_unit_overview(leader):
    html = client_for(leader).get("/").content.decode()
    assert 'href="/evaluation/units/"' in html
