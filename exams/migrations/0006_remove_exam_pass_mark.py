# A migration of its own: on PostgreSQL a column cannot be dropped in the transaction
# that just updated the table's rows (pending deferred-constraint trigger events).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("exams", "0005_exam_pass_percent"),
    ]

    operations = [
        migrations.RemoveField(model_name="exam", name="pass_mark"),
    ]
