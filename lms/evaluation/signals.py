"""Keep live results fresh: when study credit, a graded attempt or an attendance is written
(by courses or exams, which know nothing of the evaluation), refresh that cadre's year
after the transaction commits. The handlers run no query on the writer's path."""

from functools import partial

from django.db import transaction


def _refresh(model_label: str, pk: int, user_id: int, year: int | None = None) -> None:
    from django.apps import apps

    from .tasks import year_results_refresh_task

    model = apps.get_model(model_label)
    if year is not None:
        years = [year]
    elif model_label == "exams.Attempt":
        years = model.objects.filter(pk=pk).values_list("exam__year", flat=True)
    else:
        years = model.objects.filter(pk=pk).values_list("session__starts_at__year", flat=True)
    for each in years:
        year_results_refresh_task.enqueue(year=each, user_ids=[user_id])


def _year_held(instance) -> int | None:
    """The year, when the saved instance already holds it (a credit, or an attempt graded
    with its exam loaded): one query less for each submit at the year-end exam."""
    label = instance._meta.label
    if label == "courses.StudyCredit":
        return instance.year
    if label == "exams.Attempt" and instance._meta.get_field("exam").is_cached(instance):
        return instance.exam.year
    return None


def on_ledger_source_saved(sender, instance, **kwargs):
    label = sender._meta.label
    if label == "exams.Attempt" and instance.status != "graded":
        return
    transaction.on_commit(
        partial(_refresh, label, instance.pk, instance.user_id, _year_held(instance)),
        robust=True,
    )


def connect() -> None:
    from django.db.models.signals import post_save

    for label in ("courses.StudyCredit", "exams.Attempt", "courses.TrainingAttendance"):
        post_save.connect(on_ledger_source_saved, sender=label, dispatch_uid=f"evaluation-{label}")
