"""Site search over courses, lessons and laws.

Wagtail's database search backends split text on spaces, and Chinese has none, so a query
like 行政处罚 finds nothing there. At a county's scale (hundreds of courses, a few dozen
laws) substring matching is exact and fast enough; a deployment that outgrows it should
move to Elasticsearch with a Chinese analyser.
"""

from django.db.models import Q

from courses.models import Law, LawArticle, LessonPage
from courses.selectors import courses_visible_to

MAX_RESULTS = 20


def site_search(*, user, query: str) -> dict:
    query = (query or "").strip()[:50]
    if not query:
        return {"query": "", "courses": [], "lessons": [], "laws": []}
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
    article_laws = LawArticle.objects.filter(text__icontains=query).values("law_id")
    laws = list(
        Law.objects.filter(
            Q(title__icontains=query) | Q(short_name__icontains=query) | Q(pk__in=article_laws)
        )[:MAX_RESULTS]
    )
    return {"query": query, "courses": courses, "lessons": lessons, "laws": laws}
