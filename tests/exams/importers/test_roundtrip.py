from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from exams.importers import (
    ParsedChoice,
    ParsedImage,
    ParsedQuestion,
    QuestionKind,
    parse_moodle_xml,
    parse_spreadsheet,
    write_moodle_xml,
    write_xlsx,
    xlsx_template,
)

FIXTURES = Path(__file__).resolve().parents[2] / "data" / "moodle"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
THIRD = Decimal("0.3333333")


def asked(kind, stem, *, name=None, **fields) -> ParsedQuestion:
    """A question as the importers read it: named after its stem unless the name differs."""
    return ParsedQuestion(kind=kind, name=name or stem, stem=stem, **fields)


def sample_questions() -> list[ParsedQuestion]:
    law = ("行政法", "行政处罚法")
    return [
        asked(
            QuestionKind.SINGLE,
            "行政处罚的追责时效是？",
            choices=[ParsedChoice("一年", Decimal(0)), ParsedChoice("二年", Decimal(1))],
            explanation="见第三十六条",
            category=law,
            difficulty="easy",
            points=Decimal("2.5"),
            law_reference="《行政处罚法》第三十六条",
            tags=["时效", "2021年修订"],
        ),
        asked(
            QuestionKind.MULTIPLE,
            "下列属于行政处罚的有<br>（多选）",
            name="下列属于行政处罚的有 （多选）",
            choices=[
                ParsedChoice("警告", THIRD),
                ParsedChoice("罚款", THIRD),
                ParsedChoice("记过", Decimal(0)),
                ParsedChoice("吊销许可证件", THIRD),
            ],
            category=law,
        ),
        asked(
            QuestionKind.TRUEFALSE,
            "a&lt;b &amp; c",
            name="a<b & c",
            choices=[ParsedChoice("对", Decimal(0)), ParsedChoice("错", Decimal(1))],
            difficulty="hard",
        ),
        asked(
            QuestionKind.BLANK,
            "民法典自____年____月施行",
            blanks=[["2021"], ["1", "一"]],
            category=("民法",),
        ),
        asked(
            QuestionKind.BLANK,
            "宪法日是每年的",
            blanks=[["12月4日", "十二月四日"]],
            category=("宪法",),
        ),
    ]


def comparable(questions, images=True):
    return [
        replace(q, source="", images=sorted(q.images, key=lambda i: i.name) if images else [])
        for q in questions
    ]


def test_xlsx_round_trip():
    questions = sample_questions()
    result = parse_spreadsheet(write_xlsx(questions), "export.xlsx")
    assert not result.errors and not result.warnings
    assert comparable(result.questions) == comparable(questions)


def test_moodle_xml_round_trip_with_images_and_feedback():
    questions = sample_questions()
    questions[0].stem += '<img src="@@PLUGINFILE@@/a.png" alt="">'
    questions[0].choices[1].feedback = '<p>正确<img src="@@PLUGINFILE@@/b.png" alt=""></p>'
    questions[0].images = [ParsedImage("a.png", PNG), ParsedImage("b.png", PNG + b"b")]
    questions[1].images = [ParsedImage("unused.png", PNG)]
    result = parse_moodle_xml(write_moodle_xml(questions))
    assert not result.errors and not result.warnings and not result.skipped
    assert comparable(result.questions) == comparable(questions)


@pytest.mark.parametrize(
    "relative",
    [
        "format-xml/multichoice.xml",
        "format-xml/truefalse.xml",
        "format-xml/nested_categories_with_questions.xml",
        "qtype/multichoice/testquestion.moodle.xml",
        "qtype/shortanswer/testquestion.moodle.xml",
    ],
)
def test_moodle_fixture_export_round_trip(relative):
    original = parse_moodle_xml((FIXTURES / relative).read_bytes()).questions
    again = parse_moodle_xml(write_moodle_xml(original)).questions
    assert comparable(again) == comparable(original)


def test_template_parses_to_two_examples():
    result = parse_spreadsheet(xlsx_template(), "模板.xlsx")
    assert not result.errors
    assert [q.kind for q in result.questions] == [QuestionKind.SINGLE, QuestionKind.MULTIPLE]
    assert all("行政处罚法" in q.law_reference for q in result.questions)
