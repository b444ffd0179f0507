"""Editing a question: new version when an attempt holds the current one, else in place."""

from decimal import Decimal

import pytest

from exams.models import AttemptItem, Question, QuestionStatus
from exams.services.bank import question_retire, question_update
from tests.exams.factories_bank import attempt_holding, category, single_question


@pytest.mark.django_db
def test_editing_an_unused_question_updates_in_place():
    question = single_question()
    version = question.current_version
    question_update(question=question, stem="<p>修改后的题干</p>", explanation="新解析")
    question.refresh_from_db()
    assert question.current_version_id == version.pk
    assert question.versions.count() == 1
    assert question.current_version.stem == "<p>修改后的题干</p>"
    assert question.stem_text == "修改后的题干"


@pytest.mark.django_db
def test_editing_a_used_question_keeps_the_old_version(cadre):
    question = single_question()
    item = attempt_holding(question, cadre)
    old = question.current_version
    question_update(
        question=question,
        choices=[{"text": "一年", "fraction": "1"}, {"text": "二年", "fraction": "0"}],
    )
    question.refresh_from_db()
    old.refresh_from_db()
    assert question.versions.count() == 2
    assert question.current_version.number == 2
    assert question.current_version.correct_keys == ["A"]
    # The attempt still holds exactly what its cadre saw.
    item = AttemptItem.objects.get(pk=item.pk)
    assert item.version_id == old.pk
    assert old.correct_keys == ["C"] and len(old.choices) == 3


@pytest.mark.django_db
def test_metadata_changes_never_make_a_version(cadre):
    question = single_question()
    attempt_holding(question, cadre)
    other = category("民法/民法典")
    question_update(
        question=question,
        category=other,
        difficulty="hard",
        default_points=Decimal("2.5"),
        tags=["时效"],
    )
    question.refresh_from_db()
    assert question.versions.count() == 1
    assert (question.category, question.difficulty, question.default_points) == (
        other,
        "hard",
        Decimal("2.5"),
    )
    assert list(question.tags.names()) == ["时效"]


@pytest.mark.django_db
def test_saving_the_same_content_makes_no_version(cadre):
    question = single_question()
    attempt_holding(question, cadre)
    version = question.current_version
    question_update(question=question, stem=version.stem, choices=version.choices)
    assert Question.objects.get(pk=question.pk).versions.count() == 1


@pytest.mark.django_db
def test_retire_hides_and_keeps(cadre):
    question = single_question()
    attempt_holding(question, cadre)
    question_retire(question=question, by=None)
    question.refresh_from_db()
    assert question.status == QuestionStatus.RETIRED
    assert question.versions.count() == 1


@pytest.mark.django_db
def test_a_reported_version_is_kept_when_the_trainer_fixes_it(cadre):
    """An error report points at the version the cadre saw; fixing the question makes a
    new version, so the report still shows what was wrong."""
    from exams.models import QuestionReport

    question = single_question()
    reported = question.current_version
    QuestionReport.objects.create(question=question, version=reported, user=cadre, text="错了")
    question_update(question=question, stem="<p>改正后的题干</p>")
    question.refresh_from_db()
    reported.refresh_from_db()
    assert question.current_version_id != reported.pk
    assert reported.stem != "<p>改正后的题干</p>"
