"""The importers' messages go through gettext: in English they are English, and the import
still tells duplicates from other warnings and finds a GIFT question's line or a
spreadsheet question's row."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from exams.importers import ImportFormatError, parse_gift, parse_moodle_xml, parse_questions
from exams.services.bank_import import QuestionImportError, questions_import

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "moodle"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_gift_messages_in_english(english):
    result = parse_gift(b"Essay{}\n\nQ{~%33%a ~%67%b}\n\nBroken {=x\n\nOne {=a =b* =%50%c}\n")
    assert result.skipped[0].reason == "Unsupported question type: Essay (essay)"
    messages = [e.message for e in result.errors] + result.warnings
    assert "Line 3, question “Q”: the answer grade 33% is not valid." in messages
    assert "Line 5: the question's braces do not match; check its “{” and “}”." in messages
    assert (
        "Line 7, question “One”: Answers with partial credit (“c”) are not supported; ignored."
        in messages
    )
    assert (
        "Line 7, question “One”: The wildcard “*” in an answer is taken as a plain character."
        in messages
    )
    assert not [m for m in messages if CHINESE.search(m)]


def test_moodle_xml_messages_in_english(english):
    xml = (
        b'<quiz><question type="multichoice"><name><text>Q1</text></name>'
        b"<questiontext><text>Stem</text></questiontext><defaultgrade>0</defaultgrade>"
        b'<answer fraction="100"><text>a</text></answer></question></quiz>'
    )
    errors = [e.message for e in parse_moodle_xml(xml).errors]
    assert errors == [
        "Question “Q1”: the grade (defaultgrade) must be a number greater than 0.",
        "Question “Q1” needs at least two options.",
    ]
    with pytest.raises(ImportFormatError, match="root element should be <quiz>"):
        parse_moodle_xml(b"<html/>")
    with pytest.raises(ImportFormatError, match="Unsupported import format: docx"):
        parse_questions(b"x", "a.docx", "docx")


@pytest.mark.django_db
def test_the_import_sorts_english_duplicates_and_names_the_line(english):
    data = (FIXTURES / "format-gift/examples.txt").read_bytes()
    summary = questions_import(data=data, filename="examples.txt")
    assert len(summary.duplicates) == 13
    assert all(
        re.fullmatch(r"Line \d+ repeats Line \d+; the question from Line \d+ was kept\.", d)
        for d in summary.duplicates
    )
    assert not [w for w in summary.duplicates + summary.warnings if CHINESE.search(w)]
    long_stem = "Q{=a ~b}\n\n" + "x" * 5001 + "{=a ~b}\n"
    with pytest.raises(QuestionImportError) as caught:
        questions_import(data=long_stem.encode(), filename="long.gift")
    assert caught.value.messages == ["Line 3: The stem is longer than 5000 characters."]
    assert [e.row for e in caught.value.row_errors] == [3]
    with pytest.raises(QuestionImportError) as caught:
        questions_import(data=b"Q{=a ~b}\n\nR{~a ~b}\n", filename="bad.gift")
    assert caught.value.messages[0] == (
        "Question 3: Line 3, question “R” is a multiple-answer question: the grades of its "
        "correct options must add up to 100%."
    )


def _csv(*rows: str) -> bytes:
    return "\n".join(("题型,题干,选项A,选项B,答案,难度,分值", *rows)).encode()


def test_spreadsheet_messages_in_english(english):
    rows = ["单选,S,a,b,AB,易,x", "判断,T,,,也许,很难,0", "问答,U,,,"]
    rows += ["单选,D,a,b,A", "单选,D,a,b,A"]
    result = parse_questions(_csv(*rows), "bank.csv")
    messages = [e.message for e in result.errors] + result.warnings
    assert messages == [
        "The points “x” are not a number.",
        "A single-answer question can have only one correct answer.",
        "The difficulty “很难” is not valid: write “易”, “中” or “难”.",
        "The points must be more than 0; they are “0”.",
        "The true/false answer “也许” is not valid: write “对” or “错” (or 正确/错误, √/×, T/F).",
        "Unknown question type “问答”: write 单选, 多选, 判断 or 填空.",
        "The answer cannot be empty.",
        "Row 6 repeats Row 5; the question from Row 5 was kept.",
    ]
    with pytest.raises(ImportFormatError) as caught:
        parse_questions("题干,选项A\nS,a\n".encode(), "bank.csv")
    assert str(caught.value) == (
        "No header found: row 1 must have the columns “题型”, “题干” and “答案”; "
        "missing “题型”, “答案”."
    )


@pytest.mark.django_db
def test_the_import_names_a_spreadsheet_row_in_english(english):
    with pytest.raises(QuestionImportError) as caught:
        questions_import(data=_csv("单选,S,a,b,A", "单选,T,a,b,A,,0.2"), filename="b.csv")
    [message] = caught.value.messages
    assert message.startswith("Row 3: ") and not CHINESE.search(message)
    assert [e.row for e in caught.value.row_errors] == [3]
