"""Wagtail's own reports show their downloads as labelled header buttons (导出 Excel, 导出
CSV), as every listing of ours does, and the downloads work."""

import pytest

from lms.accounts.roles import Role
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user_with_mfa(roles, township):
    from courses.authoring import catalogue_authoring_ensure
    from tests.courses import pages

    # Page reports list what the user may edit: the Admin's rights on the course tree.
    catalogue_authoring_ensure(index=pages.catalogue())
    return UserFactory(unit=township["township"], role=Role.ADMIN, mfa=True)


@pytest.mark.parametrize(
    "url", ["/admin/reports/site-history/", "/admin/reports/aging-pages/", "/admin/reports/locked/"]
)
def test_wagtails_reports_have_labelled_export_buttons(admin_user_with_mfa, url):
    client = client_for(admin_user_with_mfa)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    header = html[html.index("<header") : html.index("</header>")]
    assert "导出 Excel" in header and "导出 CSV" in header
    xlsx = client.get(url + "?export=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxml")
    assert client.get(url + "results/").status_code == 200


def test_the_trainer_reaches_the_site_history_with_its_buttons(trainer):
    response = client_for(trainer).get("/admin/reports/site-history/")
    assert response.status_code == 200
    assert "导出 Excel" in response.content.decode()


def test_the_reports_still_need_the_admin(client, cadre):
    assert client.get("/admin/reports/site-history/").status_code == 302
    assert client_for(cadre).get("/admin/reports/site-history/").status_code in (302, 403)
