"""The public law pages: the list with its filters, a law's text with anchors, the lesson
block quoting articles, and fixed query counts."""

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from courses.blocks import LawArticleBlock
from courses.models import LawArticle, LawCategory, LawStatus
from courses.selectors_laws import law_outline, new_laws_of_year
from courses.services.law_import import law_import
from tests.courses.factories_laws import LawFactory, articles_add, law_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def penalty_law():
    law, _ = law_import(
        text=law_file("administrative-penalty-law-2021.md"),
        filename="administrative-penalty-law-2021.md",
    )
    return law


def listed_titles(response) -> list[str]:
    return [law.title for law in response.context["page_obj"]]


def test_new_laws_of_year_is_by_effective_date():
    in_2021 = LawFactory(title="甲法", effective_date=date(2021, 1, 1))
    late_2021 = LawFactory(title="乙法", effective_date=date(2021, 12, 31))
    LawFactory(title="丙法", effective_date=date(2020, 12, 31))
    LawFactory(title="丁法", effective_date=None)

    assert list(new_laws_of_year(2021)) == [in_2021, late_2021]
    assert list(new_laws_of_year(year=2019)) == []


def test_list_is_public_and_shows_laws(client):
    LawFactory(title="中华人民共和国数据安全法")

    response = client.get(reverse("law_list"))

    assert response.status_code == 200
    assert "中华人民共和国数据安全法" in response.content.decode()


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"category": "civil"}, ["民法典合同编"]),
        ({"status": "repealed"}, ["旧法"]),
        ({"year": "2021"}, ["行政处罚法", "民法典合同编"]),
        ({"q": "合同"}, ["民法典合同编"]),
        ({"q": "罚款"}, ["行政处罚法"]),  # found in an article's text
        ({"year": "2021", "category": "administrative"}, ["行政处罚法"]),
        ({"page": "99"}, ["行政处罚法", "民法典合同编", "旧法"]),
    ],
)
def test_list_filters(client, params, expected):
    penalty = LawFactory(title="行政处罚法", effective_date=date(2021, 7, 15))
    LawArticle.objects.create(law=penalty, number=1, label="第一条", text="处以罚款。")
    LawFactory(title="民法典合同编", category=LawCategory.CIVIL, effective_date=date(2021, 1, 1))
    LawFactory(title="旧法", status=LawStatus.REPEALED, effective_date=date(1990, 1, 1))

    response = client.get(reverse("law_list"), params)

    assert response.status_code == 200
    assert sorted(listed_titles(response)) == sorted(expected)


@pytest.mark.parametrize(
    "params", [{"year": "abc"}, {"year": "12021"}, {"category": "nonsense"}, {"status": "x"}]
)
def test_bad_filters_are_a_400_not_a_500(client, params):
    LawFactory()

    response = client.get(reverse("law_list"), params)

    assert response.status_code == 400
    assert listed_titles(response) == []


def test_list_query_count_is_fixed(client, django_assert_max_num_queries):
    for _ in range(40):  # more than one page
        articles_add(LawFactory(), 3)

    with django_assert_max_num_queries(3):
        response = client.get(reverse("law_list"), {"q": "测试", "year": "2021"})
    assert len(listed_titles(response)) == 30


def test_detail_shows_articles_with_anchors_and_headings(client, penalty_law):
    response = client.get(reverse("law_detail", args=[penalty_law.slug]))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="law-article"') == 86
    assert 'id="article-86"' in html and 'href="#article-86"' in html
    assert "2021年7月15日" in html
    assert '<h2 id="chapter-1">第一章 总则</h2>' in html
    assert penalty_law.articles.get(number=3).get_absolute_url() == (
        "/laws/administrative-penalty-law-2021/#article-3"
    )


def test_unknown_law_is_404(client):
    assert client.get(reverse("law_detail", args=["no-such-law"])).status_code == 404


def test_detail_warns_when_the_law_is_repealed(client):
    law = LawFactory(status=LawStatus.REPEALED)
    articles_add(law, 1)

    response = client.get(law.get_absolute_url())

    assert response.status_code == 200
    assert 'class="msg error"' in response.content.decode()


@pytest.mark.parametrize("user", [None, "cadre"])
def test_detail_query_count_does_not_grow_with_articles(
    request, user, django_assert_max_num_queries
):
    client = Client()
    if user:
        client.force_login(request.getfixturevalue(user))
    small, large = LawFactory(), LawFactory()
    articles_add(small, 3)
    articles_add(large, 300)

    counts = []
    for law in (small, large):
        with django_assert_max_num_queries(6) as captured:
            assert client.get(law.get_absolute_url()).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_outline_of_a_book_with_parts():
    law, _ = law_import(
        text=law_file("civil-code-2020-contracts.md"), filename="civil-code-2020-contracts.md"
    )

    entries, contents = law_outline(law.articles.all())

    first = entries[0].headings
    assert [(h.level, h.text) for h in first] == [(2, "第一分编 通则"), (3, "第一章 一般规定")]
    assert [h.text for h in contents if h.level == 2] == [
        "第一分编 通则",
        "第二分编 典型合同",
        "第三分编 准合同",
    ]
    sections = [h for e in entries for h in e.headings if h.level == 4]
    assert sections and len({h.anchor for h in sections}) == len(sections)
    anchors = [h.anchor for h in contents]
    assert len(set(anchors)) == len(anchors)


def test_lesson_block_quotes_the_current_text_and_links_to_the_anchor():
    law = LawFactory(title="中华人民共和国测试法")
    articles_add(law, 9)
    block = LawArticleBlock()
    value = block.to_python({"law": law.pk, "articles": "5, 7-8", "note": "重点看第五条"})

    html = block.render(value)

    labels = re.findall(r'href="([^"]+)">(第.条)</a>', html)
    assert labels == [
        (f"{law.get_absolute_url()}#article-5", "第五条"),
        (f"{law.get_absolute_url()}#article-7", "第七条"),
        (f"{law.get_absolute_url()}#article-8", "第八条"),
    ]
    assert "第5条的正文。" in html and "重点看第五条" in html


def test_the_criminal_law_page_has_contents_by_chapter_and_fixed_queries(
    client, django_assert_max_num_queries
):
    """About 500 articles with inserted ones and two appendices: one page, a contents list
    by part and chapter so a phone need not scroll to article 300, and the same few
    queries as a three-article law."""
    law, _ = law_import(text=law_file("criminal-law.md"), filename="criminal-law.md")
    with django_assert_max_num_queries(6):
        response = client.get(law.get_absolute_url())
    html = response.content.decode()
    assert html.count('class="law-article"') == 505
    contents = html[
        html.index('class="law-contents"') : html.index(
            "</details>", html.index('class="law-contents"')
        )
    ]
    assert "第一编 总则" in contents and "第二编 分则" in contents
    assert contents.count('class="toc-3"') >= 15  # the chapters under the two parts
    assert '<a href="#appendix-1">附件一</a>' in contents
