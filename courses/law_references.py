"""Law references as cadres read them, written one way everywhere: 《行政处罚法》第三十三条、
第三十六条, in the statutes' own numerals, each article a link to its place on the law's
page (#article-N). Citations are quoted as the law writes them, in any interface language.
"""

import re
from dataclasses import dataclass

from django.db.models import Q
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from courses.law_markdown import chinese_numeral_to_int, int_to_chinese_numeral

_RANGE = re.compile(r"^\s*(\d+)\s*(?:[-–~至]\s*(\d+))?\s*$")
_INSERTED = re.compile(r"^第.+?条(之[一二三四五六七八九十]+)$")


def article_label(number: int) -> str:
    """33 -> 第三十三条, 105 -> 第一百零五条, 1260 -> 第一千二百六十条."""
    return f"第{int_to_chinese_numeral(number)}条"


def article_anchor(number: int) -> str:
    return f"article-{number}"


def library_article_label(article) -> str:
    """A library article's label in the official form: an article as its number says,
    an inserted one (第十条之一) with its suffix, whatever the trainer typed."""
    inserted = _INSERTED.match(article.label or "")
    if inserted:
        return article_label(article.number) + inserted.group(1)
    if (article.label or "").endswith("条"):
        return article_label(article.number)
    return article.label


# 120之一 or 120之1: an inserted article (第一百二十条之一), cited in a question or a lesson.
_INSERTED_REF = re.compile(r"^\s*(\d+)\s*之\s*([一二三四五六七八九十]+|\d+)\s*$")
_SEPARATORS = re.compile(r"[,，、;；\s]+")


def inserted_ref(piece: str) -> tuple[int, int] | None:
    """'120之一' -> (120, 1); None if the piece is not an inserted article."""
    match = _INSERTED_REF.match(piece)
    if not match:
        return None
    suffix = match.group(2)
    try:
        k = int(suffix) if suffix.isdigit() else chinese_numeral_to_int(suffix)
    except ValueError:
        return None
    number = int(match.group(1))
    return (number, k) if 0 < number <= 9999 and 0 < k <= 99 else None


def inserted_refs(articles: str) -> list[tuple[int, int]]:
    """The inserted articles a question or lesson cites: "33, 120之一" -> [(120, 1)]."""
    refs = (inserted_ref(piece) for piece in _SEPARATORS.split((articles or "").strip()))
    return list(dict.fromkeys(ref for ref in refs if ref))


def ref_label(number: int, k: int = 0) -> str:
    """(120, 1) -> 第一百二十条之一; (120, 0) -> 第一百二十条."""
    return article_label(number) + (f"之{int_to_chinese_numeral(k)}" if k else "")


def ref_anchor(number: int, k: int = 0) -> str:
    return f"article-{number}-{k}" if k else article_anchor(number)


def article_ref(article) -> tuple[int, int]:
    """A library article as (number, k): k is 0 for an article proper."""
    inserted = _INSERTED.match(article.label or "")
    if not inserted:
        return (article.number, 0)
    try:
        return (article.number, chinese_numeral_to_int(inserted.group(1)[1:]))
    except ValueError:
        return (article.number, 0)


def refs_filter(law_id: int, refs) -> Q:
    """The library articles for these (number, k) citations of one law: an article proper
    by its number, an inserted one by its number and its 之N."""
    plain = [number for number, k in refs if not k]
    wanted = Q(law_id=law_id, number__in=plain, label__endswith="条") if plain else Q(pk__in=[])
    for number, k in refs:
        if k:
            wanted |= Q(
                law_id=law_id, number=number, label__endswith=f"之{int_to_chinese_numeral(k)}"
            )
    return wanted


def article_spans(articles: str) -> list[tuple[int, int]]:
    """A question's "33, 36" or "7-9" as (first, last) pairs; what cannot be read is left
    out (the question bank checks the field when it is saved)."""
    spans = []
    for piece in re.split(r"[,，、;；\s]+", (articles or "").strip()):
        match = _RANGE.match(piece) if piece else None
        if match:
            first, last = int(match.group(1)), int(match.group(2) or match.group(1))
            if 0 < first <= last <= 9999:
                spans.append((first, last))
    return spans


def article_numbers(articles: str, limit: int = 10) -> list[int]:
    """The article numbers a question cites, in order, at most `limit` of them."""
    numbers: list[int] = []
    for first, last in article_spans(articles):
        numbers.extend(range(first, min(last, first + limit) + 1))
    return list(dict.fromkeys(numbers))[:limit]


@dataclass(frozen=True)
class ArticleLink:
    label: str
    url: str

    def html(self) -> SafeString:
        return format_html('<a class="law-article-ref" href="{}">{}</a>', self.url, self.label)


def article_link(law, article) -> ArticleLink:
    """The link to one library article on its law's page."""
    return ArticleLink(library_article_label(article), f"{law.get_absolute_url()}#{article.anchor}")


def _number_link(law, number: int) -> ArticleLink:
    return ArticleLink(article_label(number), f"{law.get_absolute_url()}#{article_anchor(number)}")


def law_reference_html(law, articles="") -> SafeString:
    """《law》 and its articles, each a link: `articles` is a question's "33, 7-9" or a list
    of library articles. Empty when there is no law."""
    if law is None:
        return mark_safe("")
    name = format_html('<a class="law-ref-law" href="{}">《{}》</a>', law.get_absolute_url(), law)
    if isinstance(articles, str):
        parts = []
        for first, last in article_spans(articles):
            if first == last:
                parts.append(_number_link(law, first).html())
            else:
                parts.append(
                    format_html(
                        "{}至{}", _number_link(law, first).html(), _number_link(law, last).html()
                    )
                )
        for number, k in inserted_refs(articles):
            url = f"{law.get_absolute_url()}#{ref_anchor(number, k)}"
            parts.append(ArticleLink(ref_label(number, k), url).html())
    else:
        parts = [article_link(law, article).html() for article in articles]
    cited = format_html_join("、", "{}", ((part,) for part in parts))
    return format_html('<span class="law-ref">{}{}</span>', name, cited)
