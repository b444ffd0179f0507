"""Practice records: the mistake book and the daily practice log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from exams.kinds import QuestionKind


class MistakeEntry(models.Model):
    """A question the cadre got wrong; it leaves the book after two correct answers in a
    row (resolved_at set), and comes back if answered wrongly again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey("exams.Question", on_delete=models.CASCADE, related_name="+")
    wrong_count = models.PositiveIntegerField(default=1)
    correct_streak = models.PositiveSmallIntegerField(default=0)
    last_wrong_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mistake book entry")
        verbose_name_plural = _("mistake book")
        constraints = [models.UniqueConstraint(fields=["user", "question"], name="mistake_once")]
        indexes = [models.Index(fields=["user", "resolved_at"])]

    def __str__(self):
        return f"{self.user_id}:{self.question_id}"


class DailyPracticeItem(models.Model):
    """The five questions drawn for a cadre on a day (每日一练), and how they went."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey("exams.Question", on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey("exams.QuestionVersion", on_delete=models.PROTECT, related_name="+")
    # The question's kind when drawn, frozen with the version: a trainer may change it.
    kind = models.CharField(max_length=10, choices=QuestionKind.choices, default="")
    answer = models.JSONField(null=True, blank=True)
    correct = models.BooleanField(null=True)

    class Meta:
        ordering = ["user", "day", "position"]
        verbose_name = _("daily practice question")
        verbose_name_plural = _("daily practice questions")
        constraints = [
            models.UniqueConstraint(fields=["user", "day", "position"], name="daily_position"),
            models.UniqueConstraint(fields=["user", "day", "question"], name="daily_question"),
        ]

    def __str__(self):
        return f"{self.user_id}@{self.day}#{self.position}"
