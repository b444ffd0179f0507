"""Keep live results true: whatever a live result depends on, when it changes (written by
courses, exams or accounts, which know nothing of the evaluation, or by HR's edits of the
scheme), marks what to recompute; after the transaction commits the marks are refreshed
once (services/refresh.py).

- a study credit, a graded attempt (a submit, a regrade after a key correction), an
  attendance, saved or deleted: that cadre, in the year it belongs to;
- a cadre moved to another unit, category or position, deactivated, given or removed a
  role, or written by a roster import: that cadre, in every open year;
- the year's scheme, its grade bands or bonus rules: the whole year;
- an exam's year, kind, counting or `counts_for_evaluation`: the whole year(s) it counts in.

The handlers on the ledger's sources run no query on the writer's path; saves of users and
exams that may change a watched field read the row once before the save.
"""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone

from lms.accounts.roles import Role

from .services.refresh import year_refresh_later
from .services.year_score import SCHEME_YEAR_FIELDS

LEDGER_SOURCES = ("courses.StudyCredit", "exams.Attempt", "courses.TrainingAttendance")
SCHEME_PARTS = ("evaluation.GradeBand", "evaluation.BonusRule")


def _cached(instance, name: str):
    field = instance._meta.get_field(name)
    return getattr(instance, name) if field.is_cached(instance) else None


def _year_held(instance) -> int | None:
    """The year, when the instance already holds it (a credit; an attempt or attendance
    with its exam or session loaded): at the year-end exam everyone submits at once, so
    the refresh must not read the attempt back. None: the cadre's every open year."""
    label = instance._meta.label
    if label == "courses.StudyCredit":
        return instance.year
    if label == "exams.Attempt":
        exam = _cached(instance, "exam")
        return exam.year if exam is not None else None
    session = _cached(instance, "session")
    return timezone.localtime(session.starts_at).year if session is not None else None


def on_ledger_source_changed(sender, instance, **kwargs):
    # An attempt counts once it is graded; until then it holds no score.
    if instance._meta.label != "exams.Attempt" or instance.status == instance.Status.GRADED:
        year_refresh_later(year=_year_held(instance), cadre_ids=[instance.user_id])


def on_year_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is None or set(update_fields) & set(SCHEME_YEAR_FIELDS):
        year_refresh_later(year=instance.year)


def on_scheme_part_changed(sender, instance, **kwargs):
    year_refresh_later(evaluation_year_id=instance.evaluation_year_id)


class _Watched:
    """Saves of a model that change one of `fields`: the row is read just before a save
    that may write one of them, and compared with what was saved just after."""

    def __init__(self, label: str, fields: tuple[str, ...], changed):
        self.label, self.fields, self.changed = label, fields, changed
        self.names = {name for field in fields for name in (field, field.removesuffix("_id"))}

    def before(self, sender, instance, update_fields=None, raw=False, **kwargs):
        if raw or instance.pk is None or (update_fields and not self.names & set(update_fields)):
            return
        rows = sender._base_manager.filter(pk=instance.pk).values_list(*self.fields)
        instance._evaluation_before = rows.first()

    def after(self, sender, instance, **kwargs):
        before = instance.__dict__.pop("_evaluation_before", None)
        after = tuple(getattr(instance, field) for field in self.fields)
        if before is not None and before != after:
            self.changed(instance, dict(zip(self.fields, before, strict=True)))

    def connect(self) -> None:
        uid = f"evaluation-watch-{self.label}"
        pre_save.connect(self.before, sender=self.label, dispatch_uid=uid, weak=False)
        post_save.connect(self.after, sender=self.label, dispatch_uid=uid, weak=False)


def _cadre_moved(user, before: dict) -> None:
    year_refresh_later(cadre_ids=[user.pk])


def _exam_restated(exam, before: dict) -> None:
    # Its results leave the year it counted in, and join the one it counts in now.
    counted = [(before["year"], before["counts_for_evaluation"])]
    counted.append((exam.year, exam.counts_for_evaluation))
    for year in {year for year, counts in counted if counts}:
        year_refresh_later(year=year)


WATCHED = (
    _Watched("accounts.User", ("unit_id", "category", "is_active", "position"), _cadre_moved),
    _Watched("exams.Exam", ("year", "counts_for_evaluation", "kind", "counting"), _exam_restated),
)


def on_roles_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Being a cadre is being evaluated: a user given or removed a role, or the Cadre
    group given or removed members (emptied: the members it had, read before)."""
    if not reverse:
        if action in {"post_add", "post_remove", "post_clear"}:
            year_refresh_later(cadre_ids=[instance.pk])
    elif instance.name == Role.CADRE:
        if action == "pre_clear":
            pk_set = set(instance.user_set.values_list("pk", flat=True))
        if action in {"post_add", "post_remove", "pre_clear"} and pk_set:
            year_refresh_later(cadre_ids=pk_set)


def on_roster_changed(sender, user_ids, **kwargs):
    year_refresh_later(cadre_ids=user_ids)


def connect() -> None:
    from lms.accounts.signals import roster_changed

    for label in LEDGER_SOURCES:
        uid = f"evaluation-{label}"
        post_save.connect(on_ledger_source_changed, sender=label, dispatch_uid=uid)
        post_delete.connect(on_ledger_source_changed, sender=label, dispatch_uid=uid)
    post_save.connect(on_year_saved, sender="evaluation.EvaluationYear", dispatch_uid="evaluation")
    for label in SCHEME_PARTS:
        uid = f"evaluation-{label}"
        post_save.connect(on_scheme_part_changed, sender=label, dispatch_uid=uid)
        post_delete.connect(on_scheme_part_changed, sender=label, dispatch_uid=uid)
    for watched in WATCHED:
        watched.connect()
    groups = apps.get_model("accounts.User").groups.through
    m2m_changed.connect(on_roles_changed, sender=groups, dispatch_uid="evaluation-roles")
    roster_changed.connect(on_roster_changed, dispatch_uid="evaluation-roster")
