"""Export then import gives the same questions (XLSX and Moodle XML), and the commands."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from wagtail.images import get_image_model

from exams.models import Question, QuestionVersion
from exams.services.bank_export import questions_export
from exams.services.bank_import import questions_import

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "moodle"


def snapshot():
    return sorted(
        (
            q.category.full_path,
            q.kind,
            q.stem_text,
            q.difficulty,
            q.default_points,
            q.law_reference,
            tuple((c["text"], c["fraction"]) for c in q.current_version.choices),
            tuple(map(tuple, q.current_version.blanks)),
            tuple(sorted(q.tags.names())),
        )
        for q in Question.objects.select_related("category", "current_version")
    )


def wipe(questions):
    """Tests only: the app never deletes questions."""
    questions.update(current_version=None)
    QuestionVersion.objects.filter(question__in=questions).delete()
    questions.delete()


def reimport(fmt):
    before = snapshot()
    data = questions_export(questions=Question.objects.all(), fmt=fmt)
    wipe(Question.objects.all())
    summary = questions_import(data=data, filename="export." + ("xlsx" if fmt == "xlsx" else "xml"))
    return before, summary


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "moodle-xml"])
def test_roundtrip(fmt):
    # The XLSX template marks answers by letter, so it carries no partial credit or
    # penalties: those questions are left out of its source bank.
    source = "format-gift/questions.gift.txt" if fmt == "moodle-xml" else "format-gift/examples.txt"
    questions_import(data=(FIXTURES / source).read_bytes(), filename="q.gift")
    if fmt == "xlsx":
        penalised = [
            q.pk
            for q in Question.objects.select_related("current_version")
            if any(
                c["fraction"].startswith("-") or (q.kind == "single" and c["fraction"] not in "01")
                for c in q.current_version.choices
            )
        ]
        wipe(Question.objects.filter(pk__in=penalised))
    questions_import(
        data=(FIXTURES / "format-xml/nested_categories_with_questions.xml").read_bytes(),
        filename="n.xml",
    )
    before, summary = reimport(fmt)
    assert summary.imported == len(before) == (9 if fmt == "moodle-xml" else 19)
    assert snapshot() == before


@pytest.mark.django_db
def test_moodle_roundtrip_keeps_images():
    questions_import(data=(FIXTURES / "format-xml/truefalse.xml").read_bytes(), filename="t.xml")
    data = questions_export(questions=Question.objects.all(), fmt="moodle-xml")
    assert b"@@PLUGINFILE@@" in data and b'encoding="base64"' in data
    # A fresh site: the images come back from the file itself.
    get_image_model().objects.all().delete()
    wipe(Question.objects.all())
    summary = questions_import(data=data, filename="export.xml")
    assert summary.imported == 2 and summary.images == 4
    stem = Question.objects.first().current_version.stem
    assert "@@PLUGINFILE@@" not in stem and "/original_images/" in stem


@pytest.mark.django_db
def test_import_command_prints_the_summary_line(capsys):
    call_command(
        "import_questions", str(FIXTURES / "format-gift/questions.gift.txt"), "--category", "测试"
    )
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        "导入 5 道题（单选题 1、多选题 1、判断题 2、填空题 1），分入 1 个分类；跳过 3 道"
    )
    assert any(line.startswith("skipped: ") for line in out)
    call_command(
        "import_questions", str(FIXTURES / "format-gift/questions.gift.txt"), "--category", "测试"
    )
    again = capsys.readouterr().out.splitlines()
    assert again[0].startswith("导入 0 道题") and "unchanged 5 (already in the bank)" in again


@pytest.mark.django_db
def test_import_command_fails_cleanly():
    with pytest.raises(CommandError):
        call_command("import_questions", str(FIXTURES / "format-xml/error_invalid_grades.xml"))
    with pytest.raises(CommandError):
        call_command("import_questions", "/nonexistent.xlsx")
    assert Question.objects.count() == 0


@pytest.mark.django_db
def test_export_command(tmp_path):
    questions_import(
        data=(FIXTURES / "format-xml/nested_categories_with_questions.xml").read_bytes(),
        filename="n.xml",
    )
    out = tmp_path / "kappa.xlsx"
    call_command("export_questions", "--category", "Iota/Kappa", "--format", "xlsx", "-o", str(out))
    summary = questions_import(data=out.read_bytes(), filename="kappa.xlsx", category_path="副本")
    assert summary.imported == 2
    with pytest.raises(CommandError):
        call_command("export_questions", "--category", "没有", "--format", "xlsx", "-o", str(out))
