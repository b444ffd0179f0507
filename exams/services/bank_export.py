"""Exporting bank questions to the XLSX template layout or to Moodle XML, through the
importers' own writers so that an export imports back to the same questions."""

import html
import posixpath
import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.images import get_image_model

from exams.importers import (
    ParsedChoice,
    ParsedImage,
    ParsedQuestion,
    write_moodle_xml,
    write_xlsx,
)
from exams.importers.common import clean_decimal
from exams.importers.text import make_name
from exams.models import QuestionCategory
from lms.spreadsheets import XLSX_TYPE

EXPORT_FORMATS = {
    "xlsx": ("xlsx", XLSX_TYPE),
    "moodle-xml": ("xml", "application/xml"),
}
_IMG_SRC = re.compile(r'(<img\b[^>]*\bsrc=")([^"]+)(")')


def _law_reference(question) -> str:
    if question.law_reference:
        return question.law_reference
    if question.law_id is None:
        return ""
    articles = "、".join(
        f"第{part.strip()}条" for part in question.law_articles.split(",") if part.strip()
    )
    return f"《{question.law}》{articles}"


def _parsed(question) -> ParsedQuestion:
    version = question.current_version
    return ParsedQuestion(
        kind=question.kind,
        name=make_name(version.stem) or str(question.pk),
        stem=version.stem,
        choices=[
            ParsedChoice(
                text=c["text"], fraction=Decimal(c["fraction"]), feedback=c.get("feedback", "")
            )
            for c in version.choices
        ],
        blanks=[list(b) for b in version.blanks],
        explanation=version.explanation,
        category=tuple(question.category.full_path.split(QuestionCategory.SEPARATOR)),
        difficulty=question.difficulty,
        points=clean_decimal(question.default_points),
        law_reference=_law_reference(question),
        tags=[t.name for t in question.tags.all()],
    )


def _embed_images(questions: list[ParsedQuestion]) -> None:
    """Moodle XML carries images inside the file: turn links to this site's Wagtail images
    into @@PLUGINFILE@@ references with the bytes attached (one query for all)."""
    prefix = settings.MEDIA_URL.rstrip("/") + "/"

    def texts(q):
        return [
            q.stem,
            q.explanation,
            *(c.text for c in q.choices),
            *(c.feedback for c in q.choices),
        ]

    paths = {
        html.unescape(m.group(2))[len(prefix) :]
        for q in questions
        for text in texts(q)
        for m in _IMG_SRC.finditer(text)
        if html.unescape(m.group(2)).startswith(prefix)
    }
    if not paths:
        return
    images = {i.file.name: i for i in get_image_model().objects.filter(file__in=paths)}
    data: dict[str, bytes] = {}
    for q in questions:
        names: dict[str, str] = {}

        def swap(match, q=q, names=names):
            path = html.unescape(match.group(2))[len(prefix) :]
            image = images.get(path)
            if image is None:
                return match.group(0)
            if path not in data:
                with image.open_file() as handle:
                    data[path] = handle.read()
            name = names.setdefault(path, f"{len(names) + 1}-{posixpath.basename(path)}")
            if all(i.name != name for i in q.images):
                q.images.append(ParsedImage(name=name, data=data[path]))
            ref = html.escape(f"@@PLUGINFILE@@/{name}", quote=True)
            return f"{match.group(1)}{ref}{match.group(3)}"

        q.stem = _IMG_SRC.sub(swap, q.stem)
        q.explanation = _IMG_SRC.sub(swap, q.explanation)
        for choice in q.choices:
            choice.text = _IMG_SRC.sub(swap, choice.text)
            choice.feedback = _IMG_SRC.sub(swap, choice.feedback)


def questions_export(*, questions, fmt: str) -> bytes:
    """The questions (a queryset or list of Question) as an XLSX or Moodle XML file."""
    if fmt not in EXPORT_FORMATS:
        raise ValidationError(_("Unknown export format."))
    if hasattr(questions, "select_related"):
        questions = questions.select_related("category", "law", "current_version").prefetch_related(
            "tags"
        )
    parsed = [_parsed(q) for q in questions if q.current_version_id]
    if fmt == "xlsx":
        return write_xlsx(parsed)
    _embed_images(parsed)
    return write_moodle_xml(parsed)
