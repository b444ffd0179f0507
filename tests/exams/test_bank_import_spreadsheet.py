"""Spreadsheet import through the service: every bad row reported, nothing written;
GBK CSV; law references linked; bounded queries for a large bank."""

import csv
import io
import math
import time
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from courses.models import Law, LawArticle
from exams.importers import ParsedChoice, ParsedQuestion, write_xlsx
from exams.models import Question, QuestionCategory, QuestionVersion
from exams.services.bank_import import (
    BATCH_SIZE,
    QuestionImportError,
    law_articles_parse,
    questions_import,
)
from tests.exams.sheet_header import HEADER


def xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


GOOD = [
    "单选题",
    "追责时效是？",
    "一年",
    "二年",
    "",
    "",
    "B",
    "第三十六条",
    "行政法/行政处罚法",
    "易",
    2,
    "",
    "时效",
]

# (row, expected column, problem) — each row has exactly one problem
BAD_ROWS = [
    (["", "无题型", "a", "b", "", "", "A", "", "", "", "", "", ""], "题型"),
    (["问答题", "未知题型", "a", "b", "", "", "A", "", "", "", "", "", ""], "题型"),
    (["单选题", "", "a", "b", "", "", "A", "", "", "", "", "", ""], "题干"),
    (["单选题", "无答案", "a", "b", "", "", "", "", "", "", "", "", ""], "答案"),
    (["单选题", "答案不是字母", "a", "b", "", "", "甲", "", "", "", "", "", ""], "答案"),
    (["单选题", "答案选项无内容", "a", "b", "", "", "D", "", "", "", "", "", ""], "答案"),
    (["单选题", "单选两个答案", "a", "b", "", "", "AB", "", "", "", "", "", ""], "答案"),
    (["多选题", "多选一个答案", "a", "b", "c", "", "A", "", "", "", "", "", ""], "答案"),
    (["单选题", "选项不连续", "a", "", "c", "", "A", "", "", "", "", "", ""], "选项B"),
    (["判断题", "判断答案无效", "", "", "", "", "也许", "", "", "", "", "", ""], "答案"),
    (["填空题", "第二空没有答案", "", "", "", "", "甲||丙", "", "", "", "", "", ""], "答案"),
    (["单选题", "分值不是数字", "a", "b", "", "", "A", "", "", "", "五分", "", ""], "分值"),
    (["单选题", "难度无效", "a", "b", "", "", "A", "", "", "", "", "", ""], None),
]
BAD_ROWS[-1][0][9] = "极难"
BAD_ROWS[-1] = (BAD_ROWS[-1][0], "难度")


@pytest.mark.django_db
def test_every_bad_row_is_reported_and_nothing_is_written():
    rows = [GOOD] + [row for row, _column in BAD_ROWS]
    with pytest.raises(QuestionImportError) as caught:
        questions_import(data=xlsx(rows), filename="bank.xlsx")
    errors = caught.value.row_errors
    # Row 2 is the good one; rows 3.. are bad, one problem each (at least).
    by_row = {}
    for error in errors:
        by_row.setdefault(error.row, []).append(error)
    assert sorted(by_row) == list(range(3, 3 + len(BAD_ROWS)))
    for number, (_row, column) in enumerate(BAD_ROWS, start=3):
        assert column in {e.column for e in by_row[number]}, (number, by_row[number])
        assert all(e.message for e in by_row[number])
    assert all(m.startswith("第") for m in caught.value.messages)
    assert Question.objects.count() == 0 and QuestionCategory.objects.count() == 0


@pytest.mark.django_db
def test_points_below_the_bank_minimum_is_a_row_error():
    row = list(GOOD)
    row[1], row[10] = "分值太小", "0.2"
    with pytest.raises(QuestionImportError) as caught:
        questions_import(data=xlsx([GOOD, row]), filename="bank.xlsx")
    assert [e.row for e in caught.value.row_errors] == [3]
    # Said once where it is, in front of the reason.
    [message] = caught.value.messages
    assert message.startswith("第3行：") and message.count("第3行") == 1
    assert Question.objects.count() == 0


@pytest.mark.django_db
def test_good_sheet_imports_with_everything():
    tf = ["判断题", "行政处罚可以口头作出。", "", "", "", "", "错", "", "行政法", "中", 1, "", ""]
    blank = ["填空题", "民法典自____年施行", "", "", "", "", "2021/二〇二一", "", "", "", 1, "", ""]
    multi = [
        "多选题",
        "属于行政处罚的有",
        "警告",
        "罚款",
        "记过",
        "",
        "AB",
        "",
        "行政法",
        "难",
        2,
        "",
        "种类,2021",
    ]
    summary = questions_import(data=xlsx([GOOD, tf, blank, multi]), filename="bank.xlsx")
    assert summary.summary_line() == (
        "导入 4 道题（单选题 1、多选题 1、判断题 1、填空题 1），分入 3 个分类；跳过 0 道"
    )
    single = Question.objects.get(kind="single")
    assert single.category.full_path == "行政法 / 行政处罚法"
    assert single.difficulty == "easy" and single.default_points == Decimal("2")
    assert single.current_version.correct_keys == ["B"]
    assert list(single.tags.names()) == ["时效"]
    assert Question.objects.get(kind="blank").current_version.blanks == [["2021", "二〇二一"]]
    assert Question.objects.get(kind="blank").category.full_path == "未分类"
    multiple = Question.objects.get(kind="multiple")
    assert [c["fraction"] for c in multiple.current_version.choices] == ["0.5", "0.5", "0"]
    assert sorted(multiple.tags.names()) == ["2021", "种类"]


@pytest.mark.django_db
def test_gbk_csv():
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerow(
        [
            "单选题",
            "村民委员会成员每届任期（  ）年。",
            "三",
            "五",
            "",
            "",
            "B",
            "",
            "村民自治",
            "",
            "",
            "",
            "",
        ]
    )
    writer.writerow(
        [
            "判断题",
            "数据安全法自2021年9月1日起施行。",
            "",
            "",
            "",
            "",
            "对",
            "",
            "数据安全",
            "",
            "",
            "",
            "",
        ]
    )
    summary = questions_import(data=out.getvalue().encode("gbk"), filename="题库.csv")
    assert summary.imported == 2
    assert set(Question.objects.values_list("category__full_path", flat=True)) == {
        "村民自治",
        "数据安全",
    }
    assert Question.objects.filter(stem_text="村民委员会成员每届任期（ ）年。").exists()


@pytest.mark.django_db
def test_reimport_is_unchanged_and_same_stem_other_answer_is_new():
    questions_import(data=xlsx([GOOD]), filename="bank.xlsx")
    again = questions_import(data=xlsx([GOOD]), filename="bank.xlsx")
    assert again.unchanged == 1 and again.imported == 0
    changed = list(GOOD)
    changed[6] = "A"
    third = questions_import(data=xlsx([changed]), filename="bank.xlsx")
    # A generic stem can front a different question: it is imported, with a warning.
    assert third.imported == 1 and any("题干相同" in w for w in third.warnings)
    assert Question.objects.count() == 2


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("《行政处罚法》第三十六条", ("行政处罚法", [36], "36")),
        ("《中华人民共和国行政处罚法》第33条、第三十四条", ("行政处罚法", [33, 34], "33, 34")),
        ("《民法典》第一千零三十二条第二款", ("民法典", [1032], "1032")),
        ("《数据安全法》第七条至第九条", ("数据安全法", [7, 8, 9], "7-9")),
        ("依法行政原则", ("", [], "")),
    ],
)
def test_law_reference_parsing(reference, expected):
    assert law_articles_parse(reference) == expected


@pytest.mark.django_db
def test_law_reference_links_to_the_library():
    penalty = Law.objects.create(
        title="中华人民共和国行政处罚法", short_name="行政处罚法", slug="apl"
    )
    general = Law.objects.create(
        title="中华人民共和国民法典 总则编", short_name="民法典·总则编", slug="g"
    )
    personal = Law.objects.create(
        title="中华人民共和国民法典 人格权编", short_name="民法典·人格权编", slug="p"
    )
    LawArticle.objects.create(law=general, number=17, label="第十七条", text="…")
    LawArticle.objects.create(law=personal, number=1032, label="第一千零三十二条", text="…")
    rows = []
    for stem, ref in [
        ("甲", "《中华人民共和国行政处罚法》第三十六条"),
        ("乙", "《民法典》第一千零三十二条"),
        ("丙", "《民法典》第十七条"),
        ("丁", "《某某条例》第三条"),
    ]:
        row = list(GOOD)
        row[1], row[11] = stem, ref
        rows.append(row)
    questions_import(data=xlsx(rows), filename="bank.xlsx")
    got = {q.stem_text: (q.law_id, q.law_articles, q.law_reference) for q in Question.objects.all()}
    assert got["甲"] == (penalty.pk, "36", "《中华人民共和国行政处罚法》第三十六条")
    assert got["乙"][:2] == (personal.pk, "1032")
    assert got["丙"][:2] == (general.pk, "17")
    assert got["丁"] == (None, "", "《某某条例》第三条")


def big_sheet(count: int) -> bytes:
    questions = []
    for n in range(count):
        kind = ("single", "multiple", "truefalse", "blank")[n % 4]
        q = ParsedQuestion(
            kind=kind,
            name="",
            stem=f"第{n}题：根据《行政处罚法》，下列说法正确的是（  ）。",
            category=("压力测试", f"分类{n % 7}"),
            law_reference="《行政处罚法》第三十六条",
            tags=[f"标签{n % 5}"],
            explanation="解析",
        )
        if kind == "single":
            q.choices = [ParsedChoice("甲", Decimal(1)), ParsedChoice("乙", Decimal(0))]
        elif kind == "multiple":
            q.choices = [
                ParsedChoice(t, Decimal("0.5") if t != "丙" else Decimal(0)) for t in "甲乙丙"
            ]
        elif kind == "truefalse":
            q.choices = [ParsedChoice("对", Decimal(1)), ParsedChoice("错", Decimal(0))]
        else:
            q.blanks = [["二年", "两年"]]
        questions.append(q)
    return write_xlsx(questions)


def bulk_batches(count: int) -> int:
    """Statements the three bulk writes need for `count` questions: BATCH_SIZE rows each,
    or fewer where the database caps query parameters (SQLite: 999)."""

    def batches(field_count):
        size = min(BATCH_SIZE, connection.ops.bulk_batch_size(["f"] * field_count, [0] * count))
        return math.ceil(count / size)

    question_fields = len([f for f in Question._meta.concrete_fields if not f.primary_key])
    version_fields = len([f for f in QuestionVersion._meta.concrete_fields if not f.primary_key])
    return batches(question_fields) + batches(version_fields) + batches(3)


@pytest.mark.django_db
def test_large_import_has_bounded_queries(capsys):
    Law.objects.create(title="中华人民共和国行政处罚法", short_name="行政处罚法", slug="apl")
    small, large = big_sheet(500), big_sheet(5000)
    with CaptureQueriesContext(connection) as small_queries:
        questions_import(data=small, filename="small.xlsx", category_path="小")
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as large_queries:
        summary = questions_import(data=large, filename="large.xlsx", category_path="大")
    elapsed = time.perf_counter() - started
    assert summary.imported == 5000
    assert (
        QuestionVersion.objects.filter(question__category__full_path__startswith="大").count()
        == 5000
    )
    # Only the bulk statements split into more batches; everything else is the same.
    extra_batches = bulk_batches(5000) - bulk_batches(500)
    assert len(small_queries) <= len(large_queries) <= len(small_queries) + extra_batches
    with capsys.disabled():
        print(
            f"\n5,000-row import: {elapsed:.1f}s, {len(large_queries)} queries "
            f"(500 rows: {len(small_queries)})"
        )
