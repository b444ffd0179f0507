"""HR's cadre pages call the person 干部 and the sign-in 登录名: not Django's words for an
account (用户, 用户名, 帐号)."""

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.visible_text import read_page

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["edit", "add", "index"])
def test_the_cadre_pages_use_one_name(hr, cadre, page):
    args = [cadre.pk] if page == "edit" else []
    response = client_for(hr).get(reverse(f"cadres:{page}", args=args))
    assert response.status_code == 200
    text = "\n".join(read_page(response.content.decode()).texts)
    for word in ("用户", "帐号", "账号"):
        assert word not in text, (word, [line for line in text.splitlines() if word in line])
    if page != "index":
        assert "登录名" in text and "可以登录" in text
