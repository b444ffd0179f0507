import pytest
from hypothesis import given
from hypothesis import strategies as st

from exams.importers.text import (
    cell_to_html,
    decode_text,
    format_to_html,
    html_to_cell,
    html_to_text,
    normalize_answer,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("  ＡＢＣ１２３ ", "ABC123"), ("全角　空格", "全角 空格"), ("（一）", "(一)"), (None, "")],
)
def test_normalize_answer(raw, expected):
    assert normalize_answer(raw) == expected


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"))))
def test_plain_cells_round_trip(text):
    html = cell_to_html(text)
    assert cell_to_html(html_to_cell(html)) == html


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        ("a\nb", "moodle_auto_format", "a<br>b"),
        ("a <b>", "plain_text", "a &lt;b&gt;"),
        ("**粗**", "markdown", "<p><strong>粗</strong></p>"),
        ("<p>x</p>", None, "<p>x</p>"),
    ],
)
def test_format_to_html(text, fmt, expected):
    assert format_to_html(text, fmt) == expected


def test_html_to_text():
    assert html_to_text("<p>第一段</p><p>第二&amp;段<br>换行</p>") == "第一段\n第二&段\n换行"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("行政处罚".encode("gbk"), "行政处罚"),
        ("行政处罚".encode("utf-8-sig"), "行政处罚"),
        ("aödf".encode("cp1252"), "aödf"),
        ("行政".encode("utf-16"), "行政"),
    ],
)
def test_decode_text(data, expected):
    assert decode_text(data) == expected
