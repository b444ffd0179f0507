"""The kinds of question, once for the bank, the importers, scoring and the answer save's
SQL. Only Django's TextChoices: the parsers and the pure scoring module use it without
loading the app's models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUEFALSE = "truefalse", _("True or false")
    BLANK = "blank", _("Fill in the blank")


# Answered by naming choices (A, B, …), not by writing in blanks.
CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUEFALSE)
# Answered by naming exactly one choice.
ONE_CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.TRUEFALSE)
