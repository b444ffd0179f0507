"""Attempts: one sitting of an exam by one cadre, with one row per question it drew."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from exams.scoring import pass_mark_points


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    GRADED = "graded", _("Graded")


# The deadline rule, once: an attempt takes answers while it is in progress and its
# deadline is still ahead; in progress with the deadline passed, it is overdue and waits
# to be graded with what was saved by then (`exams.services.attempts.grade`).


def running_sql(alias: str) -> str:
    """The rule as a SQL condition on the attempt table under `alias`, for statements that
    cannot go through the ORM (the answer save); its parameters: `running_params(now)`."""
    return f"{alias}.status = %s AND {alias}.deadline > %s"


def running_params(now) -> list:
    return [AttemptStatus.IN_PROGRESS.value, now]


class AttemptQuerySet(models.QuerySet):
    def running(self, now):
        return self.filter(status=AttemptStatus.IN_PROGRESS, deadline__gt=now)

    def overdue(self, now):
        return self.filter(status=AttemptStatus.IN_PROGRESS, deadline__lte=now)


class Attempt(models.Model):
    Status = AttemptStatus

    # No database constraint on the exam, nor on an item's question and version: at the
    # year-end exam's start storm every start would share-lock the same exam, question and
    # version rows to check them (PostgreSQL then builds multixacts); with the one-statement
    # start, this is a fifth of the storm's starts/s (exams/services/attempts/start.py has
    # the figure). The ids come from the bank's own rows,
    # which are never deleted (questions are retired, versions immutable), and Django's
    # PROTECT still refuses a delete that attempts refer to.
    exam = models.ForeignKey(
        "exams.Exam", on_delete=models.PROTECT, related_name="attempts", db_constraint=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attempts"
    )
    number = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS
    )
    started_at = models.DateTimeField(pgettext_lazy("attempt", "started at"))
    deadline = models.DateTimeField(_("deadline"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # Set when the deadline passed before the cadre submitted.
    timed_out = models.BooleanField(default=False)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(max_digits=7, decimal_places=2, default=0)
    passed = models.BooleanField(null=True)
    regraded_at = models.DateTimeField(null=True, blank=True)
    certificate_code = models.CharField(max_length=20, blank=True, db_index=True)
    # The device the attempt runs on: a hash of the random token in that browser's cookie
    # (exams/services/integrity.py). Empty: not bound, the next device to open it takes it.
    device_hash = models.CharField(max_length=64, blank=True, default="")
    # Times the cadre left the exam page, as the server counted them, and the last one.
    leave_count = models.PositiveSmallIntegerField(_("left the exam page"), default=0)
    left_at = models.DateTimeField(null=True, blank=True)
    # Submitted by the server when the cadre left the page once too often.
    submitted_for_leaving = models.BooleanField(default=False)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            # Only one attempt per cadre and exam can be in progress.
            models.UniqueConstraint(
                fields=["exam", "user"],
                condition=Q(status=AttemptStatus.IN_PROGRESS),
                name="one_open_attempt",
            ),
            models.UniqueConstraint(
                fields=["exam", "user", "number"], name="attempt_number_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["user", "exam"]),
        ]

    def __str__(self):
        return f"{self.exam_id}/{self.user_id}#{self.number}"

    def is_running(self, now) -> bool:
        """In progress and within its deadline: it takes answers."""
        return self.status == AttemptStatus.IN_PROGRESS and self.deadline > now

    def is_overdue(self, now) -> bool:
        """In progress past its deadline: to be graded with what was saved by then."""
        return self.status == AttemptStatus.IN_PROGRESS and self.deadline <= now

    @property
    def pass_mark(self) -> int:
        """This paper's pass mark in whole points (the exam's percentage of its points)."""
        return pass_mark_points(pass_percent=self.exam.pass_percent, max_score=self.max_score)


class AttemptItem(models.Model):
    """A question as the attempt froze it: its version, points, option order, and the
    cadre's answer. `answer_seq` orders saves so a late retry never overwrites a newer
    answer."""

    # Indexed by the (attempt, position) constraint, of which it is the first column.
    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="items", db_index=False
    )
    position = models.PositiveSmallIntegerField()
    # No database constraint: see Attempt.exam.
    question = models.ForeignKey(
        "exams.Question", on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    version = models.ForeignKey(
        "exams.QuestionVersion", on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    kind = models.CharField(max_length=10)
    points = models.DecimalField(max_digits=5, decimal_places=1)
    # Choice keys in the order this cadre sees them, e.g. "CADB"; for blanks, empty.
    option_order = models.CharField(max_length=8, blank=True)
    # How many choices (or blanks) the answer may name: checked in the save statement.
    slots = models.PositiveSmallIntegerField()
    answer = models.JSONField(null=True, blank=True)
    answer_seq = models.PositiveIntegerField(default=0)
    answered_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    # Practice only: when the key was shown for this question; it takes no answer after.
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        verbose_name = _("attempt question")
        verbose_name_plural = _("attempt questions")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="attempt_item_position"),
            models.UniqueConstraint(fields=["attempt", "question"], name="attempt_item_question"),
        ]

    def __str__(self):
        return f"{self.attempt_id}:{self.position}"
