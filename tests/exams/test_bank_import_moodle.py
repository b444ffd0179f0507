"""Every Moodle fixture through the import service: what lands in the database."""

from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from wagtail.images import get_image_model

from exams.models import Question, QuestionCategory
from exams.services.bank_import import QuestionImportError, questions_import

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "moodle"

# file -> (questions in the DB by kind, skipped, categories the questions went into)
EXPECTED = {
    "format-xml/multichoice.xml": ({"single": 1}, 0, 1),
    "format-xml/truefalse.xml": ({"truefalse": 2}, 0, 1),
    "format-xml/multianswer.xml": ({}, 1, 0),
    "format-xml/sample_questions_with_old_image_tag.xml": ({"single": 1}, 1, 1),
    "format-xml/broken_cloze_questions.xml": ({}, 5, 0),
    "format-xml/nested_categories.xml": ({"truefalse": 1}, 0, 1),
    "format-xml/nested_categories_with_questions.xml": ({"truefalse": 4}, 1, 4),
    "format-xml/categories_reverse_order.xml": ({"blank": 1}, 1, 1),
    "format-xml/category_with_description.xml": ({"truefalse": 1}, 0, 1),
    "format-xml/export_category.xml": ({"truefalse": 1}, 0, 1),
    "format-xml/html_chars_in_idnumbers.xml": ({"truefalse": 1}, 0, 1),
    "format-xml/old_format_file.xml": ({"truefalse": 2}, 0, 2),
    "format-xml/moodle-5.x/category_with_description.xml": ({"truefalse": 1}, 0, 1),
    "format-xml/moodle-5.x/deprecated_category.xml": ({"truefalse": 1}, 0, 1),
    "format-multianswer/multianswer-all-types.xml": ({}, 1, 0),
    "qtype/multichoice/testquestion.moodle.xml": ({"multiple": 1}, 0, 1),
    "qtype/truefalse/testquestion.moodle.xml": ({"truefalse": 1}, 0, 1),
    "qtype/shortanswer/testquestion.moodle.xml": ({"blank": 1}, 0, 1),
    "qtype/match/testquestion.moodle.xml": ({}, 1, 0),
    "qtype/essay/testquestion.moodle.xml": ({}, 1, 0),
    "qtype/numerical/testquestion.moodle.xml": ({}, 1, 0),
    "qtype/description/testquestion.moodle.xml": ({}, 1, 0),
    "qtype/gapselect/testquestion.moodle.xml": ({}, 1, 0),
    "qtype/ddwtos/testquestion.moodle.xml": ({}, 1, 0),
    "qtype/ddimageortext/testquestion.moodle.xml": ({}, 1, 0),
    "qtype/ddmarker/testquestion.moodle.xml": ({}, 1, 0),
    "format-gift/examples.txt": ({"single": 10, "multiple": 2, "truefalse": 2, "blank": 5}, 11, 1),
    "format-gift/questions.gift.txt": (
        {"single": 1, "multiple": 1, "truefalse": 2, "blank": 1},
        3,
        1,
    ),
    "format-gift/questions_in_category.gift.txt": ({"single": 1, "truefalse": 1, "blank": 1}, 1, 1),
    "format-gift/questions_encoding_windows-1252.gift.txt": ({}, 3, 0),
}


def load(relative, **kwargs):
    path = FIXTURES / relative
    return questions_import(data=path.read_bytes(), filename=path.name, **kwargs)


def test_every_fixture_is_listed():
    found = {
        str(p.relative_to(FIXTURES))
        for p in FIXTURES.rglob("*")
        if p.is_file() and p.suffix != ".md"
    }
    assert found - {"format-xml/error_invalid_grades.xml"} == set(EXPECTED)


@pytest.mark.django_db
@pytest.mark.parametrize(("relative", "expected"), EXPECTED.items())
def test_fixture_lands_in_the_database(relative, expected):
    kinds, skipped, categories = expected
    summary = load(relative)
    in_db = Counter(Question.objects.values_list("kind", flat=True))
    assert in_db == Counter(kinds)
    assert Counter({k: v for k, v in summary.counts.items() if v}) == Counter(kinds)
    assert len(summary.skipped) == skipped
    assert summary.categories == categories
    # Every question has its first version as the current one, and stem_text filled.
    for question in Question.objects.select_related("current_version"):
        assert question.current_version.number == 1
        assert question.current_version.question_id == question.pk
        assert question.stem_text


@pytest.mark.django_db
def test_invalid_grades_file_writes_nothing():
    with pytest.raises(QuestionImportError) as caught:
        load("format-xml/error_invalid_grades.xml")
    assert any("33%" in m for m in caught.value.messages)
    assert Question.objects.count() == 0 and QuestionCategory.objects.count() == 0


@pytest.mark.django_db
def test_multichoice_images_become_wagtail_images():
    load("format-xml/multichoice.xml")
    question = Question.objects.get()
    version = question.current_version
    assert question.category.full_path == "Default for testhead / Multichoice"
    assert [c["fraction"] for c in version.choices] == ["0", "1", "0", "0"]
    assert version.correct_keys == ["B"]
    images = get_image_model().objects.all()
    assert sorted(i.title for i in images) == [
        "flag-denmark.jpg",
        "flag-france.jpg",
        "flag-german.jpg",
        "flag-uk.jpg",
    ]
    text = " ".join(c["text"] for c in version.choices)
    assert "@@PLUGINFILE@@" not in text
    for image in images:
        assert image.width > 0 and image.file_hash
        assert image.file.url in text


@pytest.mark.django_db
def test_old_image_tag_points_the_stem_at_the_image():
    load("format-xml/sample_questions_with_old_image_tag.xml")
    image = get_image_model().objects.get()
    stem = Question.objects.get().current_version.stem
    assert f'src="{image.file.url}"' in stem and "@@PLUGINFILE@@" not in stem


@pytest.mark.django_db
def test_shared_images_are_stored_once():
    summary = load("format-xml/truefalse.xml")
    assert summary.images == 4 and get_image_model().objects.count() == 4
    first, second = Question.objects.order_by("pk").select_related("current_version")
    assert [c["fraction"] for c in first.current_version.choices] == ["0", "1"]
    assert [c["fraction"] for c in second.current_version.choices] == ["1", "0"]
    assert [c["text"] for c in first.current_version.choices] == ["对", "错"]
    assert "@@PLUGINFILE@@" not in first.current_version.explanation


@pytest.mark.django_db
def test_fractions_and_penalties_are_kept():
    load("format-gift/questions.gift.txt")
    colours = Question.objects.get(kind="multiple").current_version
    assert [Decimal(c["fraction"]) for c in colours.choices] == [
        Decimal("0.5"),
        Decimal(-1),
        Decimal("0.5"),
        Decimal(-1),
    ]
    blank = Question.objects.get(kind="blank").current_version
    assert blank.blanks == [["Frog"]]


@pytest.mark.django_db
def test_nested_categories_form_a_tree():
    load("format-xml/nested_categories_with_questions.xml")
    lam = QuestionCategory.objects.get(full_path="Iota / Kappa / Lambda")
    assert lam.parent.full_path == "Iota / Kappa" and lam.parent.parent.name == "Iota"
    assert Question.objects.filter(category=lam).count() == 1


@pytest.mark.django_db
def test_same_file_twice_is_unchanged():
    load("format-gift/examples.txt")
    again = load("format-gift/examples.txt")
    assert again.imported == 0 and again.unchanged == 19
    assert Question.objects.count() == 19
    assert again.summary_line() == (
        "导入 0 道题（单选题 0、多选题 0、判断题 0、填空题 0），分入 0 个分类；跳过 11 道"
    )


@pytest.mark.django_db
def test_duplicates_in_the_file_are_reported_not_fatal():
    summary = load("format-gift/examples.txt")
    assert len(summary.duplicates) == 13
    assert all("重复" in d for d in summary.duplicates)


@pytest.mark.django_db
def test_skipped_types_named_one_by_one():
    summary = load("format-gift/questions.gift.txt")
    assert sorted(s.qtype for s in summary.skipped) == ["essay", "matching", "numerical"]
    assert all(s.reason.startswith("不支持的题型") for s in summary.skipped)


@pytest.mark.django_db
def test_category_option_puts_questions_below_it():
    load("format-xml/old_format_file.xml", category_path="2021年新法 / 导入")
    paths = set(Question.objects.values_list("category__full_path", flat=True))
    assert paths == {"2021年新法 / 导入 / Pi", "2021年新法 / 导入 / Pi / Rho"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [b"", b"<quiz><question></quiz>", b"<html/>", b"\xd0\xcf\x11\xe0 old excel"],
)
def test_malformed_file_is_a_clear_error(data):
    with pytest.raises(QuestionImportError) as caught:
        questions_import(data=data, filename="bank.xml")
    assert caught.value.messages and all(m for m in caught.value.messages)
    assert Question.objects.count() == 0
