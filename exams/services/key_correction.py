"""Correcting a wrong answer key after an exam: the plan a trainer confirms, then
re-pointing the exam's attempts to the corrected version and re-grading them, with the
mistake book and the action log following (a write, beside the statistics it starts from)."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from exams.models import Attempt, AttemptItem, QuestionKind, QuestionVersion
from exams.services.attempts import attempt_regrade
from exams.services.integrity import REGRADE_ACTION, attempt_log
from exams.services.mistakes import mistakes_add, mistakes_withdraw

KEY_CORRECTION_ACTION = "exams.key_correction"


def _shown(version, kind) -> tuple:
    """What a cadre sees of a version: stem, choice keys and texts in order, how many
    blanks. Two versions that agree on this differ only in their key or explanation."""
    if kind == QuestionKind.BLANK:
        return (version.stem, len(version.blanks))
    return (version.stem, [(choice["key"], choice["text"]) for choice in version.choices])


@dataclass(frozen=True)
class KeyCorrectionPlan:
    question: object
    current: QuestionVersion
    # (version, how many items of this exam's attempts hold it, same display as current)
    versions: list[tuple[QuestionVersion, int, bool]]
    graded_attempts: int

    @property
    def items(self) -> int:
        return sum(count for _version, count, _same in self.versions)

    @property
    def blocked(self) -> bool:
        return any(not same for _version, _count, same in self.versions)


def key_correction_plan(*, exam, question) -> KeyCorrectionPlan:
    """Which frozen versions of a question this exam's attempts hold besides the current
    one, and whether each shows the cadre exactly what the current one does."""
    current = question.current_version
    if current is None:
        raise ValidationError(_("This question has no version yet."))
    stale = AttemptItem.objects.filter(attempt__exam=exam, question=question).exclude(
        version=current
    )
    counts = dict(
        stale.order_by().values("version_id").annotate(n=Count("pk")).values_list("version_id", "n")
    )
    shown = _shown(current, question.kind)
    versions = [
        (version, counts[version.pk], _shown(version, question.kind) == shown)
        for version in QuestionVersion.objects.filter(pk__in=counts).order_by("number")
    ]
    graded = (
        Attempt.objects.filter(
            exam=exam, status=Attempt.Status.GRADED, items__in=stale.values("pk")
        )
        .distinct()
        .count()
    )
    return KeyCorrectionPlan(
        question=question, current=current, versions=versions, graded_attempts=graded
    )


@dataclass(frozen=True)
class KeyCorrection:
    items: int
    attempts: int
    changed: int
    delta: Decimal


@transaction.atomic
def exam_key_correct(*, exam, question, by, ip=None) -> KeyCorrection:
    """Apply the question's corrected key (its current version) to this exam's attempts.

    The frozen versions are never edited: the attempts' rows are re-pointed to the current
    version, which is allowed only when it shows exactly what the cadre saw (same stem,
    same choices in the same order, same number of blanks) so that only the key and the
    explanation change. Graded attempts are re-graded; attempts in progress are graded
    with the corrected key when submitted. The mistake book follows the new verdicts, and
    the change is logged on the exam with every score that moved."""
    plan = key_correction_plan(exam=exam, question=question)
    if not plan.versions:
        raise ValidationError(_("Every attempt already uses the current version of this question."))
    if plan.blocked:
        raise ValidationError(
            _(
                "The current version changes more than the answer key (the stem, the choices "
                "or their number): re-grading would score cadres on a question they did not "
                "see. Correct only the key and the explanation."
            )
        )
    stale = AttemptItem.objects.filter(attempt__exam=exam, question=question).exclude(
        version=plan.current
    )
    before = {
        row[0]: row
        for row in stale.filter(attempt__status=Attempt.Status.GRADED).values_list(
            "pk", "attempt_id", "attempt__user_id", "score", "points"
        )
    }
    old_versions = [version.pk for version, _count, _same in plan.versions]
    attempt_ids = {row[1] for row in before.values()}
    items = stale.update(version=plan.current)
    changes = []
    for attempt in Attempt.objects.filter(pk__in=attempt_ids).order_by("pk"):
        old = attempt.score
        delta = attempt_regrade(attempt=attempt)
        attempt_log(
            attempt=attempt,
            action=REGRADE_ACTION,
            by=by,
            ip=ip,
            question=question.pk,
            before=str(old),
            after=str(old + delta),
        )
        if delta:
            changes.append({"attempt": attempt.pk, "before": str(old), "after": str(old + delta)})
    after = dict(AttemptItem.objects.filter(pk__in=before).values_list("pk", "score"))
    newly_wrong: dict[int, list[int]] = {}
    newly_right: dict[int, list[int]] = {}
    for pk, (_pk, _attempt, user_id, score, points) in before.items():
        was_right, is_right = score == points, after.get(pk) == points
        if was_right and not is_right:
            newly_wrong.setdefault(user_id, []).append(question.pk)
        elif is_right and not was_right:
            newly_right.setdefault(user_id, []).append(question.pk)
    for user_id, question_ids in newly_wrong.items():
        mistakes_add(user_id=user_id, question_ids=question_ids)
    for user_id, question_ids in newly_right.items():
        mistakes_withdraw(user_id=user_id, question_ids=question_ids)
    total = sum((Decimal(c["after"]) - Decimal(c["before"]) for c in changes), Decimal("0"))
    log(
        instance=exam,
        action=KEY_CORRECTION_ACTION,
        user=by,
        data={
            "ip": ip,
            "question": question.pk,
            "question_text": str(question),
            "to_version": plan.current.pk,
            "from_versions": old_versions,
            "items": items,
            "attempts": len(attempt_ids),
            "score_changes": changes,
        },
    )
    return KeyCorrection(
        items=items,
        attempts=len(attempt_ids),
        changed=len(changes),
        delta=total,
    )
