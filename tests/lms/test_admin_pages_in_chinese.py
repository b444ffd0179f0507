"""Every admin page a trainer, unit leader, HR clerk or admin can reach by clicking from the
dashboard opens (no 500, no redirect loop) and reads in Chinese, with the demo township and
with an empty database.

The crawl is GET only and follows links under /admin/ (one page per path, whatever its
query string; two objects of each kind, as /admin/cadres/edit/N/; at most MAX_PAGES per
role); it never signs out. Confirmation pages (delete,
unpublish) are only shown by a GET, never carried out.
"""

import json
import re
from collections import Counter
from urllib.parse import urldefrag, urlsplit

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.test import Client
from django.urls.exceptions import NoReverseMatch
from django.utils import translation

from lms.accounts.models import User
from lms.accounts.roles import Role, roles_ensure
from tests.factories import UserFactory
from tests.visible_text import english_words, read_page

pytestmark = pytest.mark.django_db

MAX_PAGES = 300
PER_KIND = 2
SKIP = re.compile(r"^/admin/(logout|login)/")
# Names, not words, that the admin shows to every role: the script language (Wagtail's
# no-script notice), address and markup names, import formats and encodings, picture
# formats, the language switch. Anything else is English to translate, or belongs to one
# page in WAGTAIL_UNTRANSLATABLE.
ADMIN_ALLOWED = {
    "JavaScript", "URL", "HTML", "XML", "Moodle", "GIFT", "Markdown", "md", "GBK", "ZIP",
    "JPG", "JPEG", "PNG", "GIF", "WEBP", "English",
}  # fmt: skip
# Not words either: addresses, file names and paths, unit codes (QS-V01), usernames (user0).
NOT_WORDS = re.compile(
    r"https?://\S+|[\w./*-]+\.(?:mp4|vtt|pdf|xlsx|csv|docx|md|xml|txt|png|jpg)\b"
    r"|\b[A-Z]{1,4}(?:-[A-Z0-9]+)+\b|\b[a-z]+\d+\b"
)
# Wagtail's side-panel counter holds "None" until its script counts.
SCRIPT_FILLED = frozenset({"data-side-panel-toggle-counter"})


def words(text: str) -> set[str]:
    return set(text.split())


# English that Wagtail writes without gettext: the search forms' submit button, seen only
# by screen readers; on pages only the admin opens, the site listing's columns named after
# their fields, the page-types report's app labels, the workflow form's page chooser.
# And data: the site's hostname, the township's unit code.
WAGTAIL_UNTRANSLATABLE = {
    r"^/admin/": {"Search"},
    r"^/admin/sites/$": {"Port", "Site", "name", "Root", "page", "localhost"},
    r"^/admin/workflows/(add|edit)/": {"Page"},
    r"^/admin/units/$": {"QS"},
    # The group editor lists Django's permissions by their stored English names ("Can add
    # bonus award"), written at migrate time; the redirects import's help is untranslated.
    r"^/admin/groups/(new|edit/\d+)/$": words(
        "Can Toggle Wagtail access add admin all article award bonus category change custom "
        "delete error evaluation exam group law permissions question redirect report "
        "session site task training unit user view workflow year import roster reset "
        "password attempt paper result band deduction credit progress presence media slot "
        "document image"
    ),
    r"^/admin/redirects/import/$": words(
        "After Select TSV and anything are be before can columns confirmation contains "
        "customize file from import into named redirects representing rows separated "
        "submitting taken the they to view where will you your"
    ),
    r"^/admin/reports/page-types-usage/$": {
        "courses", "courseindexpage", "coursepage", "lessonpage", "wagtailcore", "page",
    },
}  # fmt: skip


def _allowed_on(path: str) -> set[str]:
    allowlists = WAGTAIL_UNTRANSLATABLE.items()
    return set().union(*(words for pattern, words in allowlists if re.search(pattern, path)))


SIDEBAR = re.compile(
    r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', re.S
)


def sidebar(html: str) -> tuple[list[str], list[str]]:
    """(labels, links) of Wagtail's menu, which its script draws from JSON props: the menu
    is what a clerk clicks first, and its labels are text they read."""
    found = SIDEBAR.search(html)
    labels, links = [], []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("label"), str):
                labels.append(node["label"])
            if isinstance(node.get("url"), str):
                links.append(node["url"])
            node = list(node.values())
        if isinstance(node, list):
            for item in node:
                walk(item)

    if found:
        walk(json.loads(found.group(1)))
    return labels, links


def crawl(client: Client) -> tuple[dict[str, set[str]], list[str], set[str]]:
    """(English words per page, failures, pages seen) from the dashboard on."""
    seen, queue, english, failures = set(), ["/admin/"], {}, []
    kinds = Counter()
    while queue and len(seen) < MAX_PAGES:
        parts = urlsplit(urldefrag(queue.pop(0))[0])
        if parts.netloc and parts.netloc != "testserver":
            continue
        if not parts.path.startswith("/admin/") or SKIP.search(parts.path):
            continue
        kind = re.sub(r"\d+", "N", parts.path)
        if parts.path in seen or kinds[kind] >= PER_KIND:
            continue
        seen.add(parts.path)
        kinds[kind] += 1
        url = parts.path + (f"?{parts.query}" if parts.query else "")
        try:
            response = client.get(url, follow=True)
        except (Exception, NoReverseMatch) as exc:  # the crawl reports every failing page
            failures.append(f"{url}: {exc!r}")
            continue
        if response.status_code >= 500:
            failures.append(f"{url}: {response.status_code}")
        if "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        page = read_page(html, SCRIPT_FILLED)
        menu_labels, menu_links = sidebar(html)
        text = NOT_WORDS.sub(" ", " ".join(page.texts + menu_labels))
        words = english_words(text, ADMIN_ALLOWED | _allowed_on(parts.path))
        if words:
            english[url] = words
        queue += page.links + menu_links
    return english, failures, seen


def assert_in_chinese(user, *, at_least: int):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    with translation.override("zh-hans"):
        english, failures, seen = crawl(client)
    assert not failures, "admin pages that fail:\n" + "\n".join(failures)
    assert english == {}, "English on admin pages:\n" + "\n".join(
        f"  {path}: {sorted(words)}" for path, words in sorted(english.items())
    )
    assert len(seen) >= at_least, f"the crawl reached only {sorted(seen)}"


STAFF = ("trainer", "leader", "hr", "admin")
ROLES = {"trainer": Role.TRAINER, "leader": Role.UNIT_LEADER, "hr": Role.HR, "admin": Role.ADMIN}


def _enrol_totp(user):
    # HR and the admin reach the admin only with TOTP enrolled.
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )


@pytest.fixture
def demo():
    call_command("seed_demo")
    staff = {name: User.objects.get(username=name) for name in STAFF}
    for name in ("hr", "admin"):
        _enrol_totp(staff[name])
    return staff


@pytest.fixture
def empty():
    """Only what the migrations make (the role groups, Wagtail's root page and site) and
    one account per staff role: no unit, course, question, paper or year yet."""
    roles_ensure()
    staff = {name: UserFactory(role=role) for name, role in ROLES.items()}
    staff["admin"].is_superuser = staff["admin"].is_staff = True  # as seed_demo makes it
    staff["admin"].save(update_fields=["is_superuser", "is_staff"])
    for name in ("hr", "admin"):
        _enrol_totp(staff[name])
    return staff


@pytest.mark.parametrize(
    "role, at_least", [("trainer", 40), ("leader", 1), ("hr", 30), ("admin", 100)]
)
def test_the_admin_reads_in_chinese_with_the_demo_township(demo, role, at_least):
    assert_in_chinese(demo[role], at_least=at_least)


@pytest.mark.parametrize(
    "role, at_least", [("trainer", 20), ("leader", 1), ("hr", 15), ("admin", 50)]
)
def test_the_admin_reads_in_chinese_in_an_empty_database(empty, role, at_least):
    assert_in_chinese(empty[role], at_least=at_least)


def test_the_check_finds_english(demo):
    """The same reading of the dashboard in English fails: the check can fail."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(demo["trainer"])
    with translation.override("en"):
        page = read_page(client.get("/admin/").content.decode())
    assert {"Pages", "Dashboard"} & english_words(" ".join(page.texts))
