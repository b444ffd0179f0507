"""Importing a question file (XLSX/CSV, Moodle XML, GIFT) into the bank, all or nothing.

The parsers in exams.importers read the file; this module checks every question against
the bank's rules, then writes in one transaction with a number of queries that does not
grow with the number of questions (bulk inserts in batches).
"""

from __future__ import annotations

import hashlib
import html
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING
from urllib.parse import quote

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from taggit.models import Tag, TaggedItem
from wagtail.images import get_image_model

from courses.law_markdown import chinese_numeral_to_int
from courses.selectors_laws import law_article_numbers_held, laws_for_name_lookup
from exams.importers import (
    FORMATS,
    ImportFormatError,
    ParsedQuestion,
    RowError,
    SkippedQuestion,
    detect_format,
    parse_questions,
)
from exams.importers.common import category_path_split, duplicate_warning
from exams.importers.html_clean import unlink_files
from exams.importers.text import html_to_text, normalize_answer
from exams.kinds import CHOICE_KINDS
from exams.models import Question, QuestionCategory, QuestionKind, QuestionVersion
from exams.services.bank import (
    blanks_normalize,
    choices_normalize,
    points_clean,
    question_validate,
    stem_match_key,
    stem_plain_text,
)
from exams.services.draw import exam_plans_stale
from lms.spreadsheet_limits import import_limit

if TYPE_CHECKING:
    from courses.models import Law

BATCH_SIZE = 1000
# Where questions go that name no category (Moodle's "top", GIFT without $CATEGORY): a
# category's name, stored as data.
DEFAULT_CATEGORY = "未分类"
CATEGORY_NAME_LENGTH = QuestionCategory._meta.get_field("name").max_length
_MARK = "\x00"


def _template_pattern(text: str) -> re.Pattern:
    """A message with _MARK for each placeholder, as a pattern that matches it filled in."""
    return re.compile("(.+?)".join(re.escape(part) for part in text.split(_MARK)))


def _is_duplicate_warning(warning: str) -> bool:
    # The parsers' duplicate warning, in the active language (the one they wrote it in).
    return _template_pattern(duplicate_warning(_MARK, _MARK)).fullmatch(warning) is not None


@dataclass
class ImportSummary:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(QuestionKind.values, 0))
    categories: int = 0
    skipped: list[SkippedQuestion] = field(default_factory=list)
    unchanged: int = 0
    duplicates: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    images: int = 0
    question_ids: list[int] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return sum(self.counts.values())

    def summary_line(self) -> str:
        """One line for the clerk (and the command's first line), in the active language,
        with the kinds by their names: "单选题 6", never "single 6"."""
        kinds = pgettext("list separator", ", ").join(
            _("%(kind)s %(count)d") % {"kind": kind.label, "count": self.counts[kind.value]}
            for kind in QuestionKind
        )
        return _(
            "imported %(imported)d questions (%(kinds)s) into %(categories)d categories; "
            "skipped %(skipped)d"
        ) % {
            "imported": self.imported,
            "kinds": kinds,
            "categories": self.categories,
            "skipped": len(self.skipped),
        }


class QuestionImportError(ValidationError):
    """The file cannot be imported; `row_errors` lists every problem (row, column, reason)
    and nothing has been written."""

    def __init__(self, messages, row_errors=()):
        super().__init__(messages)
        self.row_errors: list[RowError] = list(row_errors)


def _error_text(error: RowError, is_sheet: bool = True) -> str:
    """The error with where it is: a spreadsheet's row, the n-th question of a Moodle XML
    or GIFT file, and the column."""
    where = ""
    if error.row:
        where = (_("Row %(number)d") if is_sheet else _("Question %(number)d")) % {
            "number": error.row
        }
    if error.column and where:
        where = _("%(where)s, column “%(column)s”") % {"where": where, "column": error.column}
    elif error.column:
        where = _("Column “%(column)s”") % {"column": error.column}
    if not where:
        return error.message
    return _("%(where)s: %(message)s") % {"where": where, "message": error.message}


def category_names(path) -> tuple[str, ...]:
    """The names of a category path (typed, or already split) as the bank stores them."""
    return category_path_split(path, name_length=CATEGORY_NAME_LENGTH)


# --- categories ---------------------------------------------------------------------


def categories_ensure(paths) -> dict[tuple[str, ...], QuestionCategory]:
    """The categories for these name paths, creating missing ones level by level: two
    queries per tree level, however many categories."""
    wanted: set[tuple[str, ...]] = set()
    for names in paths:
        wanted.update(names[:depth] for depth in range(1, len(names) + 1))
    found: dict[tuple[str, ...], QuestionCategory] = {}
    sep = QuestionCategory.SEPARATOR
    for depth in range(1, max((len(p) for p in wanted), default=0) + 1):
        level = [p for p in wanted if len(p) == depth]
        missing = [
            QuestionCategory(
                name=p[-1], parent=found[p[:-1]] if depth > 1 else None, full_path=sep.join(p)
            )
            for p in level
        ]
        # ignore_conflicts: an existing category (or one created meanwhile) is simply
        # read back below.
        QuestionCategory.objects.bulk_create(missing, ignore_conflicts=True)
        by_path = {
            c.full_path: c
            for c in QuestionCategory.objects.filter(full_path__in=[sep.join(p) for p in level])
        }
        for p in level:
            found[p] = by_path[sep.join(p)]
    return found


# --- law references -----------------------------------------------------------------

_LAW_NAME = re.compile(r"《([^》]+)》")
_NUMERAL = r"[零〇一二两三四五六七八九十百千\d]+"
_ARTICLE = re.compile(
    rf"第({_NUMERAL})条(?:之([一二三四五六七八九十]+))?"
    rf"(?:\s*(?:至|到|-|—|～|~)\s*第?({_NUMERAL})条)?"
)
_PRC = "中华人民共和国"


def _numeral(text: str) -> int | None:
    try:
        return int(text) if text.isdigit() else chinese_numeral_to_int(text)
    except ValueError:
        return None


def law_articles_parse(reference: str) -> tuple[str, list[int], str]:
    """ "《行政处罚法》第三十三条、第三十六条" -> ("行政处罚法", [33, 36], "33, 36")."""
    name_match = _LAW_NAME.search(reference or "")
    name = name_match.group(1).strip().removeprefix(_PRC) if name_match else ""
    numbers: list[int] = []
    parts: list[str] = []
    rest = reference[name_match.end() :] if name_match else reference or ""
    for match in _ARTICLE.finditer(rest):
        first = _numeral(match.group(1))
        last = _numeral(match.group(3)) if match.group(3) else None
        if first is None:
            continue
        if match.group(2):
            # 第一百二十条之一: an inserted article, cited as 120之一.
            numbers.append(first)
            parts.append(f"{first}之{match.group(2)}")
        elif last is not None and last > first:
            numbers.extend(range(first, last + 1))
            parts.append(f"{first}-{last}")
        else:
            numbers.append(first)
            parts.append(str(first))
    return name, numbers, ", ".join(parts)


def law_references_resolve(references) -> dict[str, tuple[Law | None, str]]:
    """Link written references to laws in the library: by short name or title, and for
    the Civil Code (one Law per book, articles numbered through the whole Code) by the book
    that holds the article. Two queries at most; what cannot be linked stays text."""
    parsed = {ref: law_articles_parse(ref) for ref in set(references) if ref}
    names = {name for name, _numbers, _text in parsed.values() if name}
    if not names:
        return {ref: (None, text) for ref, (_n, _nums, text) in parsed.items()}
    laws = laws_for_name_lookup()
    by_name: dict[str, list[Law]] = {}
    for law in laws:
        first = law.title.split()[0] if law.title else ""
        for key in {
            law.short_name,
            law.title,
            law.title.removeprefix(_PRC),
            first.removeprefix(_PRC),
        }:
            if key:
                by_name.setdefault(key, []).append(law)
    ambiguous = {name: by_name[name] for name in names if len(by_name.get(name, [])) > 1}
    holders: set[tuple[int, int]] = set()
    if ambiguous:
        ids = {law.pk for group in ambiguous.values() for law in group}
        numbers = {n for _name, nums, _t in parsed.values() for n in nums}
        holders = law_article_numbers_held(law_ids=ids, numbers=numbers)
    out = {}
    for ref, (name, numbers, text) in parsed.items():
        candidates = by_name.get(name, [])
        law = candidates[0] if len(candidates) == 1 else None
        if len(candidates) > 1 and numbers:
            holding = [c for c in candidates if (c.pk, numbers[0]) in holders]
            law = holding[0] if len(holding) == 1 else None
        out[ref] = (law, text if law else "")
    return out


# --- images -------------------------------------------------------------------------


def _image_valid(data: bytes) -> bool:
    from willow.image import Image as WillowImage

    try:
        WillowImage.open(io.BytesIO(data)).get_size()
    except Exception:  # noqa: BLE001 - any decoder failure means "not an image we can show"
        return False
    return True


def _images_store(questions: list[ParsedQuestion], warnings: list[str]) -> tuple[dict, int]:
    """Wagtail images for the files the questions embed, shared by content (the same
    flag in four questions is one image; a re-import reuses it). Returns {sha1: url}."""
    image_model = get_image_model()
    by_hash: dict[str, tuple[str, bytes]] = {}
    for q in questions:
        for image in q.images:
            by_hash.setdefault(hashlib.sha1(image.data).hexdigest(), (image.name, image.data))  # noqa: S324 - Wagtail's own file hash
    if not by_hash:
        return {}, 0
    urls = {
        image.file_hash: image.file.url
        for image in image_model.objects.filter(file_hash__in=list(by_hash))
    }
    created = 0
    for digest, (name, data) in by_hash.items():
        if digest in urls:
            continue
        if not _image_valid(data):
            warnings.append(_("The image %(name)s cannot be read; ignored.") % {"name": name})
            continue
        image = image_model(title=name[:255], file=ImageFile(io.BytesIO(data), name=name))
        image._set_image_file_metadata()
        image.save()
        urls[digest] = image.file.url
        created += 1
    return urls, created


def _point_images_at(q: ParsedQuestion, urls: dict[str, str]) -> None:
    """Rewrite @@PLUGINFILE@@/name references to the stored images' URLs; drop the ones
    whose file could not be stored."""
    replacements, dropped = {}, set()
    for image in q.images:
        url = urls.get(hashlib.sha1(image.data).hexdigest())  # noqa: S324
        if url is None:
            dropped.add(image.name)
            continue
        for spelled in {image.name, quote(image.name)}:
            replacements[html.escape(f"@@PLUGINFILE@@/{spelled}", quote=True)] = html.escape(
                url, quote=True
            )

    def fix(value: str) -> str:
        for old, new in replacements.items():
            value = value.replace(old, new)
        return unlink_files(value, dropped) if dropped else value

    q.stem = fix(q.stem)
    q.explanation = fix(q.explanation)
    for choice in q.choices:
        choice.text = fix(choice.text)
        choice.feedback = fix(choice.feedback)


# --- the import ---------------------------------------------------------------------


def _content_key(kind, stem_text, choices, blanks) -> tuple:
    return (
        kind,
        stem_match_key(stem_text),
        tuple((normalize_answer(html_to_text(c["text"])), Decimal(c["fraction"])) for c in choices),
        tuple(tuple(normalize_answer(a) for a in alternatives) for alternatives in blanks),
    )


@dataclass
class _Prepared:
    parsed: ParsedQuestion
    path: tuple[str, ...]
    choices: list[dict]
    blanks: list[list[str]]
    points: Decimal


def _prepare(result, root: tuple[str, ...], is_sheet: bool, progress=None) -> list[_Prepared]:
    prepared, errors = [], list(result.errors)
    texts = [_error_text(e, is_sheet) for e in result.errors]
    total = len(result.questions)
    for index, q in enumerate(result.questions, start=1):
        if progress is not None:
            progress(index - 1, total)
        try:
            choices = choices_normalize(q.choices) if q.kind in CHOICE_KINDS else []
            blanks = blanks_normalize(q.blanks) if q.kind == QuestionKind.BLANK else []
            _lengths_check(q)
            question_validate(kind=q.kind, stem=q.stem, choices=choices, blanks=blanks)
            points = points_clean(q.points)
        except ValidationError as exc:
            row = _row_of(q.source) or index
            for message in exc.messages:
                errors.append(RowError(row=row, column="", message=message))
                # The question's own source says where it is ("Line 3", "Question “…”"),
                # in the words of its format: no second location in front.
                texts.append(
                    _("%(where)s: %(message)s") % {"where": q.source or q.name, "message": message}
                )
            continue
        path = category_names((*root, *q.category)) or (DEFAULT_CATEGORY,)
        prepared.append(_Prepared(q, path, choices, blanks, points))
    if progress is not None:
        progress(total, total, force=True)
    if errors:
        raise QuestionImportError(texts, errors)
    return prepared


def _lengths_check(q) -> None:
    """The spreadsheet cell limit, for every format: a GIFT or Moodle XML file of 20 MB
    could otherwise hold a 20-million-character stem."""
    limit = import_limit("cell_chars")
    parts = [
        (_("The stem"), [q.stem]),
        (_("An option"), [choice.text for choice in q.choices]),
        (_("An accepted answer"), [answer for blank in q.blanks for answer in blank]),
        (_("The explanation"), [q.explanation]),
        (_("The legal basis"), [q.law_reference]),
    ]
    for what, texts in parts:
        if any(len(text or "") > limit for text in texts):
            raise ValidationError(
                _("%(what)s is longer than %(limit)d characters.") % {"what": what, "limit": limit}
            )


def _row_of(source: str) -> int | None:
    """The line a GIFT question's source names, or the row of a spreadsheet's, in the
    active language or in Chinese (第3行)."""
    for template in (_("Line %(line)d"), _("Row %(number)d"), "第%(line)d行"):
        marked = template.replace("%(line)d", _MARK).replace("%(number)d", _MARK)
        match = _template_pattern(marked).fullmatch(source or "")
        if match and match.group(1).isdigit():
            return int(match.group(1))
    return None


def _existing_keys(category_ids) -> tuple[set, set]:
    """Content keys and (category, stem) keys of the questions already in these
    categories: one query."""
    content, stems = set(), set()
    rows = Question.objects.filter(category_id__in=category_ids).values_list(
        "category_id", "kind", "stem_text", "current_version__choices", "current_version__blanks"
    )
    for category_id, kind, stem_text, choices, blanks in rows.iterator(chunk_size=2000):
        content.add((category_id, *_content_key(kind, stem_text, choices or [], blanks or [])))
        stems.add((category_id, stem_match_key(stem_text)))
    return content, stems


def _tags_attach(tagged: list[tuple[int, list[str]]]) -> None:
    names = {name[:100] for _pk, tags in tagged for name in tags}
    if not names:
        return
    tags = {t.name: t for t in Tag.objects.filter(name__in=names)}
    Tag.objects.bulk_create(
        [Tag(name=n, slug=Tag().slugify(n)) for n in names - set(tags)], ignore_conflicts=True
    )
    tags.update({t.name: t for t in Tag.objects.filter(name__in=names - set(tags))})
    for name in names - set(tags):
        # A slug clash with a differently spelled tag: let taggit pick a free slug.
        tags[name] = Tag.objects.create(name=name)
    content_type = ContentType.objects.get_for_model(Question)
    TaggedItem.objects.bulk_create(
        [
            TaggedItem(tag=tags[name[:100]], content_type=content_type, object_id=pk)
            for pk, names_ in tagged
            for name in dict.fromkeys(names_)
        ],
        batch_size=BATCH_SIZE,
        ignore_conflicts=True,
    )


def questions_import(
    *,
    data: bytes,
    filename: str,
    fmt: str | None = None,
    category_path=None,
    by=None,
    progress=None,
) -> ImportSummary:
    """Parse, check and write a question file; raise QuestionImportError (nothing written)
    if the file or any question in it is bad. Unsupported question types are skipped and
    listed; questions already in the bank (same category, stem and answers) are counted as
    unchanged. progress(done, total, force=False), if given, hears how many questions are
    checked (a background import's progress page)."""
    if fmt and fmt not in FORMATS:
        raise QuestionImportError([_("Unsupported import format: %(format)s") % {"format": fmt}])
    try:
        result = parse_questions(data, filename, fmt)
    except ImportFormatError as exc:
        raise QuestionImportError([str(exc)]) from exc
    # Spreadsheet errors name a row; Moodle XML and GIFT errors name the n-th question.
    is_sheet = (fmt or detect_format(filename, data)) in ("xlsx", "csv")
    prepared = _prepare(result, category_names(category_path), is_sheet, progress)
    summary = ImportSummary(skipped=list(result.skipped))
    for warning in result.warnings:
        (summary.duplicates if _is_duplicate_warning(warning) else summary.warnings).append(warning)
    with transaction.atomic():
        summary.question_ids = _write(prepared, summary, by)
        # Bulk writes send no signals: the new questions join the exams' draws now.
        exam_plans_stale()
    return summary


def _write(prepared: list[_Prepared], summary: ImportSummary, by) -> list[int]:
    categories = categories_ensure({p.path for p in prepared})
    content_keys, stem_keys = _existing_keys({c.pk for c in categories.values()})
    new: list[_Prepared] = []
    for p in prepared:
        category_id = categories[p.path].pk
        key = (
            category_id,
            *_content_key(p.parsed.kind, stem_plain_text(p.parsed.stem), p.choices, p.blanks),
        )
        if key in content_keys:
            summary.unchanged += 1
            continue
        if (category_id, key[2]) in stem_keys:
            summary.warnings.append(
                _(
                    "%(where)s: this category of the bank already has a question with the same "
                    "stem but other answers; imported as a new question, check them and retire "
                    "the old one."
                )
                % {"where": p.parsed.source or p.parsed.name}
            )
        content_keys.add(key)
        new.append(p)
    if not new:
        return []
    urls, summary.images = _images_store([p.parsed for p in new], summary.warnings)
    laws = law_references_resolve(p.parsed.law_reference for p in new)
    questions = []
    for p in new:
        q = p.parsed
        if q.images:
            _point_images_at(q, urls)
            # Image URLs replaced the file references in the choices too.
            p.choices = choices_normalize(q.choices) if q.kind in CHOICE_KINDS else []
        law, articles = laws.get(q.law_reference, (None, ""))
        questions.append(
            Question(
                category=categories[p.path],
                kind=q.kind,
                difficulty=q.difficulty,
                default_points=p.points,
                law=law,
                law_articles=articles,
                law_reference=q.law_reference[:200],
                stem_text=stem_plain_text(q.stem),
                created_by=by,
            )
        )
    Question.objects.bulk_create(questions, batch_size=BATCH_SIZE)
    versions = [
        QuestionVersion(
            question=question,
            number=1,
            stem=p.parsed.stem,
            choices=p.choices,
            blanks=p.blanks,
            explanation=p.parsed.explanation,
            created_by=by,
        )
        for question, p in zip(questions, new, strict=True)
    ]
    QuestionVersion.objects.bulk_create(versions, batch_size=BATCH_SIZE)
    # One UPDATE for all: CASE-per-row bulk_update is slow and splits into many batches.
    ids = [q.pk for q in questions]
    Question.objects.filter(
        pk__gte=min(ids), pk__lte=max(ids), current_version__isnull=True
    ).update(
        current_version=Subquery(
            QuestionVersion.objects.filter(question=OuterRef("pk"), number=1).values("pk")[:1]
        )
    )
    _tags_attach([(question.pk, p.parsed.tags) for question, p in zip(questions, new, strict=True)])
    summary.counts.update(Counter(q.kind for q in questions))
    summary.categories = len({q.category_id for q in questions})
    return [q.pk for q in questions]
