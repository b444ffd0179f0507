"""The progress page of a background import, in a desktop browser: it polls the status
endpoint, moves its bar, reloads itself with the result once the job has finished, all
in Chinese and without a CSP violation."""

import re

from lms.imports.models import ImportJob, ImportKind, ImportStatus
from tests.factories import PASSWORD

DESKTOP = {"width": 1366, "height": 900}
SHOTS = "/tmp/import-progress"


def english(text, user):
    # The file's extension and the signed-in user's name are data, not interface.
    return text.replace(".xlsx", "").replace(user.username, "")


def test_the_progress_page_follows_the_job_to_its_end(
    live_server, browser, trainer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    # Made directly, half done: the immediate backend of the tests would finish a job
    # started through import_job_start before the page could be seen running.
    job = ImportJob.objects.create(
        user=trainer,
        kind=ImportKind.QUESTIONS,
        filename="2026年题库.xlsx",
        status=ImportStatus.RUNNING,
        rows_done=1500,
        rows_total=3000,
    )
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    violations = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("pageerror", lambda error: violations.append(str(error)))

    page.goto(f"{live_server.url}/accounts/login/?next=/admin/imports/{job.pk}/")
    page.fill("input[name=login]", trainer.phone)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{live_server.url}/admin/imports/{job.pk}/")
    page.wait_for_selector("text=已检查 1500 / 3000 行")
    page.screenshot(path=f"{SHOTS}-running.png", full_page=True)
    main = page.inner_text("main")
    assert "进行中" in main and "本页会自动刷新" in main
    assert not re.findall(r"[A-Za-z]{3,}", english(main, trainer)), main

    ImportJob.objects.filter(pk=job.pk).update(rows_done=3000)
    page.wait_for_selector("text=已检查 3000 / 3000 行", timeout=8000)
    assert page.is_visible("text=正在写入数据库")
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.DONE,
        summary="导入 3000 道试题（单选题 3000）",
        details=["未变动（题库中已有）：0 道。已保存图片：0 张。"],
    )
    page.wait_for_selector("[data-import-summary]", timeout=8000)
    page.screenshot(path=f"{SHOTS}-done.png", full_page=True)
    main = page.inner_text("main")
    assert "已完成" in main and "导入 3000 道试题" in main and "返回试题列表" in main
    assert not re.findall(r"[A-Za-z]{3,}", english(main, trainer)), main
    assert not violations, violations
    context.close()
