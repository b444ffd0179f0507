"""Versions of a law: a newer text of a law already in the library (same title, a later
date, e.g. 行政处罚法 2017 → 2021) keeps the old one, compares them article by article, and
flags what cites a changed or removed article.

Articles are matched first by text (whitespace ignored), wherever they moved: an inserted
article renumbers every one after it; then, by label, the articles whose text changed; the
rest were added or removed. Questions
citing only unchanged articles follow the new version, renumbered where needed; those
citing a changed or removed article keep the old one and say what to check (需复核), and
lessons quoting the old version are listed by the "lessons needing review" report.
"""

import re
from dataclasses import dataclass, field

from django.db.models import Q

from courses.models import Law, LawArticle, LawStatus

CHANGED, ADDED, REMOVED, RENUMBERED = "changed", "added", "removed", "renumbered"


def _same_text(text: str) -> str:
    return re.sub(r"\s+", "", text)


@dataclass
class VersionComparison:
    old: Law
    new: Law
    changed: list[str] = field(default_factory=list)  # labels, as in the old text
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    renumbered: dict[str, str] = field(default_factory=dict)  # old label -> new label
    questions_flagged: int = 0
    questions_moved: int = 0


def previous_version_of(*, title: str, effective_date, exclude_pk=None) -> Law | None:
    """The library's latest earlier text of the law with this title, not yet superseded."""
    if effective_date is None:
        return None
    earlier = Law.objects.filter(title=title, effective_date__lt=effective_date).filter(
        Q(next_version__isnull=True) | Q(next_version__pk=exclude_pk)
    )
    if exclude_pk is not None:
        earlier = earlier.exclude(pk=exclude_pk)
    return earlier.order_by("-effective_date").first()


def law_versions_link(*, old: Law, new: Law) -> VersionComparison:
    """Make `new` the next version of `old`: compare, mark the articles of both, mark the
    old one amended, and move or flag the questions citing it. Call inside the import's
    transaction."""
    result = VersionComparison(old=old, new=new)
    old_articles = list(LawArticle.objects.filter(law=old).order_by("sort_order"))
    new_articles = list(LawArticle.objects.filter(law=new).order_by("sort_order"))
    for article in old_articles + new_articles:
        article.change, article.counterpart = "", ""
    # First the texts that survive, wherever they moved (an inserted article shifts every
    # number after it); then, by label, the articles whose text changed.
    unmatched_old = {_same_text(a.text): a for a in reversed(old_articles)}
    matched: set[int] = set()
    rest = []
    for article in new_articles:
        before = unmatched_old.pop(_same_text(article.text), None)
        if before is None:
            rest.append(article)
            continue
        matched.add(before.pk)
        if before.label != article.label:
            article.change = before.change = RENUMBERED
            article.counterpart, before.counterpart = before.label, article.label
            result.renumbered[before.label] = article.label
    old_by_label = {a.label: a for a in old_articles if a.pk not in matched}
    for article in rest:
        before = old_by_label.pop(article.label, None)
        if before is None:
            article.change = ADDED
            result.added.append(article.label)
        else:
            article.change = before.change = CHANGED
            article.counterpart = before.counterpart = before.label
            result.changed.append(before.label)
    for article in old_by_label.values():
        article.change = REMOVED
        result.removed.append(article.label)
    fields = ["change", "counterpart"]
    LawArticle.objects.bulk_update(old_articles + new_articles, fields, batch_size=500)

    new.previous_version = old
    new.save(update_fields=["previous_version"])
    if old.status == LawStatus.IN_FORCE:
        old.status = LawStatus.AMENDED
        old.save(update_fields=["status"])
    _questions_follow(result, old_articles, new_articles)
    return result


def _questions_follow(result: VersionComparison, old_articles, new_articles) -> None:
    from courses.law_references import article_numbers
    from exams.models import Question

    old_by_number = {a.number: a for a in old_articles if a.label.endswith("条")}
    new_by_label = {a.label: a for a in new_articles}
    year = result.new.effective_date.year
    to_update = []
    for question in Question.objects.filter(law=result.old):
        numbers = article_numbers(question.law_articles, limit=50)
        cited = [old_by_number[n] for n in numbers if n in old_by_number]
        touched = [a for a in cited if a.change in (CHANGED, REMOVED)]
        if touched:
            notes = "；".join(
                f"{a.label}{'已修改' if a.change == CHANGED else '已删除'}" for a in touched
            )
            question.law_review = f"《{result.new}》{year} 年版：{notes}"[:300]
            result.questions_flagged += 1
        else:
            # Every cited article is in the new text, perhaps under another number.
            moved = [
                new_by_label[a.counterpart].number if a.change == RENUMBERED else a.number
                for a in cited
            ]
            question.law = result.new
            if moved != numbers[: len(moved)]:
                question.law_articles = ", ".join(map(str, moved))
            result.questions_moved += 1
        to_update.append(question)
    Question.objects.bulk_update(to_update, ["law", "law_articles", "law_review"], batch_size=500)


def versions_summary(comparison: VersionComparison) -> str:
    """One line for the import page and the command: what changed, what needs review."""
    from django.utils.translation import gettext as _

    parts = {
        "year": comparison.old.effective_date.year if comparison.old.effective_date else "",
        "changed": len(comparison.changed),
        "added": len(comparison.added),
        "removed": len(comparison.removed),
        "renumbered": len(comparison.renumbered),
        "flagged": comparison.questions_flagged,
        "moved": comparison.questions_moved,
    }
    return (
        _(
            "Against the %(year)s version: %(changed)d articles changed, %(added)d added, "
            "%(removed)d removed, %(renumbered)d renumbered; %(flagged)d questions need "
            "review, %(moved)d now cite the new version."
        )
        % parts
    )
