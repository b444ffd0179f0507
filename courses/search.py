"""Site search over courses, lessons, laws and their articles.

Wagtail's database search backends split text on spaces, and Chinese has none, so a query
like 行政处罚 finds nothing there. Courses and lessons (hundreds in a county) are matched as
substrings; the law library, which holds tens of thousands of articles, is searched by
character bigrams with a ranking and highlighted snippets (courses/law_search.py).
"""

from django.db.models import Q

from courses.law_search import article_search, law_name_search, relevance, words_marked
from courses.models import LessonPage
from courses.selectors import courses_visible_to

MAX_RESULTS = 20


def site_search(*, user, query: str, kind: str = "", status: str = "") -> dict:
    query = (query or "").strip()[:50]
    filters = {"kind": kind, "status": status}
    if not query:
        return {"query": "", "courses": [], "lessons": [], "laws": [], "articles": [], **filters}
    visible = courses_visible_to(user)
    courses = list(
        visible.filter(Q(title__icontains=query) | Q(summary__icontains=query)).order_by("-year")[
            :MAX_RESULTS
        ]
    )
    course_paths = set(visible.values_list("path", flat=True))
    steplen = LessonPage.steplen
    lessons = [
        lesson
        for lesson in LessonPage.objects.live()
        .filter(Q(title__icontains=query) | Q(search_description__icontains=query))
        .order_by("path")[: MAX_RESULTS * 3]
        if lesson.path[:-steplen] in course_paths
    ][:MAX_RESULTS]
    # Titles that hold the words as typed first, then by how many of its bigrams they hold.
    for items in (courses, lessons):
        items.sort(key=lambda page: -relevance(page.title, query))
        for page in items:
            page.title_marked = words_marked(page.title, query)
    articles = article_search(query, kind=kind, status=status, limit=MAX_RESULTS)
    laws = law_name_search(query, kind=kind, status=status)
    for hit in articles:
        if hit.law not in laws:
            laws.append(hit.law)
    return {
        "query": query,
        "courses": courses,
        "lessons": lessons,
        "laws": laws[:MAX_RESULTS],
        "articles": articles,
        **filters,
    }
