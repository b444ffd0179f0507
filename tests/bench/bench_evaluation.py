"""Benchmark (not a test): a year of records for 10,000 cadres, then the time, queries and
peak Python memory (tracemalloc) of compute_year, the XLSX export and finalising.

    .venv/bin/python tests/bench/bench_evaluation.py [--cadres 10000]

Uses a throw-away SQLite file unless DATABASE_URL is set (use an empty database).
"""

import argparse
import io
import sys
import time
import tracemalloc
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def generate(count: int, year: int):
    from django.contrib.auth.models import Group
    from django.utils import timezone
    from wagtail.models import Site

    from courses.models import (
        CourseIndexPage,
        CoursePage,
        StudyCredit,
        TrainingAttendance,
        TrainingSession,
    )
    from exams.models import Attempt, Exam
    from exams.scoring import score_passes
    from lms.accounts.models import OrgUnit, User
    from lms.accounts.roles import Role, roles_ensure
    from lms.evaluation.models import BonusAward, YearResult
    from lms.evaluation.services import evaluation_year_create

    def at(month, day):
        return timezone.make_aware(datetime(year, month, day, 10))

    roles_ensure()
    town = OrgUnit.objects.create(code="T", name="县", kind="township")
    units = [
        OrgUnit(code=f"V{i:03d}", name=f"第{i}村", kind="village", parent=town) for i in range(100)
    ]
    for unit in units:
        unit.save()
    users = User.objects.bulk_create(
        User(
            username=f"c{i}",
            phone=f"150{i:08d}",
            name=f"干部{i}",
            unit=units[i % 100],
            position="村委会委员",
            category="village_cadre",
            password="!",
        )
        for i in range(count)
    )
    cadre_group = Group.objects.get(name=Role.CADRE)
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=user.pk, group_id=cadre_group.pk) for user in users
    )
    hr = User.objects.create(username="hr", name="人事", password="!")
    hr.groups.add(Group.objects.get(name=Role.HR))
    leader = User.objects.create(username="leader", name="书记", password="!")
    leader.groups.add(Group.objects.get(name=Role.UNIT_LEADER))

    home = Site.objects.get(is_default_site=True).root_page
    index = home.add_child(instance=CourseIndexPage(title="课程", slug="courses"))
    courses = [
        index.add_child(
            instance=CoursePage(title=f"课程{i}", slug=f"c{i}", year=year, is_required=True)
        )
        for i in range(3)
    ]
    credits = []
    for n, user in enumerate(users):
        for k, course in enumerate(courses):
            if (n + k) % 7:
                credits.append(
                    StudyCredit(
                        user=user,
                        year=year,
                        source="course",
                        course=course,
                        credit_hours=Decimal(3),
                        title=course.title,
                        earned_at=at(3 + k, 1 + n % 28),
                    )
                )
        for k in range(3):
            credits.append(
                StudyCredit(
                    user=user,
                    year=year,
                    source="manual",
                    credit_hours=Decimal("2.5"),
                    title=f"集中学习{k}",
                    earned_at=at(6 + k, 1 + n % 28),
                )
            )
    StudyCredit.objects.bulk_create(credits, batch_size=5000)

    sessions = [
        TrainingSession.objects.create(
            topic=f"培训{i}",
            starts_at=at(4 + i, 10),
            ends_at=at(4 + i, 10) + timedelta(hours=2),
            place="会议室",
        )
        for i in range(2)
    ]
    TrainingAttendance.objects.bulk_create(
        (
            TrainingAttendance(session=s, user=u, method="qr", checked_in_at=s.starts_at)
            for n, u in enumerate(users)
            for s in sessions
            if n % 5
        ),
        batch_size=5000,
    )

    def paper(kind, title):
        return Exam.objects.create(
            title=title,
            kind=kind,
            year=year,
            opens_at=at(11, 1),
            closes_at=at(11, 30),
            counts_for_evaluation=True,
        )

    papers = [paper("annual", "年度考试"), paper("quiz", "测验一"), paper("quiz", "测验二")]
    attempts = []
    for n, user in enumerate(users):
        for k, exam in enumerate(papers):
            score = Decimal(40 + (n * 7 + k * 13) % 61)
            attempts.append(
                Attempt(
                    exam=exam,
                    user=user,
                    number=1,
                    status="graded",
                    started_at=at(11, 2),
                    deadline=at(11, 3),
                    submitted_at=at(11, 2),
                    score=score,
                    max_score=Decimal(100),
                    passed=score_passes(
                        score=score, pass_percent=exam.pass_percent, max_score=Decimal(100)
                    ),
                )
            )
    Attempt.objects.bulk_create(attempts, batch_size=5000)

    evaluation_year = evaluation_year_create(
        year=year,
        quiz_share=Decimal(20),
        rules=[
            {"kind": "exam_score", "min_exam_score": Decimal(90), "points": Decimal(2)},
            {"kind": "courses_by", "deadline": at(10, 31).date(), "points": Decimal(1)},
            {"kind": "all_training", "points": Decimal(1)},
        ],
    )
    now = timezone.now()
    BonusAward.objects.bulk_create(
        BonusAward(
            evaluation_year=evaluation_year,
            cadre=user,
            points=Decimal(2),
            reason="先进",
            status="approved",
            proposed_by=leader,
            proposed_at=now,
            decided_by=hr,
            decided_at=now,
        )
        for user in users[::10]
    )
    # Creating the year refreshes its live results (lms/evaluation/signals.py): clear them,
    # so that the first measured run computes every cadre, as a new year's first run does.
    YearResult.objects.filter(evaluation_year=evaluation_year).delete()
    return evaluation_year, hr, len(credits), len(attempts)


def measure(label, action, reset=None):
    """Run once for the time and query count, then (after `reset`) again under tracemalloc
    for the peak memory: tracemalloc slows Python several times over."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        outcome = action()
    elapsed = time.perf_counter() - started
    if reset is not None:
        reset()
    tracemalloc.start()
    action()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{label:<26} {elapsed:7.2f} s   peak {peak / 2**20:6.1f} MiB   "
        f"{len(queries.captured_queries):4d} queries   -> {outcome}"
    )
    return outcome


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cadres", type=int, default=10_000)
    parser.add_argument("--year", type=int, default=2025)
    args = parser.parse_args()
    from tests.bench.scratch_django import setup_django

    setup_django("evaluation")
    from django.db import connection

    started = time.perf_counter()
    evaluation_year, hr, credits, attempts = generate(args.cadres, args.year)
    print(
        f"{connection.vendor}: {args.cadres} cadres, {credits} credit rows, {attempts} graded "
        f"attempts generated in {time.perf_counter() - started:.1f} s"
    )

    from lms.evaluation.export import year_results_write
    from lms.evaluation.models import YearResult
    from lms.evaluation.selectors import year_results
    from lms.evaluation.services import evaluation_year_finalise, year_compute

    def forget():
        YearResult.objects.all().delete()

    def compute():
        return f"{year_compute(year=evaluation_year)} results changed"

    measure("compute_year (first run)", compute, reset=forget)
    measure("compute_year (no change)", compute)

    def export():
        output = io.BytesIO()
        rows = year_results(evaluation_year=evaluation_year).iterator(chunk_size=2000)
        year_results_write(rows=rows, export_format="xlsx", output=output)
        return f"{output.tell() / 2**20:.1f} MiB XLSX"

    measure("XLSX export", export)

    def finalise():
        return f"{evaluation_year_finalise(year=evaluation_year, by=hr).results.count()} frozen"

    def reopen():
        from lms.evaluation.models import EvaluationYear

        EvaluationYear.objects.filter(pk=evaluation_year.pk).update(status="open")

    measure("finalise (freeze + ledger)", finalise, reset=reopen)


if __name__ == "__main__":
    main()
