"""Plain data produced by the question importers.

Free of the app's models so the parsers can be tested and reused on their own (the
kinds are the bank's own enum, which needs only Django's TextChoices); a service layer
turns these into model instances.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from exams.kinds import QuestionKind
from lms.tabular import RowError

__all__ = ["QuestionKind", "RowError"]


@dataclass
class ParsedChoice:
    text: str  # sanitised HTML
    fraction: Decimal  # -1..1; 1 = fully correct, 0 = wrong, negative = penalty
    feedback: str = ""


@dataclass
class ParsedImage:
    name: str
    data: bytes


@dataclass
class ParsedQuestion:
    kind: str
    name: str
    stem: str
    choices: list[ParsedChoice] = field(default_factory=list)
    blanks: list[list[str]] = field(default_factory=list)
    explanation: str = ""
    category: tuple[str, ...] = ()
    difficulty: str = "medium"
    points: Decimal = Decimal("1")
    law_reference: str = ""
    images: list[ParsedImage] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    source: str = ""


@dataclass
class SkippedQuestion:
    name: str
    qtype: str
    reason: str


@dataclass
class ParseResult:
    questions: list[ParsedQuestion]
    skipped: list[SkippedQuestion]
    errors: list[RowError]
    warnings: list[str]

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportFormatError(ValueError):
    """The file as a whole cannot be read; the message is shown to the user (Chinese)."""
