"""The attempt page: the start answers with it, and its question blocks, kept by each
process for unanswered questions, are exactly what the template renders."""

import random
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.template.loader import get_template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from exams.attempt_blocks import TEMPLATE, question_blocks
from exams.kinds import QuestionKind
from exams.models import Attempt, QuestionCategory
from exams.selectors.attempts import attempt_questions
from exams.services.attempts import attempt_answer_save, attempt_start
from tests.conftest import client_for
from tests.exams import exam_builders as build

pytestmark = pytest.mark.django_db


def paper_of(size):
    kinds = ["single", "multiple", "truefalse", "blank"]
    questions = []
    for i in range(size):
        kind = kinds[i % 4]
        if kind == "blank":
            questions.append(build.question("blank", blanks=[["依法行政"], ["合理行政"]]))
        else:
            questions.append(
                build.question(kind, correct=("A", "B") if kind == "multiple" else ("A",))
            )
    return build.exam(questions=questions, points=Decimal("2.5"))


def rendered(questions):
    template = get_template(TEMPLATE)
    return [template.render({"q": question}) for question in questions]


def test_kept_blocks_are_what_the_template_renders_at_any_position(cadre, other_cadre):
    # Of every kind: a change to a kind's markup in the template that the kept blocks
    # cannot follow fails here, not on a cadre's page.
    paper = paper_of(8)
    for user in (cadre, other_cadre):
        questions = attempt_questions(attempt=attempt_start(exam=paper, user=user))
        assert {question["kind"] for question in questions} == set(QuestionKind.values)
        assert question_blocks(questions) == rendered(questions)
        # The same questions at other positions come out of the kept blocks.
        random.Random(7).shuffle(questions)
        for position, question in enumerate(questions, start=1):
            question["position"] = position
        assert question_blocks(questions) == rendered(questions)


def test_a_fresh_start_shows_what_reading_the_attempt_back_would(cadre):
    category = QuestionCategory.ensure_path(["2021年新法", "抽题"])
    for _n in range(5):
        build.question("multiple", category=category, correct=("A", "C"), n_choices=5)
    paper = build.exam(
        questions=[build.question("single"), build.question("blank", blanks=[["a"], ["b"]])],
        rules=[{"count": 3, "kind": "multiple", "category": category, "points": Decimal("1.5")}],
        shuffle_questions=True,
        shuffle_options=True,
    )
    attempt = attempt_start(exam=paper, user=cadre)
    read_back = attempt_questions(attempt=Attempt.objects.get(pk=attempt.pk))
    assert len(read_back) == 5
    assert attempt.fresh_questions == read_back


def test_answered_blocks_show_the_answers(cadre):
    paper = paper_of(4)
    attempt = attempt_start(exam=paper, user=cadre)
    items = {item.kind: item for item in attempt.items.all()}
    deadline = int(attempt.deadline.timestamp())
    for seq, (kind, answer) in enumerate(
        [("multiple", {"choices": ["A", "B"]}), ("blank", {"blanks": ["依法行政", "x"]})], 1
    ):
        attempt_answer_save(
            attempt_id=attempt.pk,
            user_id=cadre.pk,
            position=items[kind].position,
            answer=answer,
            seq=seq,
            deadline_ts=deadline,
        )
    questions = attempt_questions(attempt=attempt)
    blocks = question_blocks(questions)
    assert blocks == rendered(questions)
    multiple = blocks[items["multiple"].position - 1]
    assert multiple.count(" checked") == 2 and 'data-state="saved"' in multiple
    assert 'value="依法行政"' in blocks[items["blank"].position - 1]


def test_kept_blocks_follow_the_language(cadre):
    questions = attempt_questions(attempt=attempt_start(exam=paper_of(4), user=cadre))
    with translation.override("zh-hans"):
        chinese = "".join(question_blocks(questions))
    with translation.override("en"):
        english = "".join(question_blocks(questions))
    assert "Single choice" in english and "Single choice" not in chinese
    assert "单选题" in chinese


def test_the_start_answers_with_the_attempt_page_and_resumes_it(cadre, paper_of_size=6):
    paper = paper_of(paper_of_size)
    client = client_for(cadre)
    first = client.post(reverse("exam_start", args=[paper.pk]))
    assert first.status_code == 200
    attempt = first.context["attempt"]
    page = reverse("attempt_page", args=[attempt.pk])
    html = first.content.decode()
    assert f'data-page="{page}"' in html and html.count('class="question"') == paper_of_size
    # The text-size and language switches come back to the attempt, not to the start.
    assert html.count(f'name="next" value="{page}"') == 2
    # A second tap (or a reload that posts again) resumes the same attempt, and shows it
    # as the first did.
    again = client.post(reverse("exam_start", args=[paper.pk]))
    assert again.context["question_blocks"] == first.context["question_blocks"]
    assert again.context["attempt"].pk == attempt.pk
    assert client.get(page).status_code == 200


def start_queries(user, size):
    paper = paper_of(size)
    client = client_for(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.post(reverse("exam_start", args=[paper.pk])).status_code == 200
    return len(queries)


def test_the_start_and_its_page_cost_the_same_queries_whatever_the_paper_size(cadre, other_cadre):
    # The action log's content type is looked up once per process, not per start.
    ContentType.objects.get_for_model(Attempt)
    small, large = start_queries(cadre, 10), start_queries(other_cadre, 40)
    assert small == large
    assert small <= 17


def test_blocks_hold_whatever_html_the_stem_and_choices_carry():
    tricky = '<label class="option">A</label> </label><img src="/media/x.png" alt="">'
    questions = [
        {
            "position": position,
            "kind": "single",
            "stem": f"<p>{tricky}</p>",
            "points": Decimal("2"),
            "options": [
                {"key": key, "value": f"v{position}{key}", "text": f"{key}{tricky}"}
                for key in order
            ],
            "blank_values": [],
            "answer": [],
            "seq": 0,
        }
        for position, order in enumerate(["ABCD", "DCBA", "BADC", "CDAB"], start=1)
    ]
    assert question_blocks(questions) == rendered(questions)
