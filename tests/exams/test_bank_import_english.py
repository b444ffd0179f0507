"""The importers' messages go through gettext: in English they are English, and the import
still tells duplicates from other warnings and finds a GIFT question's line."""

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
