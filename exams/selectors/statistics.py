"""Exam statistics for trainers: who took it, the score distribution, pass rates per
unit, and each question's facility and discrimination. Three queries whatever the number
of attempts: attempts, their items, and the questions' labels, each read as values()."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from exams.models import Attempt, AttemptItem, Exam, Question
from exams.selectors.counted import replaces_counted

BANDS = 10
# Classical item analysis compares the top and bottom 27% of candidates by total score.
GROUP_SHARE = Decimal("0.27")


@dataclass(frozen=True)
class UnitStat:
    unit_id: int | None
    name: str
    taken: int
    passed: int

    @property
    def pass_rate(self) -> float:
        return self.passed / self.taken if self.taken else 0.0


@dataclass(frozen=True)
class QuestionStat:
    question_id: int
    label: str
    kind: str
    drawn: int
    right: int
    facility: float | None
    discrimination: float | None

    @property
    def suspicious(self) -> bool:
        """Stronger cadres get it wrong more often than weaker ones: check the key."""
        return self.discrimination is not None and self.discrimination < 0


@dataclass(frozen=True)
class ExamStats:
    exam: Exam
    taken: int
    graded_attempts: int
    passed: int
    mean_score: Decimal | None
    max_score: Decimal
    bands: list[tuple[str, int]]
    units: list[UnitStat]
    questions: list[QuestionStat]
    group_size: int

    @property
    def pass_rate(self) -> float:
        return self.passed / self.taken if self.taken else 0.0


def _counted(rows, counting) -> list[dict]:
    """Each cadre's attempt that counts (highest, or last), as the paper says."""
    best: dict[int, dict] = {}
    for row in rows:  # ordered by user, then number
        current = best.get(row["user_id"])
        if current is None or replaces_counted(counting, row["score"], current["score"]):
            best[row["user_id"]] = row
    return list(best.values())


def _band(score, max_score) -> int:
    if not max_score:
        return 0
    share = Decimal(score or 0) / Decimal(max_score)
    return max(0, min(BANDS - 1, int(share * BANDS)))


def _band_labels() -> list[str]:
    step = 100 // BANDS
    return [f"{low}–{low + step}%" for low in range(0, 100, step)]


def exam_statistics(*, exam) -> ExamStats:
    """Statistics over each cadre's counted attempt (one per cadre, so that repeated
    practice attempts do not outweigh a single sitting)."""
    rows = list(
        Attempt.objects.filter(exam=exam, status=Attempt.Status.GRADED)
        .order_by("user_id", "number")
        .values(
            "pk",
            "user_id",
            "score",
            "max_score",
            "passed",
            "user__unit_id",
            "user__unit__name",
            "user__unit__path",
        )
    )
    counted = _counted(rows, exam.counting)
    counted_ids = {row["pk"] for row in counted}

    bands = [0] * BANDS
    units: dict[int | None, dict] = {}
    for row in counted:
        bands[_band(row["score"], row["max_score"])] += 1
        unit = units.setdefault(
            row["user__unit_id"],
            {
                "name": row["user__unit__name"] or "—",
                "path": row["user__unit__path"] or "",
                "taken": 0,
                "passed": 0,
            },
        )
        unit["taken"] += 1
        unit["passed"] += 1 if row["passed"] else 0

    # Upper and lower groups by total score; ties broken by id so the split is stable.
    ranked = sorted(counted, key=lambda row: (row["score"] or 0, row["pk"]))
    group = max(1, int(len(ranked) * GROUP_SHARE + Decimal("0.5"))) if len(ranked) >= 2 else 0
    lower = {row["pk"] for row in ranked[:group]}
    upper = {row["pk"] for row in ranked[len(ranked) - group :]} if group else set()

    per_question: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    # [drawn, right, upper drawn, upper right, lower drawn, lower right]
    items = AttemptItem.objects.filter(
        attempt__exam=exam, attempt__status=Attempt.Status.GRADED
    ).values_list("attempt_id", "question_id", "score", "points")
    for attempt_id, question_id, score, points in items.iterator(chunk_size=5000):
        if attempt_id not in counted_ids:
            continue
        right = 1 if score is not None and score == points else 0
        tally = per_question[question_id]
        tally[0] += 1
        tally[1] += right
        if attempt_id in upper:
            tally[2] += 1
            tally[3] += right
        if attempt_id in lower:
            tally[4] += 1
            tally[5] += right

    labels = {
        row["pk"]: row
        for row in Question.objects.filter(pk__in=list(per_question)).values(
            "pk", "stem_text", "kind"
        )
    }
    questions = []
    for question_id, (drawn, right, up_n, up_r, low_n, low_r) in per_question.items():
        label = labels.get(question_id, {})
        questions.append(
            QuestionStat(
                question_id=question_id,
                label=(label.get("stem_text") or "")[:80],
                kind=label.get("kind", ""),
                drawn=drawn,
                right=right,
                facility=right / drawn if drawn else None,
                discrimination=(up_r / up_n - low_r / low_n) if up_n and low_n else None,
            )
        )
    questions.sort(key=lambda q: (q.facility is None, q.facility or 0, q.question_id))

    scores = [Decimal(row["score"] or 0) for row in counted]
    return ExamStats(
        exam=exam,
        taken=len(counted),
        graded_attempts=len(rows),
        passed=sum(1 for row in counted if row["passed"]),
        mean_score=(sum(scores) / len(scores)).quantize(Decimal("0.01")) if scores else None,
        max_score=max((Decimal(row["max_score"]) for row in counted), default=Decimal("0")),
        bands=list(zip(_band_labels(), bands, strict=True)),
        units=[
            UnitStat(unit_id=unit_id, name=unit["name"], taken=unit["taken"], passed=unit["passed"])
            for unit_id, unit in sorted(units.items(), key=lambda kv: kv[1]["path"])
        ],
        questions=questions,
        group_size=group,
    )


def exam_statistics_headings() -> dict[str, list[str]]:
    """Column headings of the statistics export, per sheet."""
    return {
        "bands": [_("Score band"), _("Cadres")],
        "units": [_("Unit"), _("Took it"), _("Passed"), _("Pass rate")],
        "questions": [
            _("Question id"),
            _("Question"),
            pgettext("question", "Type"),
            _("Drawn"),
            _("Answered right"),
            _("Facility"),
            _("Discrimination"),
        ],
    }
