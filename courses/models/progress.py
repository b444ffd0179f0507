"""Study records: progress per lesson, the per-cadre study clock, and earned credit."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.fields import NOT_PROVIDED
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lms.model_fields import optional_reference


def credit_hours_field(max_digits: int, default=NOT_PROVIDED, *, non_negative=False):
    """Credit hours to a tenth of an hour, as the study ledger (StudyCredit) holds them and
    lessons, courses and training sessions award them; `non_negative` refuses a negative
    number in forms."""
    validators = [MinValueValidator(Decimal("0"))] if non_negative else []
    return models.DecimalField(
        _("credit hours"),
        max_digits=max_digits,
        decimal_places=1,
        default=default,
        validators=validators,
    )


class LessonProgress(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", pgettext_lazy("study progress", "Not started")
        IN_PROGRESS = "in_progress", pgettext_lazy("study", "In progress")
        COMPLETED = "completed", _("Completed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.CASCADE, related_name="progress"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    seconds_studied = models.PositiveIntegerField(_("seconds studied"), default=0)
    reached_end = models.BooleanField(_("reached the end"), default=False)
    # {"<video block id>": [[start, end], ...]} in media seconds, merged and sorted.
    video_intervals = models.JSONField(_("video watched intervals"), default=dict, blank=True)
    # {"<video block id>": seconds}: where the player resumes, on any device.
    video_positions = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="lesson_progress_unique")
        ]
        indexes = [models.Index(fields=["user", "-updated_at"])]

    def __str__(self):
        return f"{self.user} · {self.lesson_id} · {self.status}"


class StudyPresence(models.Model):
    """One study clock per cadre: every heartbeat, from any tab or lesson, is credited at
    most the time since the previous one, so two open tabs never double the time."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.CASCADE, related_name="+")
    last_beat_at = models.DateTimeField()
    # The page view that sent the last beat and its sequence number, to refuse replays.
    page = models.CharField(max_length=40, default="")
    last_seq = models.PositiveIntegerField(default=0)
    # Server time of the last beat that reported the cadre touched the page (scroll, tap,
    # key, playback control): beats earn only within STUDY_IDLE_LIMIT_SECONDS of it.
    last_interaction_at = models.DateTimeField(null=True, blank=True)
    # The presence check of a long video (courses/services/presence_check.py): the one the
    # page was asked to answer, when, and what was earned since, held until it is answered.
    check_nonce = models.CharField(max_length=16, blank=True, default="")
    check_issued_at = models.DateTimeField(null=True, blank=True)
    next_check_at = models.DateTimeField(null=True, blank=True)
    held_seconds = models.PositiveIntegerField(default=0)
    held_videos = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("study clock")
        verbose_name_plural = _("study clocks")

    def __str__(self):
        return f"{self.user_id} @ {self.last_beat_at:%H:%M:%S}"


class StudyCredit(models.Model):
    """A row of credit hours a cadre earned: the ledger the annual evaluation reads."""

    class Source(models.TextChoices):
        COURSE = "course", _("Course completed")
        TRAINING = "training", _("Training session attended")
        MANUAL = "manual", _("Recorded by HR")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="study_credits"
    )
    year = models.PositiveSmallIntegerField(pgettext_lazy("evaluation year", "year"), db_index=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    course = optional_reference("courses.CoursePage", on_delete=models.PROTECT)
    training_session = optional_reference(
        "courses.TrainingSession", on_delete=models.PROTECT, related_name="credits"
    )
    credit_hours = credit_hours_field(5)
    title = models.CharField(_("title"), max_length=255)
    earned_at = models.DateTimeField(_("earned at"))

    class Meta:
        verbose_name = _("study credit")
        verbose_name_plural = _("study credits")
        ordering = ["-earned_at"]
        constraints = [
            # Credit is written once, however often the cadre comes back.
            models.UniqueConstraint(
                fields=["user", "course"],
                condition=Q(course__isnull=False),
                name="credit_once_per_course",
            ),
            models.UniqueConstraint(
                fields=["user", "training_session"],
                condition=Q(training_session__isnull=False),
                name="credit_once_per_training",
            ),
        ]
        indexes = [models.Index(fields=["user", "year"])]

    def __str__(self):
        return f"{self.user} · {self.title} · {self.credit_hours}"
