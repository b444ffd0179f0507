"""A newer text of a law already in the library keeps the old one, says what changed article
by article, moves the questions whose articles survive and flags those whose articles
changed or went; cadres read "本条于 2021 年修改" on the new text."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from courses.models import Law, LawStatus
from courses.selectors_laws import lessons_needing_review
from courses.services.law_import import law_import_text
from exams.models import Question
from exams.selectors.bank import question_listing
from tests.conftest import client_for
from tests.courses.factories_laws import lesson_quoting
from tests.exams.factories_bank import single_question

pytestmark = pytest.mark.django_db

TITLE = "中华人民共和国测试处罚法"


def text(year: int, articles: list[str]) -> str:
    from courses.law_markdown import int_to_chinese_numeral

    body = "\n\n".join(
        f"第{int_to_chinese_numeral(n)}条 {t}" for n, t in enumerate(articles, start=1)
    )
    return (
        f"# {TITLE}\n\n{year}年1月1日 第十三届全国人民代表大会常务委员会通过\n\n"
        f"{year}年7月1日 施行\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n{body}\n"
    )


OLD = [
    "为了规范处罚，制定本法。",
    "处罚的种类：警告、罚款。",
    "初次违法可以不罚。",
    "处罚应当公开。",
]
# 第二条 rewritten, 第三条 dropped, 第四条 now 第三条.
NEW = ["为了规范处罚，制定本法。", "处罚的种类：警告、通报批评、罚款。", "处罚应当公开。"]


@pytest.fixture
def old_law():
    return law_import_text(text=text(2017, OLD), slug="test-penalty-2017").law


def cite(law, articles):
    question = single_question(stem=f"第{articles}条的题")
    Question.objects.filter(pk=question.pk).update(law=law, law_articles=articles)
    return question


def test_a_newer_text_is_compared_article_by_article(old_law):
    result = law_import_text(text=text(2021, NEW), slug="test-penalty-2021")
    assert result.outcome == "created"
    new = result.law
    comparison = result.versions
    assert comparison.changed == ["第二条"]
    assert comparison.removed == ["第三条"]
    assert comparison.renumbered == {"第四条": "第三条"}
    assert comparison.added == []
    old_law.refresh_from_db()
    assert old_law.status == LawStatus.AMENDED
    assert new.previous_version == old_law and old_law.next_version == new
    assert Law.objects.count() == 2  # the old text is kept
    changes = dict(new.articles.values_list("label", "change"))
    assert changes == {"第一条": "", "第二条": "changed", "第三条": "renumbered"}


def test_questions_follow_or_are_flagged_and_lessons_are_listed(old_law, trainer):
    changed = cite(old_law, "2")
    removed = cite(old_law, "3")
    unchanged = cite(old_law, "1")
    renumbered = cite(old_law, "4")
    lesson = lesson_quoting(old_law, articles="2", title="处罚法解读")

    new = law_import_text(text=text(2021, NEW), slug="test-penalty-2021").law

    flags = dict(question_listing().values_list("pk", "needs_review"))
    assert flags[changed.pk] and flags[removed.pk]
    assert not flags[unchanged.pk] and not flags[renumbered.pk]
    changed.refresh_from_db()
    removed.refresh_from_db()
    assert changed.law_review == f"《{new}》2021 年版：第二条已修改"
    assert removed.law_review == f"《{new}》2021 年版：第三条已删除"
    moved = Question.objects.get(pk=renumbered.pk)
    assert (moved.law, moved.law_articles) == (new, "3")
    assert Question.objects.get(pk=unchanged.pk).law == new
    assert list(lessons_needing_review()) == [lesson]
    report = client_for(trainer).get(reverse("lessons_needing_review:index")).content.decode()
    assert "处罚法解读" in report and "第二条已修改" in report

    # The bank's filter 需复核 finds the two, and the listing says so to the trainer.
    response = client_for(trainer).get(reverse("exams_question:index"), {"needs_review": "true"})
    assert response.status_code == 200
    assert {q.pk for q in response.context["object_list"]} == {changed.pk, removed.pk}


def test_cadres_see_what_changed_on_the_new_text_and_a_link_from_the_old(client, old_law):
    new = law_import_text(text=text(2021, NEW), slug="test-penalty-2021").law
    html = client.get(reverse("law_detail", args=[new.slug])).content.decode()
    assert "本条于 2021 年修改" in html and "原第四条" in html
    old_html = client.get(reverse("law_detail", args=[old_law.slug])).content.decode()
    assert "这是本法的旧版本" in old_html and f'href="{new.get_absolute_url()}"' in old_html


def test_the_command_reports_the_comparison(tmp_path, capsys, old_law):
    path = tmp_path / "test-penalty-2021.md"
    path.write_text(text(2021, NEW), encoding="utf-8")
    call_command("import_law", str(path))
    assert "与 2017 年版相比：修改 1 条，新增 0 条，删除 1 条，序号变动 1 条" in (
        capsys.readouterr().out
    )


def test_reimporting_the_same_version_compares_nothing_again(old_law):
    law_import_text(text=text(2021, NEW), slug="test-penalty-2021")
    again = law_import_text(text=text(2021, NEW), slug="test-penalty-2021")
    assert again.outcome == "unchanged" and again.versions is None


def test_an_older_text_imported_later_does_not_replace_the_current_one(old_law):
    earlier = law_import_text(text=text(2009, OLD), slug="test-penalty-2009")
    assert earlier.versions is None
    old_law.refresh_from_db()
    assert old_law.status == LawStatus.IN_FORCE


def test_the_flagged_question_says_what_to_check_and_saving_it_clears_the_flag(old_law, trainer):
    from exams.services.bank import question_update

    flagged = cite(old_law, "2")
    new = law_import_text(text=text(2021, NEW), slug="test-penalty-2021").law
    html = client_for(trainer).get(reverse("exams_question:edit", args=[flagged.pk]))
    assert "所引用的法律有了新版本" in html.content.decode()
    assert "第二条已修改" in html.content.decode()
    question_update(question=flagged, law=new, law_articles="2", by=trainer)
    flagged.refresh_from_db()
    assert flagged.law_review == ""
    assert not dict(question_listing().values_list("pk", "needs_review"))[flagged.pk]
