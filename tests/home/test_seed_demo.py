"""`seed_demo` builds the demo township and its law study, and a rerun changes nothing."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from courses.models import CoursePage, Law, LawArticle, LessonPage, StudyCredit, TrainingSession
from exams.admin.papers import exams_listing
from exams.models import Attempt, Exam, Question
from exams.services.certificates import certificates_of
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
    assert first["Law"] == 9 and first["LawArticle"] > 500
    assert first["CoursePage"] >= 1 and first["LessonPage"] >= 3
    cadre = User.objects.get(phone="13800000001")
    assert cadre.check_password("xuefa2026") and not cadre.must_change_password
    assert cadre.lesson_progress.exists()
    assert first["Question"] >= 40 and first["Attempt"] > 0
    annual = Exam.objects.get(kind="annual", year=timezone.localdate().year)
    assert not Attempt.objects.filter(exam=annual, user=cadre).exists()
    assert len(certificates_of(user=cadre)) == 1, "我的证书 has one to show"
    assert "13800000001" not in capsys.readouterr().out, "make run prints the logins once"
    # Every paper has questions to its total, last year's too (the admin listed it as 0),
    # and an attempt is marked out of its paper's total.
    for exam in exams_listing():
        assert exam.total_points > 0, exam.title
        marked_out_of = set(exam.attempts.values_list("max_score", flat=True))
        assert marked_out_of <= {exam.total_points}, exam.title


def test_logins_are_printed_with_the_address_make_run_serves(capsys):
    call_command("seed_demo", "--logins", "--address", "http://127.0.0.1:8001")
    out = capsys.readouterr().out
    assert "13800000001" in out and "xuefa2026" in out
    assert "Site: http://127.0.0.1:8001/   Admin: http://127.0.0.1:8001/admin/" in out
    assert not User.objects.exists(), "--logins loads nothing"


def test_every_interface_prints_an_address_a_phone_can_open(capsys):
    call_command("seed_demo", "--logins", "--address", "http://0.0.0.0:8001")
    assert "http://0.0.0.0" not in capsys.readouterr().out
