"""A small allow-list HTML sanitiser.

Imported question text ends up rendered to learners, so anything that can run
script or pull remote active content is dropped. The output is stable:
sanitising already-sanitised HTML returns it unchanged, which the exporters rely
on for round-trips.
"""

import html
import re
from html.parser import HTMLParser
from urllib.parse import quote

# fmt: off
ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del",
    "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "li",
    "ol", "p", "pre", "s", "small", "span", "strong", "sub", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "u", "ul",
})
# fmt: on
VOID_TAGS = frozenset({"br", "hr", "img", "col"})
# Content of these is never meant to be read as text.
DROP_CONTENT_TAGS = frozenset({"script", "style", "template", "noscript", "iframe", "object"})
ALLOWED_ATTRS = {
    "a": ("href", "title"),
    "img": ("src", "alt", "width", "height", "title"),
    "td": ("colspan", "rowspan"),
    "th": ("colspan", "rowspan"),
    "ol": ("start",),
}
URL_ATTRS = frozenset({"href", "src"})
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_CONTROL_RE = re.compile(r"[\x00-\x20\x7f]+")


def _safe_url(value: str) -> bool:
    # Browsers ignore embedded whitespace/control chars, so "java\tscript:" must be caught too.
    compact = _CONTROL_RE.sub("", value)
    match = _SCHEME_RE.match(compact)
    return match is None or match.group(1).lower() in SAFE_SCHEMES


class _Cleaner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.stack: list[str] = []
        self.dropping = 0

    def handle_starttag(self, tag, attrs):
        if tag in DROP_CONTENT_TAGS:
            self.dropping += 1
            return
        if self.dropping or tag not in ALLOWED_TAGS:
            return
        kept = []
        allowed = ALLOWED_ATTRS.get(tag, ())
        for name, value in attrs:
            if name not in allowed or value is None:
                continue
            if name in URL_ATTRS and not _safe_url(value):
                continue
            kept.append(f' {name}="{html.escape(value, quote=True)}"')
        self.out.append(f"<{tag}{''.join(kept)}>")
        if tag not in VOID_TAGS:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS and self.stack and self.stack[-1] == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in DROP_CONTENT_TAGS:
            self.dropping = max(0, self.dropping - 1)
            return
        if self.dropping or tag not in self.stack:
            return
        # Close anything left open inside it so the output stays well nested.
        while self.stack:
            top = self.stack.pop()
            self.out.append(f"</{top}>")
            if top == tag:
                break

    def handle_data(self, data):
        if not self.dropping:
            self.out.append(html.escape(data, quote=False))

    def result(self) -> str:
        self.close()
        while self.stack:
            self.out.append(f"</{self.stack.pop()}>")
        return "".join(self.out)


def sanitize_html(value: str) -> str:
    cleaner = _Cleaner()
    cleaner.feed(value or "")
    return cleaner.result().strip()


def unlink_files(value: str, names: set[str]) -> str:
    """Remove <img>/<a> references to embedded files that were not kept (e.g. audio)."""
    for name in names:
        # Moodle writes the reference URL-encoded, the <file name> attribute raw.
        for spelled in {name, quote(name)}:
            ref = re.escape(html.escape(f"@@PLUGINFILE@@/{spelled}", quote=True))
            value = re.sub(rf'<img[^>]*src="{ref}"[^>]*>', "", value)
            value = re.sub(rf'<a[^>]*href="{ref}"[^>]*>(.*?)</a>', r"\1", value, flags=re.S)
    return value
