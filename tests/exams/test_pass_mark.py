"""The pass mark: set as a percentage of the paper, shown and applied in whole points."""

import importlib
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from exams.models import Exam, ExamQuestion
from exams.scoring import pass_mark_points, score_passes
from exams.services.attempts import attempt_grade, attempt_start
from tests.conftest import client_for
from tests.exams import exam_builders as build

migration = importlib.import_module("exams.migrations.0005_exam_pass_percent")


@pytest.mark.parametrize(
    ("percent", "max_score", "mark"),
    [
        (60, "100", 60),
        (60, "97", 58),  # 58.2 rounds down: never "58.2 of 97"
        (60, "97.5", 59),  # 58.5 rounds half up
        (50, "97", 49),  # 48.5 rounds half up (not to the even 48)
        (60, "10", 6),
        (75, "2", 2),  # 1.5 rounds half up
        (1, "30", 0),  # 0.3 rounds to nothing
        (100, "97", 97),
        (100, "97.5", 97),  # never above what the paper can give
        (99, "97.5", 97),  # 96.525
        (60, "0", 0),
        (60, "150", 90),
    ],
)
def test_pass_mark_is_a_rounded_share_of_the_paper(percent, max_score, mark):
    assert pass_mark_points(pass_percent=percent, max_score=Decimal(max_score)) == mark


@pytest.mark.parametrize(
    ("score", "percent", "max_score", "passes"),
    [
        ("58", 60, "97", True),  # exactly the pass mark passes
        ("57.99", 60, "97", False),
        ("48.5", 50, "97", False),  # the pass mark is 49, not 48.5
        ("49", 50, "97", True),
        ("97", 100, "97.5", True),
        ("0", 60, "0", True),
        ("59.5", 60, "100", False),
        (None, 60, "100", False),
    ],
)
def test_a_score_passes_when_it_reaches_the_pass_mark(score, percent, max_score, passes):
    score = Decimal(score) if score is not None else None
    assert score_passes(score=score, pass_percent=percent, max_score=Decimal(max_score)) is passes


@pytest.mark.django_db
@pytest.mark.parametrize(("right", "passed"), [("first", True), ("second", False)])
def test_grading_applies_the_rule_to_the_attempts_own_points(cadre, right, passed):
    # 49 + 48 = 97 points; 50 % is 48.5, so the pass mark is 49.
    paper = build.exam(pass_percent=50)
    first, second = build.question(correct=("A",)), build.question(correct=("A",))
    ExamQuestion.objects.create(exam=paper, question=first, points=Decimal("49"), sort_order=0)
    ExamQuestion.objects.create(exam=paper, question=second, points=Decimal("48"), sort_order=1)
    attempt = attempt_start(exam=paper, user=cadre)
    for item in attempt.items.order_by("position"):
        item.answer = ["A"] if (item.position == 1) == (right == "first") else ["B"]
        item.save(update_fields=["answer"])
    graded = attempt_grade(attempt_id=attempt.pk)
    assert graded.max_score == Decimal("97")
    assert graded.passed is passed
    assert graded.pass_mark == 49


@pytest.mark.django_db
def test_pages_show_the_pass_mark_in_whole_points(cadre):
    paper = build.exam(pass_percent=60)
    for order, points in enumerate(("50", "47")):
        ExamQuestion.objects.create(
            exam=paper,
            question=build.question(correct=("A",)),
            points=Decimal(points),
            sort_order=order,
        )
    client = client_for(cadre)
    page = client.get(reverse("exam_detail", args=[paper.pk])).content.decode()
    assert "58 分（满分 97）" in page
    assert "58.2" not in page
    attempt = attempt_start(exam=paper, user=cadre)
    attempt_grade(attempt_id=attempt.pk)
    result = client.get(reverse("attempt_result", args=[attempt.pk])).content.decode()
    assert "及格 58 分（满分 97）" in result
    assert "<strong>0</strong> / 97 分" in result


@pytest.mark.parametrize(
    ("points", "full", "percent"),
    [
        ("60", "100", 60),
        ("58.2", "97", 60),
        ("20", "30", 67),
        ("0", "100", 1),  # at least 1 %
        ("120", "100", 100),  # at most all of it
        ("60", "0", 60),  # a paper without points gets the default
        (None, "100", 60),
    ],
)
def test_migration_converts_points_to_a_percentage(points, full, percent):
    assert migration.percent_from_points(points, Decimal(full)) == percent


@pytest.mark.django_db(transaction=True)
def test_migration_converts_existing_exams():
    with_points = build.exam(questions=[build.question(), build.question()], points=Decimal("15"))
    empty = build.exam(title="空卷")
    executor = MigrationExecutor(connection)
    executor.migrate([("exams", "0004_attempt_hot_path_constraints")])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE exams_exam SET pass_mark = 18 WHERE id = %s", [with_points.pk])
        cursor.execute("UPDATE exams_exam SET pass_mark = 45 WHERE id = %s", [empty.pk])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Exam.objects.get(pk=with_points.pk).pass_percent == 60  # 18 of 30 points
    assert Exam.objects.get(pk=empty.pk).pass_percent == 60
