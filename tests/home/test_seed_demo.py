"""`seed_demo` builds the demo township and its law study, and a rerun changes nothing."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from courses.models import CoursePage, Law, LawArticle, LessonPage, StudyCredit, TrainingSession
from exams.models import Attempt, Exam, Question
from lms.accounts.models import OrgUnit, User

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            User,
            OrgUnit,
            Law,
            LawArticle,
            CoursePage,
            LessonPage,
            TrainingSession,
            StudyCredit,
            Question,
            Exam,
            Attempt,
        )
    }


def test_seed_demo_is_idempotent_and_complete(capsys):
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    assert first["OrgUnit"] >= 12 and first["User"] >= 40
    assert first["Law"] == 6 and first["LawArticle"] > 500
    assert first["CoursePage"] >= 1 and first["LessonPage"] >= 3
    cadre = User.objects.get(phone="13800000001")
    assert cadre.check_password("xuefa2026") and not cadre.must_change_password
    assert cadre.lesson_progress.exists()
    assert first["Question"] >= 40 and first["Attempt"] > 0
    annual = Exam.objects.get(kind="annual", year=timezone.localdate().year)
    assert not Attempt.objects.filter(exam=annual, user=cadre).exists()
    out = capsys.readouterr().out
    assert "13800000001" in out and "xuefa2026" in out
