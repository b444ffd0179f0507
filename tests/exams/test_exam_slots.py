"""Exam slots (县里分批考试): a cadre whose unit has a slot starts only inside it and is
told when it is; a unit's slot covers the units below it; units without one follow the
exam's window; the start stays as cheap as without slots."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from exams.models import Attempt, ExamSlot
from exams.services.attempts import AttemptError, attempt_start
from exams.services.slots import slot_text
from lms.accounts.roles import Role
from tests.conftest import client_for
from tests.exams import exam_builders as build
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def slot(paper, units, starts_at, ends_at):
    made = ExamSlot.objects.create(exam=paper, starts_at=starts_at, ends_at=ends_at)
    made.units.set(units)
    return made


@pytest.fixture
def paper():
    now = timezone.now()
    return build.exam(
        questions=[build.question(), build.question()],
        opens_at=now - timedelta(hours=2),
        closes_at=now + timedelta(days=3),
        time_limit_minutes=90,
    )


@pytest.fixture
def later(paper):
    """Two hours that start tomorrow: not now."""
    starts = timezone.now() + timedelta(days=1)
    return starts, starts + timedelta(hours=2)


@pytest.fixture
def current():
    now = timezone.now()
    return now - timedelta(minutes=30), now + timedelta(minutes=30)


def start(client, paper, **headers):
    return client.post(reverse("exam_start", args=[paper.pk]), **headers)


def test_outside_the_slot_the_start_is_refused_with_the_slot_time(cadre, township, paper, later):
    slot(paper, [township["a"]], *later)
    response = start(client_for(cadre), paper)
    assert response.status_code == 403
    html = response.content.decode()
    assert f"你的考试时段：{slot_text(*later)}。只能在该时段内开始考试。" in html
    assert "月" in slot_text(*later) and "日" in slot_text(*later)
    assert not Attempt.objects.filter(user=cadre).exists()


def test_a_script_asking_for_json_gets_the_refusal_as_json(cadre, township, paper, later):
    slot(paper, [township["a"]], *later)
    response = start(client_for(cadre), paper, HTTP_ACCEPT="application/json")
    assert response.status_code == 403
    body = json.loads(response.content)
    assert body["ok"] is False and slot_text(*later) in body["error"]


def test_an_ended_slot_says_it_has_ended(cadre, township, paper):
    now = timezone.now()
    slot(paper, [township["a"]], now - timedelta(hours=2), now - timedelta(hours=1))
    with pytest.raises(AttemptError) as refused:
        attempt_start(exam=paper, user=cadre)
    assert refused.value.status == 403 and "已经结束" in refused.value.message


def test_inside_the_slot_the_cadre_starts_and_the_attempt_ends_with_the_slot(
    cadre, township, paper, current
):
    slot(paper, [township["a"]], *current)
    response = start(client_for(cadre), paper)
    assert response.status_code == 200
    attempt = Attempt.objects.get(user=cadre)
    # 90 minutes allowed, but the next batch starts when this slot ends.
    assert attempt.deadline == current[1]


def test_a_parent_units_slot_covers_its_subunits(roles, township, paper, later):
    slot(paper, [township["township"]], *later)
    for unit in ("a", "a1", "township"):
        user = UserFactory(unit=township[unit], role=Role.CADRE)
        assert start(client_for(user), paper).status_code == 403, unit
    assert not Attempt.objects.exists()


def test_the_nearest_units_slot_is_the_one_a_cadre_follows(
    cadre, other_cadre, township, paper, later, current
):
    # The township sits tomorrow, but 河口村 (cadre's village) now.
    slot(paper, [township["township"]], *later)
    slot(paper, [township["a"]], *current)
    assert start(client_for(cadre), paper).status_code == 200
    assert start(client_for(other_cadre), paper).status_code == 403


def test_a_unit_without_a_slot_follows_the_exams_window(cadre, other_cadre, township, paper, later):
    slot(paper, [township["b"]], *later)
    assert start(client_for(cadre), paper).status_code == 200
    assert start(client_for(other_cadre), paper).status_code == 403


def test_an_attempt_in_progress_resumes_whatever_the_slots(cadre, township, paper, later):
    attempt = attempt_start(exam=paper, user=cadre)
    slot(paper, [township["a"]], *later)
    assert attempt_start(exam=paper, user=cadre).pk == attempt.pk


def test_the_exam_page_and_home_show_the_cadres_slot(cadre, township, paper, later):
    slot(paper, [township["a"]], *later)
    client = client_for(cadre)
    detail = client.get(reverse("exam_detail", args=[paper.pk])).content.decode()
    assert "我的考试时段" in detail and slot_text(*later) in detail
    assert "只能在该时段内开始考试" in detail  # no start button, the reason instead
    assert reverse("exam_start", args=[paper.pk]) not in detail
    home = client.get("/").content.decode()
    assert f"你的考试时段：{slot_text(*later)}" in home


def test_a_cadre_without_a_slot_sees_the_exams_window(cadre, township, paper, later):
    slot(paper, [township["b"]], *later)
    detail = client_for(cadre).get(reverse("exam_detail", args=[paper.pk])).content.decode()
    assert "我的考试时段" not in detail
    assert reverse("exam_start", args=[paper.pk]) in detail


def test_a_slot_added_after_a_start_is_seen_by_the_next_start(
    cadre, other_cadre, township, paper, later
):
    attempt_start(exam=paper, user=cadre)  # the plan is read
    slot(paper, [township["b"]], *later)
    with pytest.raises(AttemptError):
        attempt_start(exam=paper, user=other_cadre)


def start_queries(user, paper) -> int:
    attempt_start(exam=paper, user=user)  # the plan is read by the first start
    Attempt.objects.filter(exam=paper).delete()
    with CaptureQueriesContext(connection) as started:
        attempt_start(exam=paper, user=user)
    return len(started)


def test_slots_add_no_query_to_a_start(roles, township, current, later):
    plain = build.exam(questions=[build.question()], attempts_allowed=0)
    slotted = build.exam(questions=[build.question()], attempts_allowed=0)
    slot(slotted, [township["a"]], *current)
    for unit in ("b", "township"):
        slot(slotted, [township[unit]], *later)
    user = UserFactory(unit=township["a1"], role=Role.CADRE)
    assert start_queries(user, slotted) == start_queries(user, plain)
