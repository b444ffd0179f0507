"""The rules every question obeys, and the admin form that applies them."""

import pytest
from django.core.exceptions import ValidationError

from exams.forms_bank import QuestionForm
from exams.models import Question
from exams.services.bank import choices_normalize, question_validate
from tests.exams.factories_bank import category, single_question


def choices(*fractions):
    return choices_normalize([{"text": f"选项{i}", "fraction": f} for i, f in enumerate(fractions)])


TF = choices_normalize([{"text": "对", "fraction": 1}, {"text": "错", "fraction": 0}])


@pytest.mark.parametrize(
    ("kind", "stem", "options", "blanks", "field"),
    [
        ("single", "", choices(1, 0), [], "stem"),
        ("single", "题", choices(1, 1), [], "choices"),
        ("single", "题", choices(0, 0), [], "choices"),
        ("single", "题", choices(1), [], "choices"),
        ("single", "题", choices(1, *[0] * 8), [], "choices"),
        ("multiple", "题", choices(1, 0, 0), [], "choices"),
        ("multiple", "题", choices("0.5", "0.3", 0), [], "choices"),
        ("truefalse", "题", choices(1, 0), [], "choices"),
        (
            "truefalse",
            "题",
            choices_normalize([{"text": "对", "fraction": 1}, {"text": "错", "fraction": 1}]),
            [],
            "choices",
        ),
        ("blank", "题", [], [], "blanks"),
        ("blank", "题", [], [["甲"], []], "blanks"),
        ("blank", "题", choices(1, 0), [["甲"]], "choices"),
        ("essay", "题", [], [], "kind"),
    ],
)
def test_invalid_questions(kind, stem, options, blanks, field):
    with pytest.raises(ValidationError) as caught:
        question_validate(kind=kind, stem=stem, choices=options, blanks=blanks)
    assert field in caught.value.message_dict


@pytest.mark.parametrize(
    ("kind", "options", "blanks"),
    [
        ("single", choices(0, 1, 0), []),
        ("single", choices(0, "0.5", 1), []),  # Moodle partial credit on a near-miss
        ("multiple", choices("0.5", "0.5", 0), []),
        ("multiple", choices("0.3333333", "0.3333333", "0.3333333", -1), []),
        ("truefalse", TF, []),
        ("blank", [], [["二年", "两年"], ["五年"]]),
    ],
)
def test_valid_questions(kind, options, blanks):
    question_validate(kind=kind, stem="<p>题干</p>", choices=options, blanks=blanks)


def form_data(**overrides):
    data = {
        "category": str(category().pk),
        "kind": "single",
        "difficulty": "medium",
        "default_points": "1",
        "stem": "追责时效是？",
        "choice_A_text": "一年",
        "choice_B_text": "二年",
        "choice_B_correct": "on",
        "explanation": "第三十六条",
        "tags": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.django_db
def test_form_builds_choices_from_ticks():
    form = QuestionForm(data=form_data())
    assert form.is_valid(), form.errors
    assert [c["fraction"] for c in choices_normalize(form.content["choices"])] == ["0", "1"]


@pytest.mark.django_db
def test_form_multiple_shares_points_equally():
    form = QuestionForm(
        data=form_data(
            kind="multiple", choice_A_correct="on", choice_C_text="三年", choice_C_correct="on"
        )
    )
    assert form.is_valid(), form.errors
    fractions = [c["fraction"] for c in choices_normalize(form.content["choices"])]
    assert fractions == ["0.3333333"] * 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides",
    [
        {"choice_A_correct": "on"},  # single with two correct
        {"choice_B_correct": None},  # single with none
        {"kind": "multiple"},  # multiple with one
        {"choice_B_text": None, "choice_C_text": "三年"},  # gap between choices
        {"stem": ""},
        {"kind": "truefalse"},  # no answer chosen
        {"kind": "blank", "blanks_text": ""},
    ],
)
def test_form_rejects(overrides):
    form = QuestionForm(data=form_data(**overrides))
    assert not form.is_valid()


@pytest.mark.django_db
def test_form_blank_and_truefalse():
    form = QuestionForm(data=form_data(kind="blank", blanks_text="二年 / 两年\n五年"))
    assert form.is_valid(), form.errors
    assert form.content["blanks"] == [["二年", "两年"], ["五年"]]
    form = QuestionForm(data=form_data(kind="truefalse", truefalse_answer="false"))
    assert form.is_valid(), form.errors
    assert [c["fraction"] for c in form.content["choices"]] == [0, 1]


@pytest.mark.django_db
def test_form_shows_the_current_version():
    question = Question.objects.select_related("current_version").get(pk=single_question().pk)
    form = QuestionForm(instance=question)
    assert form.initial["stem"] == question.current_version.stem
    assert form.initial["choice_C_correct"] is True
    assert form.initial["choice_A_correct"] is False
