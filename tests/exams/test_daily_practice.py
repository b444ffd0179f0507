"""Daily practice: five questions a day from this year's new laws (or the most recent year
with enough), the same all day, none repeated from the previous seven days."""

import random
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Law
from exams.models import DailyPracticeItem
from exams.services.daily import daily_practice_answer, daily_practice_ensure
from tests.conftest import client_for
from tests.exams import exam_builders as build

pytestmark = pytest.mark.django_db


def law(year, slug):
    return Law.objects.create(title=f"法{slug}", slug=slug, effective_date=date(year, 1, 1))


def questions_on(law_, n):
    made = []
    for _ in range(n):
        question = build.question("single", correct=("A",))
        question.law = law_
        question.save(update_fields=["law"])
        made.append(question)
    return made


def test_five_a_day_the_same_all_day(cadre):
    today = timezone.localdate()
    questions_on(law(today.year, "new"), 12)
    first = daily_practice_ensure(user=cadre, rng=random.Random(1))
    again = daily_practice_ensure(user=cadre, rng=random.Random(2))
    assert len(first.items) == 5
    assert [i.question_id for i in first.items] == [i.question_id for i in again.items]
    assert first.fallback_year is None
    assert DailyPracticeItem.objects.filter(user=cadre).count() == 5


def test_no_question_comes_back_within_seven_days(cadre):
    today = timezone.localdate()
    questions_on(law(today.year, "new"), 40)
    seen: dict[int, date] = {}
    for offset in range(8):
        day = today - timedelta(days=7 - offset)
        daily = daily_practice_ensure(user=cadre, day=day, rng=random.Random(offset))
        assert len(daily.items) == 5
        for item in daily.items:
            last = seen.get(item.question_id)
            assert last is None or (day - last).days > 7, (item.question_id, last, day)
            seen[item.question_id] = day


def test_falls_back_to_the_most_recent_year_with_enough_questions(cadre):
    today = timezone.localdate()
    questions_on(law(today.year, "new"), 2)  # too few this year
    older = questions_on(law(today.year - 1, "older"), 6)
    questions_on(law(today.year - 5, "oldest"), 10)
    daily = daily_practice_ensure(user=cadre)
    assert daily.fallback_year == today.year - 1
    assert {i.question_id for i in daily.items} <= {q.pk for q in older}
    html = client_for(cadre).get(reverse("daily_practice")).content.decode()
    assert str(today.year - 1) in html


def test_answering_gives_feedback_once(cadre):
    today = timezone.localdate()
    questions_on(law(today.year, "new"), 5)
    daily = daily_practice_ensure(user=cadre)
    client = client_for(cadre)
    response = client.post(reverse("daily_answer", args=[1]), {"choice": ["A"]})
    assert response.status_code == 302
    item = DailyPracticeItem.objects.get(user=cadre, day=daily.day, position=1)
    assert item.correct is True and item.answer == ["A"]
    # A second answer to the same question changes nothing.
    client.post(reverse("daily_answer", args=[1]), {"choice": ["B"]})
    item.refresh_from_db()
    assert item.correct is True and item.answer == ["A"]
    page = client.get(reverse("daily_practice"))
    assert page.context["done"] == 1
    assert "解析" in page.content.decode()  # the answered one shows its explanation
    assert client.post(reverse("daily_answer", args=[9]), {"choice": ["A"]}).status_code == 404


def test_wrong_answer_and_bad_shapes(cadre):
    today = timezone.localdate()
    questions_on(law(today.year, "new"), 5)
    daily_practice_ensure(user=cadre)
    feedback = daily_practice_answer(user=cadre, position=2, answer={"choices": ["C"]})
    assert feedback.correct is False and feedback.correct_keys == ["A"]
    from exams.services.attempts import AttemptError

    with pytest.raises(AttemptError) as refused:
        daily_practice_answer(user=cadre, position=3, answer={"choices": ["Z"]})
    assert refused.value.status == 400


def test_daily_page_queries_are_fixed(cadre, django_assert_max_num_queries):
    today = timezone.localdate()
    questions_on(law(today.year, "new"), 30)
    client = client_for(cadre)
    client.get(reverse("daily_practice"))
    with django_assert_max_num_queries(6):
        assert client.get(reverse("daily_practice")).status_code == 200


def test_an_empty_bank_gives_an_empty_page(cadre):
    response = client_for(cadre).get(reverse("daily_practice"))
    assert response.status_code == 200
    assert response.context["rows"] == []


def test_a_drawn_question_keeps_what_the_cadre_met_when_a_trainer_edits_it(cadre):
    """The daily item holds a version like an attempt does: the edit makes a new version,
    and the answer is judged by the kind and key the cadre was shown."""
    from exams.services.bank import question_update

    today = timezone.localdate()
    questions_on(law(today.year, "frozen"), 5)
    item = daily_practice_ensure(user=cadre, rng=random.Random(3)).items[0]
    question, seen = item.question, item.version
    assert item.kind == "single"
    question_update(
        question=question,
        kind="multiple",
        stem="<p>改过的题干</p>",
        choices=[{"text": "甲", "fraction": "0.5"}, {"text": "乙", "fraction": "0.5"}],
    )
    question.refresh_from_db()
    seen.refresh_from_db()
    assert question.current_version_id != seen.pk
    assert seen.stem != "<p>改过的题干</p>"
    from exams.services.attempts import AttemptError

    # Two choices do not fit the single-choice question the cadre was shown.
    with pytest.raises(AttemptError):
        daily_practice_answer(user=cadre, position=item.position, answer={"choices": ["A", "B"]})
    # A alone is right by the version shown (by the new one it would be half the key).
    feedback = daily_practice_answer(user=cadre, position=item.position, answer={"choices": ["A"]})
    assert feedback.correct is True
    page = client_for(cadre).get(reverse("daily_practice")).content.decode()
    assert "改过的题干" not in page
