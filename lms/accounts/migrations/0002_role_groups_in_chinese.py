"""The role groups, and Wagtail's own Editors and Moderators groups and default workflow,
are stored under Chinese names: the admin lists groups by their stored name."""

from django.db import migrations

GROUPS = {
    "Cadre": "干部",
    "Trainer": "讲师",
    "Unit leader": "单位负责人",
    "HR": "人事部门",
    "Admin": "系统管理员",
    "Editors": "编辑",
    "Moderators": "审核员",
}
WORKFLOW = {"Moderators approval": "审核员审核"}


def rename(names, *, backwards):
    for model, renames in names:
        for old, new in renames.items():
            old, new = (new, old) if backwards else (old, new)
            if not model.objects.filter(name=new).exists():
                model.objects.filter(name=old).update(name=new)


def forwards(apps, schema_editor, backwards=False):
    names = [
        (apps.get_model("auth", "Group"), GROUPS),
        (apps.get_model("wagtailcore", "Workflow"), WORKFLOW),
        (apps.get_model("wagtailcore", "Task"), WORKFLOW),
    ]
    rename(names, backwards=backwards)


def backwards(apps, schema_editor):
    forwards(apps, schema_editor, backwards=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        # Wagtail creates Editors, Moderators and the default workflow in these.
        ("wagtailcore", "0048_add_default_workflows"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
