"""Leaving the exam page: counted by the server (one leave per few seconds at most, never
lowered by the client), shown to the cadre, warned at the limit minus one, and the paper
submitted at the limit; each record and the forced submit are in the action log."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from exams.models import Attempt
from exams.services.integrity import (
    LEAVE_ACTION,
    LEAVE_MIN_GAP_SECONDS,
    LEAVE_SUBMIT_ACTION,
    attempt_leave_record,
)
from tests.conftest import client_for
from tests.exams import exam_builders as build

pytestmark = pytest.mark.django_db


def paper(**fields):
    return build.exam(
        questions=[build.question("single", correct=("B",)) for _ in range(2)],
        points=Decimal("10"),
        **fields,
    )


def start(client, exam):
    response = client.post(reverse("exam_start", args=[exam.pk]))
    return response.context["attempt"], response.context["token"]


def leave(token, attempt, body=None, **extra):
    return Client().post(
        reverse("api_attempt_leave", args=[attempt.pk]),
        json.dumps({"kind": "hidden"} if body is None else body),
        content_type="application/json",
        HTTP_X_ATTEMPT_TOKEN=token,
        **extra,
    )


def later(attempt, seconds=LEAVE_MIN_GAP_SECONDS + 1):
    """As if the last leave were a while ago (the server keeps the time)."""
    Attempt.objects.filter(pk=attempt.pk).update(
        left_at=timezone.now() - timedelta(seconds=seconds)
    )


def test_each_leave_is_counted_once_and_shown_to_the_cadre(cadre):
    client = client_for(cadre)
    attempt, token = start(client, paper())
    first = leave(token, attempt, REMOTE_ADDR="10.3.3.3")
    assert first.status_code == 200
    assert first.json() == {
        "ok": True,
        "count": 1,
        "limit": None,
        "counted": True,
        "submitted": False,
        "warning": "",
    }
    # The blur that comes with the same leave, or a flood: not counted again.
    for _ in range(5):
        assert leave(token, attempt, {"kind": "blur"}).json()["counted"] is False
    later(attempt)
    assert leave(token, attempt).json()["count"] == 2
    assert Attempt.objects.get(pk=attempt.pk).leave_count == 2
    assert (
        "已离开考试页面 2 次"
        in client.get(reverse("attempt_page", args=[attempt.pk])).content.decode()
    )
    entries = ModelLogEntry.objects.filter(action=LEAVE_ACTION, object_id=str(attempt.pk))
    assert entries.count() == 2
    assert {e.data["ip"] for e in entries} >= {"10.3.3.3"} and entries[0].user == cadre


def test_the_client_cannot_lower_or_set_the_count(cadre):
    attempt, token = start(client_for(cadre), paper())
    leave(token, attempt)
    later(attempt)
    response = leave(token, attempt, {"kind": "hidden", "count": 0, "leave_count": -5})
    assert response.json()["count"] == 2
    for method in ("delete", "put", "get"):
        assert (
            getattr(Client(), method)(reverse("api_attempt_leave", args=[attempt.pk])).status_code
            == 405
        )
    assert Attempt.objects.get(pk=attempt.pk).leave_count == 2


def test_a_warning_at_the_limit_minus_one_then_the_paper_is_submitted(cadre):
    client = client_for(cadre)
    exam = paper(leave_limit=3)
    attempt, token = start(client, exam)
    page = client.get(reverse("attempt_page", args=[attempt.pk])).content.decode()
    assert "累计离开 3 次将自动交卷" in page
    assert leave(token, attempt).json()["warning"] == ""
    later(attempt)
    second = leave(token, attempt).json()
    assert second["count"] == 2 and "再离开 1 次，试卷将自动交卷" in second["warning"]
    later(attempt)
    third = leave(token, attempt).json()
    assert third["submitted"] is True and third["count"] == 3
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED and attempt.submitted_for_leaving
    assert attempt.score is not None
    forced = ModelLogEntry.objects.get(action=LEAVE_SUBMIT_ACTION, object_id=str(attempt.pk))
    assert forced.user == cadre and forced.data["ip"] == "127.0.0.1"
    # A submitted attempt records no more leaves.
    later(attempt)
    refused = leave(token, attempt)
    assert refused.status_code == 409 and refused.json()["error"]


@pytest.mark.parametrize(
    "body, status",
    [
        ({"kind": "shown"}, 400),
        ({"kind": ["hidden"]}, 400),
        ({}, 400),
        ([1, 2], 400),
        ("x" * 1000, 400),
    ],
)
def test_bad_bodies_are_refused_in_chinese(cadre, body, status):
    attempt, token = start(client_for(cadre), paper())
    response = leave(token, attempt, body)
    assert response.status_code == status
    assert response.json()["ok"] is False
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["error"])
    assert Attempt.objects.get(pk=attempt.pk).leave_count == 0


def test_not_json_a_bad_token_and_another_cadres_attempt(cadre, other_cadre):
    attempt, token = start(client_for(cadre), paper())
    url = reverse("api_attempt_leave", args=[attempt.pk])
    raw = Client().post(
        url, "{not json", content_type="application/json", HTTP_X_ATTEMPT_TOKEN=token
    )
    assert raw.status_code == 400
    assert leave("forged", attempt).status_code == 403
    other_attempt, other_token = start(client_for(other_cadre), paper())
    # One cadre's token names their attempt only.
    assert leave(token, other_attempt).status_code == 403
    assert Attempt.objects.get(pk=other_attempt.pk).leave_count == 0
    # The service itself: another cadre's attempt does not exist for them.
    with pytest.raises(Exception) as refused:
        attempt_leave_record(
            attempt_id=attempt.pk, user_id=other_cadre.pk, device="", kind="hidden"
        )
    assert refused.value.status == 404


def test_a_device_that_lost_the_attempt_is_told_so(cadre):
    attempt, token = start(client_for(cadre), paper())
    other = client_for(cadre)
    other.post(reverse("attempt_takeover", args=[attempt.pk]))
    refused = leave(token, attempt)
    assert refused.status_code == 409 and refused.json()["code"] == "elsewhere"
    assert Attempt.objects.get(pk=attempt.pk).leave_count == 0


def test_the_trainer_sees_each_attempts_count(cadre, trainer):
    exam = paper()
    attempt, token = start(client_for(cadre), exam)
    leave(token, attempt)
    later(attempt)
    leave(token, attempt)
    listing = client_for(trainer).get(reverse("exams_attempt:index") + f"?exam={exam.pk}")
    html = listing.content.decode()
    assert listing.status_code == 200 and "离开考试页面次数" in html
    assert ">2<" in html.replace(" ", "").replace("\n", "")
    history = client_for(trainer).get(reverse("exams_attempt:history", args=[attempt.pk]))
    assert history.content.decode().count("离开考试页面") >= 2
