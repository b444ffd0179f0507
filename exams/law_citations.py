"""The law under an explanation: when a question's explanation is only an article
reference ("第三十条。", "解析：见第三十三条。") or empty, the cited articles' text comes
from the law library. It travels with the explanation and only with it: whoever decides
that the explanation may be shown (answers_visible for a review, an answered question in
practice) decides it for the articles too."""

import html
import re
import unicodedata

from django.utils.html import strip_tags

from courses.law_references import article_link, article_numbers, law_reference_html
from courses.selectors_laws import law_articles_numbered
from exams.services.bank_import import law_articles_parse

_NUMERAL = r"[零〇一二两三四五六七八九十百千0-9]+"
_ONE = rf"第{_NUMERAL}条"
_JOIN = r"(?:、|,|和|及|与|以及|至|到|-|—|~)"
_ONLY_A_REFERENCE = re.compile(
    rf"^(?:解析:?)?(?:见|参见|详见|依据|根据|依照)?(?:《[^》]+》)?"
    rf"{_ONE}(?:{_JOIN}{_ONE})*(?:的规定|规定)?[。.;]?$"
)
_PRC = "中华人民共和国"
MAX_ARTICLES = 5


def _plain(explanation: str) -> str:
    text = unicodedata.normalize("NFKC", html.unescape(strip_tags(explanation or "")))
    return re.sub(r"\s+", "", text)


def _names(law) -> set[str]:
    title = law.title or ""
    first = title.split()[0] if title else ""
    names = {law.short_name, title, title.removeprefix(_PRC), first, first.removeprefix(_PRC)}
    return {name for name in names if name}


def explanation_cites(*, explanation: str, law, law_articles: str) -> list[int]:
    """The article numbers whose text should stand under this explanation: those it
    names when it names nothing else, or the question's own when it is empty."""
    if law is None:
        return []
    text = _plain(explanation)
    if not text:
        return article_numbers(law_articles, limit=MAX_ARTICLES)
    if not _ONLY_A_REFERENCE.match(text):
        return []
    name, numbers, _written = law_articles_parse(text)
    if name and name not in _names(law):
        return []  # another law than the question's: not ours to guess
    return list(dict.fromkeys(numbers))[:MAX_ARTICLES]


def cited_articles(questions) -> list[list[dict]]:
    """For each (explanation, law, law_articles), the articles to show under it as
    {label, url, text}; one query for all of them."""
    wanted = [
        (law, explanation_cites(explanation=explanation, law=law, law_articles=articles))
        for explanation, law, articles in questions
    ]
    found = law_articles_numbered((law.pk, number) for law, numbers in wanted for number in numbers)
    result = []
    for law, numbers in wanted:
        shown = []
        for number in numbers:
            article = found.get((law.pk, number))
            if article is not None:
                link = article_link(law, article)
                shown.append({"label": link.label, "url": link.url, "text": article.text})
        result.append(shown)
    return result


def law_reference(law, law_articles: str) -> str:
    return str(law_reference_html(law, law_articles))
