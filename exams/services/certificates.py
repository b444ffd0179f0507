"""Certificates for passed exams (the cadre's printable page and the public check), and
cadres' reports of errors in questions (纠错)."""

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from exams.models import Attempt, AttemptItem, QuestionReport
from exams.services.attempts import AttemptError

# What certificate_code_new writes.
CODE_PATTERN = re.compile(r"^[0-9A-F]{10}$")
REPORT_MAX_LENGTH = 1000


def _certificates(user):
    """The cadre's passed attempts on papers that award a certificate: what a certificate is."""
    return (
        Attempt.objects.select_related("exam")
        .filter(user=user, status=Attempt.Status.GRADED, passed=True, exam__certificates=True)
        .exclude(certificate_code="")
    )


def certificate_of(*, attempt_id: int, user) -> Attempt:
    """The cadre's own passed attempt that carries a certificate, or 404."""
    attempt = _certificates(user).select_related("user", "user__unit").filter(pk=attempt_id).first()
    if attempt is None:
        raise Http404
    return attempt


def certificates_of(*, user) -> list[Attempt]:
    """Every certificate the cadre holds (their passed attempts on papers that award one),
    newest first, in one query."""
    return list(_certificates(user).order_by("-submitted_at", "-pk"))


def name_mask(name: str) -> str:
    """王建国 -> 王*国, 王五 -> 王*, 欧阳建国 -> 欧**国: enough to match the name printed on
    the certificate in hand, not enough to learn who holds it."""
    name = (name or "").strip()
    if len(name) <= 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


@dataclass(frozen=True)
class CertificateCheck:
    code: str
    masked_name: str
    exam_title: str
    passed_on: date | None
    valid: bool


def certificate_verify(*, code: str) -> CertificateCheck | None:
    """What the public verification page may say about a code, or None if no certificate
    has it. A certificate whose attempt a re-grade failed is shown as no longer valid."""
    code = (code or "").strip().upper()
    if not CODE_PATTERN.match(code):
        return None
    row = (
        Attempt.objects.filter(certificate_code=code, status=Attempt.Status.GRADED)
        .values("passed", "submitted_at", "exam__title", "exam__certificates", "user__name")
        .first()
    )
    if row is None:
        return None
    submitted = row["submitted_at"]
    return CertificateCheck(
        code=code,
        masked_name=name_mask(row["user__name"]),
        exam_title=row["exam__title"],
        passed_on=timezone.localdate(submitted) if submitted else None,
        valid=bool(row["passed"]) and row["exam__certificates"],
    )


def question_report_create(*, attempt_id: int, user, position, text: str) -> QuestionReport:
    """A cadre's report of an error in a question of their own graded attempt; one open
    report per cadre and question."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Say what is wrong with the question."))
    if len(text) > REPORT_MAX_LENGTH:
        raise ValidationError(_("Keep the report to %(n)d characters.") % {"n": REPORT_MAX_LENGTH})
    item = (
        AttemptItem.objects.select_related("attempt")
        .filter(attempt_id=attempt_id, attempt__user=user, position=position)
        .first()
    )
    if item is None:
        raise AttemptError(_("This attempt has no such question."), 404)
    if item.attempt.status != Attempt.Status.GRADED:
        raise AttemptError(_("Report errors after submitting, from the review."), 409)
    already = QuestionReport.objects.filter(
        question_id=item.question_id, user=user, status=QuestionReport.Status.OPEN
    ).exists()
    if already:
        raise AttemptError(
            _("You have already reported this question; the trainers will look at it."), 409
        )
    return QuestionReport.objects.create(
        question_id=item.question_id, version_id=item.version_id, user=user, text=text
    )
