"""Study credit: the one place that writes StudyCredit rows."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from courses.models import StudyCredit


def study_credit_record(
    *,
    user,
    source: str,
    credit_hours: Decimal,
    title: str,
    course=None,
    training_session=None,
    earned_at=None,
) -> tuple[StudyCredit, bool]:
    """Write a credit row once per (cadre, course) or (cadre, training session).

    Returns the row and whether it was created; a second call returns the first row, so
    returning to a completed course or checking in twice never adds hours.
    """
    earned_at = earned_at or timezone.now()
    lookup = {"user": user, "course": course, "training_session": training_session}
    existing = (
        StudyCredit.objects.filter(**lookup).first() if (course or training_session) else None
    )
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            credit = StudyCredit.objects.create(
                **lookup,
                source=source,
                credit_hours=credit_hours,
                title=title[:255],
                earned_at=earned_at,
                year=timezone.localtime(earned_at).year,
            )
    except IntegrityError:
        # A concurrent request wrote it first; the constraint keeps it at one row.
        return StudyCredit.objects.get(**lookup), False
    return credit, True
