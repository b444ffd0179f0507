"""Site search finds Chinese text in courses, lessons and laws, within the audience."""

from datetime import date

import pytest

from courses.models import Law, LawArticle
from tests.conftest import client_for
from tests.courses import pages

pytestmark = pytest.mark.django_db


def test_search_finds_chinese_substrings_and_respects_audience(cadre, township):
    mine = pages.course(title="行政处罚法解读")
    pages.lesson(mine, title="行政处罚的种类")
    pages.course(title="行政处罚法（网格员）", categories=["grid_manager"])
    law = Law.objects.create(
        title="中华人民共和国数据安全法", slug="dsl", effective_date=date(2021, 9, 1)
    )
    LawArticle.objects.create(
        law=law, number=1, label="第一条", text="为了规范数据处理活动，保障数据安全"
    )
    client = client_for(cadre)
    context = client.get("/search/", {"q": "行政处罚"}).context
    assert [c.title for c in context["courses"]] == ["行政处罚法解读"]
    assert [lesson.title for lesson in context["lessons"]] == ["行政处罚的种类"]
    assert [law.slug for law in client.get("/search/", {"q": "数据处理"}).context["laws"]] == [
        "dsl"
    ]


def test_empty_and_odd_queries(cadre):
    client = client_for(cadre)
    assert client.get("/search/").status_code == 200
    assert client.get("/search/", {"q": "%_'\"<script>" * 20}).status_code == 200


def test_search_needs_sign_in(client):
    assert client.get("/search/", {"q": "法"}).status_code == 302
