"""A trainer works the question bank and the papers by clicking only, on a desktop: from
the dashboard to the question import page, its XLSX template downloaded by its labelled
button and imported again, then the paper list's row buttons to a paper's preview and its
statistics, and a new paper built from the list's header button with a random rule over
the imported questions, previewed from its row."""

from datetime import timedelta

from django.utils import timezone, translation

from exams.models import Question
from tests.e2e.staff_steps import StaffBrowser, path_of, shots_dir
from tests.exams import exam_builders as build


def test_a_trainer_imports_questions_and_opens_a_papers_preview_and_statistics(
    live_server, desktop, desktop_sign_in, roles, township, trainer, tmp_path
):
    build.exam(
        questions=[build.question("single"), build.question("truefalse")],
        title="年度学法考试",
    )
    before = Question.objects.count()
    me = StaffBrowser(desktop, shots_dir(tmp_path), "trainer")

    desktop_sign_in(trainer.username, "/admin/")
    desktop.wait_for_url(f"{live_server.url}/admin/")
    assert not me.server_errors

    # 题库 → 试题 → the header's 导入.
    desktop.click(".sidebar-menu-item >> text=题库")
    desktop.click(".sidebar-sub-menu-panel >> text=试题")
    me.sees("试题", shot="questions")
    desktop.click("header >> text=导入")
    me.sees("导入试题", shot="import")

    # The template, by its labelled button, then imported as it comes (its sample rows).
    with desktop.expect_download() as download:
        desktop.click("a:has-text('下载 XLSX 模板')")
    assert download.value.suggested_filename.endswith(".xlsx")
    desktop.set_input_files("input[type=file]", download.value.path())
    desktop.click("form button[type=submit]:has-text('导入')")
    summary = desktop.locator("[data-import-summary]")
    summary.wait_for()
    assert "导入 2 道题" in summary.inner_text()
    me.sees("导入试题", shot="imported")
    assert Question.objects.count() == before + 2

    # 试卷 → the row's 预览, then 试卷 again → the row's 统计.
    desktop.click(".sidebar-menu-item >> text=试卷")
    me.sees("试卷", shot="papers")
    desktop.click("tr:has-text('年度学法考试') >> a:has-text('预览')")
    body = me.sees("预览: 年度学法考试", shot="preview")
    assert "单选题 · 10 分" in body and "判断题 · 10 分" in body
    assert path_of(desktop.url).startswith("/admin/exams/papers/preview/")
    desktop.click(".sidebar-menu-item >> text=试卷")
    desktop.click("tr:has-text('年度学法考试') >> a:has-text('统计')")
    me.sees("统计: 年度学法考试", shot="statistics")
    assert path_of(desktop.url).startswith("/admin/exams/papers/stats/")

    # A new paper from the list's header button: settings, then two random questions from
    # the category the import just filled, saved, and previewed from its row.
    desktop.click(".sidebar-menu-item >> text=试卷")
    desktop.click("header a:has-text('添加')")
    me.sees("新建", shot="new-paper")
    desktop.fill("#id_title", "新法随堂测验")
    desktop.fill("#id_year", str(timezone.localdate().year))
    desktop.fill("#id_opens_at", f"{timezone.localdate():%Y-%m-%d} 08:00")
    desktop.keyboard.press("Escape")
    desktop.fill("#id_closes_at", f"{timezone.localdate() + timedelta(days=7):%Y-%m-%d} 18:00")
    desktop.keyboard.press("Escape")
    desktop.click("[role=tab]:has-text('试题')")
    desktop.click("#id_rules-ADD")
    desktop.fill("#id_rules-0-count", "1")
    imported = Question.objects.order_by("-pk").first()
    desktop.select_option("#id_rules-0-kind", imported.kind)
    desktop.select_option("#id_rules-0-category", str(imported.category_id))
    desktop.fill("#id_rules-0-points", "10")
    desktop.locator("footer button:has-text('创建')").first.click()
    me.message("新法随堂测验")
    me.sees("试卷", shot="paper-created")
    desktop.click("tr:has-text('新法随堂测验') >> a:has-text('预览')")
    body = me.sees("预览: 新法随堂测验", shot="new-paper-preview")
    with translation.override("zh-hans"):
        assert str(imported.get_kind_display()) in body
