"""Large imports run as a background task (lms/imports): the same all-or-nothing
importers, a job with progress, a page and a JSON status for the user who started it."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from courses.models import Law
from exams.models import Question
from lms.accounts.models import User
from lms.accounts.roles import Role
from lms.imports.models import ImportJob, ImportKind, ImportStatus
from lms.imports.services import import_job_start
from tests.accounts.test_roster_import import GOOD, xlsx
from tests.conftest import client_for
from tests.courses.test_law_import import SMALL
from tests.exams.test_bank_admin import sheet
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def question_rows(count, bad=()):
    """count good single-choice rows; the sheet rows in `bad` (2 = the first data row)
    lack their answer."""
    return [
        ["单选题", f"第{n}题的题干", "甲", "乙", "" if n + 1 in bad else "A"]
        for n in range(1, count + 1)
    ]


def post_import(client, django_capture_on_commit_callbacks, url, data):
    # The task is queued when the job is committed: run it as the commit would.
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(url, data)


@pytest.fixture
def low_threshold(settings):
    settings.IMPORT_BACKGROUND_ROWS = 5


def test_a_big_question_sheet_is_imported_in_the_background(
    trainer, django_capture_on_commit_callbacks
):
    client = client_for(trainer)
    response = post_import(
        client,
        django_capture_on_commit_callbacks,
        reverse("exams_question:import"),
        {"file": sheet(*question_rows(2001)), "category": "大批"},
    )

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("import_job", args=[job.pk])
    assert (job.user, job.kind, job.filename) == (trainer, ImportKind.QUESTIONS, "bank.xlsx")
    assert (job.status, job.rows_done, job.rows_total) == (ImportStatus.DONE, 2001, 2001)
    assert Question.objects.filter(category__full_path="大批").count() == 2001
    assert "2001" in job.summary and "单选题 2001" in job.summary
    assert not job.file  # the stored upload is gone once the job has run

    page = client.get(response.url)
    html = page.content.decode()
    assert page.status_code == 200 and "已完成" in html and job.summary in html
    assert "data-status-url" not in html  # finished: nothing left to poll


def test_a_bad_big_sheet_names_every_bad_row_and_imports_nothing(
    trainer, low_threshold, django_capture_on_commit_callbacks
):
    client = client_for(trainer)
    post_import(
        client,
        django_capture_on_commit_callbacks,
        reverse("exams_question:import"),
        {"file": sheet(*question_rows(12, bad={4, 11}))},
    )

    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert Question.objects.count() == 0
    assert len(job.details) == 2
    assert job.details[0].startswith("第4行") and job.details[1].startswith("第11行")
    html = client.get(reverse("import_job", args=[job.pk])).content.decode()
    assert "失败" in html and "未导入任何内容" in html and "data-import-errors" in html
    assert "第11行" in html


def test_a_small_sheet_is_still_imported_in_the_request(trainer, low_threshold):
    response = client_for(trainer).post(
        reverse("exams_question:import"), {"file": sheet(*question_rows(5))}
    )
    assert response.status_code == 200
    assert response.context["summary"].imported == 5
    assert not ImportJob.objects.exists()


def queued_job(user, kind=ImportKind.QUESTIONS):
    # Outside a commit callback the task is never queued: the job stays 排队中.
    return import_job_start(user=user, kind=kind, data=b"x", filename="bank.xlsx", rows_total=3000)


def test_only_the_user_who_started_a_job_or_a_superuser_sees_it(trainer, township):
    job = queued_job(trainer)
    other = UserFactory(unit=township["township"], role=Role.TRAINER)
    superuser = UserFactory(is_superuser=True, is_staff=True, mfa=True)
    for name in ("import_job", "import_job_status"):
        url = reverse(name, args=[job.pk])
        assert client_for(other).get(url).status_code == 404
        assert client_for(trainer).get(url).status_code == 200
        assert client_for(superuser).get(url).status_code == 200
    listing = client_for(other).get(reverse("import_jobs")).content.decode()
    assert "bank.xlsx" not in listing


def test_the_status_json_and_the_polling_page_of_a_queued_job(trainer):
    job = queued_job(trainer)
    client = client_for(trainer)
    response = client.get(reverse("import_job_status", args=[job.pk]))
    assert "no-store" in response["Cache-Control"]
    assert json.loads(response.content) == {
        "status": "queued",
        "status_label": "排队中",
        "rows_done": 0,
        "rows_total": 3000,
        "percent": 0,
        "finished": False,
    }
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, rows_done=1500)
    data = client.get(reverse("import_job_status", args=[job.pk])).json()
    assert (data["status_label"], data["percent"], data["finished"]) == ("进行中", 50, False)

    html = client.get(reverse("import_job", args=[job.pk])).content.decode()
    assert f'data-status-url="{reverse("import_job_status", args=[job.pk])}"' in html
    assert "js/import-progress" in html and "<script>" not in html
    assert "已检查 1500 / 3000 行" in html


def test_recent_imports_list_the_users_own_jobs_in_fixed_queries(
    trainer, django_assert_max_num_queries
):
    for _n in range(5):
        queued_job(trainer)
    client = client_for(trainer)
    client.get(reverse("import_jobs"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("import_jobs"))
    html = response.content.decode()
    assert html.count('href="/admin/imports/') >= 5 and "排队中" in html
    page = client.get(reverse("exams_question:import")).content.decode()
    assert f'href="{reverse("import_jobs")}"' in page and "我最近的导入" in page
    assert "超过 2000 行的文件将在后台导入" in page


def test_a_big_roster_runs_in_the_background_and_only_its_clerk_gets_the_passwords(
    hr, township, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_ROWS = 2
    client = client_for(hr)
    response = post_import(
        client,
        django_capture_on_commit_callbacks,
        reverse("roster_import"),
        {"file": SimpleUploadedFile("roster.xlsx", xlsx(GOOD))},
    )
    job = ImportJob.objects.get(kind=ImportKind.ROSTER)
    assert response.url == reverse("import_job", args=[job.pk])
    assert job.status == ImportStatus.DONE and job.result == {"passwords": 3}
    assert User.objects.filter(phone__in=["13800001234", "13900005678", "13700009999"]).count() == 3
    # The passwords are never written to the database, not even in the job.
    stored = json.dumps([job.summary, job.details, job.result, job.options])
    assert "13800001234" not in stored

    xlsx_url = reverse("roster_job_passwords_xlsx", args=[job.pk])
    html = client.get(reverse("import_job", args=[job.pk])).content.decode()
    assert f'href="{xlsx_url}"' in html
    download = client.get(xlsx_url)
    assert download.status_code == 200
    rows = list(load_workbook(io.BytesIO(download.content)).active.iter_rows(values_only=True))
    new = User.objects.get(phone="13800001234")
    password = next(row[3] for row in rows if row[1] == "13800001234")
    assert new.check_password(password)
    assert client.get(reverse("roster_job_password_slips", args=[job.pk])).status_code == 200

    other_hr = UserFactory(unit=township["township"], role=Role.HR, mfa=True)
    assert client_for(other_hr).get(xlsx_url).status_code == 404
    superuser = UserFactory(is_superuser=True, is_staff=True, mfa=True)
    assert client_for(superuser).get(xlsx_url).status_code == 404
    superuser_page = client_for(superuser).get(reverse("import_job", args=[job.pk]))
    assert superuser_page.status_code == 200
    assert xlsx_url not in superuser_page.content.decode()


def test_a_bad_big_roster_names_its_rows_and_creates_nobody(
    hr, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_ROWS = 2
    bad = [*GOOD, ["", "12", "V-A", "", "村干部"]]
    post_import(
        client_for(hr),
        django_capture_on_commit_callbacks,
        reverse("roster_import"),
        {"file": SimpleUploadedFile("roster.xlsx", xlsx(bad))},
    )
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert job.details and all(detail.startswith("第5行") for detail in job.details)
    assert not User.objects.filter(phone="13800001234").exists()


def test_a_small_roster_keeps_its_page(hr):
    response = client_for(hr).post(
        reverse("roster_import"), {"file": SimpleUploadedFile("roster.xlsx", xlsx(GOOD))}
    )
    assert response.status_code == 200 and response.context["result"].created == 3
    assert not ImportJob.objects.exists()
    html = response.content.decode()
    assert "超过 2000 行的文件将在后台导入" in html and f'href="{reverse("import_jobs")}"' in html


def test_a_big_law_text_is_imported_in_the_background(
    roles, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_BYTES = 100
    editor = UserFactory(is_superuser=True, is_staff=True, mfa=True)
    url = reverse(Law.snippet_viewset.get_url_name("import"))
    post_import(
        client_for(editor),
        django_capture_on_commit_callbacks,
        url,
        {"file": SimpleUploadedFile("test-law.md", SMALL.encode()), "slug": "test-law"},
    )
    job = ImportJob.objects.get()
    assert (job.kind, job.status, job.rows_done, job.rows_total) == (
        ImportKind.LAW,
        ImportStatus.DONE,
        3,
        3,
    )
    assert Law.objects.get().slug == "test-law" and "3 条" in job.summary


def test_a_big_roster_stays_in_the_request_when_a_worker_could_not_hand_back_passwords(
    hr, settings
):
    # A separate worker with a per-process memory cache: its passwords would be lost.
    settings.IMPORT_BACKGROUND_ROWS = 2
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    response = client_for(hr).post(
        reverse("roster_import"), {"file": SimpleUploadedFile("roster.xlsx", xlsx(GOOD))}
    )
    assert response.status_code == 200 and response.context["result"].created == 3
    assert not ImportJob.objects.exists()
