"""Tests for courses.law_markdown against the 12 plain law texts the project ships."""

import re
from datetime import date
from pathlib import Path

import pytest

from courses import law_markdown
from courses.law_markdown import (
    LawFormatError,
    chinese_numeral_to_int,
    int_to_chinese_numeral,
    parse_law_markdown,
)

LAWS_DIR = Path(law_markdown.__file__).resolve().parent / "data" / "laws"

# A row of the README's file table ends with the article count, and for a part of the
# Civil Code the numbers it runs from and to: "| 86 |", "| 258 (205–462) |".
README_ROW = re.compile(r"^\| (\S+\.md) \|.*\| (\d+)(?: \((?:arts\. )?(\d+)–(\d+)\))? \|$")


def readme_article_counts() -> dict[str, tuple[int, int, int]]:
    """file -> (article count, first number, last number), as the README's table says."""
    readme = (LAWS_DIR / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Files", 1)[1].strip().split("\n\n", 1)[0]
    counts = {}
    for line in table.splitlines():
        row = README_ROW.match(line)
        if row:
            name, count, first, last = row.groups()
            counts[name] = (int(count), int(first or 1), int(last or count))
    return counts


EXPECTED = readme_article_counts()


def load(name: str):
    return parse_law_markdown((LAWS_DIR / name).read_text(encoding="utf-8"))


def article(law, number: int):
    return next(a for a in law.articles if a.number == number)


# The harder real shapes (README's second table), tested in test_law_shapes.py.
HARDER = {
    "criminal-law.md",
    "criminal-law-amendment-11.md",
    "constitution.md",
    "frontier-health-quarantine-law-2024.md",
    "tobacco-monopoly-law-2015.md",
    "spc-interpretation-administrative-litigation-2018.md",
}


def test_every_shipped_law_file_is_covered():
    shipped = {p.name for p in LAWS_DIR.glob("*.md") if p.name != "README.md"}
    assert shipped == set(EXPECTED) | HARDER


@pytest.mark.parametrize(("name", "expected"), sorted(EXPECTED.items()))
def test_real_files_parse_with_readme_article_counts(name, expected):
    count, first, last = expected
    law = load(name)
    assert len(law.articles) == count
    assert (law.articles[0].number, law.articles[-1].number) == (first, last)
    numbers = [a.number for a in law.articles]
    assert numbers == list(range(first, last + 1))
    for a in law.articles:
        assert a.label == f"第{int_to_chinese_numeral(a.number)}条"
        # text may open with "第三人…", but never with its own label or padding
        assert a.text and a.text == a.text.strip() and not a.text.startswith(a.label)
        for heading in (a.part, a.chapter, a.section):
            assert "\u3000" not in heading and "\u2002" not in heading and "  " not in heading


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("administrative-penalty-law-2021.md", "中华人民共和国行政处罚法"),
        ("civil-code-2020-general-provisions.md", "中华人民共和国民法典 总则"),
        ("civil-code-2020-contracts.md", "中华人民共和国民法典 合同编"),
        ("civil-code-2020-supplementary-provisions.md", "中华人民共和国民法典 附则"),
    ],
)
def test_titles(name, title):
    assert load(name).title == title


def test_history_and_dates_of_administrative_penalty_law():
    law = load("administrative-penalty-law-2021.md")
    assert len(law.history) == 4
    assert law.history[0].startswith("1996年3月17日 第八届全国人民代表大会")
    assert law.promulgation_date == date(2021, 1, 22)
    assert law.effective_date == date(2021, 7, 15)


@pytest.mark.parametrize(
    ("name", "promulgated", "effective"),
    [
        ("rural-revitalization-promotion-law-2021.md", date(2021, 4, 29), date(2021, 6, 1)),
        ("data-security-law-2021.md", date(2021, 6, 10), date(2021, 9, 1)),
        ("personal-information-protection-law-2021.md", date(2021, 8, 20), date(2021, 11, 1)),
        # Civil Code books: effective date from the "2021年1月1日 施行" header line,
        # which must not count as history (else promulgation would be 2021-01-01).
        ("civil-code-2020-contracts.md", date(2020, 5, 28), date(2021, 1, 1)),
        ("civil-code-2020-supplementary-provisions.md", date(2020, 5, 28), date(2021, 1, 1)),
        # The only book whose header lacks the 施行 line, and it has no such article.
        ("civil-code-2020-marriage-and-family.md", date(2020, 5, 28), None),
    ],
)
def test_dates(name, promulgated, effective):
    law = load(name)
    assert law.promulgation_date == promulgated
    assert law.effective_date == effective
    assert all("施行" not in line for line in law.history)


def test_chapters_and_sections_of_a_plain_law():
    law = load("administrative-penalty-law-2021.md")
    assert article(law, 1).chapter == "第一章 总则"
    assert article(law, 1).section == ""
    assert article(law, 86).chapter == "第八章 附则"
    first_section = [a for a in law.articles if a.section == "第一节 一般规定"]
    assert first_section and all(a.chapter == "第五章 行政处罚的决定" for a in first_section)
    assert all(a.part == "" for a in law.articles)


@pytest.mark.parametrize(
    ("name", "number", "chapter"),
    [
        ("rural-revitalization-promotion-law-2021.md", 1, "第一章 总则"),  # U+3000
        ("rural-revitalization-promotion-law-2021.md", 74, "第十章 附则"),
        ("data-security-law-2021.md", 1, "第一章 总则"),  # "总  则"
        ("personal-information-protection-law-2021.md", 74, "第八章 附则"),  # "附 则"
        ("civil-code-2020-general-provisions.md", 1, "第一章 基本规定"),  # U+2002 x2
    ],
)
def test_heading_whitespace_is_normalised(name, number, chapter):
    assert article(load(name), number).chapter == chapter


def test_sections_reset_at_the_next_chapter():
    law = load("civil-code-2020-general-provisions.md")
    assert article(law, 27).section == "第二节 监护"  # "第二节  监  护"
    assert article(law, 57).chapter == "第三章 法人"
    assert article(law, 57).section == "第一节 一般规定"
    assert article(law, 110).chapter == "第五章 民事权利"
    assert article(law, 110).section == ""


def test_civil_code_books_with_parts_shift_heading_levels():
    law = load("civil-code-2020-contracts.md")
    first = article(law, 463)
    assert (first.part, first.chapter, first.section) == ("第一分编 通则", "第一章 一般规定", "")
    sale = article(law, 595)
    assert sale.part == "第二分编 典型合同"
    assert sale.chapter == "第九章 买卖合同"
    quasi = article(law, 988)
    assert (quasi.part, quasi.chapter) == ("第三分编 准合同", "第二十九章 不当得利")

    real_rights = load("civil-code-2020-real-rights.md")
    mortgage = article(real_rights, 394)
    assert mortgage.part == "第四分编 担保物权"
    assert mortgage.chapter == "第十七章 抵押权"
    assert mortgage.section == "第一节 一般抵押权"


def test_empty_heading_in_supplementary_provisions_is_ignored():
    law = load("civil-code-2020-supplementary-provisions.md")
    assert [(a.label, a.chapter) for a in law.articles] == [
        ("第一千二百五十九条", ""),
        ("第一千二百六十条", ""),
    ]
    assert law.articles[-1].text.startswith("本法自2021年1月1日起施行。")


def test_multi_paragraph_articles_and_items():
    law = load("civil-code-2020-contracts.md")
    assert article(law, 464).text == (
        "合同是民事主体之间设立、变更、终止民事法律关系的协议。\n"
        "婚姻、收养、监护等有关身份关系的协议，适用有关该身份关系的法律规定；"
        "没有规定的，可以根据其性质参照适用本编规定。"
    )
    pipl = load("personal-information-protection-law-2021.md")
    paragraphs = article(pipl, 3).text.split("\n")
    assert paragraphs[0] == "在中华人民共和国境内处理自然人个人信息的活动，适用本法。"
    assert paragraphs[2] == "（一）以向境内自然人提供产品或者服务为目的；"


def test_paragraph_starting_with_di_san_ren_is_not_an_article():
    # "第三人单方以书面形式…" opens a paragraph of 第六百八十五条, not a new article.
    law = load("civil-code-2020-contracts.md")
    assert "\n第三人单方以书面形式向债权人作出保证" in article(law, 685).text


# --- numerals ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numeral", "number"),
    [
        ("一", 1),
        ("九", 9),
        ("十", 10),
        ("十一", 11),
        ("二十", 20),
        ("八十六", 86),
        ("一百", 100),
        ("一百零一", 101),
        ("一百零五", 105),
        ("一百一十", 110),
        ("一百一十九", 119),
        ("二百零四", 204),
        ("九百九十九", 999),
        ("一千", 1000),
        ("一千零一", 1001),
        ("一千零一十", 1010),
        ("一千零四十", 1040),
        ("一千一百", 1100),
        ("一千二百六十", 1260),
        ("九千九百九十九", 9999),
    ],
)
def test_numeral_round_trip(numeral, number):
    assert chinese_numeral_to_int(numeral) == number
    assert int_to_chinese_numeral(number) == numeral


@pytest.mark.parametrize(
    ("numeral", "number"), [("一十", 10), ("一十五", 15), ("两千", 2000), ("一千〇五", 1005)]
)
def test_numeral_variants_are_accepted(numeral, number):
    assert chinese_numeral_to_int(numeral) == number


def test_all_numbers_round_trip():
    for n in range(10_000):
        assert chinese_numeral_to_int(int_to_chinese_numeral(n)) == n


@pytest.mark.parametrize(
    "numeral",
    [
        "",
        "十十",
        "一二",
        "百",
        "一百十",
        "一百五",
        "一千二十",
        "一千零五百",
        "零五",
        "十零五",
        "一十零五",
        "一百零",
        "五十百",
        "三A",
    ],
)
def test_invalid_numerals(numeral):
    with pytest.raises(ValueError):
        chinese_numeral_to_int(numeral)


@pytest.mark.parametrize("number", [-1, 10_000])
def test_int_to_chinese_numeral_range(number):
    with pytest.raises(ValueError):
        int_to_chinese_numeral(number)


# --- malformed input --------------------------------------------------------------

HEADER = (
    "# 中华人民共和国测试法\n\n2021年1月1日 第十三届全国人大常委会通过\n\n<!-- INFO END -->\n\n"
)


def raises(text: str, *fragments: str) -> LawFormatError:
    with pytest.raises(LawFormatError) as info:
        parse_law_markdown(text)
    message = str(info.value)
    assert message.startswith(f"第{info.value.line}行：")
    for fragment in fragments:
        assert fragment in message
    return info.value


@pytest.mark.parametrize("text", ["", "\n\n  \n"])
def test_empty_text(text):
    raises(text, "第1行", "文本为空")


def test_missing_title():
    raises("\n中华人民共和国测试法\n\n第一条 内容。", "第2行", "缺少一级标题")


def test_h2_is_not_a_title():
    raises("## 中华人民共和国测试法\n\n第一条 内容。", "第1行", "缺少一级标题")


def test_no_articles():
    raises(HEADER + "## 第一章 总则\n", "没有找到任何条文")


def test_gap_in_article_numbers():
    text = HEADER + "第一条 甲。\n\n第二条 乙。\n\n第四条 丁。"
    error = raises(text, "条文编号不连续：第二条之后是第四条")
    assert error.line == 11


def test_duplicate_article_number():
    text = HEADER + "第一条 甲。\n\n第二条 乙。\n\n第二条 丙。"
    raises(text, "第11行", "条文编号重复：第二条之后是第二条")


def test_decreasing_article_number():
    raises(HEADER + "第五条 甲。\n\n第三条 乙。", "第9行", "第五条之后是第三条")


def test_text_before_first_article():
    text = HEADER + "## 第一章 总则\n\n这是一段说明。\n\n第一条 甲。"
    raises(text, "第9行", "第一条之前", "这是一段说明")


def test_stray_text_after_a_heading():
    text = HEADER + "第一条 甲。\n\n## 第二章 附则\n\n说明文字\n\n第二条 乙。"
    raises(text, "第11行", "第二章 附则", "说明文字")


@pytest.mark.parametrize("label", ["第十十条", "第一二条", "第12条", "第一百五条"])
def test_invalid_numeral_in_label(label):
    raises(HEADER + f"第一条 甲。\n\n{label} 乙。", "第9行", f"“{label}”中的数字无效")


def test_article_without_text():
    raises(HEADER + "第一条\n\n## 第二章 附则\n\n第二条 乙。", "第7行", "第一条没有正文")


def test_h1_in_body():
    raises(HEADER + "第一条 甲。\n\n# 另一部法律\n\n第二条 乙。", "第9行", "一级标题")


def test_invalid_date():
    raises(
        "# 测试法\n\n2021年2月30日 通过\n\n<!-- INFO END -->\n\n第一条 甲。", "第3行", "日期无效"
    )


# --- tolerated variations ---------------------------------------------------------


def test_minimal_law_without_marker_crlf_and_suffix_articles():
    text = (
        "\ufeff# 测试法\r\n\r\n2020年1月2日 通过\r\n\r\n"
        "## 第一章　总　则\r\n\r\n"
        "第一条 甲。\r\n\r\n第一条之一　甲之一。\r\n\r\n第一条之二 甲之二。\r\n\r\n"
        "### 附 则\r\n\r\n第二条 本法自公布之日起施行。\r\n"
    )
    law = parse_law_markdown(text)
    assert law.title == "测试法"
    assert law.history == ["2020年1月2日 通过"]
    assert [(a.number, a.label) for a in law.articles] == [
        (1, "第一条"),
        (1, "第一条之一"),
        (1, "第一条之二"),
        (2, "第二条"),
    ]
    assert law.articles[1].text == "甲之一。"
    assert law.articles[3].chapter == "第一章 总则"
    assert law.articles[3].section == "附则"
    assert law.promulgation_date == law.effective_date == date(2020, 1, 2)


def test_suffix_articles_must_be_in_order():
    raises(HEADER + "第一条 甲。\n\n第一条之二 乙。", "不连续", "第一条之后是第一条之二")
