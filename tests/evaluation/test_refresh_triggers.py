"""Live results stay true: every change they depend on recomputes them once its
transaction commits, through the task (run at once by the test backend), once per
transaction: the whole year for its scheme, rules, grade bands or an exam that counts in
it; only the cadre for a cadre moved, deactivated, given or removed a role, or written by
a roster import; nothing for a rolled-back change or a finalised year."""

from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse

from courses.models import StudyCredit
from exams.services.attempts import attempt_grade, attempt_start
from lms.accounts.roster import roster_import
from lms.evaluation.models import BonusRule, EvaluationYear, GradeBand, YearResult
from lms.evaluation.services import evaluation_year_finalise
from tests.accounts.test_roster_import import csv_bytes
from tests.conftest import client_for
from tests.courses.factories_training import TrainingAttendanceFactory, TrainingSessionFactory
from tests.evaluation.factories import YEAR, at, cadres, credit, exam, graded, scheme
from tests.exams import exam_builders as build

pytestmark = pytest.mark.django_db


@pytest.fixture
def recomputes(monkeypatch):
    """The (year, cadre ids or None for all) of each `year_compute` the task runs."""
    import lms.evaluation.services as services

    calls, real = [], services.year_compute

    def spy(*, year, users=None, **options):
        calls.append((year.year, None if users is None else sorted(users)))
        return real(year=year, users=users, **options)

    monkeypatch.setattr(services, "year_compute", spy)
    return calls


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what the block does as if its transaction committed."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def year_of(township, roles, committed, recomputes):
    """A scheme with live results for two cadres of village A and one of village B."""
    with committed():
        scheme()
        a = cadres(township["a"], 2)
        b = cadres(township["b"], 1)
        for cadre in (*a, *b):
            credit(cadre, 10)
    assert YearResult.objects.count() == 3
    recomputes.clear()
    return a, b


def live(cadre, year=YEAR) -> YearResult:
    return YearResult.objects.get(cadre=cadre, evaluation_year__year=year, finalisation=None)


def test_a_change_to_the_scheme_recomputes_the_whole_year(year_of, committed, recomputes):
    a, _b = year_of
    evaluation_year = EvaluationYear.objects.get(year=YEAR)
    evaluation_year.required_credit_hours = Decimal("40")
    with committed():
        evaluation_year.save()
    assert recomputes == [(YEAR, None)]
    assert live(a[0]).study_score == Decimal("25.00")


def test_a_grade_band_change_recomputes_the_whole_year(year_of, committed, recomputes):
    a, b = year_of
    assert {live(c).grade for c in (*a, *b)} == {"不合格"}
    band = GradeBand.objects.get(evaluation_year__year=YEAR, name="合格")
    band.min_score = Decimal("10")
    with committed():
        band.save()
    assert recomputes == [(YEAR, None)]
    assert {live(c).grade for c in (*a, *b)} == {"合格"}


def test_a_bonus_rule_added_or_removed_recomputes_the_whole_year(year_of, committed, recomputes):
    a, _b = year_of
    with committed():
        graded(exam(), a[0], 70)
    recomputes.clear()
    evaluation_year = EvaluationYear.objects.get(year=YEAR)
    with committed():
        rule = BonusRule.objects.create(
            evaluation_year=evaluation_year,
            kind=BonusRule.Kind.EXAM_SCORE,
            min_exam_score=Decimal("60"),
            points=Decimal("2"),
        )
    assert recomputes == [(YEAR, None)] and live(a[0]).bonus == Decimal("2")
    with committed():
        rule.delete()
    assert recomputes == [(YEAR, None)] * 2 and live(a[0]).bonus == Decimal("0")


def test_a_finalised_year_is_left_alone(year_of, committed, recomputes, hr):
    evaluation_year_finalise(year=YEAR, by=hr)
    evaluation_year = EvaluationYear.objects.get(year=YEAR)
    evaluation_year.bonus_cap = Decimal("5")
    with committed():
        evaluation_year.save()
    assert recomputes == []


@pytest.mark.parametrize(
    "field, value",
    [("unit", "b"), ("category", "grid_manager"), ("position", "村委会主任")],
)
def test_moving_a_cadre_recomputes_that_cadre(
    year_of, township, committed, recomputes, field, value
):
    a, b = year_of
    cadre = a[0]
    setattr(cadre, field, township[value] if field == "unit" else value)
    with committed():
        cadre.save()
    assert recomputes == [(YEAR, [cadre.pk])]
    row = live(cadre)
    assert getattr(row, "unit_id" if field == "unit" else field) == getattr(
        cadre, "unit_id" if field == "unit" else field
    )
    if field == "unit":
        # Village B has two cadres now, tied on the same total.
        assert row.unit_path == township["b"].path and row.rank_in_unit == 1
        assert live(b[0]).rank_in_unit == 1


def test_deactivating_a_cadre_or_taking_the_role_away_removes_the_live_result(
    year_of, committed, recomputes
):
    a, _b = year_of
    a[0].is_active = False
    with committed():
        a[0].save(update_fields=["is_active"])
    with committed():
        a[1].groups.clear()
    assert recomputes == [(YEAR, [a[0].pk]), (YEAR, [a[1].pk])]
    assert not YearResult.objects.filter(cadre__in=a).exists()


def test_saves_that_change_nothing_watched_recompute_nothing(year_of, committed, recomputes):
    a, _b = year_of
    a[0].name = "新名字"
    with committed():
        a[0].save()
        a[1].save(update_fields=["last_login"])
    assert recomputes == []


def test_a_roster_import_recomputes_the_cadres_it_writes(year_of, township, committed, recomputes):
    a, _b = year_of
    moved = [a[0].name, a[0].phone, "V-B", a[0].position or "委员", "村干部"]
    with committed():
        result = roster_import(data=csv_bytes([moved]), filename="roster.csv")
    assert result.updated == 1
    assert recomputes == [(YEAR, [a[0].pk])]
    assert live(a[0]).unit_id == township["b"].pk


def test_an_exam_that_stops_counting_or_changes_year_recomputes_its_years(
    year_of, committed, recomputes
):
    a, _b = year_of
    with committed():
        scheme(year=YEAR + 1)
        paper = exam()
        graded(paper, a[0], 70)
    recomputes.clear()
    assert live(a[0]).annual_score == Decimal("70")
    paper.title = "改名不影响成绩"
    with committed():
        paper.save()
    assert recomputes == []
    paper.year = YEAR + 1
    with committed():
        paper.save()
    assert sorted(recomputes) == [(YEAR, None), (YEAR + 1, None)]
    assert live(a[0]).annual_score is None
    assert live(a[0], YEAR + 1).annual_score == Decimal("70")
    recomputes.clear()
    paper.counts_for_evaluation = False
    with committed():
        paper.save(update_fields=["counts_for_evaluation"])
    assert recomputes == [(YEAR + 1, None)]


def test_a_key_correction_regrades_into_the_year_in_one_refresh(
    township, roles, trainer, committed, recomputes
):
    from exams.models import QuestionVersion

    question = build.question("single", correct=("A",))
    paper = build.exam(questions=[question], kind="annual", year=YEAR, counts_for_evaluation=True)
    with committed():
        scheme()
        people = cadres(township["a"], 3)
        for cadre in people:
            attempt = attempt_start(exam=paper, user=cadre)
            attempt.items.update(answer=["B"])
            attempt_grade(attempt_id=attempt.pk)
    assert {live(c).annual_score for c in people} == {Decimal("0")}
    recomputes.clear()
    current = question.current_version
    choices = [{**c, "fraction": "1" if c["key"] == "B" else "0"} for c in current.choices]
    fixed = QuestionVersion.objects.create(
        question=question,
        number=2,
        stem=current.stem,
        choices=choices,
        blanks=current.blanks,
        explanation=current.explanation,
    )
    question.current_version = fixed
    question.save(update_fields=["current_version"])
    url = reverse("exams_exam:regrade", args=[paper.pk, question.pk])
    with committed():
        assert client_for(trainer).post(url).status_code == 302
    assert recomputes == [(YEAR, sorted(c.pk for c in people))]
    assert {live(c).annual_score for c in people} == {Decimal("100")}


def test_many_changes_in_one_transaction_are_one_refresh(year_of, committed, recomputes):
    a, b = year_of
    with committed(), transaction.atomic():
        for cadre in (*a, *b):
            credit(cadre, 1, title="补录")
        StudyCredit.objects.filter(user=a[0], title="补录").delete()
    assert recomputes == [(YEAR, sorted(c.pk for c in (*a, *b)))]
    assert live(a[0]).credit_hours == Decimal("10") and live(b[0]).credit_hours == Decimal("11")


def test_a_rolled_back_change_recomputes_nothing(year_of, committed, recomputes):
    a, _b = year_of
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        credit(a[0], 5)
        raise RuntimeError
    assert recomputes == []


def test_an_attendance_without_its_session_recomputes_the_cadre_in_every_open_year(
    year_of, committed, recomputes
):
    from courses.models import TrainingAttendance

    a, _b = year_of
    with committed():
        scheme(year=YEAR + 1)
    recomputes.clear()
    session = TrainingSessionFactory(starts_at=at(YEAR, 3, 1))
    with committed():
        TrainingAttendanceFactory(session=session, user=a[0])
    assert recomputes == [(YEAR, [a[0].pk])]  # the session was at hand: its year only
    recomputes.clear()
    with committed():
        TrainingAttendance.objects.get(user=a[0]).delete()
    assert recomputes == [(YEAR, [a[0].pk]), (YEAR + 1, [a[0].pk])]
