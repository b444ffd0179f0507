"""Offline training classes and who attended them."""

import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

from courses.audience import CategorySetField
from lms.model_fields import optional_reference

from .progress import credit_hours_field


def _new_secret():
    return secrets.token_urlsafe(16)


class TrainingSession(index.Indexed, models.Model):
    topic = models.CharField(_("topic"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200)
    trainer = optional_reference(settings.AUTH_USER_MODEL, _("trainer"))
    credit_hours = credit_hours_field(4, Decimal("2.0"), non_negative=True)
    checkin_grace_minutes = models.PositiveSmallIntegerField(
        _("check-in grace (minutes)"),
        default=30,
        help_text=_(
            "Check-in opens this long before the start and stays open this long after the end."
        ),
    )
    audience_units = models.ManyToManyField(
        "accounts.OrgUnit", verbose_name=_("audience units"), blank=True, related_name="+"
    )
    audience_categories = CategorySetField(_("audience categories"))
    # Part of every check-in token: changing it invalidates QR codes already shown.
    checkin_secret = models.CharField(max_length=40, default=_new_secret, editable=False)

    panels = [
        FieldPanel("topic"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldRowPanel([FieldPanel("place"), FieldPanel("trainer")]),
        FieldRowPanel([FieldPanel("credit_hours"), FieldPanel("checkin_grace_minutes")]),
        MultiFieldPanel(
            [FieldPanel("audience_units"), FieldPanel("audience_categories")],
            heading=_("Audience"),
        ),
    ]
    search_fields = [index.SearchField("topic"), index.SearchField("place")]

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")

    def __str__(self):
        return self.topic

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The session must end after it starts.")})

    @property
    def checkin_opens_at(self):
        return self.starts_at - timedelta(minutes=self.checkin_grace_minutes)

    @property
    def checkin_closes_at(self):
        return self.ends_at + timedelta(minutes=self.checkin_grace_minutes)


class TrainingAttendance(models.Model):
    class Method(models.TextChoices):
        QR = "qr", _("QR check-in")
        MANUAL = "manual", _("Marked by the trainer")

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendances"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_attendances"
    )
    method = models.CharField(_("method"), max_length=8, choices=Method.choices)
    checked_in_at = models.DateTimeField(_("checked in at"))
    marked_by = optional_reference(settings.AUTH_USER_MODEL)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="attendance_once")]

    def __str__(self):
        return f"{self.user} @ {self.session}"
