"""Shared text helpers: answer normalisation, plain text <-> HTML, decoding."""

import html
import re
import unicodedata
from html.parser import HTMLParser

from django.utils.translation import gettext_lazy

from lms.tabular import text_decode

from .html_clean import sanitize_html
from .types import ImportFormatError

NAME_LENGTH = 60
ENCODING_UNKNOWN = gettext_lazy(
    "The file's encoding is not recognised: save it as UTF-8 and try again."
)
# What a blank looks like in a stem when one has to be written (cloze import/export).
BLANK_MARK = "____"

_WS_RE = re.compile(r"\s+")
_HTML_TAG_RE = re.compile(
    r"</?(p|br|b|strong|i|em|u|s|sub|sup|span|div|img|a|ul|ol|li|table|tr|td|th|"
    r"thead|tbody|h[1-6]|hr|pre|code|blockquote)\b[^>]*>",
    re.I,
)
# fmt: off
_BLOCK_TAGS = frozenset({
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
    "table", "ul", "ol", "hr", "dd", "dt",
})
# fmt: on


def normalize_answer(value: object) -> str:
    """Canonical form for comparing short answers: NFKC (full-width -> half-width), trimmed,
    inner whitespace collapsed."""
    text = unicodedata.normalize("NFKC", "" if value is None else str(value))
    return _WS_RE.sub(" ", text).strip()


def plain_to_html(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return html.escape(text, quote=False).replace("\n", "<br>")


def looks_like_html(text: str) -> bool:
    return bool(_HTML_TAG_RE.search(text))


def cell_to_html(text: str) -> str:
    """Spreadsheet cells are plain text unless they clearly contain markup."""
    return sanitize_html(text) if looks_like_html(text) else plain_to_html(text)


def html_to_cell(value: str) -> str:
    """Inverse of cell_to_html: plain text when that loses nothing, else the HTML itself."""
    parts = value.split("<br>")
    if all("<" not in p and ">" not in p for p in parts):
        text = "\n".join(html.unescape(p) for p in parts)
        if plain_to_html(text) == value and not looks_like_html(text):
            return text
    return value


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(f"[{alt}]")

    def handle_endtag(self, tag):
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def html_to_text(value: str) -> str:
    parser = _TextExtractor()
    parser.feed(value or "")
    parser.close()
    lines = (_WS_RE.sub(" ", line).strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def make_name(stem_html: str) -> str:
    return _WS_RE.sub(" ", html_to_text(stem_html)).strip()[:NAME_LENGTH]


def format_to_html(text: str, fmt: str | None) -> str:
    """Render Moodle/GIFT text in one of Moodle's text formats as sanitised HTML."""
    fmt = (fmt or "html").lower()
    text = text or ""
    if fmt in ("plain_text", "plain"):
        return plain_to_html(text)
    if fmt == "markdown":
        return _markdown_to_html(text)
    if fmt in ("moodle_auto_format", "moodle"):
        # Moodle's own format allows HTML but turns line breaks into <br>.
        text = text.strip().replace("\r\n", "\n").replace("\n", "<br>")
    return sanitize_html(text)


def _markdown_to_html(text: str) -> str:
    # Only the emphasis markers seen in question banks; full Markdown is out of scope.
    escaped = html.escape(text.strip(), quote=False)
    escaped = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", escaped)
    escaped = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<em>\1</em>", escaped)
    paragraphs = [p.replace("\n", "<br>") for p in re.split(r"\n\s*\n", escaped) if p.strip()]
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def decode_text(data: bytes, *, western_fallback: bool = True) -> str:
    """Decode an uploaded text file (lms.tabular.text_decode), or say it cannot be."""
    text = text_decode(data, western_fallback=western_fallback)
    if text is None:
        raise ImportFormatError(str(ENCODING_UNKNOWN))
    return text
