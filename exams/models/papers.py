"""Exam papers: settings, fixed questions, and random draw rules."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from courses.audience import CategorySetField
from exams.scoring import DEFAULT_PASS_PERCENT

from .bank import Difficulty, QuestionCategory, QuestionKind


class Exam(ClusterableModel):
    class Kind(models.TextChoices):
        PRACTICE = "practice", _("Practice")
        QUIZ = "quiz", _("Unit quiz")
        ANNUAL = "annual", _("Annual exam")

    class Counting(models.TextChoices):
        HIGHEST = "highest", _("Highest attempt")
        LAST = "last", _("Last attempt")

    class MultipleScoring(models.TextChoices):
        ALL_OR_NOTHING = "all", _("All or nothing")
        PARTIAL = "partial", _("Partial credit")

    class ReviewPolicy(models.TextChoices):
        NEVER = "never", _("Never")
        AFTER_SUBMIT = "after_submit", _("Right after submitting")
        AFTER_CLOSE = "after_close", _("After the exam closes")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.QUIZ)
    year = models.PositiveSmallIntegerField(pgettext_lazy("evaluation year", "year"), db_index=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"), null=True, blank=True
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=1, help_text=_("0 means unlimited.")
    )
    counting = models.CharField(
        _("attempt that counts"), max_length=8, choices=Counting.choices, default=Counting.HIGHEST
    )
    pass_percent = models.PositiveSmallIntegerField(
        _("pass mark (% of the paper's points)"),
        default=DEFAULT_PASS_PERCENT,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Cadres see it in whole points: 60 % of a 97-point paper is a pass mark of 58 points."
        ),
    )
    audience_units = models.ManyToManyField(
        "accounts.OrgUnit", verbose_name=_("audience units"), blank=True, related_name="+"
    )
    audience_categories = CategorySetField(_("audience categories"))
    counts_for_evaluation = models.BooleanField(
        _("counts toward the annual evaluation"), default=False
    )
    fixed_draw_count = models.PositiveSmallIntegerField(
        _("fixed questions drawn for each cadre"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Empty: every cadre answers every fixed question. A number: the fixed questions "
            "are a pool, and each cadre answers that many of them, drawn at random."
        ),
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    multiple_scoring = models.CharField(
        _("multiple-choice scoring"),
        max_length=8,
        choices=MultipleScoring.choices,
        default=MultipleScoring.ALL_OR_NOTHING,
    )
    review_policy = models.CharField(
        _("review"), max_length=14, choices=ReviewPolicy.choices, default=ReviewPolicy.AFTER_SUBMIT
    )
    review_shows_answers = models.BooleanField(
        _("review shows correct answers and explanations"), default=True
    )
    # Leaving the exam page (another app, another tab, the phone's home screen) is counted
    # on the server; at this count the paper is submitted as it stands.
    leave_limit = models.PositiveSmallIntegerField(
        _("times a cadre may leave the exam page"),
        null=True,
        blank=True,
        help_text=_(
            "At this count the paper is submitted automatically, with a warning one time "
            "before. Empty: leaving is counted but never ends the exam."
        ),
    )
    required_credit_hours = models.DecimalField(
        _("credit hours required this year before starting"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
    )
    certificates = models.BooleanField(_("certificate on passing"), default=False)
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("exam")
        verbose_name_plural = _("exams")

    def __str__(self):
        return self.title

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The exam must close after it opens.")})


class ExamQuestion(models.Model):
    exam = ParentalKey(Exam, on_delete=models.CASCADE, related_name="fixed_questions")
    question = models.ForeignKey(
        "exams.Question", verbose_name=_("question"), on_delete=models.PROTECT, related_name="+"
    )
    points = models.DecimalField(
        _("points"), max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["exam", "sort_order", "pk"]
        verbose_name = _("fixed question")
        verbose_name_plural = _("fixed questions")
        constraints = [
            models.UniqueConstraint(fields=["exam", "question"], name="exam_question_unique")
        ]

    def __str__(self):
        return f"{self.exam_id}: {self.question_id}"


class ExamRule(models.Model):
    """Draw `count` questions of a kind from a category (and its subcategories)."""

    exam = ParentalKey(Exam, on_delete=models.CASCADE, related_name="rules")
    count = models.PositiveSmallIntegerField(
        _("number of questions"), validators=[MinValueValidator(1)]
    )
    kind = models.CharField(_("type"), max_length=10, choices=QuestionKind.choices)
    category = models.ForeignKey(
        QuestionCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    difficulty = models.CharField(
        _("difficulty"), max_length=6, choices=Difficulty.choices, blank=True
    )
    points = models.DecimalField(
        _("points each"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["exam", "sort_order", "pk"]
        verbose_name = _("random rule")
        verbose_name_plural = _("random rules")

    def __str__(self):
        return f"{self.count} × {self.get_kind_display()} @ {self.category}"


class ExamSlot(models.Model):
    """A time slot of the exam for some units (县里分批考试): their cadres may start only
    within it, so that a county spreads its start storm. A unit's slot covers the units
    below it; a cadre follows the slots of the nearest unit above them that has any
    (`exams/services/slots.py`), and the exam's own window when none has.

    Not a child of the paper's form: HR sets slots without the right to edit papers."""

    exam = models.ForeignKey(
        Exam, verbose_name=_("exam"), on_delete=models.CASCADE, related_name="slots"
    )
    units = models.ManyToManyField(
        "accounts.OrgUnit",
        verbose_name=_("units"),
        related_name="+",
        help_text=_("A unit's slot covers the units below it."),
    )
    starts_at = models.DateTimeField(pgettext_lazy("exam slot", "starts at"))
    ends_at = models.DateTimeField(pgettext_lazy("exam slot", "ends at"))

    class Meta:
        ordering = ["exam", "starts_at", "pk"]
        verbose_name = _("exam slot")
        verbose_name_plural = _("exam slots")

    def __str__(self):
        from exams.services.slots import slot_text

        return f"{self.exam} · {slot_text(self.starts_at, self.ends_at)}"
