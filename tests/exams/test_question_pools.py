"""Question pools: a random rule draws N of a larger pool and a paper's fixed questions
can be a pool too; each cadre's draw and order are their own, so two neighbours rarely
see the same question at the same position."""

import random
from decimal import Decimal

import pytest
from django.urls import reverse

from exams.models import Exam
from exams.services.attempts import attempt_start
from tests.conftest import client_for
from tests.exams import exam_builders as build
from tests.exams.factories_bank import category
from tests.exams.test_exam_admin import paper_data

pytestmark = pytest.mark.django_db


def paper_of(attempt) -> list[int]:
    return list(attempt.items.order_by("position").values_list("question_id", flat=True))


def same_position_share(first, second) -> float:
    return sum(a == b for a, b in zip(first, second, strict=True)) / len(first)


def test_neighbours_on_a_rule_from_a_larger_pool_rarely_share_a_position(cadre, other_cadre):
    cat = category("行政法/题池")
    for _ in range(60):
        build.question("single", category=cat)
    rule = {"count": 20, "kind": "single", "category": cat, "points": Decimal("5")}
    paper = build.exam(rules=[rule], shuffle_questions=True)
    mine = paper_of(attempt_start(exam=paper, user=cadre, rng=random.Random(1)))
    theirs = paper_of(attempt_start(exam=paper, user=other_cadre, rng=random.Random(2)))
    assert len(mine) == len(theirs) == 20
    assert same_position_share(mine, theirs) <= 0.1
    assert len(set(mine) & set(theirs)) < 20  # a different sample, not only another order


def test_fixed_questions_as_a_pool_give_each_cadre_their_own_sample(cadre, other_cadre):
    questions = [build.question("single") for _ in range(12)]
    paper = build.exam(questions=questions, points=Decimal("4"), fixed_draw_count=6)
    mine = attempt_start(exam=paper, user=cadre, rng=random.Random(3))
    theirs = attempt_start(exam=paper, user=other_cadre, rng=random.Random(4))
    assert mine.items.count() == theirs.items.count() == 6
    assert mine.max_score == theirs.max_score == Decimal("24")
    assert set(paper_of(mine)) != set(paper_of(theirs))
    assert same_position_share(paper_of(mine), paper_of(theirs)) <= 0.5
    detail = client_for(cadre).get(reverse("exam_detail", args=[paper.pk]))
    assert detail.context["full_marks"] == Decimal("24")


def test_the_admin_refuses_a_pool_it_cannot_fill_or_of_unequal_points(trainer):
    questions = [build.question("single") for _ in range(3)]
    client = client_for(trainer)
    too_many = paper_data(fixed=[(q, 10) for q in questions], fixed_draw_count="4")
    response = client.post(reverse("exams_exam:add"), too_many)
    assert response.status_code == 200
    assert "题池要抽取 4 道固定题，但试卷只有 3 道" in str(response.context["form"].errors)
    unequal = paper_data(
        fixed=[(questions[0], 10), (questions[1], 5), (questions[2], 5)], fixed_draw_count="2"
    )
    response = client.post(reverse("exams_exam:add"), unequal)
    assert "分值必须相同" in str(response.context["form"].errors)
    assert not Exam.objects.exists()
    fine = paper_data(fixed=[(q, 10) for q in questions], fixed_draw_count="2")
    assert client.post(reverse("exams_exam:add"), fine).status_code == 302
    listing = client.get(reverse("exams_exam:index"))
    row = next(exam for exam in listing.context["object_list"] if exam.fixed_draw_count == 2)
    assert row.total_points == Decimal("20")
