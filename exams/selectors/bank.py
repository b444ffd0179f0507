"""Reads of the question bank for the admin: the listing with its flags, subtrees."""

from django.db.models import OuterRef, Q, QuerySet

from courses.selectors_laws import outdated_law_q
from exams.models import Question, QuestionCategory, QuestionReport
from lms.subqueries import count_per

OUTDATED_LAW = outdated_law_q()


def questions_in_category(category: QuestionCategory) -> Q:
    """Filter for a category and all its subcategories (one prefix match)."""
    return category.subtree_q("category")


def question_listing() -> QuerySet:
    """Questions with what the listing shows, in one query: category and law joined,
    `needs_review` (the cited law was amended or repealed since) and `open_reports`."""
    open_reports = QuestionReport.objects.filter(
        question=OuterRef("pk"), status=QuestionReport.Status.OPEN
    )
    return Question.objects.select_related("category", "law").annotate(
        needs_review=OUTDATED_LAW | ~Q(law_review=""),
        open_reports=count_per(open_reports, "question"),
    )
