"""Exam papers in the admin: who may reach them, what a save refuses, total points, the
preview with a sample draw, the question chooser."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from exams.models import Attempt, Exam, QuestionCategory
from exams.services.attempts import attempt_start
from tests.conftest import client_for
from tests.exams import exam_builders as build

pytestmark = pytest.mark.django_db


def _when(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M")


def paper_data(*, fixed=(), rules=(), **overrides):
    now = timezone.now()
    data = {
        "title": "2026年度学法考试",
        "kind": "annual",
        "year": "2026",
        "opens_at": _when(now),
        "closes_at": _when(now + timedelta(days=3)),
        "time_limit_minutes": "60",
        "attempts_allowed": "1",
        "counting": "highest",
        "pass_percent": "60",
        "multiple_scoring": "all",
        "review_policy": "after_close",
        "review_shows_answers": "on",
        "shuffle_questions": "on",
        "certificates": "on",
        "fixed_questions-TOTAL_FORMS": str(len(fixed)),
        "fixed_questions-INITIAL_FORMS": "0",
        "fixed_questions-MIN_NUM_FORMS": "0",
        "fixed_questions-MAX_NUM_FORMS": "1000",
        "rules-TOTAL_FORMS": str(len(rules)),
        "rules-INITIAL_FORMS": "0",
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
    }
    for i, (question, points) in enumerate(fixed):
        data.update(
            {
                f"fixed_questions-{i}-question": str(question.pk),
                f"fixed_questions-{i}-points": str(points),
                f"fixed_questions-{i}-ORDER": str(i + 1),
                f"fixed_questions-{i}-DELETE": "",
            }
        )
    for i, rule in enumerate(rules):
        data.update(
            {
                f"rules-{i}-count": str(rule["count"]),
                f"rules-{i}-kind": rule["kind"],
                f"rules-{i}-category": str(rule["category"].pk),
                f"rules-{i}-difficulty": rule.get("difficulty", ""),
                f"rules-{i}-points": str(rule["points"]),
                f"rules-{i}-ORDER": str(i + 1),
                f"rules-{i}-DELETE": "",
            }
        )
    data.update(overrides)
    return data


@pytest.fixture
def category(db):
    return QuestionCategory.ensure_path(["2021年新法", "行政处罚法"])


@pytest.fixture
def bank(category):
    return {
        "single": [build.question("single", category=category) for _ in range(3)],
        "truefalse": [build.question("truefalse", category=category) for _ in range(2)],
    }


def test_trainer_creates_a_paper_with_fixed_questions_and_rules(trainer, bank, category):
    client = client_for(trainer)
    data = paper_data(
        fixed=[(bank["single"][0], 10)],
        rules=[{"count": 2, "kind": "single", "category": category.parent, "points": 5}],
    )
    response = client.post(reverse("exams_exam:add"), data)
    assert response.status_code == 302, response.context["form"].errors
    paper = Exam.objects.get(title="2026年度学法考试")
    assert paper.fixed_questions.get().question == bank["single"][0]
    rule = paper.rules.get()
    assert (rule.count, rule.kind, rule.category) == (2, "single", category.parent)
    assert paper.certificates and not paper.is_published
    edit = client.get(reverse("exams_exam:edit", args=[paper.pk]))
    assert edit.status_code == 200
    assert "data-exam-total" in edit.content.decode()
    assert edit.context["panel"] is not None
    assert "20" in edit.content.decode()  # 10 + 2 × 5


def test_a_paper_the_bank_cannot_fill_is_refused(trainer, bank, category):
    # Two single-choice questions are left once the fixed one is taken: a rule for three
    # cannot be filled.
    data = paper_data(
        fixed=[(bank["single"][0], 10)],
        rules=[{"count": 3, "kind": "single", "category": category, "points": 5}],
    )
    response = client_for(trainer).post(reverse("exams_exam:add"), data)
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert any("需要 3 道题" in str(error) and "只有 2 道" in str(error) for error in errors)
    assert not Exam.objects.exists()


def test_a_paper_that_closes_before_it_opens_is_refused(trainer, bank):
    now = timezone.now()
    data = paper_data(
        fixed=[(bank["single"][0], 10)],
        opens_at=_when(now + timedelta(days=2)),
        closes_at=_when(now + timedelta(days=1)),
    )
    response = client_for(trainer).post(reverse("exams_exam:add"), data)
    assert response.status_code == 200
    assert "closes_at" in response.context["form"].errors
    assert not Exam.objects.exists()


def test_an_empty_paper_is_refused(trainer, bank):
    response = client_for(trainer).post(reverse("exams_exam:add"), paper_data())
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_editing_keeps_the_order_given(trainer, bank):
    paper = build.exam(questions=[bank["single"][0], bank["single"][1]])
    rows = list(paper.fixed_questions.all())
    data = paper_data(fixed=[(bank["single"][1], 4), (bank["single"][0], 6)])
    data.update(
        {
            "fixed_questions-INITIAL_FORMS": "2",
            "fixed_questions-0-id": str(rows[1].pk),
            "fixed_questions-1-id": str(rows[0].pk),
        }
    )
    response = client_for(trainer).post(reverse("exams_exam:edit", args=[paper.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    assert [fq.question for fq in paper.fixed_questions.order_by("sort_order")] == [
        bank["single"][1],
        bank["single"][0],
    ]


def test_listing_filters_and_total_points(trainer, bank, category):
    build.exam(
        questions=[bank["single"][0]], points=Decimal("10"), title="practice A", kind="practice"
    )
    build.exam(
        title="annual B",
        kind="annual",
        rules=[{"count": 2, "kind": "single", "category": category, "points": Decimal("5")}],
        is_published=False,
    )
    client = client_for(trainer)
    everything = client.get(reverse("exams_exam:index"))
    assert everything.status_code == 200
    totals = {exam.title: exam.total_points for exam in everything.context["object_list"]}
    assert totals == {"practice A": Decimal("10"), "annual B": Decimal("10")}
    annual = client.get(reverse("exams_exam:index"), {"kind": "annual"})
    assert [e.title for e in annual.context["object_list"]] == ["annual B"]
    published = client.get(reverse("exams_exam:index"), {"is_published": "true"})
    assert [e.title for e in published.context["object_list"]] == ["practice A"]


def test_preview_marks_the_sample_draw(trainer, bank, category):
    paper = build.exam(
        questions=[bank["single"][0]],
        rules=[{"count": 2, "kind": "truefalse", "category": category, "points": Decimal("5")}],
    )
    response = client_for(trainer).get(reverse("exams_exam:preview", args=[paper.pk]))
    assert response.status_code == 200
    questions = response.context["questions"]
    assert [q["sample"] for q in questions] == [False, True, True]
    assert response.context["total"] == Decimal("20")
    html = response.content.decode()
    assert "fraction" not in html
    assert not Attempt.objects.exists()  # a preview draws, it does not start an attempt


def test_question_chooser_lists_active_questions_by_substring(trainer, bank):
    retired = build.question("single")
    retired.status = "retired"
    retired.save()
    client = client_for(trainer)
    response = client.get(reverse("exams_question_chooser:choose"))
    assert response.status_code == 200
    listed = {q.pk for q in response.context["results"]}
    assert bank["single"][0].pk in listed and retired.pk not in listed
    target = bank["truefalse"][0]
    found = client.get(reverse("exams_question_chooser:choose_results"), {"q": target.stem_text})
    assert [q.pk for q in found.context["results"]] == [target.pk]


def test_a_paper_with_attempts_is_not_deleted(admin_user, cadre, bank):
    paper = build.exam(questions=[bank["single"][0]])
    attempt_start(exam=paper, user=cadre)
    client = client_for(admin_user)
    response = client.post(reverse("exams_exam:delete", args=[paper.pk]))
    assert response.status_code == 302
    assert Exam.objects.filter(pk=paper.pk).exists()


@pytest.mark.parametrize("who", ["cadre", "leader", "hr"])
def test_cadres_leaders_and_hr_cannot_reach_the_exam_admin(request, who, bank):
    paper = build.exam(questions=[bank["single"][0]])
    client = client_for(request.getfixturevalue(who))
    for url in [
        reverse("exams_exam:index"),
        reverse("exams_exam:add"),
        reverse("exams_exam:edit", args=[paper.pk]),
        reverse("exams_exam:preview", args=[paper.pk]),
        reverse("exams_exam:stats", args=[paper.pk]),
    ]:
        response = client.get(url)
        # Without admin access: the admin's sign-in, which tells a signed-in cadre or leader
        # where their work is; with it but without the permission (HR): back to the
        # dashboard with a message.
        assert response.status_code == 302, url
        assert response.url.startswith("/admin/login/") or response.url == "/admin/", url
