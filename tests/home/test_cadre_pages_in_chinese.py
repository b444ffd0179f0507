"""Every page a cadre can reach by following links from the home page reads in Chinese: no
visible English word, no untranslated msgid, no internal code (`truefalse`, `None`).

The crawl starts at the home page of the demo township (real laws, the demo bank, graded
attempts) and follows every same-site link, as a cadre tapping through would; pages a
link cannot reach (an attempt in progress, a certificate) are added by name.
"""

import re
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from exams.models import Attempt, Exam
from lms.accounts.models import User
from tests.visible_text import english_words, read_page

pytestmark = pytest.mark.django_db

# Not followed: leaving the site, signing out, the admin (staff), files.
SKIP = re.compile(r"^/(admin|accounts/logout|documents|media|static)/|\.(mp4|vtt|pdf|png|jpg)$")
MAX_PAGES = 400
START = ["/", "/exams/", "/exams/mistakes/", "/exams/daily/", "/evaluation/", "/laws/"]


def crawl(client: Client, start: list[str], *, at_least: int = 20) -> dict[str, set[str]]:
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
        assert response.status_code < 500, f"{path}: {response.status_code}"
        if "html" not in response.get("Content-Type", ""):
            continue
        parser = read_page(response.content.decode())
        words = english_words(" ".join(parser.texts))
        if words:
            found[path] = words
        queue += parser.links
    assert len(seen) > at_least, f"the crawl reached only {sorted(seen)}"
    return found


@pytest.fixture
def demo_cadre():
    call_command("seed_demo")
    return User.objects.get(phone="13800000001")


def test_every_page_a_cadre_can_reach_is_in_chinese(demo_cadre):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(demo_cadre)
    attempts = Attempt.objects.filter(user=demo_cadre)
    start = list(START)
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


def test_a_cadre_reads_chinese_in_an_empty_database(cadre):
    """Only the migrations, the roles and one cadre: no law, course, paper or year yet, so
    every page shows its empty state, in Chinese and without a 500."""
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(cadre)
    with translation.override("zh-hans"):
        found = crawl(client, [*START, "/me/", "/practice/", "/courses/"], at_least=8)
    assert found == {}, "English or internal codes on cadre pages:\n" + "\n".join(
        f"  {path}: {sorted(words)}" for path, words in sorted(found.items())
    )


def test_the_check_finds_english(demo_cadre):
    """The same reading of the home page in English fails: the check can fail."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(demo_cadre)
    parser = read_page(client.get("/").content.decode())
    assert {"Sign", "out"} <= english_words(" ".join(parser.texts))
