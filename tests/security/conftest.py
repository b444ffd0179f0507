"""Fixtures for the security tests: one user per role of the access matrix and the
objects its URLs name (the cadre's own attempt, session, law, course…)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from lms.accounts.roles import Role
from tests.factories import UserFactory


@pytest.fixture
def role_users(roles, township, cadre, other_cadre, trainer, hr):
    # A leader of the other village (石桥村): the cadre of 河口村 is not theirs.
    other_leader = UserFactory(unit=township["b"], role=Role.UNIT_LEADER)
    other_leader.led_units.add(township["b"])
    return {
        "anon": None,
        "cadre": cadre,
        "other_cadre": other_cadre,
        "other_leader": other_leader,
        "trainer": trainer,
        "hr": hr,
    }


@pytest.fixture
def matrix_objects(role_users, township):
    """What the matrix's URL arguments name, all belonging to `cadre` or their unit."""
    from courses.services.training import checkin_token_make
    from exams.services.attempts import attempt_grade, attempt_start
    from tests.courses import pages
    from tests.courses.factories_laws import LawFactory
    from tests.courses.factories_training import TrainingSessionFactory
    from tests.exams import exam_builders as build

    cadre = role_users["cadre"]
    questions = [build.question(correct=("A",)) for _ in range(2)]
    paper = build.exam(questions=questions, points=Decimal("50"), attempts_allowed=0)
    finished = attempt_start(exam=paper, user=cadre)
    attempt_grade(attempt_id=finished.pk)
    running = attempt_start(exam=paper, user=cadre)
    session = TrainingSessionFactory(trainer=role_users["trainer"], audience_units=[township["a"]])
    course = pages.course(slug="matrix-course")
    lesson = pages.lesson(course, slug="matrix-lesson")
    law = LawFactory()
    from lms.imports.models import ImportKind
    from lms.imports.services import import_job_start

    job = import_job_start(
        user=role_users["trainer"], kind=ImportKind.LAW, data=b"# x", filename="x.md", options={}
    )
    return {
        "import_job_id": job.pk,
        "exam_id": paper.pk,
        "attempt_id": running.pk,
        "graded_attempt_id": finished.pk,
        "question_id": questions[0].pk,
        "session_pk": session.pk,
        "checkin_token": checkin_token_make(session=session),
        "cadre_pk": cadre.pk,
        "law_slug": law.slug,
        "course_path": course.url,
        "lesson_path": lesson.url,
        "year": timezone.localdate().year,
        "code": "NOSUCHCODE",
        "missing_pk": 999999,
        "yesterday": (timezone.localdate() - timedelta(days=1)).isoformat(),
    }


@pytest.fixture
def client_as(role_users):
    def make(role):
        client = Client()
        user = role_users[role]
        if user is not None:
            client.force_login(user)
        return client

    return make
