"""Importing law texts: real files, malformed files (nothing written), re-import in place."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from courses.models import Law, LawArticle, LawCategory, LawStatus
from courses.services.law_import import law_import, law_import_text
from tests.courses.factories_laws import LAWS_DIR, law_file

pytestmark = pytest.mark.django_db

PENALTY = "administrative-penalty-law-2021.md"
CONTRACTS = "civil-code-2020-contracts.md"

SMALL = """# 中华人民共和国测试法

2021年1月22日 第十三届全国人民代表大会常务委员会第二十五次会议通过

<!-- INFO END -->

## 第一章 总则

第一条 为了测试，制定本法。

第二条 本法适用于测试。

第二款。

## 第二章 附则

第三条 本法自2021年7月15日起施行。
"""


def test_real_file_gives_the_right_articles_and_metadata():
    law, created = law_import(text=law_file(PENALTY), filename=PENALTY)

    assert created
    assert law.slug == "administrative-penalty-law-2021"
    assert law.title == "中华人民共和国行政处罚法"
    assert law.short_name == "行政处罚法"
    assert law.category == LawCategory.ADMINISTRATIVE
    assert law.status == LawStatus.IN_FORCE
    assert law.issuing_body == "全国人民代表大会常务委员会"
    assert (law.promulgation_date, law.effective_date) == (date(2021, 1, 22), date(2021, 7, 15))
    assert law.history.count("\n") == 3
    articles = list(law.articles.all())
    assert len(articles) == 86
    assert [a.number for a in articles] == list(range(1, 87))
    assert articles[0].label == "第一条" and articles[0].chapter == "第一章 总则"
    assert "2021年7月15日" in articles[-1].text


def test_largest_law_imports_in_a_handful_of_queries(django_assert_max_num_queries):
    with django_assert_max_num_queries(25):
        law, _ = law_import(text=law_file(CONTRACTS), filename=CONTRACTS)

    assert law.short_name == "民法典·合同编"
    assert law.category == LawCategory.CIVIL
    assert law.effective_date == date(2021, 1, 1)
    assert law.articles.count() == 526
    first = law.articles.first()
    assert (first.number, first.part, first.chapter) == (463, "第一分编 通则", "第一章 一般规定")


MALFORMED = {
    "empty": "",
    "no title": "第一条 没有标题。\n",
    "no articles": "# 测试法\n\n<!-- INFO END -->\n\n## 第一章 总则\n",
    "duplicate article": "# 测试法\n\n第一条 甲。\n\n第一条 乙。\n",
    "gap in numbering": "# 测试法\n\n第一条 甲。\n\n第三条 乙。\n",
    "bad numeral": "# 测试法\n\n第一条 甲。\n\n第十十条 乙。\n",
    "text between a chapter heading and the first article": (
        "# 测试法\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n说明。\n\n第一条 甲。\n"
    ),
}


@pytest.mark.parametrize("text", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_text_gives_a_chinese_error_and_writes_nothing(text):
    with pytest.raises(ValidationError) as error:
        law_import(text=text, slug="broken")

    message = error.value.messages[0]
    assert message.startswith("第") and "行：" in message  # "第3行：…", from the parser
    assert not Law.objects.exists()
    assert not LawArticle.objects.exists()


def test_malformed_reimport_leaves_the_existing_law_untouched():
    law, _ = law_import(text=SMALL, slug="test-law")
    before = list(law.articles.values_list("pk", "text"))

    with pytest.raises(ValidationError):
        law_import(text=SMALL.replace("第三条", "第五条"), slug="test-law")

    law.refresh_from_db()
    assert law.title == "中华人民共和国测试法"
    assert list(law.articles.values_list("pk", "text")) == before


def test_reimporting_the_same_file_updates_in_place():
    law, created = law_import(text=law_file(PENALTY), filename=PENALTY)
    article_ids = list(law.articles.values_list("pk", flat=True))

    again, created_again = law_import(text=law_file(PENALTY), filename=PENALTY)

    assert created and not created_again
    assert again.pk == law.pk
    assert Law.objects.count() == 1
    assert list(again.articles.values_list("pk", flat=True)) == article_ids


def test_reimport_applies_edits_and_removals_by_label():
    law, _ = law_import(text=SMALL, slug="test-law")
    kept = law.articles.get(label="第一条")
    edited = SMALL.replace("为了测试", "为了再次测试").replace(
        "第二条 本法适用于测试。\n\n第二款。\n\n", ""
    )
    edited = edited.replace("第三条", "第二条")

    law_import(text=edited, slug="test-law")

    assert list(law.articles.values_list("label", flat=True)) == ["第一条", "第二条"]
    assert law.articles.get(label="第一条").pk == kept.pk
    assert law.articles.get(label="第一条").text == "为了再次测试，制定本法。"
    assert "2021年7月15日" in law.articles.get(label="第二条").text


def test_reimport_keeps_the_trainers_status_and_short_name_unless_told():
    law, _ = law_import(text=SMALL, slug="test-law")
    Law.objects.filter(pk=law.pk).update(status=LawStatus.REPEALED, short_name="测试")

    law, _ = law_import(text=SMALL, slug="test-law")
    assert (law.status, law.short_name) == (LawStatus.REPEALED, "测试")

    law, _ = law_import(text=SMALL, slug="test-law", status=LawStatus.IN_FORCE)
    assert law.status == LawStatus.IN_FORCE


def test_civil_code_books_without_a_date_line_take_the_codes_date():
    name = "civil-code-2020-marriage-and-family.md"  # this book has no "施行" line
    law, _ = law_import(text=law_file(name), filename=name)
    assert (law.short_name, law.effective_date) == ("民法典·婚姻家庭编", date(2021, 1, 1))


def test_reimport_keeps_a_date_the_file_does_not_give():
    text = SMALL.replace("本法自2021年7月15日起施行。", "本法施行。")
    law, _ = law_import(text=text, slug="test-law")
    assert law.effective_date is None
    Law.objects.filter(pk=law.pk).update(effective_date=date(2022, 1, 1))

    law, _ = law_import(text=text, slug="test-law")

    assert law.effective_date == date(2022, 1, 1)


def test_category_can_be_given():
    law, _ = law_import(text=SMALL, slug="test-law", category=LawCategory.LOCAL)
    assert law.category == LawCategory.LOCAL


@pytest.mark.parametrize(
    "kwargs",
    [
        {"filename": "行政处罚法(2021-01-22).md"},  # no usable slug in a Chinese name
        {"slug": "行政处罚法"},
        {"slug": "has spaces"},
        {"slug": "x" * 81},
        {"slug": "test-law", "category": "nonsense"},
        {"slug": "test-law", "status": "nonsense"},
    ],
)
def test_bad_arguments_are_refused_before_anything_is_written(kwargs):
    with pytest.raises(ValidationError):
        law_import(text=SMALL, **kwargs)
    assert not Law.objects.exists()


def test_command_imports_then_updates(capsys):
    call_command("import_law", str(LAWS_DIR / PENALTY))
    call_command("import_law", str(LAWS_DIR / PENALTY), "--status", "amended")

    call_command("import_law", str(LAWS_DIR / PENALTY))

    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "新建 中华人民共和国行政处罚法：86 条",
        "共 1 个文件：新建 1，更新 0，未变 0，拒绝 0。",
        "更新 中华人民共和国行政处罚法：86 条",
        "共 1 个文件：新建 0，更新 1，未变 0，拒绝 0。",
        "未变 中华人民共和国行政处罚法：86 条",
        "共 1 个文件：新建 0，更新 0，未变 1，拒绝 0。",
    ]
    assert Law.objects.get().status == LawStatus.AMENDED


def test_command_takes_a_folder_and_names_each_refused_file(tmp_path, capsys):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "small-law.md").write_text(SMALL, encoding="utf-8")
    (tmp_path / "a" / "README.md").write_text("# 说明\n\n不是法律。", encoding="utf-8")
    (tmp_path / "broken-law.md").write_text(SMALL.replace("第二条", "第四条"), encoding="utf-8")
    (tmp_path / "gbk-law.md").write_bytes("# 测试法\n\n第一条 甲。".encode("gbk"))

    with pytest.raises(CommandError, match="2 个文件导入失败"):
        call_command("import_law", str(tmp_path))

    out = capsys.readouterr().out
    assert "新建 " in out and "共 3 个文件：新建 1，更新 0，未变 0，拒绝 2。" in out
    assert "broken-law.md：第" in out and "条文编号不连续" in out
    assert "gbk-law.md：文件不是 UTF-8 编码的文本" in out
    assert list(Law.objects.values_list("slug", flat=True)) == ["small-law"]


def test_an_unchanged_text_writes_nothing(django_assert_max_num_queries):
    law, _ = law_import(text=law_file(PENALTY), filename=PENALTY)
    stamp = Law.objects.get().updated_at
    with django_assert_max_num_queries(4):
        result = law_import_text(text=law_file(PENALTY), filename=PENALTY)
    assert result.outcome == "unchanged"
    assert Law.objects.get().updated_at == stamp


def test_command_options(tmp_path):
    path = tmp_path / "small.md"
    path.write_text(SMALL, encoding="utf-8")

    call_command("import_law", str(path), "--slug", "my-law", "--category", "local")

    law = Law.objects.get()
    assert (law.slug, law.category, law.articles.count()) == ("my-law", "local", 3)


def test_command_reports_a_malformed_file_and_writes_nothing(tmp_path):
    path = tmp_path / "broken-law.md"
    path.write_text(SMALL.replace("第二条", "第四条"), encoding="utf-8")

    with pytest.raises(CommandError, match="条文编号不连续"):
        call_command("import_law", str(path))
    assert not Law.objects.exists()


@pytest.mark.parametrize("content", [None, b"\xff\xfe# \x00"], ids=["missing", "not utf-8"])
def test_command_refuses_missing_or_undecodable_files(tmp_path, content):
    path = tmp_path / "law.md"
    if content is not None:
        path.write_bytes(content)

    with pytest.raises(CommandError):
        call_command("import_law", str(path))
    assert not Law.objects.exists()
