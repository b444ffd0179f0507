"""The base score: study (credit hours / required, capped) and exam, weighted; rounding."""

from decimal import Decimal

import pytest

from exams.models import Exam
from tests.evaluation.factories import computed, credit, exam, graded, scheme

pytestmark = pytest.mark.django_db

D = Decimal


def result_of(cadre, year=2025):
    return computed(cadre, year=year)


@pytest.mark.parametrize(
    "hours, annual, study_score, exam_score, base",
    [
        ([10], 80, D("50.00"), D("80.00"), D("15.00") + D("56.00")),
        ([20], 100, D("100.00"), D("100.00"), D("100.00")),
        ([15, 15], 50, D("100.00"), D("50.00"), D("30.00") + D("35.00")),  # capped at 100%
        ([], None, D("0.00"), D("0.00"), D("0.00")),
        ([3.3], 66.67, D("16.50"), D("66.67"), D("4.95") + D("46.67")),  # 46.669 rounds up
    ],
)
def test_base_score_formula(cadre, hours, annual, study_score, exam_score, base):
    scheme(study_weight=30, exam_weight=70)
    for h in hours:
        credit(cadre, h)
    if annual is not None:
        graded(exam(), cadre, annual)
    result = result_of(cadre)
    assert result.credit_hours == sum((D(str(h)) for h in hours), D(0))
    assert result.study_score == study_score
    assert result.exam_score == exam_score
    assert result.base_score == base
    assert result.total == base
    assert sum(line.points for line in result.lines) == result.total


def test_credit_beyond_the_required_hours_earns_nothing_more(cadre):
    scheme(study_weight=30, exam_weight=70)
    credit(cadre, 15, title="第一门")
    credit(cadre, 15, title="第二门", when=None)
    lines = [line for line in result_of(cadre).lines if line.source == "credit"]
    assert [line.points for line in lines] == [D("22.50"), D("7.50")]
    assert lines[1].note == "over_required"


def test_exam_score_uses_percent_of_full_marks_and_the_counted_attempt(cadre):
    scheme()
    paper = exam(counting=Exam.Counting.HIGHEST)
    graded(paper, cadre, 60, max_score=150, number=1)
    graded(paper, cadre, 120, max_score=150, number=2)
    result = result_of(cadre)
    assert result.annual_score == D("80.00")
    assert result.annual_passed is True


def test_quiz_average_takes_its_share_of_the_exam_score(cadre):
    scheme(study_weight=0, exam_weight=100, quiz_share=20)
    graded(exam(), cadre, 90)
    graded(exam(kind=Exam.Kind.QUIZ, title="第一次测验"), cadre, 50)
    graded(exam(kind=Exam.Kind.QUIZ, title="第二次测验"), cadre, 70)
    graded(exam(kind=Exam.Kind.PRACTICE, title="练习"), cadre, 10)
    result = result_of(cadre)
    assert result.quiz_average == D("60.00")
    assert result.exam_score == D("84.00")  # 90 × 0.8 + 60 × 0.2
    assert result.base_score == D("84.00")
    assert sum(line.points for line in result.lines) == D("84.00")


def test_exams_not_counting_for_the_evaluation_are_ignored(cadre):
    scheme()
    graded(exam(counts_for_evaluation=False), cadre, 100)
    assert result_of(cadre).exam_score == D("0.00")


def test_bonus_is_capped_and_deductions_come_off_the_total(cadre, hr, leader):
    from lms.evaluation.services import (
        bonus_award_approve,
        bonus_award_propose,
        bonus_deduction_record,
    )

    scheme(bonus_cap=5)
    graded(exam(), cadre, 100)
    for points in (3, 4):
        award = bonus_award_propose(
            cadre=cadre, points=points, reason="调解纠纷", by=leader, year=2025
        )
        bonus_award_approve(award=award, by=hr)
    bonus_deduction_record(cadre=cadre, points=2, reason="考勤", by=hr, year=2025)
    result = result_of(cadre)
    assert result.bonus == D("5.00")
    assert result.deductions == D("2.00")
    assert result.total == result.base_score + D("3.00")
    capped = [line for line in result.lines if line.note == "capped"]
    assert [(line.quantity, line.points) for line in capped] == [(D("4.00"), D("2.00"))]
    assert sum(line.points for line in result.lines) == result.total


@pytest.mark.parametrize(
    "annual, passed, grade",
    [(100, True, "优秀"), (100, False, "良好"), (70, True, "合格"), (10, False, "不合格")],
)
def test_grade_bands_and_the_top_band_needs_a_pass(cadre, annual, passed, grade):
    scheme(study_weight=0, exam_weight=100, top_band_requires_pass=True)
    graded(exam(), cadre, annual, passed=passed)
    assert result_of(cadre).grade == grade
