"""The admin's law import takes several files or a ZIP of them: each imported on its own,
all or nothing, a refused one named with its reason, the others imported."""

import io
import zipfile

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses.models import Law
from tests.conftest import client_for
from tests.courses.factories_laws import law_file

pytestmark = pytest.mark.django_db

URL = "wagtailsnippets_courses_law:import"
PENALTY = "administrative-penalty-law-2021.md"
DATA = "data-security-law-2021.md"
BROKEN = "# 测试法\n\n第一条 甲。\n\n第三条 丙。\n"


def md(name, text):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/markdown")


def zipped(name, files: dict[str, str | bytes]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, content in files.items():
            archive.writestr(path, content)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/zip")


def post(user, files, **extra):
    return client_for(user).post(reverse(URL), {"file": files, **extra})


def shown(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_several_files_each_on_its_own(trainer):
    response = post(
        trainer,
        [md(PENALTY, law_file(PENALTY)), md("broken-law.md", BROKEN), md(DATA, law_file(DATA))],
    )
    assert response.status_code == 302
    assert set(Law.objects.values_list("slug", flat=True)) == {
        "administrative-penalty-law-2021",
        "data-security-law-2021",
    }
    messages = shown(response)
    assert "共 3 个文件：新建 2 部法律，更新 0 部，未变 0 部，拒绝 1 个。" in messages
    assert any(m.startswith("broken-law.md：第") and "条文编号不连续" in m for m in messages)


def test_a_zip_of_a_library_with_a_readme_and_folders(trainer):
    archive = zipped(
        "library.zip",
        {
            "laws/README.md": "# 说明",
            f"laws/行政法/{PENALTY}": law_file(PENALTY),
            f"laws/{DATA}": law_file(DATA),
            "__MACOSX/._x.md": b"\x00",
        },
    )
    assert post(trainer, [archive]).status_code == 302
    assert Law.objects.count() == 2
    # The same archive again writes nothing.
    again = post(trainer, [zipped("library.zip", {f"a/{PENALTY}": law_file(PENALTY)})])
    assert "共 1 个文件" not in " ".join(shown(again))  # one text: the single-law path
    assert Law.objects.count() == 2


@pytest.mark.parametrize(
    "files, fragment",
    [
        ([zipped("big.zip", {"a.md": "字" * 800_000})], "超过 2 MB"),
        ([zipped("empty.zip", {"notes.txt.bak": "x"})], "没有 Markdown 法律文本"),
        ([SimpleUploadedFile("fake.zip", b"not a zip")], "不是可以读取的 ZIP 文件"),
        ([md("a.docx", "x")], "不是 Markdown 文件"),
        ([zipped("gbk.zip", {"gbk-law.md": "# 测试法".encode("gbk")})], "不是 UTF-8"),
    ],
    ids=["entry over 2 MB", "no law text", "not a zip", "not markdown", "not utf-8"],
)
def test_what_cannot_be_a_law_is_refused_and_nothing_is_written(trainer, files, fragment):
    response = post(trainer, files)
    assert response.status_code == 400
    assert fragment in response.content.decode()
    assert not Law.objects.exists()


def test_all_refused_is_a_bad_request_naming_each(trainer):
    response = post(trainer, [md("a-law.md", BROKEN), md("b-law.md", "没有标题")])
    assert response.status_code == 400
    html = response.content.decode()
    assert "a-law.md：" in html and "b-law.md：" in html
    assert not Law.objects.exists()


def test_a_slug_is_for_one_law_only(trainer):
    response = post(trainer, [md(PENALTY, law_file(PENALTY)), md(DATA, law_file(DATA))], slug="x")
    assert response.status_code == 400
    assert "只有导入一部法律时才能指定网址标识" in response.content.decode()
    assert not Law.objects.exists()
