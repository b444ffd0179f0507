"""One background import: who started it, what file, how far it is, what came of it."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def import_upload_to(instance, filename):
    # Under imports/, which is private (lms.media_serving.PRIVATE_DIRS and nginx answer 404
    # for it), with a random name: a roster holds cadres' names and phone numbers.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"imports/{uuid.uuid4().hex}{suffix}"


class ImportKind(models.TextChoices):
    QUESTIONS = "questions", _("Questions")
    ROSTER = "roster", pgettext_lazy("import kind", "Roster")
    LAW = "law", pgettext_lazy("import kind", "Law text")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("import job", "Queued")
    RUNNING = "running", pgettext_lazy("import job", "Running")
    DONE = "done", pgettext_lazy("import job", "Finished")
    FAILED = "failed", pgettext_lazy("import job", "Failed")


class ImportJob(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="import_jobs",
        verbose_name=_("started by"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    # Deleted once the job has run: the file is needed only until then.
    file = models.FileField(_("file"), upload_to=import_upload_to, blank=True, max_length=200)
    filename = models.CharField(_("file name"), max_length=255)
    # What the import form said besides the file (format, category, slug...).
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    # One line ("imported 3000 questions ..."), then the notes of a finished import or
    # every problem of a failed one, each naming its row, in the clerk's words.
    summary = models.TextField(blank=True)
    details = models.JSONField(default=list, blank=True)
    # What a kind keeps for its result page (the roster: how many passwords wait).
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"])]
        verbose_name = _("background import")
        verbose_name_plural = _("background imports")

    def __str__(self):
        return f"{self.get_kind_display()} {self.filename}"

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)
