"""学时记录: the cadre's credit-hour rows of this year, each with its date, source and
hours, and nobody else's."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from courses.models import StudyCredit
from tests.conftest import client_for
from tests.courses import pages

pytestmark = pytest.mark.django_db


def credit(user, *, hours="2", source="manual", title="集中学法", year=None, **fields):
    now = timezone.now()
    return StudyCredit.objects.create(
        user=user,
        year=year or timezone.localdate().year,
        source=source,
        credit_hours=Decimal(hours),
        title=title,
        earned_at=fields.pop("earned_at", now),
        **fields,
    )


def test_the_cadre_sees_each_row_of_this_year_with_its_unit(cadre, other_cadre):
    course = pages.course(title="行政处罚法课程")
    credit(cadre, hours="2.5", source="course", course=course, title=course.title)
    credit(
        cadre,
        hours="3",
        title="民法典进村宣讲",
        earned_at=timezone.now() - timedelta(days=2),
        source="training",
    )
    credit(cadre, hours="9", title="去年的培训", year=timezone.localdate().year - 1)
    credit(other_cadre, hours="7", title="别人的学时")
    response = client_for(cadre).get("/study/credits/")
    html = response.content.decode()
    assert [c.title for c in response.context["credits"]] == ["行政处罚法课程", "民法典进村宣讲"]
    assert "2.5 学时" in html and "3 学时" in html and "已获得 5.5 学时" in html
    assert "完成课程" in html and "参加培训班" in html
    assert timezone.localdate().strftime("%Y-%m-%d") in html
    for absent in ["去年的培训", "别人的学时"]:
        assert absent not in html


def test_empty_year_says_how_hours_are_earned(cadre):
    html = client_for(cadre).get("/study/credits/").content.decode()
    assert "今年还没有学时" in html and 'href="/courses/"' in html


def test_credit_list_needs_sign_in():
    response = Client().get("/study/credits/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_credit_list_queries_do_not_grow(cadre, django_assert_max_num_queries):
    client = client_for(cadre)
    credit(cadre)
    client.get("/study/credits/")
    with django_assert_max_num_queries(4) as small:
        client.get("/study/credits/")
    for n in range(10):
        credit(cadre, title=f"培训{n}", source="training")
    with django_assert_max_num_queries(len(small)):
        client.get("/study/credits/")
