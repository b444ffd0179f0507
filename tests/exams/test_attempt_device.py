"""One device at a time: an attempt is bound to the browser that started it; another
device sees "该考试正在另一台设备上进行" and continues only by confirming, after which the
first device's saves get 409 with that message; a trainer can release a stuck attempt.
Each start, takeover and release is in Wagtail's action log with who and from where."""

import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from exams.models import Attempt, AttemptItem
from exams.option_tokens import option_value
from exams.services.integrity import START_ACTION, TAKEOVER_ACTION
from tests.conftest import client_for
from tests.exams import exam_builders as build

pytestmark = pytest.mark.django_db

ELSEWHERE = "该考试正在另一台设备上进行"


@pytest.fixture
def paper(db):
    questions = [build.question("single", correct=("B",)) for _ in range(3)]
    return build.exam(questions=questions, points=Decimal("10"))


def start(client, paper):
    response = client.post(reverse("exam_start", args=[paper.pk]), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    return response.context["attempt"], response.context["token"]


def save(token, attempt, position, seq):
    # The page's value for option B, as the attempt page renders it.
    choice = option_value(attempt_id=attempt.pk, position=position, key="B")
    return Client().post(
        reverse("api_answer", args=[attempt.pk]),
        json.dumps({"position": position, "answer": {"choices": [choice]}, "seq": seq}),
        content_type="application/json",
        HTTP_X_ATTEMPT_TOKEN=token,
    )


def test_the_start_binds_the_attempt_and_is_logged_with_the_address(cadre, paper):
    client = client_for(cadre)
    attempt, _token = start(client, paper)
    assert client.cookies["exam_device"].value
    assert Attempt.objects.get(pk=attempt.pk).device_hash
    entry = ModelLogEntry.objects.get(action=START_ACTION, object_id=str(attempt.pk))
    assert entry.user == cadre and entry.data["ip"] == "10.1.2.3"
    # The same browser reopens its attempt as before.
    assert client.get(reverse("attempt_page", args=[attempt.pk])).status_code == 200


def test_a_second_device_is_told_and_takes_over_only_by_confirming(cadre, paper):
    first = client_for(cadre)
    attempt, first_token = start(first, paper)
    assert save(first_token, attempt, 1, 1).status_code == 200

    second = client_for(cadre)
    page = second.get(reverse("attempt_page", args=[attempt.pk]))
    assert page.status_code == 409
    html = page.content.decode()
    assert ELSEWHERE in html and reverse("attempt_takeover", args=[attempt.pk]) in html
    assert 'id="attempt-form"' not in html  # no paper, no token on the other device
    # Looking is not taking over: the first device still saves.
    assert save(first_token, attempt, 2, 2).status_code == 200

    response = second.post(reverse("attempt_takeover", args=[attempt.pk]), REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 302
    page = second.get(reverse("attempt_page", args=[attempt.pk]))
    assert page.status_code == 200
    second_token = page.context["token"]

    refused = save(first_token, attempt, 3, 3)
    assert refused.status_code == 409
    assert refused.json() == {"ok": False, "error": ELSEWHERE, "code": "elsewhere"}
    assert AttemptItem.objects.get(attempt=attempt, position=3).answer is None
    assert save(second_token, attempt, 3, 4).status_code == 200
    # The first device cannot submit the paper it lost either.
    assert first.post(reverse("attempt_submit", args=[attempt.pk])).status_code == 409
    assert Attempt.objects.get(pk=attempt.pk).status == Attempt.Status.IN_PROGRESS

    entry = ModelLogEntry.objects.get(action=TAKEOVER_ACTION, object_id=str(attempt.pk))
    assert entry.user == cadre and entry.data["ip"] == "10.9.9.9"


def test_the_second_device_posting_the_start_again_sees_the_same_choice(cadre, paper):
    start(client_for(cadre), paper)
    response = client_for(cadre).post(reverse("exam_start", args=[paper.pk]))
    assert response.status_code == 409 and ELSEWHERE in response.content.decode()
    assert Attempt.objects.count() == 1


def test_a_foreign_cookie_is_a_new_device(cadre, paper):
    attempt, _token = start(client_for(cadre), paper)
    other = client_for(cadre)
    other.cookies["exam_device"] = "x"  # too short to be one of ours
    assert other.get(reverse("attempt_page", args=[attempt.pk])).status_code == 409


def test_taking_over_another_cadres_or_a_submitted_attempt(cadre, other_cadre, paper):
    owner = client_for(cadre)
    attempt, _token = start(owner, paper)
    stranger = client_for(other_cadre)
    assert stranger.post(reverse("attempt_takeover", args=[attempt.pk])).status_code == 404
    assert stranger.post(reverse("attempt_takeover", args=[999999])).status_code == 404
    assert stranger.get(reverse("attempt_takeover", args=[attempt.pk])).status_code == 405
    owner.post(reverse("attempt_submit", args=[attempt.pk]))
    response = client_for(cadre).post(reverse("attempt_takeover", args=[attempt.pk]))
    assert response.status_code == 302 and response.url.endswith("/result/")
    assert not ModelLogEntry.objects.filter(action=TAKEOVER_ACTION).exists()


def test_the_page_of_a_bound_attempt_costs_no_query_more(
    cadre, paper, django_assert_max_num_queries
):
    client = client_for(cadre)
    attempt, _token = start(client, paper)
    client.get(reverse("attempt_page", args=[attempt.pk]))
    # The same count as before devices were bound: session, user, its roles, the attempt
    # (which carries the device) and its items.
    with django_assert_max_num_queries(5):
        assert client.get(reverse("attempt_page", args=[attempt.pk])).status_code == 200


def test_the_save_checks_the_device_in_its_one_statement(cadre, paper, django_assert_num_queries):
    attempt, token = start(client_for(cadre), paper)
    with django_assert_num_queries(1):
        assert save(token, attempt, 1, 1).status_code == 200


# ------------------------------------------------------------------ trainer's release


def test_a_trainer_releases_a_stuck_attempt(cadre, trainer, paper):
    first = client_for(cadre)
    attempt, first_token = start(first, paper)
    admin = client_for(trainer)
    listing = admin.get(reverse("exams_attempt:index") + f"?exam={paper.pk}")
    assert listing.status_code == 200
    release_url = reverse("exams_attempt:release", args=[attempt.pk])
    assert release_url in listing.content.decode()
    assert admin.get(release_url).status_code == 200
    assert admin.post(release_url, REMOTE_ADDR="10.0.0.7").status_code == 302
    assert Attempt.objects.get(pk=attempt.pk).device_hash == ""
    # The device it was bound to is refused; the next device to open it continues it.
    assert save(first_token, attempt, 1, 1).status_code == 409
    other = client_for(cadre)
    assert other.get(reverse("attempt_page", args=[attempt.pk])).status_code == 200
    assert first.get(reverse("attempt_page", args=[attempt.pk])).status_code == 409
    history = admin.get(reverse("exams_attempt:history", args=[attempt.pk])).content.decode()
    assert "解除考试的设备绑定" in history and "10.0.0.7" in history
    assert "开始考试" in history


def test_releasing_needs_the_permission_and_a_running_attempt(cadre, other_cadre, trainer, paper):
    owner = client_for(cadre)
    attempt, _token = start(owner, paper)
    release_url = reverse("exams_attempt:release", args=[attempt.pk])
    assert client_for(other_cadre).post(release_url).status_code in (302, 403)
    assert Attempt.objects.get(pk=attempt.pk).device_hash
    owner.post(reverse("attempt_submit", args=[attempt.pk]))
    admin = client_for(trainer)
    assert admin.post(release_url).status_code == 409
    assert admin.post(reverse("exams_attempt:release", args=[999999])).status_code == 404
