"""The shapes of real law texts a trainer pastes: preambles, appendices, inserted articles,
amending acts, zero-width characters, wrapped headings, Windows line ends. On the six real
files of courses/data/laws/ and on small synthetic texts, each all or nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from courses.law_markdown import LawFormatError, parse_law_markdown
from courses.models import Law, LawKind
from courses.services.law_import import law_import, law_kind_guess
from tests.courses.test_law_markdown import LAWS_DIR, load

HEADER = (
    "# 中华人民共和国测试法\n\n2021年1月1日 第十三届全国人大常委会通过\n\n<!-- INFO END -->\n\n"
)


def labels(law):
    return [article.label for article in law.articles]


# --- the real files ---------------------------------------------------------------


def test_criminal_law_with_inserted_articles_and_two_appendices():
    law = load("criminal-law.md")
    assert len(law.articles) == 505
    assert law.articles[-1].label == "第四百五十二条"
    at = labels(law).index("第一百二十条")
    assert labels(law)[at : at + 7] == [
        "第一百二十条",
        "第一百二十条之一",
        "第一百二十条之二",
        "第一百二十条之三",
        "第一百二十条之四",
        "第一百二十条之五",
        "第一百二十条之六",
    ]
    assert labels(law)[at + 7] == "第一百二十一条"
    assert [appendix.title for appendix in law.appendices] == ["附件一", "附件二"]
    assert "中华人民共和国惩治军人违反职责罪暂行条例" in law.appendices[0].text
    # The appendices are never read as articles, nor glued to the last one.
    assert "附件" not in law.articles[-1].text.splitlines()[-1][:3]
    assert law.effective_date.isoformat() == "1997-10-01"


def test_an_amending_act_is_a_law_of_numbered_items():
    law = load("criminal-law-amendment-11.md")
    assert law.is_amendment and law.amends == "中华人民共和国刑法"
    assert len(law.articles) == 48
    assert labels(law)[:3] == ["第一条", "第二条", "第三条"]
    assert law.articles[0].text.startswith("将刑法第十七条修改为")
    # The quoted paragraphs of a rewritten article stay in its item.
    assert law.articles[0].text.count("\n") == 4
    assert law.effective_date.isoformat() == "2021-03-01"


def test_the_constitution_keeps_its_preamble():
    law = load("constitution.md")
    assert law.preamble.startswith("中国是世界上历史最悠久的国家之一。")
    assert "序言" not in law.preamble
    assert len(law.articles) == 143
    assert law.articles[0].chapter == "第一章 总纲"


def test_a_judicial_interpretation_keeps_its_purpose_paragraph_and_numbered_parts():
    law = load("spc-interpretation-administrative-litigation-2018.md")
    assert law.preamble.startswith("为正确适用《中华人民共和国行政诉讼法》")
    assert len(law.articles) == 163
    assert law.articles[0].chapter == "一、受案范围"
    assert law_kind_guess(law.title) == LawKind.JUDICIAL_INTERPRETATION


def test_zero_width_spaces_are_dropped():
    law = load("frontier-health-quarantine-law-2024.md")
    assert len(law.articles) == 57
    assert not any("\u200b" in a.text or "\u200b" in a.chapter for a in law.articles)
    assert law.preamble == ""


def test_a_chapter_heading_wrapped_over_two_lines_is_one_heading():
    law = load("tobacco-monopoly-law-2015.md")
    assert len(law.articles) == 43
    chapter = next(a.chapter for a in law.articles if a.chapter.startswith("第五章"))
    assert chapter == "第五章 卷烟纸、滤嘴棒、烟用丝束、烟草专用机械的生产和销售"


# --- synthetic texts, one shape each ----------------------------------------------


def test_preamble_appendix_with_a_table_inserted_articles_and_crlf():
    text = (
        HEADER
        + "## 序言\n\n为了测试，制定本法。\n\n本法由测试机关解释。\n\n"
        + "## 第一章 总则\n\n第一条 甲。\n\n第一条之一 甲之一。\n\n第一条之二 甲之二。\n\n"
        + "第二条 乙。\n\n款二。\n\n## 附件一 罚款标准\n\n"
        + "| 情形 | 金额 |\n|---|---|\n| 初次 | 50元 |\n\n"
        + "## 附表二\n\n说明。\n"
    ).replace("\n", "\r\n")
    law = parse_law_markdown(text)
    assert law.preamble == "为了测试，制定本法。\n本法由测试机关解释。"
    assert labels(law) == ["第一条", "第一条之一", "第一条之二", "第二条"]
    assert [a.number for a in law.articles] == [1, 1, 1, 2]
    assert law.articles[-1].text == "乙。\n款二。"
    assert [(a.title, a.text) for a in law.appendices] == [
        ("附件一 罚款标准", "| 情形 | 金额 |\n|---|---|\n| 初次 | 50元 |"),
        ("附表二", "说明。"),
    ]


def test_a_heading_wrapped_over_two_lines_and_blank_lines_inside_an_article():
    text = (
        HEADER
        + "## 第一章 总则\n\n第一条 甲。\n\n## 第二章 卷烟纸、滤嘴棒、\n\n烟草专用机械的生产\n\n"
        + "第二条 乙。\n\n\n\n款二。\n\n## 第三章 附则\n\n第三条 丙。\n"
    )
    law = parse_law_markdown(text)
    assert [a.chapter for a in law.articles] == [
        "第一章 总则",
        "第二章 卷烟纸、滤嘴棒、烟草专用机械的生产",
        "第三章 附则",
    ]
    assert law.articles[1].text == "乙。\n款二。"


def test_zero_width_and_bom_inside_labels_and_headings():
    text = "\ufeff" + HEADER + "## 第一章\u200b 总\u200b则\n\n第\u200b一条 甲\u200d。\n"
    law = parse_law_markdown(text)
    assert labels(law) == ["第一条"]
    assert law.articles[0].chapter == "第一章 总则"
    assert law.articles[0].text == "甲。"


def test_a_decision_amending_a_law_names_it():
    text = (
        "# 全国人民代表大会常务委员会关于修改《中华人民共和国测试法》的决定\n\n"
        "2021年1月1日 通过\n\n<!-- INFO END -->\n\n"
        "第十三届全国人民代表大会常务委员会决定对《中华人民共和国测试法》作如下修改：\n\n"
        "一、将第一条修改为：“甲。”\n\n二、删去第二条。\n\n本决定自公布之日起施行。\n"
    )
    law = parse_law_markdown(text)
    assert law.is_amendment and law.amends == "中华人民共和国测试法"
    assert law.preamble.startswith("第十三届全国人民代表大会常务委员会决定")
    assert labels(law) == ["第一条", "第二条"]
    assert law.articles[-1].text == "删去第二条。\n本决定自公布之日起施行。"


@pytest.mark.parametrize(
    "text, fragments",
    [
        (HEADER + "一段话。\n\n另一段话。\n", ("没有找到任何条文", "一、")),
        (HEADER + "一、甲。\n\n三、丙。\n", ("条文编号不连续",)),
        ("没有标题\n\n第一条 甲。\n", ("缺少一级标题",)),
        (HEADER + "## 第一章 总则\n\n说明。\n\n第一条 甲。\n", ("第一条之前",)),
    ],
    ids=["no article or item", "items skip a number", "no title", "text under a chapter"],
)
def test_what_is_not_a_law_is_named_with_its_line(text, fragments):
    with pytest.raises(LawFormatError) as info:
        parse_law_markdown(text)
    assert str(info.value).startswith(f"第{info.value.line}行：")
    for fragment in fragments:
        assert fragment in str(info.value)


# --- into the library -------------------------------------------------------------


@pytest.mark.django_db
def test_the_amendment_links_to_the_law_it_amends_and_the_page_shows_every_part(client):
    criminal, _ = law_import(
        text=(LAWS_DIR / "criminal-law.md").read_text(encoding="utf-8"), filename="criminal-law.md"
    )
    amendment, _ = law_import(
        text=(LAWS_DIR / "criminal-law-amendment-11.md").read_text(encoding="utf-8"),
        filename="criminal-law-amendment-11.md",
    )
    assert amendment.kind == LawKind.AMENDMENT and amendment.amends == criminal
    assert criminal.kind == LawKind.LAW
    assert [a["title"] for a in criminal.appendices] == ["附件一", "附件二"]
    inserted = criminal.articles.get(label="第一百二十条之一")
    assert inserted.anchor == "article-120-1"
    assert list(criminal.articles.filter(number=120).values_list("label", flat=True))[:2] == [
        "第一百二十条",
        "第一百二十条之一",
    ]

    html = client.get(reverse("law_detail", args=[criminal.slug])).content.decode()
    assert 'id="article-120-1"' in html and "第一百二十条之一" in html
    assert html.index("第四百五十二条") < html.index('id="appendix-1"') < html.index("附件二</h2>")
    assert '<a href="#appendix-2">附件二</a>' in html  # in the contents
    amendment_html = client.get(reverse("law_detail", args=[amendment.slug])).content.decode()
    assert "修正案" in amendment_html
    assert f'href="{criminal.get_absolute_url()}"' in amendment_html


@pytest.mark.django_db
def test_the_preamble_is_shown_above_the_articles(client):
    law, _ = law_import(
        text=(LAWS_DIR / "constitution.md").read_text(encoding="utf-8"), filename="constitution.md"
    )
    html = client.get(reverse("law_detail", args=[law.slug])).content.decode()
    assert html.index("中国是世界上历史最悠久的国家之一") < html.index("第一条")


@pytest.mark.django_db
def test_a_malformed_amendment_writes_nothing():
    text = (LAWS_DIR / "criminal-law-amendment-11.md").read_text(encoding="utf-8")
    with pytest.raises(ValidationError):
        law_import(
            text=text.replace("三、将刑法第一百三十四条", "五、将刑法第一百三十四条"), slug="x"
        )
    assert not Law.objects.exists()


@pytest.mark.django_db
def test_the_library_filters_by_kind(client):
    for name in ("criminal-law.md", "criminal-law-amendment-11.md"):
        law_import(text=(LAWS_DIR / name).read_text(encoding="utf-8"), filename=name)
    html = client.get(reverse("law_list"), {"kind": "amendment"}).content.decode()
    assert "刑法修正案" in html and "中华人民共和国刑法</a>" not in html


# --- citing an inserted article -----------------------------------------------------


@pytest.fixture
def criminal(db):
    return law_import(
        text=(LAWS_DIR / "criminal-law.md").read_text(encoding="utf-8"), filename="criminal-law.md"
    )[0]


def test_a_lesson_quotes_an_article_and_an_inserted_one(cadre, criminal):
    from tests.conftest import client_for
    from tests.courses import pages

    block = {
        "type": "law_articles",
        "id": "l1",
        "value": {"law": criminal.pk, "articles": "120, 120之一", "note": ""},
    }
    lesson = pages.lesson(pages.course(), title="恐怖活动犯罪", body=[block])
    html = client_for(cadre).get(lesson.url).content.decode()
    first = criminal.articles.get(label="第一百二十条之一").text.splitlines()[0]
    assert first[:20] in html
    # 120 is 第一百二十条 itself, not one of the 之一…之六 that share its number.
    plain = criminal.articles.get(label="第一百二十条").text.splitlines()[0]
    sixth = criminal.articles.get(label="第一百二十条之六").text.splitlines()[0]
    assert plain[:20] in html and sixth[:20] not in html
    assert 'href="/laws/criminal-law/#article-120-1">第一百二十条之一</a>' in html
    assert html.index("第一百二十条</a>") < html.index("第一百二十条之一</a>")


def test_the_lesson_block_refuses_an_inserted_article_the_law_does_not_have(criminal):
    from wagtail.blocks import StructBlockValidationError

    from courses.blocks import LawArticleBlock

    block = LawArticleBlock()
    value = block.to_python({"law": criminal.pk, "articles": "120之一, 120之九", "note": ""})
    with pytest.raises(StructBlockValidationError) as caught:
        block.clean(value)
    assert "第一百二十条之九" in str(caught.value.block_errors["articles"])
    assert block.clean(block.to_python({"law": criminal.pk, "articles": "120之6", "note": ""}))


def test_a_question_cites_an_inserted_article_by_field_and_by_its_legal_basis(criminal):
    from courses.law_references import law_reference_html
    from exams.services.bank_import import law_references_resolve

    html = str(law_reference_html(criminal, "120, 120之一"))
    assert 'href="/laws/criminal-law/#article-120">第一百二十条</a>' in html
    assert 'href="/laws/criminal-law/#article-120-1">第一百二十条之一</a>' in html
    # The spreadsheet's 法律依据 column, as a trainer writes it.
    law, articles = law_references_resolve(["《刑法》第一百二十条之一"])["《刑法》第一百二十条之一"]
    assert law == criminal and articles == "120之一"
