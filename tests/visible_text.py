"""What a person sees on a page, read with html.parser, and the English words in it: shared
by the crawls that check the cadre's pages and the admin read in Chinese."""

import re
from html.parser import HTMLParser

# Words that are Chinese readers' own vocabulary too, or not words at all.
ALLOWED = {
    "PDF", "VTT", "MP4", "MP3", "QR", "ID", "APP", "app", "XLSX", "CSV", "Excel", "WebVTT",
    "TOTP", "PPT", "Word", "WPS", "WiFi", "Wi", "Fi", "GB", "MB", "KB", "km", "cm", "kg",
}  # fmt: skip
VISIBLE_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
HIDDEN_TAGS = {"script", "style", "template"}


class VisibleText(HTMLParser):
    """Text a person sees or hears: element text, labels read aloud, button values, and
    the data-text-* strings that scripts show; never scripts, styles, hidden config, or
    what is marked as another language (the language switch's "English")."""

    def __init__(self, script_filled: frozenset[str] = frozenset()):
        super().__init__(convert_charrefs=True)
        self.texts, self.links, self._skip = [], [], 0
        self._foreign = []
        # Attributes that mark an element whose text a script writes (a counter that holds
        # a placeholder until then): what it holds is never seen.
        self._script_filled = script_filled

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in HIDDEN_TAGS:
            self._skip += 1
        foreign = attrs.get("lang") and not attrs["lang"].startswith("zh") and tag != "html"
        if foreign or self._script_filled.intersection(attrs):
            self._foreign.append(tag)
            self._skip += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if self._skip:
            return
        for name, value in attrs.items():
            if value and (name in VISIBLE_ATTRIBUTES or name.startswith("data-text")):
                self.texts.append(value)
        if tag == "input" and attrs.get("type") in {"submit", "button"} and attrs.get("value"):
            self.texts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in HIDDEN_TAGS and self._skip:
            self._skip -= 1
        if self._foreign and self._foreign[-1] == tag:
            self._foreign.pop()
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.texts.append(data)


def read_page(html: str, script_filled: frozenset[str] = frozenset()) -> VisibleText:
    parser = VisibleText(script_filled)
    parser.feed(html)
    return parser


def english_words(text: str, allowed: set[str] = frozenset()) -> set[str]:
    # Words of two or more Latin letters; option letters (A. B.) and units stay allowed, and
    # so do web addresses and codes with digits (a certificate prints its code and the
    # address that verifies it).
    text = re.sub(r"https?://\S+|[A-Za-z0-9]*[0-9][A-Za-z0-9]*", " ", text)
    return {
        word
        for word in re.findall(r"[A-Za-z][A-Za-z_]+", text)
        if word not in ALLOWED and word not in allowed
    }
