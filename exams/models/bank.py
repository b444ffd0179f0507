"""The question bank: categories, questions, and their immutable versions.

A Question is the stable identity (category, kind, law reference, status); its text,
choices and answer key live in QuestionVersion rows. A version that an attempt has used
is never changed: editing the question then writes a new version.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from taggit.managers import TaggableManager

from exams.kinds import QuestionKind
from lms.tree import MaterialisedPathMixin, parent_field

CHOICE_KEYS = "ABCDEFGH"


class Difficulty(models.TextChoices):
    EASY = "easy", _("Easy")
    MEDIUM = "medium", _("Medium")
    HARD = "hard", _("Hard")


class QuestionStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("question status", "Active")
    RETIRED = "retired", _("Retired")


class QuestionCategory(MaterialisedPathMixin):
    """A node of the category tree, e.g. "2021年新法 / 行政处罚法"; `full_path` holds the
    names joined by " / " so a subtree is one prefix query (lms/tree.py)."""

    SEPARATOR = " / "
    path_field = "full_path"
    path_separator = SEPARATOR
    path_wrapped = False
    cycle_message = _("A category cannot be placed inside itself.")

    name = models.CharField(_("name"), max_length=100)
    parent = parent_field(_("parent category"))
    full_path = models.CharField(max_length=500, unique=True, editable=False)

    class Meta:
        ordering = ["full_path"]
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="category_name_unique")
        ]

    def __str__(self):
        return self.full_path

    def path_segment(self):
        return self.name

    @classmethod
    def ensure_path(cls, names) -> "QuestionCategory":
        parent = None
        for name in names:
            parent, _created = cls.objects.get_or_create(parent=parent, name=name.strip()[:100])
        return parent


class Question(models.Model):
    category = models.ForeignKey(
        QuestionCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="questions",
    )
    kind = models.CharField(_("type"), max_length=10, choices=QuestionKind.choices)
    difficulty = models.CharField(
        _("difficulty"), max_length=6, choices=Difficulty.choices, default=Difficulty.MEDIUM
    )
    default_points = models.DecimalField(
        _("default points"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=QuestionStatus.choices,
        default=QuestionStatus.ACTIVE,
        db_index=True,
    )
    law = models.ForeignKey(
        "courses.Law",
        verbose_name=_("law"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="questions",
    )
    law_articles = models.CharField(
        _("article numbers"),
        max_length=100,
        blank=True,
        help_text=_("For example: 5, 7-9, 120之一"),
    )
    law_reference = models.CharField(_("legal basis (as written)"), max_length=200, blank=True)
    # Set when a newer version of the cited law changed or removed a cited article: what
    # to check ("《行政处罚法》2021 年版：第三十三条已修改"). Cleared when the question is saved.
    law_review = models.CharField(_("law change to review"), max_length=300, blank=True)
    tags = TaggableManager(verbose_name=_("tags"), blank=True)
    current_version = models.OneToOneField(
        "exams.QuestionVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The stem as plain text, for duplicate detection and substring search in Chinese.
    stem_text = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["category__full_path", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [models.Index(fields=["kind", "difficulty", "status", "category"])]

    def __str__(self):
        text = self.stem_text or ""
        return text[:40] + ("…" if len(text) > 40 else "")


class QuestionVersion(models.Model):
    """What a cadre sees and how it is scored, frozen once an attempt holds it.

    choices: [{"key": "A", "text": "<p>…</p>", "fraction": "1"}, …] in authored order;
      fraction is the share of the points a choice carries (Moodle's grade), 1 for a
      fully correct choice, 0 for a wrong one, negative for a penalty.
    blanks: [["accepted", "also accepted"], …], one list per blank.
    """

    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(default=1)
    stem = models.TextField(_("stem"))
    choices = models.JSONField(_("choices"), default=list, blank=True)
    blanks = models.JSONField(_("blanks"), default=list, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["question", "number"]
        verbose_name = _("question version")
        verbose_name_plural = _("question versions")
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="question_version_unique")
        ]

    def __str__(self):
        return f"{self.question_id} v{self.number}"

    @property
    def correct_keys(self) -> list[str]:
        return [c["key"] for c in self.choices if Decimal(str(c.get("fraction", 0))) > 0]


class QuestionReport(models.Model):
    """A cadre's report of an error in a question (纠错)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")
        REJECTED = "rejected", pgettext_lazy("error report", "Rejected")

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="reports")
    version = models.ForeignKey(
        QuestionVersion, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("what is wrong"), max_length=1000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("question error report")
        verbose_name_plural = _("question error reports")

    def __str__(self):
        return f"{self.question_id}: {self.text[:30]}"
