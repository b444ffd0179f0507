"""Reads of the question bank for the admin: the listing with its flags, subtrees."""

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from courses.selectors_laws import outdated_law_q
from exams.models import Question, QuestionCategory, QuestionReport

OUTDATED_LAW = outdated_law_q()


def questions_in_category(category: QuestionCategory) -> Q:
    """Filter for a category and all its subcategories (one prefix match)."""
    return Q(category=category) | Q(
        category__full_path__startswith=category.full_path + QuestionCategory.SEPARATOR
    )


def question_listing() -> QuerySet:
    """Questions with what the listing shows, in one query: category and law joined,
    `needs_review` (the cited law was amended or repealed since) and `open_reports`."""
    open_reports = (
        QuestionReport.objects.filter(question=OuterRef("pk"), status=QuestionReport.Status.OPEN)
        .order_by()
        .values("question")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Question.objects.select_related("category", "law").annotate(
        needs_review=OUTDATED_LAW | ~Q(law_review=""),
        open_reports=Coalesce(Subquery(open_reports, output_field=IntegerField()), 0),
    )
