"""Law references are written one way everywhere: official numerals, each article a link."""

import pytest

from courses.law_references import article_label, law_reference_html, library_article_label
from courses.models import LawArticle
from tests.courses.factories_laws import LawFactory


@pytest.mark.parametrize(
    ("number", "label"),
    [
        (1, "第一条"),
        (10, "第十条"),
        (11, "第十一条"),
        (20, "第二十条"),
        (33, "第三十三条"),
        (105, "第一百零五条"),
        (110, "第一百一十条"),
        (1260, "第一千二百六十条"),  # the Civil Code's last article
    ],
)
def test_article_numbers_in_official_numerals(number, label):
    assert article_label(number) == label


@pytest.mark.parametrize(
    ("number", "typed", "shown"),
    [
        (33, "第33条", "第三十三条"),  # a trainer typed digits
        (33, "第三十三条", "第三十三条"),
        (10, "第十条之一", "第十条之一"),  # an inserted article keeps its suffix
        (10, "第10条之二", "第十条之二"),
        (3, "附则", "附则"),  # not an article label: as written
    ],
)
def test_library_labels_are_written_the_official_way(number, typed, shown):
    assert library_article_label(LawArticle(number=number, label=typed)) == shown


@pytest.mark.django_db
def test_a_question_reference_links_every_article():
    law = LawFactory(short_name="行政处罚法", slug="xzcff")
    html = str(law_reference_html(law, "33, 36-37"))
    assert html == (
        '<span class="law-ref"><a class="law-ref-law" href="/laws/xzcff/">《行政处罚法》</a>'
        '<a class="law-article-ref" href="/laws/xzcff/#article-33">第三十三条</a>、'
        '<a class="law-article-ref" href="/laws/xzcff/#article-36">第三十六条</a>至'
        '<a class="law-article-ref" href="/laws/xzcff/#article-37">第三十七条</a></span>'
    )
    assert str(law_reference_html(None, "33")) == ""
    assert "条" not in str(law_reference_html(law, ""))


@pytest.mark.django_db
def test_library_articles_link_to_their_anchor():
    law = LawFactory(short_name="民法典", slug="mfd")
    article = LawArticle.objects.create(law=law, number=1260, label="第一千二百六十条", text="…")
    inserted = LawArticle.objects.create(law=law, number=10, label="第十条之一", text="…")
    html = str(law_reference_html(law, [article, inserted]))
    assert 'href="/laws/mfd/#article-1260">第一千二百六十条</a>' in html
    assert 'href="/laws/mfd/#article-10-1">第十条之一</a>' in html
