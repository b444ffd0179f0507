"""Roster import: validated whole, all-or-nothing, re-import updates by phone."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from lms.accounts.models import User
from lms.accounts.roles import Role
from lms.accounts.roster import RosterImportError, roster_import
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

HEADER = ["姓名", "手机号", "单位编码", "职务", "类别"]
GOOD = [
    ["张伟", "13800001234", "V-A", "村党支部书记", "村干部"],
    ["李秀英", "13900005678", "V-B", "网格员", "网格员"],
    ["王芳", 13700009999, "T", "科员", "乡镇干部"],
]


def xlsx(rows, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, encoding="utf-8-sig") -> bytes:
    lines = [",".join(HEADER)] + [",".join(str(cell) for cell in row) for row in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


def test_good_file_creates_cadres_with_one_time_passwords(township, roles):
    result = roster_import(data=xlsx(GOOD), filename="roster.xlsx")
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    user = User.objects.get(phone="13700009999")
    assert (user.name, user.unit.code, user.category) == ("王芳", "T", "township_staff")
    assert user.must_change_password
    assert user.groups.filter(name=Role.CADRE).exists()
    account = next(a for a in result.new_accounts if a.phone == "13700009999")
    assert user.check_password(account.password)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk"])
def test_csv_in_utf8_and_gbk(township, roles, encoding):
    result = roster_import(data=csv_bytes(GOOD, encoding), filename="名单.csv")
    assert result.created == 3
    assert User.objects.filter(name="李秀英").exists()


def test_reimport_updates_by_phone_and_counts_unchanged(township, roles):
    roster_import(data=xlsx(GOOD), filename="roster.xlsx")
    changed = [list(row) for row in GOOD]
    changed[0][3] = "村委会主任"
    changed.append(["赵强", "13600001111", "V-A", "", "村干部"])
    result = roster_import(data=xlsx(changed), filename="roster.xlsx")
    assert (result.created, result.updated, result.unchanged) == (1, 1, 2)
    assert User.objects.get(phone="13800001234").position == "村委会主任"
    assert User.objects.filter(phone="13800001234").count() == 1


@pytest.mark.parametrize(
    "row, column, fragment",
    [
        (["", "13800001234", "V-A", "", "村干部"], "姓名", "姓名为空"),
        (["张伟", "", "V-A", "", "村干部"], "手机号", "手机号为空"),
        (["张伟", "12345", "V-A", "", "村干部"], "手机号", "不是有效的"),
        (["张伟", "13800001234", "", "", "村干部"], "单位编码", "单位编码为空"),
        (["张伟", "13800001234", "NOPE", "", "村干部"], "单位编码", "NOPE"),
        (["张伟", "13800001234", "V-A", "", ""], "类别", "类别为空"),
        (["张伟", "13800001234", "V-A", "", "局长"], "类别", "局长"),
    ],
)
def test_each_kind_of_bad_row_is_named_and_nothing_is_written(
    township, roles, row, column, fragment
):
    with pytest.raises(RosterImportError) as caught:
        roster_import(data=xlsx([GOOD[1], row]), filename="roster.xlsx")
    [error] = caught.value.errors
    assert (error.row, error.column) == (3, column)
    assert fragment in error.message
    assert not User.objects.filter(phone="13900005678").exists()


def test_every_bad_row_is_reported_at_once(township, roles):
    rows = [GOOD[0], ["", "1", "X", "", "?"], GOOD[0]]
    with pytest.raises(RosterImportError) as caught:
        roster_import(data=xlsx(rows), filename="roster.xlsx")
    places = [(e.row, e.column) for e in caught.value.errors]
    assert places == [(3, "姓名"), (3, "手机号"), (3, "单位编码"), (3, "类别"), (4, "手机号")]
    assert "第2行" in caught.value.errors[-1].message


def test_missing_header_column(township, roles):
    with pytest.raises(RosterImportError) as caught:
        roster_import(
            data=xlsx(GOOD, header=["姓名", "电话", "单位编码", "职务", "类别"]), filename="r.xlsx"
        )
    assert caught.value.errors[0].column == "手机号"


@pytest.mark.parametrize(
    "data, filename, fragment",
    [
        (b"", "roster.xlsx", "空"),
        (b"%PDF-1.4 not a roster", "roster.pdf", "不是电子表格"),
        (b"PK\x03\x04broken zip", "roster.xlsx", "XLSX"),
        (b"\x00\x01\x02binary", "roster.csv", "不是电子表格"),
        (b"x" * (5 * 1024 * 1024 + 1), "roster.csv", "5 MB"),
    ],
)
def test_files_that_are_not_rosters(township, roles, data, filename, fragment):
    with pytest.raises(RosterImportError) as caught:
        roster_import(data=data, filename=filename)
    assert fragment in caught.value.errors[0].message


def test_admin_upload_page(hr, township):
    client = client_for(hr)
    response = client.post(
        reverse("roster_import"),
        {"file": SimpleUploadedFile("roster.xlsx", xlsx(GOOD))},
    )
    assert response.status_code == 200
    assert "3 个新建" in response.content.decode()
    assert User.objects.filter(phone="13800001234").exists()

    bad = client.post(
        reverse("roster_import"),
        {"file": SimpleUploadedFile("roster.xlsx", xlsx([["", "1", "V-A", "", "村干部"]]))},
    )
    assert bad.status_code == 400
    assert "姓名为空" in bad.content.decode()


def test_template_download_reimports_after_filling(hr, township):
    response = client_for(hr).get(reverse("roster_template"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == HEADER


def test_cadres_cannot_import(cadre):
    response = client_for(cadre).post(
        reverse("roster_import"), {"file": SimpleUploadedFile("roster.xlsx", xlsx(GOOD))}
    )
    assert response.status_code == 302
    assert not User.objects.filter(phone="13800001234").exists()


def test_management_command(tmp_path, township, roles, capsys):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx(GOOD))
    call_command("import_roster", str(path))
    assert "3 个新建" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([["张伟", "123", "V-A", "", "村干部"]]))
    with pytest.raises(CommandError, match="未写入"):
        call_command("import_roster", str(bad))
    assert "不是有效的" in capsys.readouterr().err
