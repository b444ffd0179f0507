"""The annual evaluation: the year's scheme (grade bands, bonus rules), bonus awards and
deductions, and each cadre's year result (live, or frozen when HR finalises the year)."""

import uuid
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
)
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from lms.uploads import evidence_validator, upload_limit_bytes

ZERO = Decimal("0")
HUNDRED = Decimal("100")
# Default grade bands, as HR names them; data, not interface text.
DEFAULT_GRADE_BANDS = [
    ("优秀", Decimal("90")),
    ("良好", Decimal("80")),
    ("合格", Decimal("60")),
    ("不合格", Decimal("0")),
]

percent_validators = [MinValueValidator(ZERO), MaxValueValidator(HUNDRED)]


def percent_field(verbose_name, **options):
    """A weight, share or score out of 100, to two decimals."""
    return models.DecimalField(
        verbose_name, max_digits=5, decimal_places=2, validators=percent_validators, **options
    )


def points_field(*, at_most=None):
    """The points of a bonus rule, award or deduction: more than 0, to two decimals; the
    sign comes from the kind."""
    validators = [MinValueValidator(Decimal("0.01"))]
    if at_most is not None:
        validators.append(MaxValueValidator(at_most))
    return models.DecimalField(_("points"), max_digits=5, decimal_places=2, validators=validators)


def person_field(verbose_name=None, *, related_name="+", optional=False):
    """A user a row names: the cadre it is about, or who proposed, decided, finalised or
    reopened. PROTECT: the evaluation's records keep the people in them."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=optional,
        blank=optional,
        on_delete=models.PROTECT,
        related_name=related_name,
    )


def score_field(verbose_name=None, **options):
    """A figure of a computed year result or its ledger, to two decimals."""
    return models.DecimalField(verbose_name, max_digits=6, decimal_places=2, **options)


class EvaluationYear(ClusterableModel):
    """The year's scheme, authored by HR: how study and exams make the base score, the
    bonus cap and rules, the grade bands; and whether the year is finalised."""

    class Status(models.TextChoices):
        OPEN = "open", _("Not finalised")
        FINALISED = "finalised", _("Finalised")

    year = models.PositiveSmallIntegerField(
        pgettext_lazy("evaluation year", "year"),
        unique=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    required_credit_hours = models.DecimalField(
        _("required credit hours"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("20"),
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    study_weight = percent_field(
        _("study weight (%)"),
        default=Decimal("30"),
        help_text=_("Study score = credit hours earned / required, at most 100%."),
    )
    exam_weight = percent_field(
        _("exam weight (%)"),
        default=Decimal("70"),
        help_text=_("The study and exam weights add up to 100."),
    )
    quiz_share = percent_field(
        _("share of unit quizzes in the exam score (%)"),
        default=ZERO,
        help_text=_(
            "0 means the annual exam alone makes the exam score; otherwise the average "
            "of the cadre's unit quizzes makes this share of it."
        ),
    )
    bonus_cap = models.DecimalField(
        _("bonus cap (points)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10"),
        validators=[MinValueValidator(ZERO)],
    )
    top_band_requires_pass = models.BooleanField(
        _("the top band requires a passed annual exam"), default=True
    )
    leaderboard_visible = models.BooleanField(_("cadres see their rank in the unit"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, editable=False
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("evaluation year")
        verbose_name_plural = _("evaluation years")
        permissions = [("finalise_evaluationyear", _("Can finalise and reopen a year"))]

    def __str__(self):
        return str(self.year)

    def clean(self):
        weights = (self.study_weight or ZERO) + (self.exam_weight or ZERO)
        if weights != HUNDRED:
            raise ValidationError(
                {"exam_weight": _("The study and exam weights must add up to 100.")}
            )

    @property
    def is_finalised(self) -> bool:
        return self.status == self.Status.FINALISED


class GradeBand(models.Model):
    """A grade for totals at or above `min_score` (and below the next band up)."""

    evaluation_year = ParentalKey(
        EvaluationYear, on_delete=models.CASCADE, related_name="grade_bands"
    )
    name = models.CharField(_("name"), max_length=20)
    min_score = score_field(_("from total score"), validators=[MinValueValidator(ZERO)])

    class Meta:
        ordering = ["-min_score"]
        verbose_name = _("grade band")
        verbose_name_plural = _("grade bands")

    def __str__(self):
        return f"{self.name} ≥ {self.min_score}"


class BonusRule(models.Model):
    """An automatic bonus: fires at most once per cadre and year."""

    class Kind(models.TextChoices):
        EXAM_SCORE = "exam_score", _("Annual exam score at least")
        COURSES_BY_DATE = "courses_by", _("All required courses completed by")
        ALL_TRAINING = "all_training", _("Attended every training session of their audience")

    evaluation_year = ParentalKey(
        EvaluationYear, on_delete=models.CASCADE, related_name="bonus_rules"
    )
    kind = models.CharField(_("rule"), max_length=14, choices=Kind.choices)
    min_exam_score = percent_field(_("minimum annual exam score (of 100)"), null=True, blank=True)
    deadline = models.DateField(_("completed by (date)"), null=True, blank=True)
    points = points_field()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("bonus rule")
        verbose_name_plural = _("bonus rules")

    def __str__(self):
        return self.title

    def clean(self):
        if self.kind == self.Kind.EXAM_SCORE and self.min_exam_score is None:
            raise ValidationError({"min_exam_score": _("Give the minimum annual exam score.")})
        if self.kind == self.Kind.COURSES_BY_DATE and self.deadline is None:
            raise ValidationError({"deadline": _("Give the date the courses must be done by.")})

    @property
    def title(self) -> str:
        if self.kind == self.Kind.EXAM_SCORE:
            return _("Annual exam score at least %(score)s") % {"score": self.min_exam_score}
        if self.kind == self.Kind.COURSES_BY_DATE:
            return _("All required courses completed by %(date)s") % {"date": self.deadline}
        return str(self.Kind.ALL_TRAINING.label)


def evidence_upload_to(instance, filename):
    # A random name: evidence files are not guessable, whatever the cadre's name is.
    suffix = PurePath(filename).suffix.lower()[:6]
    return f"evaluation/evidence/{uuid.uuid4().hex}{suffix}"


# Named by migration 0001; an evidence file is checked like every upload (lms/uploads.py):
# size, extension, and a content that matches it.
validate_evidence_size = evidence_validator


def evidence_max_bytes() -> int:
    """The largest evidence file, read from settings.UPLOAD_LIMITS_MB when asked (not at
    import), so the form's help text and the check follow the settings in force."""
    return upload_limit_bytes("evidence")


class BonusAward(models.Model):
    """A bonus award (proposed by a unit leader, approved by HR) or a deduction (recorded
    by HR). Only approved rows count."""

    class Kind(models.TextChoices):
        AWARD = "award", _("Bonus award")
        DEDUCTION = "deduction", _("Deduction")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", pgettext_lazy("bonus award", "Rejected")

    evaluation_year = models.ForeignKey(
        EvaluationYear,
        verbose_name=pgettext_lazy("evaluation year", "year"),
        on_delete=models.PROTECT,
        related_name="bonus_awards",
    )
    cadre = person_field(_("cadre"), related_name="bonus_awards")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.AWARD)
    points = points_field(at_most=HUNDRED)
    reason = models.TextField(_("reason"))
    evidence = models.FileField(
        _("evidence"),
        upload_to=evidence_upload_to,
        blank=True,
        validators=[evidence_validator],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_by = person_field(_("proposed by"))
    proposed_at = models.DateTimeField(_("proposed at"))
    decided_by = person_field(_("decided by"), optional=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("bonus award")
        verbose_name_plural = _("bonus awards")
        permissions = [("approve_bonusaward", _("Can approve or reject bonus awards"))]
        constraints = [
            models.CheckConstraint(condition=Q(points__gt=0), name="bonus_award_points_positive"),
        ]
        indexes = [models.Index(fields=["evaluation_year", "status", "cadre"])]

    def __str__(self):
        return f"{self.cadre} {self.signed_points:+} ({self.get_status_display()})"

    @property
    def signed_points(self) -> Decimal:
        return -self.points if self.kind == self.Kind.DEDUCTION else self.points


class YearFinalisation(models.Model):
    """One finalisation of a year; its frozen results hang off it. Reopening keeps it."""

    evaluation_year = models.ForeignKey(
        EvaluationYear, on_delete=models.PROTECT, related_name="finalisations"
    )
    version = models.PositiveSmallIntegerField()
    finalised_by = person_field()
    finalised_at = models.DateTimeField()
    reopened_by = person_field(optional=True)
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopen_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["evaluation_year", "-version"]
        verbose_name = _("finalisation")
        verbose_name_plural = _("finalisations")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation_year", "version"], name="finalisation_version_unique"
            )
        ]

    def __str__(self):
        return f"{self.evaluation_year_id} v{self.version}"


class YearResult(models.Model):
    """A cadre's year: live (no finalisation, refreshed by `compute_year`) or frozen (written
    once by a finalisation and never changed). Unit, position and category are copied at
    compute time, so a frozen result keeps the unit the cadre was in."""

    evaluation_year = models.ForeignKey(
        EvaluationYear, on_delete=models.PROTECT, related_name="results"
    )
    finalisation = models.ForeignKey(
        YearFinalisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="results",
    )
    cadre = person_field(_("cadre"), related_name="year_results")
    unit = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name=_("unit"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit_name = models.CharField(max_length=100, blank=True)
    unit_path = models.CharField(max_length=255, blank=True, db_index=True)
    position = models.CharField(max_length=100, blank=True)
    category = models.CharField(max_length=20, blank=True)
    credit_hours = models.DecimalField(_("credit hours"), max_digits=7, decimal_places=1)
    study_score = score_field()
    annual_score = score_field(null=True)
    annual_passed = models.BooleanField(null=True)
    quiz_average = score_field(null=True)
    exam_score = score_field(_("exam score"))
    base_score = score_field(_("base score"))
    bonus = score_field(_("bonus"))
    deductions = score_field(_("deductions"))
    total = score_field(_("total"))
    grade = models.CharField(_("grade"), max_length=20, blank=True)
    rank_in_unit = models.PositiveIntegerField(_("rank in unit"), null=True)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["unit_path", "rank_in_unit", "pk"]
        verbose_name = _("year result")
        verbose_name_plural = _("year results")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation_year", "cadre"],
                condition=Q(finalisation__isnull=True),
                name="one_live_result_per_cadre",
            ),
            models.UniqueConstraint(
                fields=["finalisation", "cadre"], name="one_frozen_result_per_cadre"
            ),
        ]
        indexes = [models.Index(fields=["evaluation_year", "finalisation", "unit"])]

    def __str__(self):
        return f"{self.cadre_id} · {self.evaluation_year_id} · {self.total}"

    @property
    def category_label(self) -> str:
        from lms.accounts.models import CadreCategory

        return str(CadreCategory(self.category).label) if self.category else ""


class LedgerEntry(models.Model):
    """A frozen row behind a frozen result: where some of its points came from."""

    class Source(models.TextChoices):
        CREDIT = "credit", _("Study credit")
        ATTEMPT = "attempt", _("Exam")
        RULE = "rule", _("Automatic bonus")
        AWARD = "award", _("Bonus award")
        DEDUCTION = "deduction", _("Deduction")

    result = models.ForeignKey(YearResult, on_delete=models.CASCADE, related_name="entries")
    position = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=10, choices=Source.choices)
    source_id = models.PositiveBigIntegerField(null=True)
    title = models.CharField(max_length=255)
    # Credit hours for study rows, the score out of 100 for exam rows.
    quantity = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    note = models.CharField(max_length=100, blank=True)
    points = score_field()

    class Meta:
        ordering = ["result", "position"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")

    def __str__(self):
        return f"{self.result_id}:{self.position} {self.points}"
