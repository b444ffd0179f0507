"""The law library in the Wagtail admin: who may edit laws, the Markdown import page, search,
and the report of lessons quoting amended or repealed laws."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from courses.models import Law, LawStatus
from courses.selectors_laws import lessons_needing_review, outdated_laws_cited_by
from lms.accounts.roles import Role
from tests.conftest import client_for
from tests.courses.factories_laws import LawFactory, articles_add, law_file, lesson_quoting
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PENALTY = "administrative-penalty-law-2021.md"


def url(name, *args):
    return reverse(f"wagtailsnippets_courses_law:{name}", args=args)


@pytest.fixture
def admin(roles, township):
    return UserFactory(unit=township["township"], role=Role.ADMIN, is_superuser=True, mfa=True)


@pytest.mark.parametrize(
    "who, allowed",
    [("cadre", False), ("leader", False), ("hr", False), ("trainer", True), ("admin", True)],
)
def test_only_trainers_and_admins_reach_the_law_admin(request, who, allowed):
    client = client_for(request.getfixturevalue(who))
    law = LawFactory()
    pages = [
        url("list"),
        url("add"),
        url("edit", law.pk),
        url("import"),
        reverse("lessons_needing_review:index"),
    ]
    for page in pages:
        status = client.get(page).status_code
        # Wagtail answers a page a role may not open with a redirect, never the page.
        assert status == (200 if allowed else 302), (page, status)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/markdown")


def test_trainer_imports_a_law_file(trainer):
    response = client_for(trainer).post(
        url("import"), {"file": upload(PENALTY, law_file(PENALTY).encode())}
    )

    law = Law.objects.get()
    assert response.status_code == 302 and response["Location"] == url("list")
    assert (law.slug, law.articles.count()) == ("administrative-penalty-law-2021", 86)


def test_import_page_updates_with_an_explicit_slug_and_status(trainer):
    law = LawFactory(slug="penalty")

    client_for(trainer).post(
        url("import"),
        {
            "file": upload(PENALTY, law_file(PENALTY).encode()),
            "slug": "penalty",
            "status": "amended",
        },
    )

    law.refresh_from_db()
    assert (law.title, law.status, Law.objects.count()) == (
        "中华人民共和国行政处罚法",
        LawStatus.AMENDED,
        1,
    )


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("broken.md", "# 测试法\n\n第一条 甲。\n\n第三条 乙。\n".encode(), "条文编号不连续"),
        ("broken.md", "# 测试法\n".encode("gb18030") + "第一条 甲。".encode("gb18030"), None),
        ("law.docx", b"PK\x03\x04", None),
        ("行政处罚法.md", law_file(PENALTY).encode(), None),  # no slug from a Chinese name
    ],
    ids=["malformed", "not utf-8", "not markdown", "no slug"],
)
def test_import_errors_are_a_400_and_write_nothing(trainer, name, content, message):
    response = client_for(trainer).post(url("import"), {"file": upload(name, content)})

    assert response.status_code == 400
    assert response.context["form"].errors
    if message:
        assert message in response.content.decode()  # the parser's Chinese message
    assert not Law.objects.exists()


def test_admin_search_finds_a_chinese_substring(trainer):
    LawFactory(title="中华人民共和国行政处罚法")
    LawFactory(title="中华人民共和国数据安全法")
    client = client_for(trainer)

    listing = client.get(url("list"), {"q": "行政处罚"})
    chooser = client.get(
        reverse("wagtailsnippetchoosers_courses_law:choose_results"), {"q": "行政处罚"}
    )

    assert [str(law) for law in listing.context["object_list"]] == ["行政处罚法"]
    assert "行政处罚法" in chooser.content.decode()
    assert "数据安全法" not in chooser.content.decode()


def test_marking_a_law_repealed_flags_the_lessons_quoting_it(trainer):
    law = LawFactory(title="中华人民共和国行政处罚法")
    articles_add(law, 2)
    in_force = LawFactory()
    articles_add(in_force, 1)
    quoting = lesson_quoting(law, in_force, title="行政处罚法解读")
    lesson_quoting(in_force, title="另一课")
    client = client_for(trainer)
    assert list(lessons_needing_review()) == []

    articles = [
        {
            "id": a.pk,
            "number": a.number,
            "label": a.label,
            "chapter": a.chapter,
            "section": "",
            "text": a.text,
        }
        for a in law.articles.all()
    ]
    response = client.post(
        url("edit", law.pk),
        nested_form_data(
            {
                "title": law.title,
                "short_name": law.short_name,
                "slug": law.slug,
                "effective_date": "2021-07-15",
                "kind": law.kind,
                "category": law.category,
                "status": "repealed",
                "articles": inline_formset(articles, initial=len(articles)),
            }
        ),
    )
    assert response.status_code == 302, response.context["form"].errors

    assert list(lessons_needing_review()) == [quoting]
    report = client.get(reverse("lessons_needing_review:index"))
    assert report.status_code == 200
    html = report.content.decode()
    assert "行政处罚法解读" in html and "另一课" not in html
    assert "新法学习" in html  # the lesson's course


def test_report_exports_csv(trainer):
    law = LawFactory(status=LawStatus.AMENDED)
    lesson_quoting(law, title="要复核的课")

    response = client_for(trainer).get(reverse("lessons_needing_review:index"), {"export": "csv"})

    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "要复核的课" in content and str(law) in content


def test_lessons_needing_review_in_fixed_queries(django_assert_max_num_queries):
    outdated = [LawFactory(status=LawStatus.AMENDED) for _ in range(3)]
    lessons = [lesson_quoting(law, title=f"课{n}") for n, law in enumerate(outdated * 3)]
    lesson_quoting(LawFactory(), title="现行法")

    with django_assert_max_num_queries(3):
        found = list(lessons_needing_review())
        cited = outdated_laws_cited_by(found)

    assert {lesson.pk for lesson in found} == {lesson.pk for lesson in lessons}
    assert all(lesson.course_title == "新法学习" for lesson in found)
    assert cited[lessons[0].pk] == [outdated[0]]


def test_articles_are_edited_in_their_own_listing(trainer):
    from django.urls import reverse

    from courses.models import Law, LawArticle
    from tests.conftest import client_for

    law = Law.objects.create(title="中华人民共和国测试法", slug="test-law")
    article = LawArticle.objects.create(
        law=law, number=1, label="第一条", text="为了测试，制定本法。"
    )
    client = client_for(trainer)
    edit_law = client.get(reverse("wagtailsnippets_courses_law:edit", args=[law.pk]))
    assert edit_law.status_code == 200
    assert "为了测试" not in edit_law.content.decode()  # no inline article forms
    listing = client.get(reverse("wagtailsnippets_courses_lawarticle:list"), {"law": law.pk})
    assert listing.status_code == 200
    assert "第一条" in listing.content.decode()
    assert (
        client.get(
            reverse("wagtailsnippets_courses_lawarticle:edit", args=[article.pk])
        ).status_code
        == 200
    )
