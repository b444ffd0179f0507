"""Imported question HTML, cleaned by an allowlist.

Question texts, options and feedback come from Moodle XML, GIFT and spreadsheets written by
people outside the project, and the cadre pages print them with ``|safe``. The cleaning is
done by nh3 (the binding of Ammonia, which parses with the HTML5 algorithm browsers use, so
mutation tricks that rely on a parser differential do not get through); this module only
states what is allowed: formatting, tables, links and images, with http(s)/mailto or
relative URLs. Relative URLs carry Moodle's ``@@PLUGINFILE@@/name`` references, which the
bank import then points at the stored images' media URLs.

The output is stable: cleaning already-cleaned HTML returns it unchanged, which the
exporters' round trips and the bank's "did the content change?" comparison rely on. One
pass is not always enough for that: dropping a tag that shaped the tree (``<li><form><li>``)
can leave markup that a browser nests differently when it reads it back, so the cleaner runs
again until its output no longer changes. What is stored is then markup whose parse the
cleaner has seen exactly as a browser will.
"""

import html
import re
from urllib.parse import quote

import nh3

# fmt: off
ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del",
    "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "li",
    "ol", "p", "pre", "s", "small", "span", "strong", "sub", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "u", "ul",
})
# fmt: on
# Content of these is never meant to be read as text. (SVG and MathML are dropped whole by
# Ammonia, content included, whatever this says.)
DROP_CONTENT_TAGS = frozenset({"script", "style", "template", "noscript", "iframe", "object"})
ALLOWED_ATTRS = {
    # No attribute is allowed on every tag: Ammonia's default would keep lang and title.
    "*": frozenset(),
    "a": frozenset({"href", "title"}),
    "img": frozenset({"src", "alt", "width", "height", "title"}),
    "td": frozenset({"colspan", "rowspan"}),
    "th": frozenset({"colspan", "rowspan"}),
    "ol": frozenset({"start"}),
}
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROP_CONTENT_TAGS),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRS.items()},
    url_schemes=set(SAFE_SCHEMES),
    # The texts were stored without rel before; imported links open in the same tab.
    link_rel=None,
    strip_comments=True,
)
# Falls back to the text alone if the markup has not settled after this many passes (two
# are the most seen on random tag soup).
_MAX_PASSES = 5
_TEXT_ONLY = nh3.Cleaner(tags=set(), clean_content_tags=set(DROP_CONTENT_TAGS))


def _clean_once(value: str) -> str:
    # The serializer spells U+00A0 as &nbsp;; the stored texts (and the spreadsheet cells'
    # plain-text round trip) hold the character itself, which means the same.
    return _CLEANER.clean(value).replace("&nbsp;", "\xa0").strip()


def sanitize_html(value: str) -> str:
    cleaned = _clean_once(value or "")
    for _ in range(_MAX_PASSES):
        again = _clean_once(cleaned)
        if again == cleaned:
            return cleaned
        cleaned = again
    return _TEXT_ONLY.clean(cleaned).replace("&nbsp;", "\xa0").strip()


def attribute_spellings(value: str) -> set[str]:
    """How a value may be written inside a double-quoted attribute: escaped by Python's
    html.escape (older stored texts, the bank import's rewrite) or by the sanitiser's
    serializer (apostrophe left as it is)."""
    escaped = html.escape(value, quote=True)
    return {escaped, escaped.replace("&#x27;", "'")}


def unlink_files(value: str, names: set[str]) -> str:
    """Remove <img>/<a> references to embedded files that were not kept (e.g. audio)."""
    for name in names:
        # Moodle writes the reference URL-encoded, the <file name> attribute raw.
        for spelled in {name, quote(name)}:
            for written in attribute_spellings(f"@@PLUGINFILE@@/{spelled}"):
                ref = re.escape(written)
                value = re.sub(rf'<img[^>]*src="{ref}"[^>]*>', "", value)
                value = re.sub(rf'<a[^>]*href="{ref}"[^>]*>(.*?)</a>', r"\1", value, flags=re.S)
    return value
