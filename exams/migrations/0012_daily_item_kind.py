from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def kinds_from_questions(apps, schema_editor):
    # Items drawn before the kind was kept: the question's kind now is the best there is.
    Item = apps.get_model("exams", "DailyPracticeItem")
    Question = apps.get_model("exams", "Question")
    Item.objects.filter(kind="").update(
        kind=Subquery(Question.objects.filter(pk=OuterRef("question_id")).values("kind")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [("exams", "0011_article_help_inserted")]

    operations = [
        migrations.AddField(
            model_name="dailypracticeitem",
            name="kind",
            field=models.CharField(
                choices=[
                    ("single", "Single choice"),
                    ("multiple", "Multiple choice"),
                    ("truefalse", "True or false"),
                    ("blank", "Fill in the blank"),
                ],
                default="",
                max_length=10,
            ),
        ),
        migrations.RunPython(kinds_from_questions, migrations.RunPython.noop),
    ]
