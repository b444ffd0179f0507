from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from exams.importers import ImportFormatError, QuestionKind, parse_gift

FIXTURES = Path(__file__).resolve().parents[2] / "data" / "moodle" / "format-gift"


def gift(text: str):
    return parse_gift(text.encode("utf-8"))


def only(text: str):
    result = gift(text)
    assert not result.errors, result.errors
    (question,) = result.questions
    return question


# file -> (questions by kind, skipped by type, duplicate warnings)
EXPECTED = {
    "examples.txt": (
        {"single": 10, "multiple": 2, "truefalse": 2, "blank": 5},
        {"numerical": 8, "matching": 3},
        13,
    ),
    "questions.gift.txt": (
        {"single": 1, "multiple": 1, "blank": 1, "truefalse": 2},
        {"essay": 1, "matching": 1, "numerical": 1},
        1,
    ),
    "questions_in_category.gift.txt": (
        {"single": 1, "blank": 1, "truefalse": 1},
        {"matching": 1},
        0,
    ),
    "questions_encoding_windows-1252.gift.txt": ({}, {"essay": 2, "matching": 1}, 0),
}


@pytest.mark.parametrize(("name", "expected"), EXPECTED.items())
def test_fixture_counts(name, expected):
    kinds, skipped, duplicates = expected
    result = parse_gift((FIXTURES / name).read_bytes())
    assert not result.errors
    assert Counter(q.kind for q in result.questions) == Counter(kinds)
    assert Counter(s.qtype for s in result.skipped) == Counter(skipped)
    assert sum("重复" in w for w in result.warnings) == duplicates


def test_windows_1252_is_decoded():
    result = parse_gift((FIXTURES / "questions_encoding_windows-1252.gift.txt").read_bytes())
    assert [s.name for s in result.skipped] == ["asdf", "test daniel", "asdf"]


def test_category_line_applies_to_following_questions():
    result = parse_gift((FIXTURES / "questions_in_category.gift.txt").read_bytes())
    assert {q.category for q in result.questions} == {("Default for New Features",)}
    greeting = result.questions[0]
    assert greeting.name == "Greeting"
    assert 'href="http://demo.moodle.net/file.php/5/media/bonjour.mp3"' in greeting.stem
    assert [c.fraction for c in greeting.choices] == [0, 1, 0, 0]


def test_truefalse_with_feedback_and_general_feedback():
    result = parse_gift((FIXTURES / "questions.gift.txt").read_bytes())
    q = next(q for q in result.questions if q.name == "Q1")
    assert q.kind == QuestionKind.TRUEFALSE
    assert [c.fraction for c in q.choices] == [0, 1]
    # The first feedback is for a wrong response, i.e. for choosing "对" here.
    assert q.choices[0].feedback == "42 is the Ultimate Answer."
    assert q.choices[1].feedback == "You gave the right answer."
    assert "Hitchiker" in q.explanation


@pytest.mark.parametrize(
    ("answer", "fractions"),
    [("{T}", [1, 0]), ("{TRUE}", [1, 0]), ("{F}", [0, 1]), ("{FALSE#no}", [0, 1])],
)
def test_truefalse_markers(answer, fractions):
    q = only(f"The sky is blue.{answer}")
    assert q.kind == QuestionKind.TRUEFALSE
    assert [c.text for c in q.choices] == ["对", "错"]
    assert [c.fraction for c in q.choices] == fractions


def test_weights_make_multiple_choice():
    q = only("::colours:: Pick{~%50%yellow ~%-100%red ~%50%beige}")
    assert q.kind == QuestionKind.MULTIPLE
    assert [c.fraction for c in q.choices] == [Decimal("0.5"), -1, Decimal("0.5")]


def test_single_with_partial_credit_option():
    q = only("Q{~wrong ~%50%half =full#well done}")
    assert q.kind == QuestionKind.SINGLE
    assert [c.fraction for c in q.choices] == [0, Decimal("0.5"), 1]
    assert q.choices[2].feedback == "well done"


def test_escaped_control_characters():
    q = only(r"Which is 5\: a \{b\}? {~ \= 2 + 2 = \= 2 + 3 # yes \# 1 ~ a \~ b}")
    assert q.stem == "Which is 5: a {b}?"
    assert [c.text for c in q.choices] == ["= 2 + 2", "= 2 + 3", "a ~ b"]
    assert q.choices[1].feedback == "yes # 1"


def test_backslash_escape():
    q = only(r"Which? {~ \~ =\\ # backslash}")
    assert [c.text for c in q.choices] == ["~", "\\"]


def test_comments_title_and_format_markers():
    q = only("// comment\n::行政处罚::[html]<b>依据</b>哪部法律？{=行政处罚法 ~刑法}\n// end")
    assert q.name == "行政处罚"
    assert q.stem == "<b>依据</b>哪部法律？"
    q = only("[plain]a <b> c{=x ~y}")
    assert q.stem == "a &lt;b&gt; c"


def test_missing_word_shortanswer_and_line_numbers():
    result = gift("// intro\n\nTwo plus two equals {=four =4}.\n\n\nBroken {=x\n")
    (q,) = result.questions
    assert q.kind == QuestionKind.BLANK
    assert q.stem == "Two plus two equals ____."
    assert q.blanks == [["four", "4"]]
    assert q.source == "第3行"
    (error,) = result.errors
    assert error.row == 6


def test_category_with_top_and_course_prefix():
    q = only("$CATEGORY: $course$/top/法律/民法典\n\n民法典自哪年施行？{=2021 =2021年}")
    assert q.category == ("法律", "民法典")


def test_unsupported_types_are_skipped():
    result = gift("Essay{}\n\nNum{#3:1}\n\nMatch{=a -> b =c -> d}\n\nJust text.")
    assert [s.qtype for s in result.skipped] == ["essay", "numerical", "matching", "description"]
    assert result.skipped[0].reason == "不支持的题型：论述题(essay)"


def test_invalid_weight_is_error():
    result = gift("Q{~%33%a ~%67%b}")
    assert result.errors and "33%" in result.errors[0].message


def test_gb18030_file():
    result = parse_gift("行政处罚法自2021年7月15日起施行。{T}".encode("gb18030"))
    assert result.questions[0].stem == "行政处罚法自2021年7月15日起施行。"


def test_empty_file_raises():
    with pytest.raises(ImportFormatError):
        parse_gift(b"  \n")
