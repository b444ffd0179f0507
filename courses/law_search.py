"""Chinese search over the law library: articles ranked by relevance with the matching words
highlighted, and laws found by their names, short ones too (个保法, 民法典).

Chinese has no spaces, so words are not split at them: every article carries its character
bigrams (`search_grams`, "首次 次违 违法 …"), the usual way to index CJK text without a
dictionary (Lucene's CJK analyser does the same). Bigrams need no segmenter to install or
keep up to date, and they find what a segmenter splits differently: 首次违法 shares 次违 and
违法 with 初次违法. On PostgreSQL a stored tsvector of the bigrams with a GIN index
(migration 0010) finds and pre-ranks the candidates; on SQLite, the embedded default, a
substring match does. Both rank the candidates the same way here: the rarer a shared
bigram among them, the more it counts, and the whole query found as typed counts most.
"""

import math
import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_CJK}]+|[a-z0-9]+")
MAX_QUERY = 50
# Enough for a good top 20 after re-ranking, few enough to rank in a few milliseconds.
CANDIDATES = 200
SNIPPET = 70


def grams(text: str) -> list[str]:
    """The bigrams of each run of Chinese characters (a single character stands alone) and
    the Latin or digit words, lower-cased, in order."""
    found = []
    for run in _RUN.findall((text or "").lower()):
        if run[0].isascii() or len(run) == 1:
            found.append(run)
        else:
            found += [run[i : i + 2] for i in range(len(run) - 1)]
    return found


def grams_text(text: str) -> str:
    """What LawArticle.search_grams stores: each bigram once."""
    return " ".join(dict.fromkeys(grams(text)))


@dataclass
class ArticleHit:
    article: object
    law: object
    score: float
    snippet: SafeString

    @property
    def url(self) -> str:
        return f"{self.law.get_absolute_url()}#{self.article.anchor}"


def _candidates(query_grams: list[str], laws):
    from courses.models import LawArticle

    articles = LawArticle.objects.filter(law__in=laws).select_related("law")
    if connection.vendor == "postgresql":
        # The stored, GIN-indexed vector of the bigrams (migration 0010).
        tsquery = " | ".join(query_grams)
        vector = "courses_lawarticle.search_vector"
        query = "to_tsquery('simple'::regconfig, %s)"
        return list(
            articles.extra(
                where=[f"{vector} @@ {query}"],
                params=[tsquery],
                select={"pg_rank": f"ts_rank({vector}, {query})"},
                select_params=[tsquery],
                order_by=["-pg_rank"],
            )[:CANDIDATES]
        )
    match = Q()
    for gram in query_grams:
        match |= Q(text__contains=gram)
    return list(articles.filter(match)[: CANDIDATES * 5])


def _highlight(text: str, query: str, query_grams: set[str], width: int = SNIPPET) -> SafeString:
    """A window of the text around the densest match, the matching characters marked."""
    lowered = text.lower()
    marked = [False] * len(text)
    for gram in query_grams:
        start = lowered.find(gram)
        while start != -1:
            for i in range(start, start + len(gram)):
                marked[i] = True
            start = lowered.find(gram, start + 1)
    whole = lowered.find(query.lower())
    if whole != -1:
        centre = whole
    else:
        # The 20-character window with the most marked characters (a running sum).
        window = 20
        density = best = sum(marked[:window])
        centre = 0
        for i in range(1, max(1, len(text) - window + 1)):
            density += marked[i + window - 1] - marked[i - 1]
            if density > best:
                best, centre = density, i
    begin = 0 if width >= len(text) else max(0, centre - width // 3)
    end = min(len(text), begin + width)
    parts = ["…" if begin else ""]
    i = begin
    while i < end:
        j = i
        while j < end and marked[j] == marked[i]:
            j += 1
        piece = escape(text[i:j].replace("\n", " "))
        parts.append(f"<mark>{piece}</mark>" if marked[i] else piece)
        i = j
    parts.append("…" if end < len(text) else "")
    return mark_safe("".join(parts))


def words_marked(text: str, query: str) -> SafeString:
    """A title with the query's words marked, whole."""
    query = (query or "").strip()[:MAX_QUERY]
    return _highlight(text, query, set(grams(query)), width=len(text))


def relevance(text: str, query: str) -> float:
    """How well a short text (a title, a summary) matches: the query as typed, then the
    share of its bigrams the text holds."""
    query_grams = set(grams(query))
    if not query_grams:
        return 0.0
    held = set(grams(text))
    return (1.0 if query.strip().lower() in text.lower() else 0.0) + len(query_grams & held) / len(
        query_grams
    )


def article_search(query: str, *, kind: str = "", status: str = "", limit: int = 20):
    """The articles that best match `query`, best first, each with a highlighted snippet."""
    from courses.models import Law

    query = (query or "").strip()[:MAX_QUERY]
    query_grams = list(dict.fromkeys(grams(query)))
    if not query_grams:
        return []
    laws = Law.objects.all()
    if kind:
        laws = laws.filter(kind=kind)
    if status:
        laws = laws.filter(status=status)
    candidates = _candidates(query_grams, laws)
    if not candidates:
        return []
    # How many candidates hold each bigram: a bigram every article has says little.
    held = [set(article.search_grams.split()) for article in candidates]
    total = len(candidates)
    weight = {
        gram: math.log(1 + total / (1 + sum(gram in h for h in held))) for gram in query_grams
    }
    exact = query.lower()
    scored = []
    for article, article_grams in zip(candidates, held, strict=True):
        shared = [gram for gram in query_grams if gram in article_grams]
        if not shared:
            continue
        score = sum(weight[gram] for gram in shared) / sum(weight.values())
        if exact in article.text.lower():
            score += 1
        scored.append((score, -article.law.pk, -article.sort_order, article))
    scored.sort(key=lambda row: row[:3], reverse=True)
    marks = set(query_grams)
    return [
        ArticleHit(article, article.law, round(score, 3), _highlight(article.text, query, marks))
        for score, _law, _order, article in scored[:limit]
    ]


def _subsequence(needle: str, haystack: str) -> bool:
    characters = iter(haystack)
    return all(character in characters for character in needle)


def law_name_search(query: str, *, kind: str = "", status: str = "", limit: int = 10):
    """Laws whose title or short name holds the query, or its characters in order: 个保法
    is 个人信息保护法, 数安法 数据安全法. Titles are few (a county holds hundreds of laws),
    so they are matched here, not in the database."""
    from courses.models import Law

    query = re.sub(r"\s+", "", (query or ""))[:MAX_QUERY]
    if not query:
        return []
    laws = Law.objects.only("pk", "title", "short_name", "slug", "kind", "status")
    if kind:
        laws = laws.filter(kind=kind)
    if status:
        laws = laws.filter(status=status)
    ranked = []
    for law in laws:
        names = [law.title, law.short_name or ""]
        if any(query in name for name in names):
            ranked.append((0, len(law.title), law))
        elif 2 <= len(query) <= 6 and any(_subsequence(query, name) for name in names):
            ranked.append((1, len(law.title), law))
    ranked.sort(key=lambda row: (row[0], row[1], row[2].pk))
    return [law for _rank, _length, law in ranked[:limit]]
