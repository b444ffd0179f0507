"""Browser tests: Playwright driving the system Chromium at a phone's viewport."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}
HERE = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Every test in this folder is a browser test (`-m e2e` selects them, `-m "not e2e"`
    leaves them out) whose live server reads the database from another thread, so it sees
    only committed rows: each runs in a transactional test (django_db(transaction=True)).
    First, so that `-m` and pytest-django's ordering see these marks."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install chromium); .ci/run installs it")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    # Playwright runs an event loop in this thread; the live server's ORM calls are in
    # another thread, but Django checks the calling thread, including fixtures here.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN")
    page = context.new_page()
    yield page
    # Leaving a lesson sends a last heartbeat (sendBeacon on pagehide); had it reached the
    # live server while the transactional test flushes the database, it would fail there
    # and leave rows behind for the next test. Refuse every request, then leave the page
    # and give a beacon already on its way time to be answered.
    context.route("**/*", lambda route: route.abort())
    page.goto("about:blank")
    page.wait_for_timeout(300)
    context.close()


@pytest.fixture(autouse=True)
def wagtail_base(db):
    """Transactional tests flush the database, taking the rows Wagtail's migrations made
    (root collection, root page, default site) with them; put them back, for every test
    here."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Collection, Locale, Page, Site

    Locale.objects.get_or_create(language_code="zh-hans")
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    if not Page.objects.filter(depth=1).exists():
        root = Page.add_root(
            instance=Page(
                title="Root", slug="root", content_type=ContentType.objects.get_for_model(Page)
            )
        )
        home = root.add_child(instance=Page(title="干部学法", slug="home"))
        # Named as seed_demo names it: the admin's dashboard is titled with the site name,
        # or else with the bare hostname.
        Site.objects.create(
            hostname="localhost", site_name="干部学法", root_page=home, is_default_site=True
        )


@pytest.fixture
def sign_in(live_server, phone):
    """Sign a cadre in on the phone through the sign-in page, landing on `next`."""
    from tests.factories import PASSWORD

    def sign_in(login: str, next: str = "/") -> None:
        phone.goto(f"{live_server.url}/accounts/login/?next={next}")
        phone.fill("input[name=login]", login)
        phone.fill("input[name=password]", PASSWORD)
        phone.click("button[type=submit].primary")
        phone.wait_for_url(f"{live_server.url}{next}")

    return sign_in


DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def desktop(browser):
    """A clerk's office screen: staff work in the admin on a desktop."""
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", accept_downloads=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desktop_sign_in(live_server, desktop):
    """Open `start` signed out, sign in on the form it leads to, and land back on `start`."""
    from tests.factories import PASSWORD

    def sign_in(login: str, start: str = "/") -> None:
        desktop.goto(f"{live_server.url}{start}")
        desktop.wait_for_url("**/accounts/login/**")
        desktop.fill("input[name=login]", login)
        desktop.fill("input[name=password]", PASSWORD)
        desktop.click("button[type=submit].primary")

    return sign_in
