"""Demo evaluation (idempotent): last year finalised, with study credit, an annual exam and
awards; this year live, with a scheme, study credit and awards proposed and approved.

Exam attempts are written directly (graded) because the demo has no exam engine data for
past years; this year's attempts come from the exams demo."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from courses.models import StudyCredit
from exams.demo_exams import annual_paper_rules_set
from exams.models import Attempt, Exam
from exams.scoring import score_passes
from exams.services.attempts import certificate_code_new
from lms.accounts.models import User

from .models import BonusAward, BonusRule, EvaluationYear
from .services import (
    bonus_award_approve,
    bonus_award_propose,
    evaluated_cadres,
    evaluation_year_create,
    evaluation_year_finalise,
    year_compute,
)

DEMO_CADRE = "13800000001"
STUDY_TITLES = [
    "《中华人民共和国民法典》总则编",
    "《中华人民共和国行政处罚法》修订要点",
    "《中华人民共和国乡村振兴促进法》",
    "《中华人民共和国个人信息保护法》",
    "集中学法培训（镇党委理论学习中心组）",
]
# A year's awards: which of the led cadres, the points, the reason, whether HR approved.
LAST_YEAR_AWARDS = [
    (0, "3", "在防汛抢险中依法组织群众转移，受到县政府通报表扬", True),
    (1, "2", "依法调解土地承包纠纷 5 起，无一上访", True),
]
THIS_YEAR_AWARDS = [
    (0, "2", "运用《民法典》相邻关系规定化解宅基地纠纷", True),
    (2, "1.5", "组织村民学习个人信息保护法，获镇普法先进", False),
]


def _scheme(year: int, hr) -> EvaluationYear:
    existing = EvaluationYear.objects.filter(year=year).first()
    if existing:
        return existing
    return evaluation_year_create(
        year=year,
        by=hr,
        required_credit_hours=Decimal("20"),
        study_weight=Decimal("30"),
        exam_weight=Decimal("70"),
        bonus_cap=Decimal("10"),
        rules=[
            {
                "kind": BonusRule.Kind.EXAM_SCORE,
                "min_exam_score": Decimal("90"),
                "points": Decimal("2"),
            },
            {
                "kind": BonusRule.Kind.COURSES_BY_DATE,
                "deadline": date(year, 10, 31),
                "points": Decimal("1"),
            },
            {"kind": BonusRule.Kind.ALL_TRAINING, "points": Decimal("1")},
        ],
    )


def _at(year: int, month: int, day: int, hour: int = 10):
    return timezone.make_aware(datetime(year, month, day, hour))


def _credits(cadres, year: int, months=12) -> int:
    """Manual study credit for each cadre, 2 to 5 rows; a few cadres fall short."""
    existing = set(
        StudyCredit.objects.filter(
            year=year, user__in=cadres, source=StudyCredit.Source.MANUAL
        ).values_list("user_id", "title")
    )
    rows = []
    for index, cadre in enumerate(cadres):
        for n in range(len(STUDY_TITLES) if cadre.username == DEMO_CADRE else 2 + index % 4):
            title = STUDY_TITLES[n]
            if (cadre.pk, title) in existing:
                continue
            month = 1 + (index + n * 2) % months
            rows.append(
                StudyCredit(
                    user=cadre,
                    year=year,
                    source=StudyCredit.Source.MANUAL,
                    credit_hours=Decimal(4 + (index + n) % 4),
                    title=title,
                    earned_at=min(_at(year, month, 10 + n), timezone.now()),
                )
            )
    return len(StudyCredit.objects.bulk_create(rows))


def _annual_exam(year: int, cadres) -> int:
    exam, _created = Exam.objects.get_or_create(
        title=f"{year}年度干部学法用法考试",
        year=year,
        defaults={
            "kind": Exam.Kind.ANNUAL,
            "opens_at": _at(year, 11, 20, 9),
            "closes_at": _at(year, 11, 30, 18),
            "time_limit_minutes": 60,
            "counts_for_evaluation": True,
            "is_published": True,
            "pass_percent": 60,
            "certificates": True,
        },
    )
    # Last year's paper awarded certificates, so 我的证书 has one to show in the demo.
    if not exam.certificates:
        exam.certificates = True
        exam.save(update_fields=["certificates"])
    for attempt in Attempt.objects.filter(exam=exam, passed=True, certificate_code=""):
        attempt.certificate_code = certificate_code_new()
        attempt.save(update_fields=["certificate_code"])
    # The paper has this year's draw rules, so the admin lists its total points (not 0),
    # and its attempts are marked out of that total (100 if the bank is not seeded).
    max_score = annual_paper_rules_set(exam=exam) or Decimal("100")
    done = set(Attempt.objects.filter(exam=exam).values_list("user_id", flat=True))
    rows = []
    for index, cadre in enumerate(cadres):
        if cadre.pk in done:
            continue
        percent = Decimal(96 if cadre.username == DEMO_CADRE else 52 + (index * 7) % 47)
        score = (percent * max_score / 100).quantize(Decimal("1"))
        started = exam.opens_at + timedelta(days=index % 9, minutes=index)
        passed = score_passes(score=score, pass_percent=exam.pass_percent, max_score=max_score)
        rows.append(
            Attempt(
                exam=exam,
                user=cadre,
                number=1,
                status=Attempt.Status.GRADED,
                started_at=started,
                deadline=started + timedelta(minutes=60),
                submitted_at=started + timedelta(minutes=40),
                score=score,
                max_score=max_score,
                passed=passed,
                certificate_code=certificate_code_new() if passed else "",
            )
        )
    return len(Attempt.objects.bulk_create(rows))


def _awards(*, year, awards, led, leader, hr) -> None:
    for index, points, reason, approve in awards:
        cadre = led[index]
        award = BonusAward.objects.filter(evaluation_year=year, cadre=cadre, reason=reason).first()
        if award is None:
            award = bonus_award_propose(
                cadre=cadre, points=Decimal(points), reason=reason, by=leader, year=year.year
            )
        if approve and award.status == BonusAward.Status.PROPOSED:
            bonus_award_approve(award=award, by=hr, note="情况属实")


def seed_evaluation() -> dict:
    hr = User.objects.get(username="hr")
    leader = User.objects.get(username="leader")
    cadres = list(evaluated_cadres())
    led = [c for c in cadres if c.unit.code in ("QS-V02", "QS-V03")]
    this_year = timezone.localdate().year
    last_year = this_year - 1
    with transaction.atomic():
        previous = _scheme(last_year, hr)
        credits = 0
        if not previous.is_finalised:
            credits += _credits(cadres, last_year)
            _annual_exam(last_year, cadres)
            _awards(year=previous, awards=LAST_YEAR_AWARDS, led=led, leader=leader, hr=hr)
            evaluation_year_finalise(year=previous, by=hr)
        current = _scheme(this_year, hr)
        if not current.is_finalised:
            months = max(1, timezone.localdate().month)
            credits += _credits(cadres[::2], this_year, months=months)
            _awards(year=current, awards=THIS_YEAR_AWARDS, led=led, leader=leader, hr=hr)
    if not current.is_finalised:
        year_compute(year=current)
    return {
        "years": 2,
        "finalised": last_year,
        "credits": credits,
        "awards": BonusAward.objects.count(),
    }
