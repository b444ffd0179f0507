"""The mistake book: in after a wrong answer in a graded attempt, out after two right
answers in a row, the streak reset by a wrong one."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exams.models import AttemptItem, MistakeEntry
from exams.services.attempts import attempt_grade, attempt_start
from exams.services.mistakes import mistake_entry_state
from tests.conftest import client_for
from tests.exams import exam_builders as build

pytestmark = pytest.mark.django_db


def sit(paper, user, answers):
    """Start, answer {position: answer} and grade."""
    attempt = attempt_start(exam=paper, user=user)
    for item in attempt.items.all():
        if item.position in answers:
            item.answer = answers[item.position]
            item.save(update_fields=["answer"])
    return attempt_grade(attempt_id=attempt.pk)


@pytest.fixture
def paper(db):
    return build.exam(
        questions=[
            build.question("single", correct=("B",)),
            build.question("multiple", correct=("A", "C")),
            build.question("truefalse", correct=("A",)),
        ],
        points=Decimal("10"),
        attempts_allowed=0,
    )


def answer(client, entry, choices):
    return client.post(
        reverse("mistake_question", args=[entry.question_id]),
        {"choice": choices, "state": mistake_entry_state(entry)},
    )


def test_wrong_and_unanswered_questions_go_in_when_graded(cadre, paper):
    sit(paper, cadre, {1: ["B"], 2: ["A"]})  # right, half right (all or nothing), unanswered
    ids = [fq.question_id for fq in paper.fixed_questions.all()]
    entries = {e.question_id: e for e in MistakeEntry.objects.filter(user=cadre)}
    assert set(entries) == {ids[1], ids[2]}
    assert all(e.wrong_count == 1 and e.correct_streak == 0 for e in entries.values())
    # Wrong again in a later attempt: counted again, not duplicated.
    sit(paper, cadre, {1: ["A"], 2: ["A", "C"], 3: ["B"]})
    entries = {e.question_id: e for e in MistakeEntry.objects.filter(user=cadre)}
    assert set(entries) == set(ids)
    assert entries[ids[2]].wrong_count == 2 and entries[ids[1]].wrong_count == 1


def test_two_right_in_a_row_take_it_out_and_a_wrong_one_resets_the_streak(cadre, paper):
    sit(paper, cadre, {1: ["A"], 2: ["A", "C"], 3: ["A"]})  # only question 1 wrong
    entry = MistakeEntry.objects.get(user=cadre)
    client = client_for(cadre)
    assert answer(client, entry, ["B"]).status_code == 200
    entry.refresh_from_db()
    assert entry.correct_streak == 1 and entry.resolved_at is None
    response = answer(client, entry, ["C"])  # wrong: the streak starts over
    assert response.status_code == 200 and response.context["feedback"].correct is False
    entry.refresh_from_db()
    assert (entry.correct_streak, entry.wrong_count) == (0, 2)
    answer(client, entry, ["B"])
    entry.refresh_from_db()
    assert entry.correct_streak == 1
    response = answer(client, entry, ["B"])
    assert response.context["resolved"] is True
    entry.refresh_from_db()
    assert entry.resolved_at is not None
    assert client.get(reverse("mistake_book")).context["entries"] == []
    # Wrong again in an exam: back in the book, streak from zero.
    sit(paper, cadre, {1: ["D"]})
    entry.refresh_from_db()
    assert entry.resolved_at is None and entry.correct_streak == 0 and entry.wrong_count == 3


def test_a_form_sent_twice_counts_once(cadre, paper):
    sit(paper, cadre, {2: ["A", "C"], 3: ["A"]})
    entry = MistakeEntry.objects.get(user=cadre)
    client = client_for(cadre)
    answer(client, entry, ["B"])
    again = answer(client, entry, ["B"])  # same state: a double tap
    assert again.status_code == 302
    entry.refresh_from_db()
    assert entry.correct_streak == 1 and entry.resolved_at is None


def test_practice_walks_through_the_open_mistakes(cadre, other_cadre, paper):
    sit(paper, cadre, {})
    client = client_for(cadre)
    ids = sorted(MistakeEntry.objects.filter(user=cadre).values_list("question_id", flat=True))
    first = client.get(reverse("mistake_practice"))
    assert first.url == reverse("mistake_question", args=[ids[0]])
    following = client.get(reverse("mistake_practice") + f"?after={ids[0]}")
    assert following.url == reverse("mistake_question", args=[ids[1]])
    wrap = client.get(reverse("mistake_practice") + f"?after={ids[-1]}")
    assert wrap.url == reverse("mistake_question", args=[ids[0]])
    page = client.get(first.url)
    assert page.status_code == 200
    assert "fraction" not in page.content.decode() and "解析" not in page.content.decode()
    # Someone else's mistakes are not there for them.
    assert client_for(other_cadre).get(first.url).status_code == 404


def test_a_bad_answer_is_refused_without_counting(cadre, paper):
    sit(paper, cadre, {2: ["A", "C"], 3: ["A"]})
    entry = MistakeEntry.objects.get(user=cadre)
    response = answer(client_for(cadre), entry, ["A", "B"])  # two picks on a single choice
    assert response.status_code == 400
    entry.refresh_from_db()
    assert (entry.wrong_count, entry.correct_streak) == (1, 0)


def test_recording_mistakes_takes_a_fixed_number_of_queries(cadre, other_cadre):
    small = build.exam(questions=[build.question() for _ in range(3)], title="s")
    large = build.exam(questions=[build.question() for _ in range(30)], title="l")

    def grade_queries(paper, user):
        attempt = attempt_start(exam=paper, user=user)
        AttemptItem.objects.filter(attempt=attempt).update(answer=["C"])
        with CaptureQueriesContext(connection) as queries:
            attempt_grade(attempt_id=attempt.pk)
        return len(queries)

    assert grade_queries(small, cadre) == grade_queries(large, other_cadre)
    assert MistakeEntry.objects.filter(user=other_cadre).count() == 30


def test_book_page_queries_do_not_grow(cadre, django_assert_max_num_queries):
    paper = build.exam(questions=[build.question() for _ in range(20)])
    sit(paper, cadre, {})
    client = client_for(cadre)
    client.get(reverse("mistake_book"))
    with django_assert_max_num_queries(6):
        response = client.get(reverse("mistake_book"))
    assert len(response.context["entries"]) == 20


def test_a_regrade_counts_through_the_same_writer_as_grading(cadre, paper):
    """mistakes_add (a key correction found answers wrong) counts like a graded attempt:
    a new entry, or one more on a known one, back in the book if it had left."""
    from django.utils import timezone

    from exams.services.mistakes import mistakes_add

    sit(paper, cadre, {})
    known = MistakeEntry.objects.filter(user=cadre).order_by("question_id").first()
    MistakeEntry.objects.filter(pk=known.pk).update(resolved_at=timezone.now(), correct_streak=2)
    fresh = build.question("single", correct=("A",))
    assert mistakes_add(user_id=cadre.pk, question_ids=[known.question_id, fresh.pk, fresh.pk]) == 2
    known.refresh_from_db()
    assert known.wrong_count == 2 and known.correct_streak == 0 and known.resolved_at is None
    assert MistakeEntry.objects.get(user=cadre, question=fresh).wrong_count == 1
    assert mistakes_add(user_id=cadre.pk, question_ids=[]) == 0
