"""Finalising names what is unresolved (pending awards, open attempts, cadres without an
exam result) and asks for a confirmation; with nothing unresolved it finalises at once."""

from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from exams.models import Attempt
from lms.evaluation.models import EvaluationYear
from lms.evaluation.services import bonus_award_propose
from tests.conftest import client_for
from tests.evaluation.factories import YEAR, exam, graded, scheme

pytestmark = pytest.mark.django_db


def finalise_url(year):
    return reverse("evaluation_year_finalise", args=[year.pk])


def test_the_page_names_what_is_unresolved_and_needs_a_tick(cadre, other_cadre, leader, hr):
    year = scheme()
    paper = exam()
    graded(paper, other_cadre, 80)
    bonus_award_propose(cadre=cadre, points=2, reason="调解纠纷", by=leader, year=YEAR)
    now = timezone.now()
    Attempt.objects.create(
        exam=paper, user=other_cadre, number=2, started_at=now, deadline=now + timedelta(hours=1)
    )
    client = client_for(hr)
    html = unescape(client.get(finalise_url(year)).content.decode())
    assert "1 项加分待审核" in html and "调解纠纷" in html
    assert "1 份答卷尚未交卷" in html and f"{other_cadre}：{paper.title}" in html
    assert "1 名干部尚无考试成绩" in html and f"{cadre}（{cadre.unit}）" in html
    assert "我已知晓上述事项（1 项加分待审核、1 份答卷尚未交卷、1 名干部尚无考试成绩）" in html

    response = client.post(finalise_url(year), {"finalise": "1"})
    assert response.status_code == 400
    assert response.context["form"].errors["confirm"] == ["请勾选确认，或先处理上述事项。"]
    assert not EvaluationYear.objects.get(pk=year.pk).is_finalised

    response = client.post(finalise_url(year), {"finalise": "1", "confirm": "on"})
    assert response.status_code == 302
    assert EvaluationYear.objects.get(pk=year.pk).is_finalised


def test_nothing_unresolved_finalises_without_a_tick(cadre, hr):
    year = scheme()
    graded(exam(), cadre, 90)
    client = client_for(hr)
    page = client.get(finalise_url(year))
    assert page.context["form"] is None
    assert "data-year-unresolved" not in page.content.decode()
    assert client.post(finalise_url(year), {"finalise": "1"}).status_code == 302
    assert EvaluationYear.objects.get(pk=year.pk).is_finalised


@pytest.mark.parametrize("who", ["trainer", "leader"])
def test_only_hr_finalises(cadre, who, request):
    year = scheme()
    client = client_for(request.getfixturevalue(who))
    client.post(finalise_url(year), {"finalise": "1", "confirm": "on"})
    assert not EvaluationYear.objects.get(pk=year.pk).is_finalised
