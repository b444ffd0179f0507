"""Exam slots in the admin: HR and trainers set them, the form refuses a slot that ends
before it starts, lies outside the exam's window or overlaps another for the same unit."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from exams.models import ExamSlot
from tests.conftest import client_for
from tests.exams import exam_builders as build

pytestmark = pytest.mark.django_db


def _when(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M")


@pytest.fixture
def paper():
    now = timezone.now()
    return build.exam(
        questions=[build.question()],
        opens_at=now + timedelta(days=1),
        closes_at=now + timedelta(days=5),
    )


def post_slot(user, paper, units, starts_at, ends_at):
    data = {
        "exam": str(paper.pk),
        "starts_at": _when(starts_at),
        "ends_at": _when(ends_at),
        "units": [str(unit.pk) for unit in units],
    }
    return client_for(user).post(reverse("exams_slot:add"), data)


def errors_of(response) -> str:
    form = response.context["form"]
    return " ".join(str(message) for messages in form.errors.values() for message in messages)


def test_hr_sets_a_slot_and_a_trainer_reaches_it_from_the_exam(hr, trainer, township, paper):
    starts = paper.opens_at + timedelta(hours=1)
    response = post_slot(
        hr, paper, [township["a"], township["b"]], starts, starts + timedelta(hours=2)
    )
    assert response.status_code == 302
    made = ExamSlot.objects.get()
    assert set(made.units.all()) == {township["a"], township["b"]}
    listing = client_for(trainer).get(reverse("exams_exam:index")).content.decode()
    assert f"{reverse('exams_slot:index')}?exam={paper.pk}" in listing
    slots = client_for(trainer).get(reverse("exams_slot:index"), {"exam": paper.pk})
    assert slots.status_code == 200 and "河口村" in slots.content.decode()
    add = client_for(hr).get(reverse("exams_slot:add"), {"exam": paper.pk})
    assert add.context["form"].initial["exam"] == str(paper.pk)


def test_a_cadre_and_a_leader_cannot_reach_slots(cadre, leader):
    for user in (cadre, leader):
        response = client_for(user).get(reverse("exams_slot:index"))
        assert response.status_code in (302, 403)


def test_a_slot_must_end_after_it_starts(hr, township, paper):
    starts = paper.opens_at + timedelta(hours=3)
    response = post_slot(hr, paper, [township["a"]], starts, starts - timedelta(hours=1))
    assert response.status_code == 200
    assert "结束时间必须晚于开始时间" in errors_of(response)
    assert not ExamSlot.objects.exists()


def test_a_slot_must_lie_within_the_exams_window(hr, township, paper):
    starts = paper.opens_at - timedelta(hours=1)
    response = post_slot(hr, paper, [township["a"]], starts, starts + timedelta(hours=2))
    assert response.status_code == 200
    assert "必须在考试开放时间" in errors_of(response)
    assert not ExamSlot.objects.exists()


def test_overlapping_slots_for_the_same_unit_are_refused(hr, township, paper):
    starts = paper.opens_at + timedelta(hours=1)
    assert (
        post_slot(hr, paper, [township["a"]], starts, starts + timedelta(hours=2)).status_code
        == 302
    )
    overlap = starts + timedelta(hours=1)
    response = post_slot(
        hr, paper, [township["b"], township["a"]], overlap, overlap + timedelta(hours=2)
    )
    assert response.status_code == 200
    assert "对于河口村，该时段与本场考试的时段" in errors_of(response)
    # Another unit at the same time, or the same unit later, is fine.
    assert (
        post_slot(hr, paper, [township["b"]], overlap, overlap + timedelta(hours=2)).status_code
        == 302
    )
    later = starts + timedelta(hours=2)
    assert (
        post_slot(hr, paper, [township["a"]], later, later + timedelta(hours=1)).status_code == 302
    )
    assert ExamSlot.objects.count() == 3


def test_a_slot_names_a_unit(hr, paper):
    starts = paper.opens_at + timedelta(hours=1)
    response = post_slot(hr, paper, [], starts, starts + timedelta(hours=1))
    assert response.status_code == 200 and not ExamSlot.objects.exists()
