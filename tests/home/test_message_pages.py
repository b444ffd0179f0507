"""The short message pages share one base (templates/includes/message_page.html): each
page's heading repeats its <title>, and the base's way home is there unless the page
gives its own."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGES = {
    "403.html": "您不能打开这个页面",
    "403_csrf.html": "页面已过期",
    "404.html": "页面不存在",
    "account/password_reset_help.html": "忘记密码？",
    "account/signup_closed.html": "不开放注册",
    "accounts/admin_refused.html": "您的工作不在后台管理中",
    "accounts/password_reset_done.html": "密码已重置",
    "500.html": "系统出了点问题",
    "503.html": "请稍后再试",
}


def render(name):
    request = RequestFactory().get("/somewhere/")
    request.user = UserFactory()
    context = {"cadre": request.user, "password": "x", "message": "m", "path": "/"}
    return render_to_string(name, context, request=request)


@pytest.mark.parametrize(("name", "title"), PAGES.items())
def test_the_heading_repeats_the_title(name, title):
    html = render(name)
    assert re.search(r"<title>\s*(.*?)\s*</title>", html).group(1) == title
    assert f"<h1>{title}</h1>" in html


@pytest.mark.parametrize("name", ["403.html", "403_csrf.html", "404.html"])
def test_the_error_pages_keep_the_way_home(name):
    html = render(name)
    assert '<section class="card narrow error-page">' in html
    assert '<a class="button primary" href="/">返回首页</a>' in html
