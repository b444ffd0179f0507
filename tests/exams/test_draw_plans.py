"""Starts draw from the exam's plan each process keeps: any change to what the plan was
read from (questions, versions, a paper's questions and rules, imports) is seen by the
next start, and a start draws without reading the bank."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from exams.models import Question, QuestionStatus
from exams.services.attempts import AttemptError, attempt_grade, attempt_start
from exams.services.bank import question_retire, question_update
from exams.services.bank_import import questions_import
from exams.services.draw import exam_draw, exam_planned, exam_plans_stale
from lms.accounts.models import User
from lms.accounts.roles import Role
from tests.conftest import client_for
from tests.exams import exam_builders as build
from tests.exams.factories_bank import category
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def drawn(paper):
    return {d.question_id: d for d in exam_draw(exam=paper)}


def rule_paper(cat, questions=4, count=4):
    made = [build.question("single", category=cat) for _ in range(questions)]
    rule = {"count": count, "kind": "single", "category": cat, "points": Decimal("5")}
    return made, build.exam(rules=[rule], attempts_allowed=0)


def test_a_retired_question_is_not_drawn_by_the_next_start(cadre):
    made, paper = rule_paper(category("行政法/退役"))
    assert set(drawn(paper)) == {q.pk for q in made}
    question_retire(question=made[0], by=None)
    assert set(drawn(paper)) == {q.pk for q in made[1:]}


def test_a_new_version_is_what_the_next_start_freezes(cadre, other_cadre):
    question = build.question("single", correct=("A",), n_choices=3)
    paper = build.exam(questions=[question])
    first = attempt_start(exam=paper, user=cadre).items.get()
    question_update(
        question=Question.objects.get(pk=question.pk),
        choices=[{"text": f"选项{i}", "fraction": "1" if i == 0 else "0"} for i in range(5)],
    )
    second = attempt_start(exam=paper, user=other_cadre).items.get()
    assert second.version_id != first.version_id
    assert (len(first.option_order), len(second.option_order)) == (3, 5)


def test_a_rule_edited_in_the_paper_draws_its_new_count(cadre):
    _made, paper = rule_paper(category("行政法/规则"), questions=6, count=2)
    assert len(drawn(paper)) == 2
    rule = paper.rules.get()
    rule.count = 5
    rule.save()
    assert len(drawn(paper)) == 5


def test_imported_questions_join_the_draw_at_once():
    cat = category("村民自治")
    _made, paper = rule_paper(cat, questions=1, count=3)
    assert len(drawn(paper)) == 1
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["题型", "题干", "选项A", "选项B", "答案", "分类"])
    for n in range(2):
        writer.writerow(["单选题", f"村民委员会第{n}题（  ）。", "对的", "错的", "A", "村民自治"])
    questions_import(data=out.getvalue().encode(), filename="题库.csv")
    assert len(drawn(paper)) == 3


def test_a_change_without_signals_is_seen_once_announced():
    made, paper = rule_paper(category("行政法/批量"))
    assert len(drawn(paper)) == 4
    Question.objects.filter(pk=made[0].pk).update(status=QuestionStatus.RETIRED)
    exam_plans_stale()
    assert made[0].pk not in drawn(paper)


def test_starts_after_the_first_do_not_read_the_bank():
    _made, paper = rule_paper(category("行政法/风暴"), questions=30, count=10)
    users = [UserFactory(role=Role.CADRE) for _ in range(3)]
    attempt_start(exam=paper, user=users[0])
    with CaptureQueriesContext(connection) as queries:
        attempt_start(exam=paper, user=users[1])
    bank_tables = (
        "exams_question",
        "exams_questionversion",
        "exams_examquestion",
        "exams_examrule",
    )
    read = [q["sql"] for q in queries if any(f'FROM "{t}"' in q["sql"] for t in bank_tables)]
    assert read == []


def test_who_may_start_follows_the_audience_and_publication_at_once(cadre, other_cadre, township):
    paper = build.exam(questions=[build.question()], attempts_allowed=0)
    for user in (cadre, other_cadre):
        attempt_grade(attempt_id=attempt_start(exam=paper, user=user).pk)
    paper.audience_units.set([township["b"]])
    with pytest.raises(AttemptError) as refused:
        attempt_start(exam=paper, user=cadre)
    assert refused.value.status == 404
    attempt_grade(attempt_id=attempt_start(exam=paper, user=other_cadre).pk)
    # A unit moved under another one takes its cadres into (or out of) the audience.
    township["a"].parent = township["b"]
    township["a"].save()
    attempt_grade(attempt_id=attempt_start(exam=paper, user=User.objects.get(pk=cadre.pk)).pk)
    other_cadre.category = "township_staff"
    other_cadre.save()
    paper.audience_units.clear()
    paper.audience_categories = ["village_cadre"]
    paper.save()
    with pytest.raises(AttemptError):
        attempt_start(exam=paper, user=other_cadre)
    paper.audience_categories = []
    paper.is_published = False
    paper.save()
    with pytest.raises(AttemptError):
        attempt_start(exam=paper, user=other_cadre)


def test_the_exam_a_start_looks_up_comes_from_the_plan_and_follows_edits(
    cadre, django_assert_num_queries
):
    paper = build.exam(questions=[build.question()])
    assert exam_planned(paper.pk).closes_at == paper.closes_at
    with django_assert_num_queries(0):
        planned = exam_planned(paper.pk)
    planned.title = "改过的标题"  # a caller's instance is its own
    assert exam_planned(paper.pk).title == paper.title

    paper.closes_at = timezone.now() - timedelta(minutes=1)
    paper.save()
    with pytest.raises(AttemptError) as refused:
        attempt_start(exam=exam_planned(paper.pk), user=cadre)
    assert refused.value.status == 409

    paper.is_published = False
    paper.save()
    assert exam_planned(paper.pk) is None
    assert client_for(cadre).post(reverse("exam_start", args=[paper.pk])).status_code == 404
    assert exam_planned(paper.pk + 1000) is None
