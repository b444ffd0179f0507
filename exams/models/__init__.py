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
from .papers import Exam, ExamQuestion, ExamRule

__all__ = [
    "Attempt",
    "AttemptItem",
    "Difficulty",
    "Exam",
    "ExamQuestion",
    "ExamRule",
    "Question",
    "QuestionCategory",
    "QuestionKind",
    "QuestionReport",
    "QuestionStatus",
    "QuestionVersion",
]
