from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from exams.importers import ImportFormatError, QuestionKind, parse_moodle_xml

FIXTURES = Path(__file__).resolve().parents[2] / "data" / "moodle"


def parse(relative: str):
    return parse_moodle_xml((FIXTURES / relative).read_bytes())


# file -> (questions by kind, skipped by Moodle type, number of errors)
EXPECTED = {
    "format-xml/multichoice.xml": ({"single": 1}, {}, 0),
    "format-xml/truefalse.xml": ({"truefalse": 2}, {}, 0),
    "format-xml/multianswer.xml": ({}, {"cloze": 1}, 0),
    "format-xml/sample_questions_with_old_image_tag.xml": ({"single": 1}, {"cloze": 1}, 0),
    "format-xml/broken_cloze_questions.xml": ({}, {"cloze": 5}, 0),
    "format-xml/error_invalid_grades.xml": ({"multiple": 1}, {}, 1),
    "format-xml/nested_categories.xml": ({"truefalse": 1}, {}, 0),
    "format-xml/nested_categories_with_questions.xml": ({"truefalse": 4}, {"essay": 1}, 0),
    "format-xml/categories_reverse_order.xml": ({"blank": 1}, {"essay": 1}, 0),
    "format-xml/category_with_description.xml": ({"truefalse": 1}, {}, 0),
    "format-xml/export_category.xml": ({"truefalse": 1}, {}, 0),
    "format-xml/html_chars_in_idnumbers.xml": ({"truefalse": 1}, {}, 0),
    "format-xml/old_format_file.xml": ({"truefalse": 2}, {}, 0),
    "format-xml/moodle-5.x/category_with_description.xml": ({"truefalse": 1}, {}, 0),
    "format-xml/moodle-5.x/deprecated_category.xml": ({"truefalse": 1}, {}, 0),
    "format-multianswer/multianswer-all-types.xml": ({}, {"cloze": 1}, 0),
    "qtype/multichoice/testquestion.moodle.xml": ({"multiple": 1}, {}, 0),
    "qtype/truefalse/testquestion.moodle.xml": ({"truefalse": 1}, {}, 0),
    "qtype/shortanswer/testquestion.moodle.xml": ({"blank": 1}, {}, 0),
    "qtype/match/testquestion.moodle.xml": ({}, {"matching": 1}, 0),
    "qtype/essay/testquestion.moodle.xml": ({}, {"essay": 1}, 0),
    "qtype/numerical/testquestion.moodle.xml": ({}, {"numerical": 1}, 0),
    "qtype/description/testquestion.moodle.xml": ({}, {"description": 1}, 0),
    "qtype/gapselect/testquestion.moodle.xml": ({}, {"gapselect": 1}, 0),
    "qtype/ddwtos/testquestion.moodle.xml": ({}, {"gapselect": 1}, 0),
    "qtype/ddimageortext/testquestion.moodle.xml": ({}, {"ddimageortext": 1}, 0),
    "qtype/ddmarker/testquestion.moodle.xml": ({}, {"ddmarker": 1}, 0),
}


def test_every_xml_fixture_is_listed():
    found = {str(p.relative_to(FIXTURES)) for p in FIXTURES.rglob("*.xml")}
    assert found == set(EXPECTED)


@pytest.mark.parametrize(("relative", "expected"), EXPECTED.items())
def test_fixture_counts(relative, expected):
    kinds, skipped, errors = expected
    result = parse(relative)
    assert Counter(q.kind for q in result.questions) == Counter(kinds)
    assert Counter(s.qtype for s in result.skipped) == Counter(skipped)
    assert len(result.errors) == errors
    assert all(s.reason.startswith("不支持的题型") for s in result.skipped)


def test_multichoice_single_with_images_and_dropped_audio():
    (q,) = parse("format-xml/multichoice.xml").questions
    assert q.kind == QuestionKind.SINGLE
    assert q.name == "Greeting"
    assert q.category == ("Default for testhead", "Multichoice")
    assert [c.fraction for c in q.choices] == [0, 1, 0, 0]
    assert "French" in q.choices[1].text and q.choices[1].feedback == "<p>Yes, well done!</p>"
    assert [i.name for i in q.images] == [
        "flag-uk.jpg",
        "flag-france.jpg",
        "flag-german.jpg",
        "flag-denmark.jpg",
    ]
    assert q.images[0].data.startswith(b"\xff\xd8\xff")
    assert "bonjour.mp3" not in q.stem and "Listen to this greeting" in q.stem


def test_audio_is_dropped_with_warning():
    warnings = parse("format-xml/multichoice.xml").warnings
    assert any("bonjour.mp3" in w for w in warnings)


def test_truefalse_feedback_explanation_and_shared_image_names():
    first, second = parse("format-xml/truefalse.xml").questions
    assert [c.text for c in first.choices] == ["对", "错"]
    assert [c.fraction for c in first.choices] == [0, 1]
    assert [c.fraction for c in second.choices] == [1, 0]
    assert "thumbdown.jpg" in first.choices[0].feedback
    assert "documentation about Moodle" in first.explanation
    assert sorted(i.name for i in first.images) == [
        "infos.jpg",
        "logo.jpg",
        "thumbdown.jpg",
        "thumbup.jpg",
    ]


def test_multiple_answer_fractions():
    (q,) = parse("qtype/multichoice/testquestion.moodle.xml").questions
    assert q.kind == QuestionKind.MULTIPLE
    assert [c.fraction for c in q.choices] == [0, 0, Decimal("0.5"), 0, Decimal("0.5")]
    assert q.explanation == "Berlin, Paris and London"


def test_invalid_grade_is_an_error_naming_the_question():
    result = parse("format-xml/error_invalid_grades.xml")
    (error,) = result.errors
    assert "33%" in error.message and "invalid grades" in error.message
    (q,) = result.questions
    assert q.name == "Question with invalid grades : x > 1 & x < 2"
    # 33.33333% is Moodle's way of writing one third and is valid.
    assert q.choices[2].fraction == Decimal("0.3333333")
    assert q.choices[0].fraction == Decimal("-0.5")


def test_shortanswer_keeps_full_marks_answers_only():
    result = parse("qtype/shortanswer/testquestion.moodle.xml")
    (q,) = result.questions
    assert q.kind == QuestionKind.BLANK
    assert q.blanks == [["frog"]]
    assert q.category == ("Test questions",)
    assert any("toad" in w for w in result.warnings)


def test_child_category_before_parent():
    result = parse("format-xml/categories_reverse_order.xml")
    (q,) = result.questions
    assert q.name == "Sigma Question" and q.category == ("Sigma",)
    assert q.blanks == [["yes"]]
    assert result.skipped[0].name == "Tau Question"


@pytest.mark.parametrize(
    ("relative", "categories"),
    [
        (
            "format-xml/nested_categories_with_questions.xml",
            [("Iota",), ("Iota", "Kappa"), ("Iota", "Kappa", "Lambda"), ("Iota", "Mu")],
        ),
        ("format-xml/nested_categories.xml", [("Delta", "Epsilon", "Zeta")]),
        ("format-xml/moodle-5.x/category_with_description.xml", [("Alpha",)]),
        ("format-xml/moodle-5.x/deprecated_category.xml", [("Alpha",)]),
    ],
)
def test_category_paths(relative, categories):
    assert [q.category for q in parse(relative).questions] == categories


def test_old_image_tag_and_untrimmed_answers():
    result = parse("format-xml/sample_questions_with_old_image_tag.xml")
    (q,) = result.questions
    assert [i.name for i in q.images] == ["moodle.png"]
    assert q.images[0].data.startswith(b"\x89PNG")
    assert '<img src="@@PLUGINFILE@@/moodle.png"' in q.stem
    assert '"image"' in q.stem
    assert [c.text for c in q.choices] == ["wrong answer", "another wrong answer", "right answer"]
    assert result.skipped[0].name == "cloze question with image"


def test_skipped_reason_is_chinese():
    (skipped,) = parse("qtype/essay/testquestion.moodle.xml").skipped
    assert skipped.name == "essay-001"
    assert skipped.reason == "不支持的题型：论述题(essay)"


def test_shortanswer_only_cloze_becomes_blank():
    data = (
        b"<quiz><question type='cloze'><name><text>c</text></name><questiontext format='html'>"
        b"<text>A {1:SHORTANSWER:=x~=y~%50%z} and {1:SA:=w}</text></questiontext></question></quiz>"
    )
    result = parse_moodle_xml(data)
    (q,) = result.questions
    assert q.blanks == [["x", "y"], ["w"]]
    assert q.stem == "A ____ and ____"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"<quiz><question></quiz>",
        b"<html><body/></html>",
        b'<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
        b"<quiz>&b;</quiz>",
    ],
)
def test_unreadable_files_raise(data):
    with pytest.raises(ImportFormatError):
        parse_moodle_xml(data)


def test_script_is_removed_from_html():
    data = (
        b"<quiz><question type='truefalse'><name><text>n</text></name>"
        b"<questiontext format='html'><text><![CDATA[<p onclick='x()'>Q<script>alert(1)</script>"
        b"<a href='javascript:alert(1)'>l</a></p>]]></text></questiontext>"
        b"<answer fraction='100'><text>true</text></answer>"
        b"<answer fraction='0'><text>false</text></answer></question></quiz>"
    )
    (q,) = parse_moodle_xml(data).questions
    assert q.stem == "<p>Q<a>l</a></p>"


def test_gb2312_declared_xml():
    data = (
        '<?xml version="1.0" encoding="GB2312"?><quiz><question type="truefalse">'
        "<name><text>宪法</text></name><questiontext><text>宪法是根本法</text></questiontext>"
        '<answer fraction="100"><text>true</text></answer>'
        '<answer fraction="0"><text>false</text></answer></question></quiz>'
    ).encode("gb2312")
    (q,) = parse_moodle_xml(data).questions
    assert (q.name, q.stem) == ("宪法", "宪法是根本法")
