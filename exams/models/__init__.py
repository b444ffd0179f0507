"""Exam models: the question bank (definitions), exam papers, and attempts (records)."""

from .attempts import Attempt, AttemptItem
from .bank import (
    Difficulty,
    Question,
    QuestionCategory,
    QuestionKind,
    QuestionReport,
    QuestionStatus,
    QuestionVersion,
)
from .papers import Exam, ExamQuestion, ExamRule, ExamSlot
from .practice import DailyPracticeItem, MistakeEntry

__all__ = [
    "Attempt",
    "AttemptItem",
    "DailyPracticeItem",
    "Difficulty",
    "Exam",
    "ExamQuestion",
    "ExamRule",
    "ExamSlot",
    "MistakeEntry",
    "Question",
    "QuestionCategory",
    "QuestionKind",
    "QuestionReport",
    "QuestionStatus",
    "QuestionVersion",
]
