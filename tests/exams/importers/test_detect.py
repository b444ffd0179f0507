from pathlib import Path

import pytest

from exams.importers import ImportFormatError, detect_format, parse_questions, xlsx_template

FIXTURES = Path(__file__).resolve().parents[2] / "data" / "moodle"
CSV = "题型,题干,选项A,选项B,答案\n单选,问,甲,乙,A\n".encode()


@pytest.mark.parametrize(
    ("filename", "data", "expected"),
    [
        ("题库.xlsx", xlsx_template(), "xlsx"),
        ("renamed.csv", xlsx_template(), "xlsx"),
        ("题库.csv", CSV, "csv"),
        ("题库.txt", CSV, "csv"),
        ("export.xml", (FIXTURES / "format-xml/truefalse.xml").read_bytes(), "moodle-xml"),
        ("noext", b"\xef\xbb\xbf<?xml version='1.0'?><quiz/>", "moodle-xml"),
        ("q.gift", b"anything", "gift"),
        ("q.txt", (FIXTURES / "format-gift/examples.txt").read_bytes(), "gift"),
        ("upload", "::名称::宪法是根本法。{T}".encode("gb18030"), "gift"),
    ],
)
def test_detect_format(filename, data, expected):
    assert detect_format(filename, data) == expected


@pytest.mark.parametrize(
    ("filename", "data"),
    [
        ("a.txt", b""),
        ("a.bin", b"\x00\x01\x02"),
        ("a.xls", b"\xd0\xcf\x11\xe0"),
        ("a.txt", b"hello"),
    ],
)
def test_detect_format_refuses(filename, data):
    with pytest.raises(ImportFormatError):
        detect_format(filename, data)


def test_parse_questions_dispatches_and_honours_override():
    assert len(parse_questions(CSV, "题库.csv").questions) == 1
    assert len(parse_questions(xlsx_template(), "x.xlsx").questions) == 2
    gift = (FIXTURES / "format-gift/questions_in_category.gift.txt").read_bytes()
    assert len(parse_questions(gift, "x.txt", fmt="gift").questions) == 3
    with pytest.raises(ImportFormatError):
        parse_questions(gift, "x.txt", fmt="moodle-xml")
