"""compute_year, the report, its export and the leaders' overview use a number of queries
that does not grow with the number of cadres.

SQLite takes at most 999 parameters per statement, so Django splits a bulk INSERT of
YearResult rows (21 columns) every 47 rows: the first computation is compared at 5 and 45
cadres, everything else at 5 and 50. On PostgreSQL a batch of 1,000 cadres is one INSERT.
"""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lms.accounts.roles import Role
from lms.evaluation.services import year_compute
from tests.conftest import client_for
from tests.courses import pages
from tests.courses.factories_training import TrainingAttendanceFactory, TrainingSessionFactory
from tests.evaluation.factories import YEAR, at, credit, exam, graded, scheme
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def populate(township, count, papers):
    from lms.evaluation.services import bonus_award_approve, bonus_award_propose

    hr = UserFactory(role=Role.HR, mfa=True)
    leader = UserFactory(role=Role.UNIT_LEADER)
    leader.led_units.add(township["township"])
    session = TrainingSessionFactory(starts_at=at(YEAR, 3, 1), audience_units=[township["a"]])
    for index in range(count):
        unit = township["a"] if index % 2 else township["b"]
        cadre = UserFactory(unit=unit, role=Role.CADRE)
        credit(cadre, 5 + index % 20)
        credit(cadre, 2, title="第二门")
        graded(papers[0], cadre, 50 + index % 50)
        graded(papers[1], cadre, 70)
        TrainingAttendanceFactory(session=session, user=cadre)
        award = bonus_award_propose(cadre=cadre, points=1, reason="好", by=leader, year=YEAR)
        bonus_award_approve(award=award, by=hr)
    return hr, leader


def queries(action):
    with CaptureQueriesContext(connection) as context:
        action()
    return len(context.captured_queries)


def count_for(township, count, action, first_compute=False):
    scheme(
        rules=[
            {"kind": "exam_score", "min_exam_score": 90, "points": 1},
            {"kind": "all_training", "points": 1},
            {"kind": "courses_by", "deadline": at(YEAR, 12, 1).date(), "points": 1},
        ],
        quiz_share=20,
    )
    papers = [exam(), exam(kind="quiz", title="测验")]
    # Required courses, one for a village only: the leaders' laggard list names them.
    pages.course(title="民法典", year=YEAR, is_required=True)
    pages.course(title="村务公开", year=YEAR, is_required=True, units=[township["a"]])
    hr, leader = populate(township, count, papers)
    if not first_compute:
        year_compute(year=YEAR)
    clients = {"hr": client_for(hr), "leader": client_for(leader)}
    for client in clients.values():
        client.get(reverse("evaluation_units"))  # sessions and sign-in bookkeeping settle
    return queries(lambda: action(**clients))


@pytest.fixture
def fresh_township(db):
    """A function that empties the evaluation's data and gives a new township."""
    from courses.models import StudyCredit, TrainingAttendance, TrainingSession
    from exams.models import Attempt, Exam
    from lms.accounts.models import OrgUnit, User
    from lms.evaluation.models import BonusAward, EvaluationYear, YearResult
    from tests.factories import OrgUnitFactory

    def make():
        from wagtail.models import ModelLogEntry

        YearResult.objects.all().delete()
        BonusAward.objects.all().delete()
        ModelLogEntry.objects.all().delete()
        EvaluationYear.objects.all().delete()
        Attempt.objects.all().delete()
        Exam.objects.all().delete()
        StudyCredit.objects.all().delete()
        TrainingAttendance.objects.all().delete()
        TrainingSession.objects.all().delete()
        User.objects.all().delete()
        OrgUnit.objects.filter(parent__isnull=False).delete()
        OrgUnit.objects.all().delete()
        town = OrgUnitFactory(code="T", name="青山镇", kind="township")
        return {
            "township": town,
            "a": OrgUnitFactory(code="V-A", name="河口村", parent=town),
            "b": OrgUnitFactory(code="V-B", name="石桥村", parent=town),
        }

    return make


def test_compute_year_first_run(roles, fresh_township):
    def action(**kwargs):
        call_command("compute_year", str(YEAR), stdout=io.StringIO())

    small, large = (count_for(fresh_township(), n, action, first_compute=True) for n in (5, 45))
    assert small == large


@pytest.mark.parametrize(
    "name",
    ["recompute", "report", "report_xlsx", "report_csv", "leader_overview", "leader_export"],
)
def test_queries_do_not_grow_with_cadres(roles, fresh_township, name):
    def action(*, hr, leader):
        if name == "recompute":
            call_command("compute_year", str(YEAR), stdout=io.StringIO())
            return
        client = hr if name.startswith("report") else leader
        params = {"year": YEAR}
        if name.startswith("report"):
            url = reverse("evaluation_results")
            if name != "report":
                params["export"] = name.split("_")[1]
        elif name == "leader_overview":
            url = reverse("evaluation_units")
        else:
            url = reverse("evaluation_units_export")
        response = client.get(url, params)
        assert response.status_code == 200
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)

    small, large = (count_for(fresh_township(), n, action) for n in (5, 50))
    assert small == large, (small, large)
