"""A trainer writes a course and its first lesson by clicking only, from the dashboard's
page explorer: saves both as drafts, sees the lesson in the preview panel as a cadre with
no progress would (no 500 for a lesson that was never live)."""

import pytest

from courses.authoring import catalogue_authoring_ensure
from courses.models import CoursePage, LessonPage
from tests.courses import pages
from tests.e2e.staff_steps import StaffBrowser, shots_dir

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("wagtail_base"),
]


def slug_on_the_promote_tab(desktop, slug):
    """The address part, on the 推荐 tab where Wagtail keeps it (under the live server the
    editor does not always copy a Chinese title into it before saving)."""
    desktop.click("[role=tab]:has-text('推荐')")
    if not desktop.input_value("#id_slug"):
        desktop.fill("#id_slug", slug)
    desktop.click("[role=tab]:has-text('内容')")


def test_a_trainer_writes_a_course_and_a_lesson_and_previews_it(
    live_server, desktop, desktop_sign_in, roles, township, trainer, tmp_path
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
