"""Every trainer action is a labelled button where Wagtail puts them: preview and
statistics on each exam row and on the exam's edit page, the workbook and exports in the
header, the question import template as a labelled download; rates as percentages."""

import io
import re
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from exams.models import QuestionCategory
from lms.accounts.roles import Role
from tests.conftest import client_for
from tests.exams import exam_builders as build
from tests.exams.test_exam_admin import paper_data
from tests.exams.test_exam_stats import sit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return unescape(response.content.decode())


def has_link(html, href, label):
    """An <a> to `href` whose visible text is `label`."""
    for attrs, text in re.findall(r"<a ([^>]*)>(.*?)</a>", html, re.S):
        if f'href="{href}"' in attrs and re.sub(r"<[^>]+>|\s", "", text) == label:
            return True
    return False


@pytest.fixture
def paper(roles, township):
    paper = build.exam(
        questions=[build.question("single", correct=("A",)) for _ in range(3)],
        points=Decimal("10"),
        pass_percent=60,  # 20 of the 30 points passes
        attempts_allowed=0,
    )
    for letters in ("AAA", "AAB", "BBB"):
        sit(paper, UserFactory(unit=township["a"], role=Role.CADRE), letters)
    return paper


def test_each_exam_row_links_its_preview_and_statistics(trainer, paper):
    html = page(client_for(trainer), reverse("exams_exam:index"))
    assert has_link(html, reverse("exams_exam:preview", args=[paper.pk]), "预览")
    assert has_link(html, reverse("exams_exam:stats", args=[paper.pk]), "统计")


def test_the_exam_edit_page_links_them_too(trainer, paper):
    html = page(client_for(trainer), reverse("exams_exam:edit", args=[paper.pk]))
    assert has_link(html, reverse("exams_exam:preview", args=[paper.pk]), "预览")
    assert has_link(html, reverse("exams_exam:stats", args=[paper.pk]), "统计")


def test_statistics_export_in_the_header_and_rates_as_percentages(trainer, paper):
    url = reverse("exams_exam:stats", args=[paper.pk])
    html = page(client_for(trainer), url)
    assert has_link(html, url + "?export=xlsx", "导出Excel")
    assert "合格率 66.7%" in html  # 2 of 3 passed
    assert "<td>66.7%</td>" in html  # the unit's row
    assert "0.667" not in html
    # Each question's key correction is one click from the statistics.
    question_id = paper.fixed_questions.first().question_id
    assert reverse("exams_exam:regrade", args=[paper.pk, question_id]) in html
    book = load_workbook(io.BytesIO(client_for(trainer).get(url, {"export": "xlsx"}).content))
    summary, _bands, units, questions = book.worksheets
    assert (summary["B6"].value, summary["B6"].number_format) == (0.6667, "0.0%")
    assert units["D2"].number_format == "0.0%"
    assert questions["C2"].value == "单选题"  # the kind's name, not "single"


def test_the_question_list_has_labelled_exports_and_row_previews(trainer, paper):
    html = page(client_for(trainer), reverse("exams_question:index"))
    index = reverse("exams_question:index")
    assert has_link(html, f"{index}?bank_export=xlsx", "导出Excel")
    assert has_link(html, f"{index}?bank_export=moodle-xml", "导出MoodleXML")
    assert has_link(html, reverse("exams_question:import"), "导入")
    question = paper.fixed_questions.first().question
    assert has_link(html, reverse("exams_question:preview", args=[question.pk]), "预览")


def test_the_import_page_offers_the_template_as_a_labelled_download(trainer):
    html = page(client_for(trainer), reverse("exams_question:import"))
    template = reverse("exams_question:import_template")
    assert has_link(html, template, "下载XLSX模板")
    assert "<h1" in html and "导入试题" in html


def test_a_rule_the_bank_cannot_fill_names_the_kind_in_chinese(trainer, roles):
    category = QuestionCategory.ensure_path(["2021年新法", "行政处罚法"])
    build.question("multiple", category=category, correct=("A", "B"))
    data = paper_data(rules=[{"count": 2, "kind": "multiple", "category": category, "points": 5}])
    response = client_for(trainer).post(reverse("exams_exam:add"), data)
    errors = " ".join(str(e) for e in response.context["form"].non_field_errors())
    assert "2 × 多选题" in errors and "multiple" not in errors


def test_listings_with_exports_show_them_as_labelled_header_buttons(hr):
    cadres = reverse("cadres:index")
    html = page(client_for(hr), cadres)
    assert has_link(html, f"{cadres}?export=xlsx", "导出Excel")
    assert has_link(html, f"{cadres}?export=csv", "导出CSV")
