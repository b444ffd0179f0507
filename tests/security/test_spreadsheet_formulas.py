"""Every sheet the project writes keeps formula-looking text as text: the admin listings'
CSV and XLSX exports, Wagtail's own reports, the question bank and exam statistics."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.log_actions import log

from exams.models import QuestionCategory
from lms.accounts.roles import Role
from lms.spreadsheets import neutralise_formula
from tests.conftest import client_for
from tests.courses.factories_laws import LawFactory, lesson_quoting
from tests.exams import exam_builders as build
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RISKY = ['=HYPERLINK("http://x","点我")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd", "-1+1"]


@pytest.mark.parametrize("value", [*RISKY, "\t=1", "\r=1", "  =1+1"])
def test_formula_looking_text_is_neutralised(value):
    assert neutralise_formula(value) == "'" + value


@pytest.mark.parametrize("value", ["王建国", "13800000001", "法(2021)3号", "", 5])
def test_ordinary_values_are_untouched(value):
    assert neutralise_formula(value) == value


def _csv_cells(response) -> set[str]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return {cell for row in csv.reader(io.StringIO(body)) for cell in row}


def _xlsx_cells(response) -> list:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def _assert_safe(client, url, values):
    csv_cells = _csv_cells(client.get(url, {"export": "csv"}))
    for value in values:
        assert "'" + value in csv_cells
        assert value not in csv_cells
    _assert_xlsx_safe(client.get(url, {"export": "xlsx"}), values)


def _assert_xlsx_safe(response, values):
    assert response.status_code == 200
    cells = _xlsx_cells(response)
    assert all(cell.data_type != "f" for cell in cells)
    texts = {cell.value for cell in cells}
    assert all(value in texts for value in values)


def test_the_cadre_list_export(hr, township):
    UserFactory(unit=township["a"], role=Role.CADRE, name=RISKY[0], position=RISKY[1])
    UserFactory(unit=township["a"], role=Role.CADRE, name=RISKY[2], position=RISKY[3])
    _assert_safe(client_for(hr), reverse("cadres:index"), RISKY)


def test_the_law_list_export(trainer):
    LawFactory(title=RISKY[0], short_name=RISKY[1], issuing_body=RISKY[2])
    _assert_safe(client_for(trainer), reverse("wagtailsnippets_courses_law:list"), RISKY[:3])


def test_the_lessons_needing_review_export(trainer):
    law = LawFactory(status="repealed")
    lesson_quoting(law, title=RISKY[0])
    _assert_safe(client_for(trainer), reverse("lessons_needing_review:index"), RISKY[:1])


def test_wagtails_own_site_history_export(roles, township):
    admin = UserFactory(unit=township["township"], role=Role.ADMIN, is_superuser=True, mfa=True)
    target = UserFactory(unit=township["a"], role=Role.CADRE, name=RISKY[0])
    log(instance=target, action="accounts.password.reset", user=admin, data={"reason": ""})
    url = reverse("wagtailadmin_reports:site_history")
    cells = _csv_cells(client_for(admin).get(url, {"export": "csv"}))
    assert "'" + RISKY[0] in cells
    assert RISKY[0] not in cells


def test_the_question_bank_export(trainer, roles):
    build.question("single", category=QuestionCategory.ensure_path([RISKY[0]]))
    response = client_for(trainer).get(reverse("exams_question:index"), {"bank_export": "xlsx"})
    _assert_xlsx_safe(response, RISKY[:1])


def test_the_exam_statistics_workbook(trainer, roles, township):
    from tests.exams.test_exam_stats import sit

    township["a"].name = RISKY[0]
    township["a"].save()
    paper = build.exam(questions=[build.question("single")])
    sit(paper, UserFactory(unit=township["a"], role=Role.CADRE), "A")
    url = reverse("exams_exam:stats", args=[paper.pk])
    _assert_xlsx_safe(client_for(trainer).get(url, {"export": "xlsx"}), RISKY[:1])
