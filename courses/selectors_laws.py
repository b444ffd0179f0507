"""Reads of the law library: new laws of a year, a law's text, lessons quoting outdated laws."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast, Length, Substr
from wagtail.models import Page, ReferenceIndex

from courses.models import Law, LawArticle, LawStatus, LessonPage

OUTDATED_STATUSES = (LawStatus.AMENDED, LawStatus.REPEALED)
# Where the reference index records a lesson's law_articles block pointing at a law.
LESSON_LAW_PATH = "body.law_articles.law"


def new_laws_of_year(year: int) -> QuerySet[Law]:
    """Laws whose effective date falls in `year`, whatever their status today."""
    return Law.objects.filter(effective_date__year=year).order_by("effective_date", "title")


def law_list(
    *, q: str = "", kind: str = "", category: str = "", status: str = "", year: int | None = None
) -> QuerySet[Law]:
    """The public library, filtered; each law carries `article_count`."""
    laws = new_laws_of_year(year) if year else Law.objects.all()
    if kind:
        laws = laws.filter(kind=kind)
    if category:
        laws = laws.filter(category=category)
    if status:
        laws = laws.filter(status=status)
    if q:
        # Substring matching on purpose: full-text search splits words at spaces, and
        # Chinese has none, so "行政处罚" would not find 中华人民共和国行政处罚法.
        in_text = LawArticle.objects.filter(law=OuterRef("pk"), text__icontains=q)
        laws = laws.filter(
            Q(title__icontains=q)
            | Q(short_name__icontains=q)
            | Q(document_number__icontains=q)
            | Exists(in_text)
        )
    # GROUP BY drops the model's default ordering, and pages need a stable one.
    return laws.annotate(article_count=Count("articles")).order_by("-effective_date", "title", "pk")


def law_effective_years() -> list[int]:
    """Years in which some law took effect, newest first (for the "new laws of" filter)."""
    return [d.year for d in Law.objects.dates("effective_date", "year", order="DESC")]


def law_with_articles(slug: str) -> Law:
    """The law with this slug, its articles prefetched in order; raises Law.DoesNotExist."""
    return (
        Law.objects.select_related("amends", "previous_version", "next_version")
        .prefetch_related("articles")
        .get(slug=slug)
    )


@dataclass(frozen=True)
class Heading:
    level: int  # 2 for the top level of this law's structure, then 3, 4
    text: str
    anchor: str


@dataclass
class OutlineEntry:
    article: LawArticle
    headings: list[Heading] = field(default_factory=list)  # the headings opening before it


def law_outline(articles) -> tuple[list[OutlineEntry], list[Heading]]:
    """Interleave the part/chapter/section headings with the articles they open.

    Returns the entries and a table of contents (parts and chapters; sections would
    make it longer than the law on a phone).
    """
    articles = list(articles)
    has_parts = any(article.part for article in articles)
    levels = {"part": 2, "chapter": 3 if has_parts else 2, "section": 4 if has_parts else 3}
    entries: list[OutlineEntry] = []
    contents: list[Heading] = []
    current = {"part": "", "chapter": "", "section": ""}
    counters = {"part": 0, "chapter": 0, "section": 0}
    for article in articles:
        entry = OutlineEntry(article=article)
        changed = False
        for kind in ("part", "chapter", "section"):
            value = getattr(article, kind)
            # A new chapter restarts its sections even when a section title repeats.
            if value and (changed or value != current[kind]):
                counters[kind] += 1
                heading = Heading(levels[kind], value, f"{kind}-{counters[kind]}")
                entry.headings.append(heading)
                if kind != "section":
                    contents.append(heading)
                changed = True
            elif value != current[kind]:
                changed = True
            current[kind] = value
        entries.append(entry)
    return entries, contents


def _lesson_cites(laws: QuerySet[Law]) -> QuerySet[ReferenceIndex]:
    """Reference-index rows of lessons citing any of `laws`.

    Wagtail keeps the index up to date on every page save (from the stored, i.e. live,
    content), so this is one indexed query however many lessons there are. Its ids are
    strings, hence the casts.
    """
    return ReferenceIndex.objects.filter(
        content_type=ContentType.objects.get_for_model(LessonPage),
        to_content_type=ContentType.objects.get_for_model(Law),
        model_path=LESSON_LAW_PATH,
        to_object_id__in=laws.annotate(key=Cast("pk", CharField())).values("key"),
    )


def lessons_needing_review() -> QuerySet[LessonPage]:
    """Lessons whose body quotes a law now amended or repealed, with `course_title`."""
    outdated = Law.objects.filter(status__in=OUTDATED_STATUSES)
    cites_outdated = _lesson_cites(outdated).filter(object_id=Cast(OuterRef("pk"), CharField()))
    course = Page.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Page.steplen)
    )
    return (
        LessonPage.objects.filter(Exists(cites_outdated))
        .annotate(course_title=Subquery(course.values("title")[:1]))
        .order_by("-latest_revision_created_at", "pk")
    )


def outdated_laws_cited_by(lessons) -> dict[int, list[Law]]:
    """{lesson id: [amended or repealed laws it quotes]} for a page of lessons, in 2 queries."""
    outdated = Law.objects.filter(status__in=OUTDATED_STATUSES)
    rows = _lesson_cites(outdated).filter(object_id__in=[str(lesson.pk) for lesson in lessons])
    pairs = set(rows.values_list("object_id", "to_object_id"))
    laws = outdated.in_bulk({int(law_id) for _, law_id in pairs})
    cited: dict[int, list[Law]] = {}
    for lesson_id, law_id in sorted(pairs, key=lambda pair: (int(pair[0]), int(pair[1]))):
        law = laws.get(int(law_id))  # None if its status changed between the two queries
        if law is not None:
            cited.setdefault(int(lesson_id), []).append(law)
    return cited


def law_articles_numbered(pairs) -> dict[tuple[int, int], LawArticle]:
    """Library articles by (law id, article number) for a page's citations, in one query.
    Only articles proper: an inserted 第十条之一 shares its number with 第十条."""
    pairs = set(pairs)
    if not pairs:
        return {}
    rows = LawArticle.objects.filter(
        law_id__in={law_id for law_id, _n in pairs},
        number__in={number for _law, number in pairs},
        label__endswith="条",
    ).select_related("law")
    return {(row.law_id, row.number): row for row in rows if (row.law_id, row.number) in pairs}


def changed_articles_cited_by(lessons) -> dict[int, list[LawArticle]]:
    """{lesson id: the articles it quotes that a newer version of their law changed or
    removed} for a page of lessons, in one query."""
    from courses.blocks import parse_article_refs
    from courses.law_references import article_ref, refs_filter

    cited: dict[int, set] = {}
    wanted = Q()
    for lesson in lessons:
        for block in lesson.body.raw_data:
            value = block.get("value") or {}
            if block.get("type") != "law_articles" or not value.get("law"):
                continue
            try:
                refs = parse_article_refs(value.get("articles", ""))
            except ValueError:
                continue
            cited.setdefault(lesson.pk, set()).update((value["law"], ref) for ref in refs)
            wanted |= refs_filter(value["law"], refs)
    if not cited:
        return {}
    rows = LawArticle.objects.filter(wanted, change__in=["changed", "removed"]).order_by(
        "law_id", "sort_order"
    )
    changed = {(row.law_id, article_ref(row)): row for row in rows}
    return {
        lesson_id: [
            changed[key] for key in sorted(keys, key=lambda k: (k[0], k[1])) if key in changed
        ]
        for lesson_id, keys in cited.items()
    }


# --- for the question bank (exams reads laws only through these) --------------------


def laws_all() -> QuerySet[Law]:
    """Every law of the library, for a chooser or a filter."""
    return Law.objects.all()


def laws_by_ids(ids) -> dict[int, Law]:
    return Law.objects.in_bulk(set(ids) - {None})


def laws_by_slugs(slugs) -> dict[str, Law]:
    return {law.slug: law for law in Law.objects.filter(slug__in=slugs)}


def laws_for_name_lookup() -> list[Law]:
    """The library's laws with what a written reference may name them by."""
    return list(Law.objects.only("id", "title", "short_name", "status"))


def law_article_numbers_held(*, law_ids, numbers) -> set[tuple[int, int]]:
    """(law id, number) for each of these article numbers the laws hold, in one query."""
    return set(
        LawArticle.objects.filter(law_id__in=law_ids, number__in=numbers).values_list(
            "law_id", "number"
        )
    )


def outdated_law_q(prefix: str = "law") -> Q:
    """Rows whose law (through `prefix`) a newer one amended or that was repealed."""
    return Q(**{f"{prefix}__status__in": OUTDATED_STATUSES})
