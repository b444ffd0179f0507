"""Every page a cadre can reach by following links from the home page reads in Chinese: no
visible English word, no untranslated msgid, no internal code (`truefalse`, `None`).

The crawl starts at the home page of the demo township (real laws, the demo bank, graded
attempts) and follows every same-site link, as a cadre tapping through would; pages a
link cannot reach (an attempt in progress, a certificate) are added by name.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from exams.models import Attempt, Exam
from lms.accounts.models import User

pytestmark = pytest.mark.django_db

# Words that are Chinese cadres' own vocabulary too, or not words at all.
ALLOWED = {
    "PDF", "VTT", "MP4", "MP3", "QR", "ID", "APP", "app", "XLSX", "CSV", "Excel", "WebVTT",
    "TOTP", "PPT", "Word", "WPS", "WiFi", "Wi", "Fi", "GB", "MB", "KB", "km", "cm", "kg",
}  # fmt: skip
# Not followed: leaving the site, signing out, the admin (staff), files.
SKIP = re.compile(r"^/(admin|accounts/logout|documents|media|static)/|\.(mp4|vtt|pdf|png|jpg)$")
MAX_PAGES = 400
VISIBLE_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}


class VisibleText(HTMLParser):
    """Text a person sees or hears: element text, labels read aloud, button values, and
    the data-text-* strings that scripts show; never scripts, styles, hidden config, or
    what is marked as another language (the language switch's "English")."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts, self.links, self._skip = [], [], 0
        self._foreign = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"script", "style", "template"}:
            self._skip += 1
        if attrs.get("lang") and not attrs["lang"].startswith("zh") and tag != "html":
            self._foreign.append(tag)
            self._skip += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        for name, value in attrs.items():
            if value and (name in VISIBLE_ATTRIBUTES or name.startswith("data-text")):
                self.texts.append(value)
        if tag == "input" and attrs.get("type") in {"submit", "button"} and attrs.get("value"):
            self.texts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in {"script", "style", "template"} and self._skip:
            self._skip -= 1
        if self._foreign and self._foreign[-1] == tag:
            self._foreign.pop()
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.texts.append(data)


def english_words(text: str) -> set[str]:
    # Words of two or more Latin letters; option letters (A. B.) and units stay allowed, and
    # so do web addresses and codes with digits (a certificate prints its code and the
    # address that verifies it).
    text = re.sub(r"https?://\S+|[A-Za-z0-9]*[0-9][A-Za-z0-9]*", " ", text)
    return {word for word in re.findall(r"[A-Za-z][A-Za-z_]+", text) if word not in ALLOWED}


def crawl(client: Client, start: list[str]) -> dict[str, set[str]]:
    seen, queue, found = set(), list(start), {}
    while queue and len(seen) < MAX_PAGES:
        url = urldefrag(queue.pop(0))[0]
        parts = urlsplit(url)
        if parts.netloc and parts.netloc not in {"testserver"}:
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path in seen or not path.startswith("/") or SKIP.search(parts.path):
            continue
        seen.add(path)
        response = client.get(path, follow=True)
        if "html" not in response.get("Content-Type", ""):
            continue
        parser = VisibleText()
        parser.feed(response.content.decode())
        words = english_words(" ".join(parser.texts))
        if words:
            found[path] = words
        queue += parser.links
    assert len(seen) > 20, f"the crawl reached only {sorted(seen)}"
    return found


@pytest.fixture
def demo_cadre():
    call_command("seed_demo")
    return User.objects.get(phone="13800000001")


def test_every_page_a_cadre_can_reach_is_in_chinese(demo_cadre):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(demo_cadre)
    attempts = Attempt.objects.filter(user=demo_cadre)
    start = ["/", "/exams/", "/exams/mistakes/", "/exams/daily/", "/evaluation/", "/laws/"]
    start += ["/no-such-page/", "/unit/cadres/", "/accounts/email/"]  # 404, 403, 404
    start += [f"/exams/attempts/{pk}/" for pk in attempts.values_list("pk", flat=True)]
    start += [f"/exams/attempts/{a.pk}/certificate/" for a in attempts.filter(status="graded")]
    practice = Exam.objects.filter(kind="practice", is_published=True).first()
    assert client.post(f"/exams/{practice.pk}/start/").status_code == 200  # linked from its page
    with translation.override("zh-hans"):
        found = crawl(client, start)
    assert found == {}, "English or internal codes on cadre pages:\n" + "\n".join(
        f"  {path}: {sorted(words)}" for path, words in sorted(found.items())
    )


def test_the_check_finds_english(demo_cadre):
    """The same reading of the home page in English fails: the check can fail."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(demo_cadre)
    parser = VisibleText()
    parser.feed(client.get("/").content.decode())
    assert {"Sign", "out"} <= english_words(" ".join(parser.texts))
