"""Scoring every question type and mode; properties checked with hypothesis."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exams.scoring import answer_score, blank_normalize

FOUR = [
    {"key": "A", "fraction": "0.5"},
    {"key": "B", "fraction": "0"},
    {"key": "C", "fraction": "0.5"},
    {"key": "D", "fraction": "-1"},
]
SINGLE = [
    {"key": "A", "fraction": "0"},
    {"key": "B", "fraction": "1"},
    {"key": "C", "fraction": "0"},
]


def score(kind, answer, choices=FOUR, blanks=(), points="10", partial=False):
    return answer_score(
        kind=kind,
        choices=choices,
        blanks=list(blanks),
        answer=answer,
        points=Decimal(points),
        partial_multiple=partial,
    )


@pytest.mark.parametrize(
    "kind, answer, partial, expected",
    [
        ("single", ["B"], False, "10.00"),
        ("single", ["A"], False, "0.00"),
        ("single", ["A", "B"], False, "0.00"),
        ("single", None, False, "0.00"),
        ("multiple", ["A", "C"], False, "10.00"),
        ("multiple", ["A"], False, "0.00"),
        ("multiple", ["A"], True, "5.00"),
        ("multiple", ["A", "C"], True, "10.00"),
        ("multiple", ["A", "B"], True, "0.00"),  # a wrong choice picked: nothing
        ("multiple", ["A", "D"], True, "0.00"),
        ("multiple", ["Z"], True, "0.00"),
    ],
)
def test_choice_modes(kind, answer, partial, expected):
    choices = SINGLE if kind == "single" else FOUR
    assert score(kind, answer, choices=choices, partial=partial) == Decimal(expected)


def test_moodle_partial_single_choice_fraction_is_respected():
    choices = [
        {"key": "A", "fraction": "1"},
        {"key": "B", "fraction": "0.5"},
        {"key": "C", "fraction": "-0.5"},
    ]
    assert score("single", ["B"], choices=choices) == Decimal("5.00")
    assert score("single", ["C"], choices=choices) == Decimal("0.00")


@pytest.mark.parametrize(
    "answer, expected",
    [
        (["首违不罚", "全过程记录"], "10.00"),
        ([" 首违不罚 ", "错"], "5.00"),
        (["ＡＢＣ", "全过程记录"], "10.00"),  # full-width letters equal half-width, any case
        (["", ""], "0.00"),
        (["首违不罚"], "5.00"),
    ],
)
def test_blanks_score_per_blank(answer, expected):
    blanks = [["首违不罚", "abc"], ["全过程记录"]]
    assert score("blank", answer, blanks=blanks) == Decimal(expected)


def test_blank_normalisation():
    assert blank_normalize("  Ａ  B　c ") == "a b c"


keys = st.lists(st.sampled_from("ABCD"), unique=True, max_size=4)
fractions = st.lists(
    st.sampled_from(["1", "0.5", "0.25", "0", "-0.5", "-1"]), min_size=4, max_size=4
)


@given(
    answer=keys,
    fr=fractions,
    points=st.sampled_from(["1", "2.5", "10", "33.3"]),
    partial=st.booleans(),
    kind=st.sampled_from(["single", "multiple", "truefalse"]),
)
def test_score_is_between_zero_and_the_points(answer, fr, points, partial, kind):
    choices = [{"key": k, "fraction": f} for k, f in zip("ABCD", fr, strict=True)]
    result = score(kind, answer or None, choices=choices, points=points, partial=partial)
    assert Decimal("0") <= result <= Decimal(points)


@given(answer=keys, order=st.permutations("ABCD"), partial=st.booleans())
def test_shuffling_options_never_changes_the_score(answer, order, partial):
    shuffled = sorted(FOUR, key=lambda choice: order.index(choice["key"]))
    assert score("multiple", answer, choices=FOUR, partial=partial) == score(
        "multiple", list(reversed(answer)), choices=shuffled, partial=partial
    )
