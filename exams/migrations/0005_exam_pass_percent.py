"""Pass marks become a percentage of the paper.

An exam's old pass mark in points is converted to the percentage of that paper's full
marks as planned (fixed questions' points plus each rule's count times its points),
rounded half up and kept within 1–100; a paper without points gets the default 60 %.
Graded attempts keep the `passed` they were graded with.
"""

from decimal import ROUND_HALF_UP, Decimal

import django.core.validators
from django.db import migrations, models

DEFAULT_PERCENT = 60


def _full_marks(apps, exam_id) -> Decimal:
    ExamQuestion = apps.get_model("exams", "ExamQuestion")
    ExamRule = apps.get_model("exams", "ExamRule")
    fixed = sum(
        (Decimal(p) for p in ExamQuestion.objects.filter(exam_id=exam_id).values_list("points", flat=True)),
        Decimal("0"),
    )
    drawn = sum(
        (
            Decimal(count) * Decimal(points)
            for count, points in ExamRule.objects.filter(exam_id=exam_id).values_list("count", "points")
        ),
        Decimal("0"),
    )
    return fixed + drawn


def percent_from_points(pass_mark, full) -> int:
    """The old pass mark in points as a whole percentage of `full` points."""
    if not full or full <= 0 or pass_mark is None:
        return DEFAULT_PERCENT
    percent = (Decimal(pass_mark) * 100 / Decimal(full)).quantize(Decimal("1"), ROUND_HALF_UP)
    return int(min(max(percent, Decimal("1")), Decimal("100")))


def points_to_percent(apps, schema_editor):
    Exam = apps.get_model("exams", "Exam")
    for exam_id, pass_mark in Exam.objects.values_list("pk", "pass_mark"):
        percent = percent_from_points(pass_mark, _full_marks(apps, exam_id))
        Exam.objects.filter(pk=exam_id).update(pass_percent=percent)


def percent_to_points(apps, schema_editor):
    Exam = apps.get_model("exams", "Exam")
    for exam_id, percent in Exam.objects.values_list("pk", "pass_percent"):
        full = _full_marks(apps, exam_id) or Decimal("100")
        points = (Decimal(percent) * full / 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
        Exam.objects.filter(pk=exam_id).update(pass_mark=points)


class Migration(migrations.Migration):

    dependencies = [
        ("exams", "0004_attempt_hot_path_constraints"),
    ]

    operations = [
        migrations.AddField(
            model_name="exam",
            name="pass_percent",
            field=models.PositiveSmallIntegerField(
                default=60,
                help_text="Cadres see it in whole points: 60 % of a 97-point paper is a pass mark of 58 points.",
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(100),
                ],
                verbose_name="pass mark (% of the paper's points)",
            ),
        ),
        migrations.RunPython(points_to_percent, percent_to_points),
    ]
