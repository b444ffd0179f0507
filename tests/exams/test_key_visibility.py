"""The one rule on keys: withheld while a question sits in a running exam whose review
withholds them, unless the cadre met it where review is open."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from exams.models import Attempt, Exam, QuestionCategory
from exams.services.attempts import attempt_grade, attempt_start
from exams.services.key_visibility import key_visible, keys_withheld
from tests.exams import exam_builders as build

pytestmark = pytest.mark.django_db

AFTER_CLOSE = Exam.ReviewPolicy.AFTER_CLOSE


def annual(questions=(), **fields):
    fields = {"kind": Exam.Kind.ANNUAL, "review_policy": AFTER_CLOSE, **fields}
    return build.exam(questions=questions, **fields)


def test_a_question_of_a_running_exam_is_withheld_until_it_closes(cadre):
    question, other = build.question(), build.question()
    paper = annual([question])
    assert keys_withheld(user=cadre, question_ids=[question.pk, other.pk]) == {question.pk}
    after_close = paper.closes_at + timedelta(seconds=1)
    assert key_visible(user=cadre, question_id=question.pk, now=after_close)
    before_open = paper.opens_at - timedelta(seconds=1)
    assert key_visible(user=cadre, question_id=question.pk, now=before_open)


@pytest.mark.parametrize(
    ("fields", "withheld"),
    [
        ({"review_policy": Exam.ReviewPolicy.NEVER}, True),
        ({"review_policy": Exam.ReviewPolicy.AFTER_SUBMIT}, False),
        ({"review_policy": Exam.ReviewPolicy.AFTER_SUBMIT, "review_shows_answers": False}, True),
        ({"is_published": False}, False),
        ({"kind": Exam.Kind.PRACTICE, "review_policy": AFTER_CLOSE}, False),
    ],
)
def test_which_exams_withhold(cadre, fields, withheld):
    question = build.question()
    annual([question], **fields)
    assert (not key_visible(user=cadre, question_id=question.pk)) == withheld


def test_questions_a_random_rule_can_draw_are_withheld(cadre):
    parent = QuestionCategory.ensure_path(["2021年新法"])
    below = QuestionCategory.ensure_path(["2021年新法", "民法典"])
    elsewhere = QuestionCategory.ensure_path(["2021年新法之外"])
    in_rule = build.question("single", category=below)
    other_kind = build.question("truefalse", category=below)
    outside = build.question("single", category=elsewhere)
    hard = build.question("single", category=parent, difficulty="hard")
    rule = {"count": 1, "kind": "single", "category": parent, "points": Decimal("2")}
    annual(rules=[{**rule, "difficulty": "medium"}])
    ids = [in_rule.pk, other_kind.pk, outside.pk, hard.pk]
    assert keys_withheld(user=cadre, question_ids=ids) == {in_rule.pk}


def test_a_question_met_in_practice_shows_its_key(cadre, other_cadre):
    question = build.question()
    annual([question])
    practice = build.exam(questions=[question], kind=Exam.Kind.PRACTICE, title="练习")
    attempt_start(exam=practice, user=cadre)
    assert key_visible(user=cadre, question_id=question.pk)
    assert not key_visible(user=other_cadre, question_id=question.pk)


def test_the_running_exams_own_graded_attempt_does_not_open_the_key(cadre):
    question = build.question()
    paper = annual([question])
    attempt = attempt_start(exam=paper, user=cadre)
    attempt_grade(attempt_id=attempt.pk)
    assert Attempt.objects.get(pk=attempt.pk).status == Attempt.Status.GRADED
    assert not key_visible(user=cadre, question_id=question.pk)
    # A quiz reviewed right after submitting is a place where review is open.
    quiz = build.exam(questions=[question], title="测验", review_policy="after_submit")
    attempt_grade(attempt_id=attempt_start(exam=quiz, user=cadre).pk)
    assert key_visible(user=cadre, question_id=question.pk)


def test_one_query_for_any_number_of_questions(cadre, django_assert_num_queries):
    questions = [build.question() for _ in range(30)]
    annual(questions[:20])
    with django_assert_num_queries(1):
        withheld = keys_withheld(user=cadre, question_ids=[q.pk for q in questions])
    assert withheld == {q.pk for q in questions[:20]}
    with django_assert_num_queries(0):
        assert keys_withheld(user=cadre, question_ids=[]) == set()


def test_drawn_questions_stay_withheld_after_a_move(cadre):
    parent = QuestionCategory.ensure_path(["2021年新法"])
    question = build.question("single", category=parent)
    rule = {"count": 1, "kind": "single", "category": parent, "points": Decimal("2")}
    paper = annual(rules=[rule], opens_at=timezone.now() - timedelta(hours=2))
    attempt_start(exam=paper, user=cadre)
    question.category = QuestionCategory.ensure_path(["别处"])
    question.save()
    assert not key_visible(user=cadre, question_id=question.pk)
