"""The year results spreadsheet: the admin report's XLSX and CSV, the leaders' download and
the command all write the same file; formula-looking text stays text."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from lms.accounts.roles import Role
from lms.evaluation.services import year_compute
from tests.conftest import client_for
from tests.evaluation.factories import YEAR, credit, exam, graded, scheme
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HEADINGS = [
    "姓名",
    "手机号",
    "单位",
    "职务",
    "人员类别",
    "学时",
    "考试成绩",
    "基础分",
    "加分",
    "扣分",
    "总分",
    "等次",
    "单位内排名",
]


@pytest.fixture
def results(township):
    scheme()
    risky = UserFactory(
        unit=township["a"],
        role=Role.CADRE,
        name='=HYPERLINK("http://x")',
        position="+村委会委员",
        phone="13700000001",
    )
    plain = UserFactory(
        unit=township["b"], role=Role.CADRE, name="王建国", position="@书记", phone="13700000002"
    )
    sub = UserFactory(
        unit=township["a1"], role=Role.CADRE, name="李四", position="-组长", phone="13700000003"
    )
    credit(risky, 20)
    graded(exam(), risky, 90)
    credit(plain, 10)
    year_compute(year=YEAR)
    return {"risky": risky, "plain": plain, "sub": sub}


def read_xlsx(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [[cell for cell in row] for row in sheet.iter_rows()]


def read_csv(content):
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_admin_xlsx_export(results, hr):
    response = client_for(hr).get(reverse("evaluation_results"), {"year": YEAR, "export": "xlsx"})
    assert response.status_code == 200
    assert "2025" in response["Content-Disposition"]
    rows = read_xlsx(b"".join(response.streaming_content))
    assert [cell.value for cell in rows[0]] == HEADINGS
    by_phone = {row[1].value: row for row in rows[1:]}
    risky = by_phone["13700000001"]
    assert risky[0].value == '=HYPERLINK("http://x")'
    assert risky[0].data_type == "s"  # text, never a formula
    assert risky[3].value == "+村委会委员"
    assert risky[4].value == "村干部"
    assert [risky[i].value for i in (5, 6, 7, 10)] == [20, 90, 93, 93]
    assert risky[11].value == "优秀"
    assert risky[12].value == 1
    assert len(rows) == 4


def test_admin_csv_export_is_utf8_with_bom_and_neutralises_formulas(results, hr):
    response = client_for(hr).get(reverse("evaluation_results"), {"year": YEAR, "export": "csv"})
    rows = read_csv(b"".join(response.streaming_content))
    assert rows[0] == HEADINGS
    by_phone = {row[1]: row for row in rows[1:]}
    assert by_phone["13700000001"][0] == '\'=HYPERLINK("http://x")'
    assert by_phone["13700000001"][3] == "'+村委会委员"
    assert by_phone["13700000002"][3] == "'@书记"
    assert by_phone["13700000003"][3] == "'-组长"
    assert by_phone["13700000002"][0] == "王建国"
    assert Decimal(by_phone["13700000001"][10]) == Decimal("93.00")


def test_admin_report_filters_by_unit_with_subunits_and_grade(results, hr, township):
    client = client_for(hr)
    response = client.get(reverse("evaluation_results"), {"year": YEAR, "unit": township["a"].pk})
    assert response.status_code == 200
    names = {row.cadre.name for row in response.context["object_list"]}
    assert names == {results["risky"].name, "李四"}
    response = client.get(reverse("evaluation_results"), {"year": YEAR, "grade": "优秀"})
    assert [row.cadre_id for row in response.context["object_list"]] == [results["risky"].pk]
    response = client.get(
        reverse("evaluation_results"),
        {"year": YEAR, "unit": township["a"].pk, "export": "xlsx"},
    )
    assert (
        "河口村" in response["Content-Disposition"]
        or "%E6%B2%B3" in response["Content-Disposition"]
    )


def test_a_leaders_export_has_only_their_units(results, leader):
    client = client_for(leader)
    response = client.get(reverse("evaluation_units_export"), {"year": YEAR, "format": "csv"})
    assert response.status_code == 200
    phones = {row[1] for row in read_csv(b"".join(response.streaming_content))[1:]}
    assert phones == {"13700000001", "13700000003"}
    assert (
        client.get(reverse("evaluation_units_export"), {"year": YEAR, "format": "pdf"}).status_code
        == 400
    )
    assert (
        client.get(reverse("evaluation_units_export"), {"year": YEAR, "unit": "V-B"}).status_code
        == 404
    )


def test_a_cadre_cannot_export(results, cadre):
    response = client_for(cadre).get(reverse("evaluation_units_export"), {"year": YEAR})
    assert response.status_code == 403


@pytest.mark.parametrize("export_format", ["xlsx", "csv"])
def test_the_command_writes_the_same_file(results, tmp_path, export_format):
    target = tmp_path / f"out.{export_format}"
    call_command(
        "export_year_results",
        str(YEAR),
        "--unit",
        "V-A",
        "--format",
        export_format,
        "-o",
        str(target),
        stdout=io.StringIO(),
    )
    content = target.read_bytes()
    if export_format == "xlsx":
        rows = [[cell.value for cell in row] for row in read_xlsx(content)]
    else:
        rows = read_csv(content)
    assert rows[0] == HEADINGS
    assert {row[1] for row in rows[1:]} == {"13700000001", "13700000003"}


def test_the_export_task_saves_a_file(results):
    from django.core.files.storage import default_storage

    from lms.evaluation.tasks import export_year_results_task

    name = export_year_results_task.enqueue(year=YEAR, export_format="xlsx").return_value
    with default_storage.open(name, "rb") as handle:
        assert [c.value for c in read_xlsx(handle.read())[0]] == HEADINGS
