"""HR works the year by clicking only, on a desktop, after enrolling TOTP on allauth's page
with codes computed by pyotp from the secret the page shows: approve the leader's award
from the award list, import a roster and download its one-time passwords (XLSX and slips),
recompute the year, export it, finalise it past the warning, and reopen it with a reason."""

import io

import pyotp
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from lms.accounts.models import User
from lms.accounts.roles import Role
from lms.evaluation.models import BonusAward, EvaluationYear
from lms.evaluation.services import bonus_award_propose
from tests.e2e.staff_steps import StaffBrowser, path_of, shots_dir
from tests.evaluation.factories import credit, scheme
from tests.factories import UserFactory


def totp_enrol(desktop, me):
    """Straight from signing in to allauth's page with the secret (the sign-in counts as
    the reauthentication it asks for): pyotp computes the code."""
    me.message("请先用身份验证器应用开启两步验证")
    me.sees("激活身份验证器应用", shot="totp-secret")
    secret = desktop.input_value("#authenticator_secret")
    desktop.fill("input[name=code]", pyotp.TOTP(secret).now())
    desktop.click("main button[type=submit]")
    return secret


def test_hr_works_the_year_by_clicking(
    live_server, desktop, desktop_sign_in, roles, township, leader, tmp_path
):

    year = timezone.localdate().year
    scheme(year=year)
    cadre = UserFactory(name="李秀英", unit=township["a"], role=Role.CADRE)
    other = UserFactory(name="张德明", unit=township["a"], role=Role.CADRE)
    credit(cadre, 21, year=year)
    bonus_award_propose(cadre=cadre, points=2, reason="调解邻里纠纷", by=leader, year=year)
    bonus_award_propose(cadre=other, points=1, reason="防汛值守", by=leader, year=year)
    hr = UserFactory(name="周人事", unit=township["township"], role=Role.HR)
    me = StaffBrowser(desktop, shots_dir(tmp_path), "hr")

    desktop_sign_in(hr.username, "/admin/")
    totp_enrol(desktop, me)
    me.message("身份验证器应用已激活")
    me.sees("恢复代码", shot="recovery-codes")
    assert hr.authenticator_set.filter(type="totp").exists()

    # On to the admin from the codes page.
    desktop.click("main a:has-text('进入管理后台')")
    me.sees("干部学法", shot="dashboard")

    # Approve the leader's award from its row in the award list.
    desktop.click(".sidebar a:has-text('加分')")
    body = me.sees("加分", shot="awards")
    assert "调解邻里纠纷" in body and "防汛值守" in body
    desktop.click("tr:has-text('调解邻里纠纷') >> a:has-text('批准')")
    body = me.sees("审核加分申请", shot="award-decide")
    assert "李秀英" in body
    desktop.click("main button[name=approve]")
    me.message("审核结果已保存")
    approved = BonusAward.objects.get(reason="调解邻里纠纷")
    assert approved.status == BonusAward.Status.APPROVED and approved.decided_by == hr

    # Import a roster built here, and download its one-time passwords.
    desktop.click(".sidebar a:has-text('导入名单')")
    me.sees("导入名单", shot="roster")
    with desktop.expect_download() as template:
        desktop.click("main a:has-text('下载模板')")
    assert template.value.suggested_filename.endswith(".xlsx")
    roster = tmp_path / "名单.xlsx"
    roster.write_bytes(roster_xlsx([("王建国", "13812345678", "V-A", "村委委员", "村干部")]))
    desktop.set_input_files("input[name=file]", str(roster))
    desktop.click("main button:has-text('导入')")
    me.message("名单已导入")
    body = me.sees("导入名单", shot="roster-imported")
    assert "只显示这一次" in body and "王建国" in body
    with desktop.expect_download() as passwords:
        desktop.click("a[data-passwords-xlsx]")
    assert passwords.value.suggested_filename.endswith(".xlsx")
    with open(passwords.value.path(), "rb") as download:
        sheet = load_workbook(io.BytesIO(download.read())).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert any("王建国" in row and "13812345678" in row for row in rows), rows
    with desktop.context.expect_page() as slips_page:
        desktop.click("a[data-password-slips]")
    slips = slips_page.value
    slips.wait_for_selector("text=沿虚线剪开")
    assert slips.title().startswith("密码条")
    body = slips.inner_text("body")
    assert "王建国" in body and "一次性密码" in body
    slips.screenshot(path=str(me.shots / "hr-slips.png"))
    slips.close()
    assert User.objects.filter(phone="13812345678", must_change_password=True).exists()

    # The year: recompute, export, finalise past the warning, reopen with a reason.
    desktop.click(".sidebar a:has-text('年度考核'):not(:has-text('结果'))")
    me.sees("年度考核", shot="years")
    desktop.click(f"tr:has-text('{year}') >> a:has-text('重新计算')")
    me.sees(f"重新计算 {year} 年度")
    desktop.click("main button[name=recompute]")
    me.message(f"已开始重新计算 {year} 年度")
    body = me.sees("年度考核结果", shot="results")
    assert "李秀英" in body
    for label, ext in (("导出 Excel", "xlsx"), ("导出 CSV", "csv")):
        with desktop.expect_download() as export:
            desktop.click(f"header a:has-text('{label}')")
        assert export.value.suggested_filename.endswith(f".{ext}")

    desktop.click(".sidebar a:has-text('年度考核'):not(:has-text('结果'))")
    me.sees("年度考核")
    desktop.click(f"tr:has-text('{year}') >> a:has-text('定稿')")
    body = me.sees(f"{year} 年度定稿", shot="finalise-warning")
    assert "本年度仍有未处理的事项" in body and "防汛值守" in body
    desktop.click("main button[name=finalise]")
    me.sees(f"{year} 年度定稿")
    assert "请勾选确认" in desktop.inner_text("main")
    desktop.check("input[name=confirm]")
    desktop.click("main button[name=finalise]")
    me.message(f"{year} 年度已定稿")
    me.sees("年度考核结果", shot="finalised")
    assert EvaluationYear.objects.get(year=year).is_finalised

    desktop.click(".sidebar a:has-text('年度考核'):not(:has-text('结果'))")
    me.sees("年度考核")
    desktop.click(f"tr:has-text('{year}') >> a:has-text('重新开启')")
    me.sees(f"重新开启 {year} 年度")
    desktop.fill("textarea[name=reason]", "补录一名干部的考试成绩")
    desktop.click("main button[name=reopen]")
    me.message(f"{year} 年度已重新开启")
    me.sees("年度考核", shot="reopened")
    assert not EvaluationYear.objects.get(year=year).is_finalised
    assert path_of(desktop.url).startswith("/admin/")


def roster_xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "手机号", "单位编码", "职务", "类别"])
    for row in rows:
        sheet.append(list(row))
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
