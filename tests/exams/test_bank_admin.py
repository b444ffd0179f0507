"""The question bank in the Wagtail admin: who may use it, and what each page does."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from courses.models import Law
from exams.models import Question, QuestionReport
from exams.services.bank import question_update
from lms.accounts.roles import Role
from tests.conftest import client_for
from tests.exams.factories_bank import attempt_holding, category, single_question
from tests.factories import UserFactory

BANK_URLS = [
    ("exams_question:index", False),
    ("exams_question:add", False),
    ("exams_question:edit", True),
    ("exams_question:preview", True),
    ("exams_question:import", False),
    ("exams_question:import_template", False),
    ("exams_questioncategory:index", False),
    ("exams_questioncategory:add", False),
    ("exams_questionreport:index", False),
]


def url(name, question=None):
    return reverse(name, args=[question.pk]) if question is not None else reverse(name)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "needs_pk"), BANK_URLS)
@pytest.mark.parametrize("who", ["cadre", "leader", "hr"])
def test_others_are_kept_out(request, name, needs_pk, who):
    user = request.getfixturevalue(who)
    question = single_question() if needs_pk else None
    requested = url(name, question)
    response = client_for(user).get(requested)
    # Wagtail sends users without admin access to sign in (or to the dashboard with a
    # message); HR has the admin but not the bank.
    assert response.status_code in (302, 403, 404)
    if response.status_code == 302:
        assert not response["Location"].startswith(requested)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "needs_pk"), BANK_URLS)
def test_trainer_gets_every_page(trainer, name, needs_pk):
    question = single_question() if needs_pk else None
    assert client_for(trainer).get(url(name, question)).status_code == 200


@pytest.mark.django_db
def test_no_delete_for_anyone(roles, trainer):
    question = single_question()
    admin = UserFactory(role=Role.ADMIN, is_superuser=False, mfa=True)
    for user in (trainer, admin):
        response = client_for(user).post(reverse("exams_question:delete", args=[question.pk]))
        assert response.status_code in (302, 403)
    assert Question.objects.filter(pk=question.pk).exists()


@pytest.mark.django_db
def test_listing_flags_outdated_laws_in_fixed_queries(trainer):
    law = Law.objects.create(title="旧法", slug="old", status="amended")
    cat = category()
    single_question(cat=cat, law=law)

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client_for(trainer).get(reverse("exams_question:index"))
        assert response.status_code == 200
        return len(queries), response

    count()  # the first request of a session settles its sign-in bookkeeping
    few, response = count()
    rows = list(response.context["object_list"])
    assert rows[0].needs_review is True
    for n in range(10):
        single_question(stem=f"第{n}题", cat=category(f"分类/{n}"), law=law)
    many, response = count()
    assert many == few
    flagged = client_for(trainer).get(reverse("exams_question:index") + "?needs_review=true")
    assert len(flagged.context["object_list"]) == 11


@pytest.mark.django_db
def test_substring_search_and_filters(trainer):
    single_question(stem="违法行为在二年内未被发现的")
    single_question(stem="个人信息处理者", cat=category("数据/个保法"))
    client = client_for(trainer)
    found = client.get(reverse("exams_question:index") + "?q=二年内")
    assert [q.stem_text for q in found.context["object_list"]] == ["违法行为在二年内未被发现的"]
    parent = category("数据")
    by_category = client.get(reverse("exams_question:index") + f"?category={parent.pk}")
    assert [q.stem_text for q in by_category.context["object_list"]] == ["个人信息处理者"]


@pytest.mark.django_db
def test_create_through_the_admin(trainer):
    cat = category()
    response = client_for(trainer).post(
        reverse("exams_question:add"),
        {
            "category": cat.pk,
            "kind": "multiple",
            "difficulty": "easy",
            "default_points": "2",
            "stem": "属于行政处罚的有",
            "choice_A_text": "警告",
            "choice_A_correct": "on",
            "choice_B_text": "罚款",
            "choice_B_correct": "on",
            "choice_C_text": "记过",
            "tags": "种类",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    question = Question.objects.get()
    assert question.created_by == trainer
    assert question.current_version.correct_keys == ["A", "B"]
    assert list(question.tags.names()) == ["种类"]


@pytest.mark.django_db
def test_invalid_form_is_not_saved(trainer):
    response = client_for(trainer).post(
        reverse("exams_question:add"),
        {
            "category": category().pk,
            "kind": "single",
            "difficulty": "easy",
            "default_points": "1",
            "stem": "题",
            "choice_A_text": "甲",
            "choice_B_text": "乙",
        },
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert Question.objects.count() == 0


@pytest.mark.django_db
def test_edit_used_question_through_the_admin_makes_a_version(trainer, cadre):
    question = single_question()
    attempt_holding(question, cadre)
    response = client_for(trainer).post(
        reverse("exams_question:edit", args=[question.pk]),
        {
            "category": question.category_id,
            "kind": "single",
            "difficulty": "medium",
            "default_points": "1",
            "status": "active",
            "stem": "改过的题干",
            "choice_A_text": "一年",
            "choice_B_text": "二年",
            "choice_B_correct": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert question.versions.count() == 2


@pytest.mark.django_db
def test_preview_hides_the_answer_unless_asked(trainer):
    question = single_question()
    client = client_for(trainer)
    plain = client.get(reverse("exams_question:preview", args=[question.pk])).content.decode()
    assert 'class="correct"' not in plain and "二年" in plain
    keyed = client.get(reverse("exams_question:preview", args=[question.pk]) + "?key=1")
    assert 'class="correct"' in keyed.content.decode()


XLSX_HEADER = ["题型", "题干", "选项A", "选项B", "答案"]


def sheet(*rows):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(XLSX_HEADER)
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    out.name = "bank.xlsx"
    return out


@pytest.mark.django_db
def test_import_page_errors_are_a_400_table(trainer):
    response = client_for(trainer).post(
        reverse("exams_question:import"),
        {"file": sheet(["单选题", "题", "甲", "乙", "C"], ["多选题", "", "甲", "乙", "AB"])},
    )
    assert response.status_code == 400
    assert len(response.context["import_errors"]) >= 2
    assert "data-import-errors" in response.content.decode()
    assert Question.objects.count() == 0


@pytest.mark.django_db
def test_import_page_imports(trainer):
    response = client_for(trainer).post(
        reverse("exams_question:import"),
        {"file": sheet(["单选题", "题", "甲", "乙", "A"]), "category": "导入/第一批"},
    )
    assert response.status_code == 200
    assert response.context["summary"].imported == 1
    assert Question.objects.get().category.full_path == "导入 / 第一批"


@pytest.mark.django_db
def test_malformed_upload_is_a_400(trainer):
    upload = io.BytesIO(b"<quiz><question></quiz>")
    upload.name = "bank.xml"
    response = client_for(trainer).post(reverse("exams_question:import"), {"file": upload})
    assert response.status_code == 400 and Question.objects.count() == 0


@pytest.mark.django_db
def test_template_download_is_the_import_layout(trainer):
    response = client_for(trainer).get(reverse("exams_question:import_template"))
    sheet_ = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet_[1]][:3] == ["题型", "题干", "选项A"]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "moodle-xml"])
def test_export_follows_the_filters(trainer, fmt):
    single_question(stem="甲题")
    single_question(stem="乙题", cat=category("其他"))
    response = client_for(trainer).get(reverse("exams_question:index") + f"?q=甲&bank_export={fmt}")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    if fmt == "xlsx":
        rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].values)
        assert [r[1] for r in rows[1:]] == ["甲题"]
    else:
        assert "甲题".encode() in response.content and "乙题".encode() not in response.content


@pytest.mark.django_db
def test_unknown_export_format_is_a_400(trainer):
    response = client_for(trainer).get(reverse("exams_question:index") + "?bank_export=pdf")
    assert response.status_code == 400


@pytest.mark.django_db
def test_reports_listed_and_counted(trainer, cadre):
    question = single_question()
    QuestionReport.objects.create(question=question, user=cadre, text="答案有误")
    client = client_for(trainer)
    listing = client.get(reverse("exams_question:index"))
    assert listing.context["object_list"][0].open_reports == 1
    reports = client.get(reverse("exams_questionreport:index") + f"?question={question.pk}")
    assert [r.text for r in reports.context["object_list"]] == ["答案有误"]
    report = QuestionReport.objects.get()
    done = client.post(
        reverse("exams_questionreport:edit", args=[report.pk]), {"status": "resolved"}
    )
    assert done.status_code == 302
    assert QuestionReport.objects.get().status == "resolved"


@pytest.mark.django_db
def test_trainer_role_has_exactly_the_bank_permissions(trainer):
    codenames = set(
        Permission.objects.filter(
            group__name=Role.TRAINER, content_type__app_label="exams"
        ).values_list("codename", flat=True)
    )
    assert "delete_question" not in codenames
    assert {
        "add_question",
        "change_question",
        "view_question",
        "change_questionreport",
    } <= codenames


@pytest.mark.django_db
def test_metadata_edit_keeps_the_version(trainer, cadre):
    question = single_question()
    attempt_holding(question, cadre)
    question_update(question=question, difficulty="hard")
    assert question.versions.count() == 1
