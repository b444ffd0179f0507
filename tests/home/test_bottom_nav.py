"""The bottom navigation: five tabs on every signed-in page, the current one marked,
none for anonymous visitors, and a block a page can empty (the exam attempt)."""

import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from lms.home.context_processors import nav_tab
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

TABS = ["首页", "学习", "考试", "练习", "我的"]


def _current(html: str) -> list[str]:
    nav = re.search(r'<nav class="bottom-nav".*?</nav>', html, re.S).group(0)
    return re.findall(r'aria-current="page"><svg.*?</svg>([^<]+)</a>', nav, re.S)


@pytest.mark.parametrize(
    "url, tab",
    [
        ("/", "首页"),
        ("/laws/", "学习"),
        ("/exams/", "考试"),
        ("/practice/", "练习"),
        ("/exams/mistakes/", "练习"),
        ("/me/", "我的"),
        ("/evaluation/", "我的"),
        ("/exams/certificates/", "我的"),
        ("/study/credits/", "我的"),
    ],
)
def test_every_cadre_page_has_the_five_tabs_and_marks_its_own(cadre, url, tab):
    response = client_for(cadre).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="bottom-nav"') == 1
    for label in TABS:
        assert f"</svg>{label}</a>" in html
    assert _current(html) == [tab]


def test_the_tabs_lead_to_the_right_pages(cadre):
    html = client_for(cadre).get("/").content.decode()
    nav = re.search(r'<nav class="bottom-nav".*?</nav>', html, re.S).group(0)
    assert re.findall(r'href="([^"]+)"', nav) == ["/", "/courses/", "/exams/", "/practice/", "/me/"]


def test_no_bar_for_anonymous_visitors_or_on_the_sign_in_page(client):
    html = client.get("/accounts/login/").content.decode()
    assert "bottom-nav" not in html


# path -> the tab it lights up ("" for none)
TAB_OF = {
    "/courses/2026/lesson-1/": "study",
    "/training/3/": "study",
    "/exams/daily/": "practice",
    "/exams/12/": "exams",
    "/exams/attempts/5/": "exams",
    "/exams/attempts/5/certificate/": "me",
    "/accounts/password/change/": "me",
    "/nowhere/": "",
}


@pytest.mark.parametrize(("path", "tab"), TAB_OF.items())
def test_which_tab_a_path_belongs_to(path, tab):
    assert nav_tab(path) == tab


def test_a_page_can_empty_the_bottom_nav_block(cadre):
    request = RequestFactory().get("/exams/attempts/1/")
    request.user = cadre
    context = Context({"user": cadre, "request": request, "nav_tab": "exams"})
    kept = Template('{% extends "base.html" %}').render(context)
    emptied = Template('{% extends "base.html" %}{% block bottom_nav %}{% endblock %}').render(
        context
    )
    assert "bottom-nav" in kept
    assert "bottom-nav" not in emptied
