"""Importing a law text (LawRefBook-style Markdown) into the law library, all or nothing."""

import re
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from courses.law_markdown import LawFormatError, ParsedArticle, parse_law_markdown
from courses.law_search import grams_text
from courses.models import Law, LawArticle, LawCategory, LawKind, LawStatus
from courses.services.law_versions import (
    VersionComparison,
    law_versions_link,
    previous_version_of,
)

_PRC = "中华人民共和国"
# First match wins, so the more specific words come first (行政诉讼法 is procedural law).
_CATEGORY_KEYWORDS = (
    ("宪法", LawCategory.CONSTITUTION),
    ("诉讼法", LawCategory.PROCEDURAL),
    ("仲裁法", LawCategory.PROCEDURAL),
    ("刑法", LawCategory.CRIMINAL),
    ("民法典", LawCategory.CIVIL),
    ("合同", LawCategory.CIVIL),
    ("行政", LawCategory.ADMINISTRATIVE),
    ("治安管理", LawCategory.ADMINISTRATIVE),
    ("数据安全", LawCategory.ADMINISTRATIVE),
    ("个人信息保护", LawCategory.ADMINISTRATIVE),
    ("乡村振兴", LawCategory.ECONOMIC),
    ("土地", LawCategory.ECONOMIC),
    ("劳动", LawCategory.SOCIAL),
    ("社会保险", LawCategory.SOCIAL),
    ("未成年人", LawCategory.SOCIAL),
    ("老年人", LawCategory.SOCIAL),
)
_NATIONAL_BODIES = ("全国人民代表大会常务委员会", "全国人民代表大会", "国务院")
# "湖南省第十三届人民代表大会常务委员会第二十六次会议通过" -> 湖南省人民代表大会常务委员会
_LOCAL_CONGRESS_RE = re.compile(
    r"([\u4e00-\u9fff]{2,12}?(?:省|自治区|市|自治州|县))第[一二三四五六七八九十]+届"
    r"(人民代表大会(?:常务委员会)?)"
)
_ARTICLE_FIELDS = ("sort_order", "number", "part", "chapter", "section", "text", "search_grams")
# The Civil Code comes as one file per book, and only some books carry the effective-date
# line; the whole Code takes effect on the date in its last article (第一千二百六十条).
_WHOLE_CODE_EFFECTIVE_DATES = {"中华人民共和国民法典": date(2021, 1, 1)}


@dataclass(frozen=True)
class LawImport:
    law: Law
    outcome: str  # "created", "updated" or "unchanged" (nothing written)
    # A new text of a law already in the library: what changed against the earlier one.
    versions: VersionComparison | None = None


_LAW_FIELDS = (
    "title", "short_name", "issuing_body", "promulgation_date", "effective_date", "history",
    "preamble", "appendices", "kind", "category", "status", "amends_id",
)  # fmt: skip


def law_import(**kwargs) -> tuple[Law, bool]:
    """law_import_text, as (law, created)."""
    result = law_import_text(**kwargs)
    return result.law, result.outcome == "created"


def law_import_text(
    *,
    text: str,
    slug: str | None = None,
    filename: str | None = None,
    category: str | None = None,
    status: str | None = None,
    progress=None,
) -> LawImport:
    """Create or update the law with this slug from a Markdown text.

    The slug defaults to the file name ("administrative-penalty-law-2021.md"). Re-importing
    updates the law and its articles in place, matched by label, so article ids (and the
    questions or anchors that point at them) survive. Category and status are set only when
    given, or on creation: a re-import must not undo a trainer's "repealed".
    Raises ValidationError (in the reader's language, parse errors in Chinese); on error
    nothing is written. progress(done, total, force=False), if given, hears the number of
    articles once the text is read (a background import's progress page).
    """
    slug = _clean_slug(slug, filename)
    _check_choice(category, LawCategory, _("category"))
    _check_choice(status, LawStatus, _("status"))
    try:
        parsed = parse_law_markdown(text)
    except LawFormatError as exc:
        raise ValidationError(str(exc), code="law_format") from exc
    _check_lengths(parsed.title, parsed.articles)
    if progress is not None:
        progress(0, len(parsed.articles), force=True)

    try:
        with transaction.atomic():
            law = Law.objects.select_for_update().filter(slug=slug).first()
            created = law is None
            before = None if created else [getattr(law, name) for name in _LAW_FIELDS]
            if created:
                law = Law(
                    slug=slug,
                    category=category or law_category_guess(parsed.title),
                    status=status or LawStatus.IN_FORCE,
                )
            else:
                law.category = category or law.category
                law.status = status or law.status
            law.title = parsed.title
            law.short_name = law.short_name or law_short_name(parsed.title)
            law.issuing_body = law.issuing_body or _issuing_body(parsed.history)
            # A date the file does not give is kept: a trainer may have entered it by hand.
            law.promulgation_date = parsed.promulgation_date or law.promulgation_date
            law.effective_date = (
                parsed.effective_date
                or law.effective_date
                or _WHOLE_CODE_EFFECTIVE_DATES.get(parsed.title.split()[0])
            )
            law.history = "\n".join(parsed.history)
            law.preamble = parsed.preamble
            law.appendices = [{"title": a.title, "text": a.text} for a in parsed.appendices]
            if created:
                law.kind = law_kind_guess(parsed.title, is_amendment=parsed.is_amendment)
                if law.effective_date and law.effective_date > timezone.localdate() and not status:
                    law.status = LawStatus.NOT_YET
            if parsed.amends:
                law.amends = (
                    Law.objects.filter(title=parsed.amends).exclude(pk=law.pk).first() or law.amends
                )
            fields_changed = before != [getattr(law, name) for name in _LAW_FIELDS]
            if fields_changed:
                law.save()
            if not _articles_replace(law=law, parsed=parsed.articles):
                if not fields_changed:
                    # The same text again writes nothing, not even the updated time.
                    return LawImport(law, "unchanged")
            elif not fields_changed:
                law.save(update_fields=["updated_at"])
            if created:
                previous = previous_version_of(
                    title=law.title, effective_date=law.effective_date, exclude_pk=law.pk
                )
                if previous is not None:
                    comparison = law_versions_link(old=previous, new=law)
                    return LawImport(law, "created", comparison)
    except IntegrityError as exc:
        # Two imports of a new slug at the same moment: the unique slug stops the second.
        raise ValidationError(
            _("Another import of this law ran at the same time; please try again.")
        ) from exc
    return LawImport(law, "created" if created else "updated")


def law_short_name(title: str) -> str:
    """中华人民共和国行政处罚法 -> 行政处罚法; "中华人民共和国民法典 合同编" -> 民法典·合同编."""
    first, *books = title.split()
    return "·".join([first.removeprefix(_PRC), *books])[:60]


# Who issues a text and what it is called tell its rank; first match wins.
_KIND_RULES = (
    (re.compile(r"最高人民(?:法院|检察院).*(?:解释|规定|批复)"), LawKind.JUDICIAL_INTERPRETATION),
    (re.compile(r"(?:省|自治区|市|自治州|县).*条例$"), LawKind.LOCAL_REGULATION),
    (re.compile(r"条例$"), LawKind.ADMINISTRATIVE_REGULATION),
    (re.compile(r"(?:部|委员会|总局|署|局).*(?:办法|规定|细则)$"), LawKind.DEPARTMENTAL_RULE),
)


def law_kind_guess(title: str, *, is_amendment: bool = False) -> str:
    """法律 unless the title says otherwise: 最高人民法院关于……的解释 is a judicial
    interpretation, ××省……条例 a local regulation, a 修正案 an amendment."""
    if is_amendment:
        return LawKind.AMENDMENT
    first = title.split()[0] if title else ""
    for pattern, kind in _KIND_RULES:
        if pattern.search(first):
            return kind
    return LawKind.LAW


def law_category_guess(title: str) -> str:
    for keyword, category in _CATEGORY_KEYWORDS:
        if keyword in title:
            return category
    return LawCategory.OTHER


def _issuing_body(history: list[str]) -> str:
    # The last history line names the body that adopted or revised the text in force.
    line = history[-1] if history else ""
    for body in _NATIONAL_BODIES:
        if body in line:
            return body
    match = _LOCAL_CONGRESS_RE.search(line)
    return match.group(1) + match.group(2) if match else ""


def _clean_slug(slug: str | None, filename: str | None) -> str:
    if not slug and filename:
        stem = PurePath(filename).stem
        # A Chinese file name would slugify to nothing or to a bare date: ask instead.
        if stem.isascii():
            slug = slugify(stem)
    slug = (slug or "").strip()
    if not slug:
        raise ValidationError(
            _(
                "Give the law a web address (slug) in Latin letters, digits and hyphens, "
                "for example administrative-penalty-law-2021."
            ),
            code="slug_missing",
        )
    try:
        validate_slug(slug)
    except ValidationError:
        raise ValidationError(
            _("“%(slug)s” is not a valid slug: use Latin letters, digits and hyphens only.")
            % {"slug": slug},
            code="slug_invalid",
        ) from None
    max_length = Law._meta.get_field("slug").max_length
    if len(slug) > max_length:
        raise ValidationError(
            _("The slug is longer than %(max)d characters.") % {"max": max_length},
            code="slug_invalid",
        )
    return slug


def _check_choice(value: str | None, choices, name: str) -> None:
    if value and value not in choices.values:
        raise ValidationError(
            _("“%(value)s” is not a valid %(name)s; choose one of: %(choices)s.")
            % {"value": value, "name": name, "choices": ", ".join(choices.values)},
            code="invalid_choice",
        )


def _check_lengths(title: str, articles: list[ParsedArticle]) -> None:
    """The parser accepts any length; the columns do not (PostgreSQL would refuse)."""
    limit = Law._meta.get_field("title").max_length
    if len(title) > limit:
        raise ValidationError(
            _("The title is longer than %(max)d characters.") % {"max": limit}, code="too_long"
        )
    limit = LawArticle._meta.get_field("chapter").max_length
    for article in articles:
        for heading in (article.part, article.chapter, article.section):
            if len(heading) > limit:
                raise ValidationError(
                    _("The heading “%(heading)s” is longer than %(max)d characters.")
                    % {"heading": heading[:20] + "……", "max": limit},
                    code="too_long",
                )


def _articles_replace(*, law: Law, parsed: list[ParsedArticle]) -> bool:
    """Make the law's articles equal to `parsed` in a fixed number of queries; say whether
    anything had to change."""
    existing = {article.label: article for article in LawArticle.objects.filter(law=law)}
    to_create, to_update = [], []
    for sort_order, item in enumerate(parsed):
        values = {
            "sort_order": sort_order,
            "number": item.number,
            "part": item.part,
            "chapter": item.chapter,
            "section": item.section,
            "text": item.text,
            "search_grams": grams_text(item.text),
        }
        article = existing.pop(item.label, None)
        if article is None:
            to_create.append(LawArticle(law=law, label=item.label, **values))
        elif any(getattr(article, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(article, name, value)
            to_update.append(article)
    if existing:
        try:
            LawArticle.objects.filter(pk__in=[a.pk for a in existing.values()]).delete()
        except (ProtectedError, RestrictedError) as exc:
            raise ValidationError(
                _(
                    "The new text no longer has %(labels)s, but other records still point "
                    "at them; change those records first."
                )
                % {"labels": "、".join(existing)},
                code="article_in_use",
            ) from exc
    LawArticle.objects.bulk_update(to_update, _ARTICLE_FIELDS, batch_size=200)
    LawArticle.objects.bulk_create(to_create, batch_size=500)
    return bool(existing or to_update or to_create)
