"""Chinese search over the law library, on both databases: relevance order, highlighted
snippets, article anchors, laws by their short names, the kind and status filters."""

import pytest
from django.urls import reverse

from courses.law_search import article_search, grams, law_name_search
from courses.models import LawArticle, LawStatus
from courses.services.law_import import law_import_text
from tests.conftest import client_for
from tests.courses.test_law_markdown import LAWS_DIR

pytestmark = pytest.mark.django_db


def load(*names):
    return {
        name: law_import_text(text=(LAWS_DIR / name).read_text(encoding="utf-8"), filename=name).law
        for name in names
    }


@pytest.fixture
def library():
    return load(
        "administrative-penalty-law-2021.md",
        "personal-information-protection-law-2021.md",
        "data-security-law-2021.md",
        "civil-code-2020-general-provisions.md",
        "criminal-law-amendment-11.md",
    )


def test_bigrams():
    assert grams("首次违法") == ["首次", "次违", "违法"]
    assert grams("第3条 GPS定位") == ["第", "3", "条", "gps", "定位"]


def test_a_paraphrase_finds_the_article_first(library):
    hits = article_search("首次违法")
    first = hits[0]
    assert (first.law.slug, first.article.label) == (
        "administrative-penalty-law-2021",
        "第三十三条",
    )
    assert "初次<mark>违法</mark>" in first.snippet or "<mark>次违法</mark>" in first.snippet
    assert first.url == "/laws/administrative-penalty-law-2021/#article-33"
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)


def test_the_words_as_typed_rank_above_scattered_ones(library):
    hits = article_search("个人信息处理者")
    assert hits[0].law.slug == "personal-information-protection-law-2021"
    assert "<mark>个人信息处理者</mark>" in hits[0].snippet


@pytest.mark.parametrize(
    "query, slug",
    [
        ("个保法", "personal-information-protection-law-2021"),
        ("数安法", "data-security-law-2021"),
        ("民法典", "civil-code-2020-general-provisions"),
        ("行政处罚法", "administrative-penalty-law-2021"),
    ],
)
def test_laws_by_their_short_names(library, query, slug):
    assert law_name_search(query)[0].slug == slug


def test_the_kind_and_status_filters(library):
    assert {hit.law.kind for hit in article_search("刑法", kind="amendment")} == {"amendment"}
    assert article_search("刑法", kind="judicial_interpretation") == []
    law = library["data-security-law-2021.md"]
    law.status = LawStatus.REPEALED
    law.save()
    hits = article_search("数据安全", status="repealed")
    assert hits and {hit.law.slug for hit in hits} == {"data-security-law-2021"}


def test_the_search_page_shows_articles_with_their_snippets(cadre, library):
    response = client_for(cadre).get(reverse("site_search"), {"q": "首次违法"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/laws/administrative-penalty-law-2021/#article-33"' in html
    assert "<mark>" in html and "法律条文" in html
    filtered = client_for(cadre).get(reverse("site_search"), {"q": "刑法", "kind": "amendment"})
    assert filtered.context["articles"] and all(
        hit.law.kind == "amendment" for hit in filtered.context["articles"]
    )
    bad = client_for(cadre).get(reverse("site_search"), {"q": "刑法", "kind": "<x>"})
    assert bad.status_code == 200 and bad.context["kind"] == ""


def test_an_edited_article_is_found_by_its_new_text(library):
    article = LawArticle.objects.get(law=library["data-security-law-2021.md"], number=1)
    article.text = "为了测试检索更新，制定本法。"
    article.save()
    assert article_search("检索更新")[0].article == article


def test_nothing_to_search():
    assert article_search("") == [] and article_search("，。！") == []
    assert law_name_search("  ") == []


def test_courses_and_lessons_are_ranked_and_marked_too(cadre):
    from tests.courses import pages

    course = pages.course(title="民法典与乡村治理")
    pages.lesson(course, title="治理中的民法典")
    pages.lesson(course, title="乡村治理概要")
    pages.lesson(course, title="乡村治理中的民法典专题")
    response = client_for(cadre).get(reverse("site_search"), {"q": "乡村治理"})
    lessons = [lesson.title for lesson in response.context["lessons"]]
    assert lessons[:2] == ["乡村治理概要", "乡村治理中的民法典专题"]
    html = response.content.decode()
    assert "<mark>乡村治理</mark>概要" in html
    assert "民法典与<mark>乡村治理</mark>" in html
