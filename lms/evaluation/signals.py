"""Keep live results fresh: when study credit, a graded attempt or an attendance is written
(by courses or exams, which know nothing of the evaluation), refresh that cadre's year
after the transaction commits. The handlers run no query on the writer's path."""

from functools import partial

from django.db import transaction


def _refresh(model_label: str, pk: int, user_id: int) -> None:
    from django.apps import apps

    from .tasks import year_results_refresh_task

    model = apps.get_model(model_label)
    if model_label == "courses.StudyCredit":
        years = model.objects.filter(pk=pk).values_list("year", flat=True)
    elif model_label == "exams.Attempt":
        years = model.objects.filter(pk=pk).values_list("exam__year", flat=True)
    else:
        years = model.objects.filter(pk=pk).values_list("session__starts_at__year", flat=True)
    for year in years:
        year_results_refresh_task.enqueue(year=year, user_ids=[user_id])


def on_ledger_source_saved(sender, instance, **kwargs):
    if sender._meta.label == "exams.Attempt" and instance.status != "graded":
        return
    transaction.on_commit(
        partial(_refresh, sender._meta.label, instance.pk, instance.user_id), robust=True
    )


def connect() -> None:
    from django.db.models.signals import post_save

    for label in ("courses.StudyCredit", "exams.Attempt", "courses.TrainingAttendance"):
        post_save.connect(on_ledger_source_saved, sender=label, dispatch_uid=f"evaluation-{label}")
