"""A unit leader works by clicking only, on a desktop: from the home page to the unit
overview, a bonus proposal for a cadre of their unit, and /admin/ answering with a Chinese
page that says where their work is, never a redirect loop."""

from django.utils import timezone

from lms.accounts.roles import Role
from lms.evaluation.models import BonusAward
from tests.e2e.staff_steps import StaffBrowser, path_of, shots_dir
from tests.evaluation.factories import credit, scheme
from tests.factories import UserFactory


def test_a_leader_proposes_a_bonus_by_clicking(
    live_server, desktop, desktop_sign_in, roles, township, leader, tmp_path
):
    year = timezone.localdate().year
    scheme(year=year)
    behind = UserFactory(name="李秀英", unit=township["a"], role=Role.CADRE, position="村委委员")
    credit(behind, 4, year=year)
    UserFactory(name="外村干部", unit=township["b"], role=Role.CADRE)
    me = StaffBrowser(desktop, shots_dir(tmp_path), "leader")

    desktop_sign_in(leader.username, "/")
    me.sees("我的学习", shot="home")
    # No admin tile for a leader without admin work.
    assert desktop.locator("a.tile[href='/admin/']").count() == 0

    desktop.click("a.tile:has-text('本单位年度考核')")
    body = me.sees("本单位年度考核", shot="unit-overview")
    assert "李秀英" in body and "外村干部" not in body

    desktop.click("li.row:has-text('李秀英') >> text=申报加分")
    body = me.sees("申报加分", shot="propose-form")
    assert "李秀英" in body and "河口村" in body
    desktop.fill("input[name=points]", "2")
    desktop.fill("textarea[name=reason]", "组织村民调解邻里纠纷三起")
    desktop.click("button:has-text('提交人事部门')")
    me.message("已提交人事部门审核")
    body = me.sees("本单位年度考核", shot="proposal-sent")
    assert "组织村民调解邻里纠纷三起" in body and "待审核" in body
    award = BonusAward.objects.get()
    assert (award.cadre, award.proposed_by, award.status) == (
        behind,
        leader,
        BonusAward.Status.PROPOSED,
    )

    # No link leads a leader to the admin, so they type it, as the leader did: one
    # answer, in Chinese, pointing at the overview, and its link works.
    redirects = []
    desktop.on("response", lambda r: 300 <= r.status < 400 and redirects.append(r.url))
    answer = desktop.goto(f"{live_server.url}/admin/")
    assert answer.status == 403
    assert [path_of(url) for url in redirects] == ["/admin/"]
    assert path_of(desktop.url) == "/admin/login/?next=/admin/"
    body = me.sees("您的工作不在后台管理中", shot="admin-refused")
    desktop.click("main a[href='/evaluation/units/']")
    me.sees("本单位年度考核")
