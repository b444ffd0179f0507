"""我的: the cadre's year, certificates, hours, password, text size, language, sign-out;
leaders keep their units and admins the administration."""

import pytest
from django.test import Client

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_me_hub_links_every_personal_page(cadre):
    html = client_for(cadre).get("/me/").content.decode()
    for label, href in [
        ("我的年度考核", "/evaluation/"),
        ("我的证书", "/exams/certificates/"),
        ("学时记录", "/study/credits/"),
        ("修改密码", "/accounts/password/change/"),
    ]:
        assert label in html and f'href="{href}"' in html
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    # The display switches and sign-out are POST forms that come back here.
    assert 'action="/preferences/text-size/"' in main and 'value="/me/"' in main
    assert 'action="/i18n/setlang/"' in main and 'name="language" value="en"' in main
    assert 'action="/accounts/logout/"' in main
    assert "我的单位" not in main and "管理后台" not in main


def test_leaders_keep_their_units(leader):
    assert 'href="/unit/cadres/"' in client_for(leader).get("/me/").content.decode()


def test_admin_link_for_those_who_may_use_the_admin(trainer):
    assert 'href="/admin/"' in client_for(trainer).get("/me/").content.decode()


def test_me_hub_needs_sign_in():
    response = Client().get("/me/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_me_hub_queries_are_few(cadre, django_assert_max_num_queries):
    client = client_for(cadre)
    client.get("/me/")
    # Session, user, roles, and the two permission reads of "may use the admin".
    with django_assert_max_num_queries(5):
        client.get("/me/")
