"""A trainer writes a course and its first lesson by clicking only, from the dashboard's
page explorer: saves both as drafts, sees the lesson in the preview panel as a cadre with
no progress would (no 500 for a lesson that was never live), and submits both for review;
the Admin, signed in with TOTP on another screen, approves them from the dashboard's review
list, the course goes live, and the approvals show in the site history."""

import pyotp
from allauth.mfa.models import Authenticator

from courses.authoring import catalogue_authoring_ensure
from courses.models import CoursePage, LessonPage
from lms.accounts.roles import Role
from tests.courses import pages
from tests.e2e.conftest import DESKTOP
from tests.e2e.staff_steps import StaffBrowser, shots_dir
from tests.factories import PASSWORD, UserFactory


def slug_on_the_promote_tab(desktop, slug):
    """The address part, on the 推荐 tab where Wagtail keeps it (under the live server the
    editor does not always copy a Chinese title into it before saving)."""
    desktop.click("[role=tab]:has-text('推荐')")
    if not desktop.input_value("#id_slug"):
        desktop.fill("#id_slug", slug)
    desktop.click("[role=tab]:has-text('内容')")


def submit_for_review(desktop, me):
    """The editor's action menu: 提交给课程审核, under the footer's 更多动作."""
    desktop.click("footer .w-dropdown-button button:has-text('更多动作')")
    desktop.click("footer button:has-text('提交给课程审核')")
    me.message("已经提交进行审核")


def test_a_trainer_writes_a_course_and_a_lesson_and_previews_it(
    live_server, browser, desktop, desktop_sign_in, roles, township, trainer, tmp_path
):
    catalogue_authoring_ensure(index=pages.catalogue())
    me = StaffBrowser(desktop, shots_dir(tmp_path), "author")
    desktop_sign_in(trainer.username, "/admin/")
    desktop.wait_for_url(f"{live_server.url}/admin/")

    desktop.click(".sidebar-menu-item >> text=页面")
    desktop.click(".c-page-explorer a:has-text('课程学习')")
    desktop.click("header a[aria-label='添加子页面']")
    me.sees("新建: 课程", shot="new-course")
    desktop.wait_for_load_state("networkidle")  # the editor's scripts, slug sync among them
    desktop.fill("#id_title", "新法专题")
    slug_on_the_promote_tab(desktop, "xinfa")
    desktop.locator("button:has-text('保存草稿')").first.click()
    me.message("已创建")
    course = CoursePage.objects.get(title="新法专题")
    assert not course.live

    desktop.click("header button[aria-label='动作']")
    desktop.click("header a:has-text('添加子页面')")
    me.sees("新建: 课时", shot="new-lesson")
    desktop.wait_for_load_state("networkidle")
    desktop.fill("#id_title", "第一课：总则")
    slug_on_the_promote_tab(desktop, "lesson-1")
    desktop.locator("button:has-text('保存草稿')").first.click()
    me.message("已创建")
    assert LessonPage.objects.child_of(course).get().title == "第一课：总则"

    desktop.click("header button[aria-label='预览开关']")
    preview = desktop.frame_locator("iframe[title]").first
    preview.locator("text=这是尚未开始学习的干部看到的课时页面").wait_for()
    assert preview.locator("h1:has-text('第一课：总则')").count() == 1
    assert not me.server_errors
    me.sees("第一课：总则", shot="lesson-preview")
    desktop.click("header button[aria-label='预览开关']")

    # Both go to the Admin for review: the lesson from its editor (Wagtail then shows the
    # course's listing), the course from its own. The message's 查看草稿 shows the lesson
    # that was never live as the cadre will see it.
    submit_for_review(desktop, me)
    desktop.click(".messages a:has-text('查看草稿')")
    desktop.wait_for_selector("h1:has-text('第一课：总则')")
    assert "/view_draft/" in desktop.url
    assert "这是尚未开始学习的干部看到的课时页面" in desktop.inner_text("body")
    assert not me.server_errors
    desktop.screenshot(path=str(shots_dir(tmp_path) / "author-04-view-draft.png"))
    desktop.go_back()  # the browser's back button, to the course's listing
    desktop.click("header button[aria-label='动作']")
    desktop.click("header a:has-text('编辑')")
    submit_for_review(desktop, me)

    # The Admin approves both from the dashboard, by clicks only, on their own screen.
    admin = UserFactory(username="admin1", unit=township["township"], role=Role.ADMIN)
    secret = pyotp.random_base32()
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={"secret": secret})
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    context.set_default_timeout(10_000)
    office = context.new_page()
    reviewer = StaffBrowser(office, shots_dir(tmp_path), "admin")
    office.goto(f"{live_server.url}/admin/")
    office.fill("input[name=login]", "admin1")
    office.fill("input[name=password]", PASSWORD)
    office.click("button[type=submit].primary")
    office.fill("input[name=code]", pyotp.TOTP(secret).now())
    office.click("main button[type=submit]")
    body = reviewer.sees("干部学法", shot="dashboard-review")
    assert "第一课：总则" in body and "新法专题" in body
    for title in ("新法专题", "第一课：总则"):
        office.click(f"tr:has-text('{title}') >> button.w-dropdown__toggle")
        office.click(f"tr:has-text('{title}') >> button:visible:has-text('批准')")
        # Approved, the page leaves the review list (Wagtail reloads the dashboard).
        office.locator(f"tr:has-text('{title}')").wait_for(state="detached")
    reviewer.sees("干部学法", shot="dashboard-approved")
    course.refresh_from_db()
    assert course.live
    assert LessonPage.objects.child_of(course).get().live

    # The approvals are in the site history, under 报告.
    office.click(".sidebar-menu-item >> text=报告")
    office.click(".sidebar a:has-text('网站历史')")
    body = reviewer.sees("网站历史", shot="site-history")
    assert "新法专题" in body and "第一课：总则" in body
    assert "批准" in body
    assert not reviewer.server_errors
    context.close()
