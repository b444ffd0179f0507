"""Option values on the attempt page are opaque per attempt and question, and map back to
the bank's keys on save: a bank that lists the right answer first shows nothing."""

import re
from decimal import Decimal

import pytest

from exams.models import AttemptItem
from tests.conftest import client_for
from tests.exams import exam_builders as build
from tests.exams.test_attempt_flow import page_token, save, start

pytestmark = pytest.mark.django_db

VALUE = re.compile(r'name="q(\d+)" value="([^"]*)"')


def values_of(html):
    found = {}
    for position, value in VALUE.findall(html):
        found.setdefault(int(position), []).append(value)
    return found


@pytest.fixture
def paper(db):
    # The right answer listed first, as some banks do; options not shuffled.
    questions = [build.question("single", correct=("A",)) for _ in range(3)]
    return build.exam(questions=questions, points=Decimal("10"), attempts_allowed=0)


def test_values_are_opaque_and_differ_between_attempts_and_questions(cadre, other_cadre, paper):
    # Each cadre reopens the attempt on the device that started it (one device per attempt).
    mine_client, their_client = client_for(cadre), client_for(other_cadre)
    first = start(mine_client, paper)
    first_html = mine_client.get(f"/exams/attempts/{first.pk}/").content.decode()
    second = start(their_client, paper)
    second_html = their_client.get(f"/exams/attempts/{second.pk}/").content.decode()
    mine, theirs = values_of(first_html), values_of(second_html)
    assert len(mine) == 3 and all(len(v) == 4 for v in mine.values())
    every = [value for values in mine.values() for value in values]
    assert not set(every) & set("ABCDEFGH")
    assert len(set(every)) == len(every)  # no value repeats across questions
    assert mine[1] != theirs[1]  # nor across attempts
    assert not re.search(r'value="[A-H]"', first_html)


def test_the_page_values_save_the_bank_keys_and_letters_do_not_fit(cadre, paper):
    client = client_for(cadre)
    attempt = start(client, paper)
    fresh = values_of(client.post(f"/exams/{paper.pk}/start/").content.decode())
    token = page_token(client, attempt)
    refused = save(token, attempt, 1, {"choices": ["A"]}, 1, raw=True)
    assert refused.status_code == 400 and refused.json()["error"]
    assert save(token, attempt, 1, {"choices": [fresh[1][0]]}, 2, raw=True).status_code == 200
    assert AttemptItem.objects.get(attempt=attempt, position=1).answer == ["A"]
    # A value of another question does not fit this one.
    assert save(token, attempt, 2, {"choices": [fresh[1][1]]}, 3, raw=True).status_code == 400
    # A reload (answered blocks go through the template) shows the same values, checked.
    html = client.get(f"/exams/attempts/{attempt.pk}/").content.decode()
    assert values_of(html) == fresh
    assert f'value="{fresh[1][0]}" checked' in html
