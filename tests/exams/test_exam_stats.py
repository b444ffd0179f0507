"""Exam statistics on a small known dataset (distribution, units, facility,
discrimination), the XLSX export, fixed query counts, and correcting an answer key."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from exams.models import AttemptItem, Exam, MistakeEntry, QuestionVersion
from exams.selectors.statistics import exam_statistics
from exams.services.attempts import attempt_grade, attempt_start
from lms.accounts.roles import Role
from tests.conftest import client_for
from tests.exams import exam_builders as build
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Three questions of 10 points, key A each. Answers per cadre, in order of sitting.
SHEET = [
    ("a", "AAA"),  # 30
    ("a", "AAB"),  # 20
    ("a", "ABA"),  # 20
    ("b", "BBA"),  # 10
    ("b", "BAB"),  # 10
    ("b", "BBB"),  # 0
]


def sit(paper, user, letters):
    attempt = attempt_start(exam=paper, user=user)
    for item in attempt.items.order_by("position"):
        item.answer = [letters[item.position - 1]]
        item.save(update_fields=["answer"])
    return attempt_grade(attempt_id=attempt.pk)


@pytest.fixture
def dataset(roles, township):
    paper = build.exam(
        questions=[build.question("single", correct=("A",)) for _ in range(3)],
        points=Decimal("10"),
        pass_percent=67,  # 20 of the 30 points
        attempts_allowed=0,
    )
    users = [UserFactory(unit=township[unit], role=Role.CADRE) for unit, _ in SHEET]
    sit(paper, users[1], "BBB")  # a first try that does not count: the highest does
    attempts = [
        sit(paper, user, letters) for user, (_unit, letters) in zip(users, SHEET, strict=True)
    ]
    return paper, users, attempts


def test_numbers_on_a_known_dataset(dataset):
    paper, _users, _attempts = dataset
    stats = exam_statistics(exam=paper)
    assert (stats.taken, stats.graded_attempts, stats.passed) == (6, 7, 3)
    assert stats.mean_score == Decimal("15.00")
    assert dict(stats.bands) == {
        "0–10%": 1,
        "10–20%": 0,
        "20–30%": 0,
        "30–40%": 2,
        "40–50%": 0,
        "50–60%": 0,
        "60–70%": 2,
        "70–80%": 0,
        "80–90%": 0,
        "90–100%": 1,
    }
    assert [(u.name, u.taken, u.passed, u.pass_rate) for u in stats.units] == [
        ("河口村", 3, 3, 1.0),
        ("石桥村", 3, 0, 0.0),
    ]
    # 27% of 6 cadres is 2 each side: lower = the 0 and the first 10, upper = the last
    # 20 and the 30.
    assert stats.group_size == 2
    ids = [fq.question_id for fq in paper.fixed_questions.all()]
    by_id = {q.question_id: q for q in stats.questions}
    assert [by_id[i].facility for i in ids] == [0.5, 0.5, 0.5]
    assert [by_id[i].discrimination for i in ids] == [1.0, 0.5, 0.5]
    assert [by_id[i].drawn for i in ids] == [6, 6, 6]


def test_stats_page_and_xlsx(trainer, dataset):
    paper, _users, _attempts = dataset
    client = client_for(trainer)
    page = client.get(reverse("exams_exam:stats", args=[paper.pk]))
    assert page.status_code == 200
    assert page.context["stats"].taken == 6
    export = client.get(reverse("exams_exam:stats", args=[paper.pk]), {"export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(export.content))
    summary, bands, units, questions = book.worksheets
    assert summary["B3"].value == 6
    assert [row for row in units.iter_rows(min_row=2, values_only=True)] == [
        ("河口村", 3, 3, 1),
        ("石桥村", 3, 0, 0),
    ]
    assert bands["B2"].value == 1 and bands["B11"].value == 1
    rows = list(questions.iter_rows(min_row=2, values_only=True))
    assert sorted(row[6] for row in rows) == [0.5, 0.5, 1]


def test_stats_queries_do_not_grow_with_attempts(trainer, roles, township):
    def queries_for(n):
        paper = build.exam(
            questions=[build.question() for _ in range(5)], title=f"p{n}", points=Decimal("20")
        )
        for _ in range(n):
            sit(paper, UserFactory(unit=township["a"], role=Role.CADRE), "ABCDA")
        client = client_for(trainer)
        client.get(reverse("exams_exam:stats", args=[paper.pk]))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("exams_exam:stats", args=[paper.pk])).status_code == 200
        return len(queries)

    assert queries_for(2) == queries_for(12)


def test_only_trainers_see_statistics(cadre, hr, dataset):
    paper = dataset[0]
    for user in (cadre, hr):
        response = client_for(user).get(reverse("exams_exam:stats", args=[paper.pk]))
        assert response.status_code == 302


def _new_version(question, **changes):
    current = question.current_version
    version = QuestionVersion.objects.create(
        question=question,
        number=current.number + 1,
        stem=changes.get("stem", current.stem),
        choices=changes.get("choices", current.choices),
        blanks=current.blanks,
        explanation="<p>更正：正确答案是B。</p>",
    )
    question.current_version = version
    question.save(update_fields=["current_version"])
    return version


def _key_b(version):
    return [{**c, "fraction": "1" if c["key"] == "B" else "0"} for c in version.choices]


def test_correcting_a_key_regrades_and_logs(trainer, dataset):
    paper, users, attempts = dataset
    question = paper.fixed_questions.all()[1].question  # the second question: really B
    fixed = _new_version(question, choices=_key_b(question.current_version))
    client = client_for(trainer)
    url = reverse("exams_exam:regrade", args=[paper.pk, question.pk])
    plan = client.get(url)
    assert plan.status_code == 200 and not plan.context["plan"].blocked
    response = client.post(url, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    scores = {a.user_id: a for a in type(attempts[0]).objects.filter(exam=paper)}
    # AAA 30 -> 20, AAB 20 -> 10, ABA 20 -> 30, BBA 10 -> 20, BAB 10 -> 0, BBB 0 -> 10
    expected = [20, 10, 30, 20, 0, 10]
    latest = {
        user.pk: max((a for a in scores.values() if a.user_id == user.pk), key=lambda a: a.number)
        for user in users
    }
    assert [latest[u.pk].score for u in users] == [Decimal(n) for n in expected]
    assert all(a.regraded_at for a in latest.values())
    assert not AttemptItem.objects.filter(question=question).exclude(version=fixed).exists()
    entry = ModelLogEntry.objects.get(action="exams.key_correction")
    assert entry.object_id == str(paper.pk) and entry.user == trainer
    assert entry.data["attempts"] == 7 and len(entry.data["score_changes"]) == 7
    assert entry.data["ip"] == "10.1.2.3"
    assert "重新评分" in entry.message
    # Each re-graded attempt carries its own entry: who, from where, the score change.
    regrades = ModelLogEntry.objects.filter(action="exams.attempt.regrade")
    assert regrades.count() == 7
    assert {(e.user, e.data["ip"]) for e in regrades} == {(trainer, "10.1.2.3")}
    # The mistake book follows: ABA was wrong on question 2 and is right now.
    aba = users[2]
    assert not MistakeEntry.objects.filter(user=aba, question=question).exists()
    assert MistakeEntry.objects.filter(user=users[0], question=question).exists()
    # Nothing left to do a second time.
    assert client.post(url).status_code == 409


def test_a_version_that_changes_the_question_is_not_applied(trainer, dataset):
    paper, _users, attempts = dataset
    question = paper.fixed_questions.all()[0].question
    _new_version(question, stem="<p>完全不同的题干</p>")
    client = client_for(trainer)
    url = reverse("exams_exam:regrade", args=[paper.pk, question.pk])
    assert client.get(url).context["plan"].blocked
    assert client.post(url).status_code == 409
    assert not ModelLogEntry.objects.filter(action="exams.key_correction").exists()
    attempts[0].refresh_from_db()
    assert attempts[0].score == Decimal("30") and attempts[0].regraded_at is None


def test_regrade_needs_the_permission(hr, cadre, dataset):
    paper = dataset[0]
    question = paper.fixed_questions.all()[0].question
    url = reverse("exams_exam:regrade", args=[paper.pk, question.pk])
    for user in (hr, cadre):
        assert client_for(user).post(url).status_code == 302
    assert not ModelLogEntry.objects.filter(action="exams.key_correction").exists()


def test_demo_seed_gives_statistics_and_leaves_the_demo_cadre_free(trainer):
    from exams.demo_exams import DEMO_CADRE, seed_exams
    from exams.models import Attempt, QuestionCategory
    from lms.accounts.demo import seed_accounts
    from lms.accounts.models import User

    assert seed_exams() == {"exams": 0, "attempts": 0}  # no bank yet: nothing to do
    seed_accounts()
    for name in ["行政处罚法", "民法典"]:
        category = QuestionCategory.ensure_path(["2021年新法", name])
        for _ in range(6):
            build.question("single", category=category)
            build.question("multiple", category=category, correct=("A", "C"))
            build.question("truefalse", category=category)
    first = seed_exams()
    assert first["exams"] == 2 and first["attempts"] > 0
    again = seed_exams()
    assert again["attempts"] == 0 and (again["annual"], again["practice"]) == (
        first["annual"],
        first["practice"],
    )
    annual = Exam.objects.get(pk=first["annual"])
    assert annual.kind == "annual" and annual.certificates and annual.counts_for_evaluation
    assert annual.time_limit_minutes == 60 and annual.attempts_allowed == 1
    demo = User.objects.get(username=DEMO_CADRE)
    assert not Attempt.objects.filter(exam=annual, user=demo).exists()
    stats = exam_statistics(exam=annual)
    assert stats.taken == 18 and 0 < stats.passed <= 18
    assert all(q.facility is not None for q in stats.questions)
    overall = sum(q.right for q in stats.questions) / sum(q.drawn for q in stats.questions)
    assert 0.5 < overall < 0.9
    assert client_for(trainer).get(reverse("exams_exam:stats", args=[annual.pk])).status_code == 200
