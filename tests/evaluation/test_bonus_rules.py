"""Automatic bonus rules: each fires when its condition holds, and at most once."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from courses.models import StudyCredit
from tests.courses.factories_training import TrainingAttendanceFactory, TrainingSessionFactory
from tests.evaluation.factories import YEAR, at, computed, credit, exam, graded, scheme

pytestmark = pytest.mark.django_db


def rule_lines(cadre):
    result = computed(cadre)
    return [line for line in result.lines if line.source == "rule"], result


def test_exam_score_rule_fires_once_however_many_attempts_and_exams(cadre):
    scheme(rules=[{"kind": "exam_score", "min_exam_score": Decimal("90"), "points": 2}])
    first, makeup = exam(title="年度考试"), exam(title="年度补考")
    graded(first, cadre, 95, number=1)
    graded(first, cadre, 92, number=2)
    graded(makeup, cadre, 99)
    lines, result = rule_lines(cadre)
    assert [line.points for line in lines] == [Decimal("2")]
    assert result.bonus == Decimal("2")


def test_exam_score_rule_does_not_fire_below_the_threshold(cadre):
    scheme(rules=[{"kind": "exam_score", "min_exam_score": Decimal("90"), "points": 2}])
    graded(exam(), cadre, Decimal("89.99"))
    assert rule_lines(cadre)[0] == []


@pytest.fixture
def required_courses(township):
    from tests.courses import pages

    first = pages.course(title="民法典", year=YEAR, is_required=True)
    second = pages.course(title="行政处罚法", year=YEAR, is_required=True, units=[township["a"]])
    pages.course(title="石桥村专题", year=YEAR, is_required=True, units=[township["b"]])
    pages.course(title="选修课", year=YEAR, is_required=False)
    return first, second


def test_courses_rule_fires_when_every_required_course_is_done_by_the_date(cadre, required_courses):
    deadline = date(YEAR, 6, 30)
    scheme(rules=[{"kind": "courses_by", "deadline": deadline, "points": 3}])
    for course_page in required_courses:
        StudyCredit.objects.create(
            user=cadre,
            year=YEAR,
            source="course",
            course=course_page,
            credit_hours=1,
            title=course_page.title,
            earned_at=at(YEAR, 6, 30),
        )
    lines, _result = rule_lines(cadre)
    assert [line.points for line in lines] == [Decimal("3")]


def test_courses_rule_does_not_fire_when_one_is_late(cadre, required_courses):
    scheme(rules=[{"kind": "courses_by", "deadline": date(YEAR, 6, 30), "points": 3}])
    first, second = required_courses
    credit(cadre, 1, course=first, source="course", when=at(YEAR, 6, 1))
    credit(cadre, 1, course=second, source="course", when=at(YEAR, 7, 1))
    assert rule_lines(cadre)[0] == []


def test_training_rule_fires_once_when_every_session_of_the_audience_was_attended(
    cadre, other_cadre, township
):
    scheme(rules=[{"kind": "all_training", "points": 1}])
    start = at(YEAR, 5, 1)
    mine = [
        TrainingSessionFactory(starts_at=start + timedelta(days=i), audience_units=[township["a"]])
        for i in range(2)
    ]
    TrainingSessionFactory(starts_at=start, audience_units=[township["b"]])  # not theirs
    TrainingAttendanceFactory(session=mine[0], user=cadre)
    assert rule_lines(cadre)[0] == []
    TrainingAttendanceFactory(session=mine[1], user=cadre)
    lines, _result = rule_lines(cadre)
    assert [line.points for line in lines] == [Decimal("1")]
    assert rule_lines(other_cadre)[0] == []  # attended nothing of theirs


def test_no_session_meant_for_a_cadre_earns_nothing(cadre):
    scheme(rules=[{"kind": "all_training", "points": 1}])
    assert rule_lines(cadre)[0] == []
