"""An explanation that only cites an article ("第三十条。") or is empty shows that article's
text from the law library, wherever and whenever the explanation itself may be shown."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from exams.law_citations import explanation_cites
from exams.models import Exam, QuestionVersion
from exams.services.attempts import attempt_grade, attempt_start
from exams.services.mistakes import mistake_entry_state, mistakes_open
from tests.conftest import client_for
from tests.courses.factories_laws import LawFactory, articles_add
from tests.exams import exam_builders as build
from tests.exams.test_attempt_flow import page_token, save, start

pytestmark = pytest.mark.django_db

TEXT_33 = "第33条的正文。"


@pytest.fixture
def law(db):
    law = LawFactory(title="中华人民共和国行政处罚法", short_name="行政处罚法", slug="xzcff")
    articles_add(law, 40)
    return law


def on_law(question, law, articles="33", explanation=None):
    question.law, question.law_articles = law, articles
    question.save(update_fields=["law", "law_articles"])
    if explanation is not None:
        QuestionVersion.objects.filter(pk=question.current_version_id).update(
            explanation=explanation
        )
    return question


@pytest.mark.parametrize(
    ("explanation", "articles", "cited"),
    [
        ("第三十条。", "", [30]),
        ("<p>解析：见第三十三条。</p>", "5", [33]),
        ("", "5, 7-8", [5, 7, 8]),
        ("<p> </p>", "12", [12]),
        ("依照《行政处罚法》第三十三条的规定。", "", [33]),
        ("《中华人民共和国行政处罚法》第三十三条、第三十六条", "", [33, 36]),
        ("第三十条至第三十二条。", "", [30, 31, 32]),
        ("《民法典》第一千二百六十条。", "", []),  # another law: not guessed
        ("当事人有证据足以证明没有主观过错的，不予行政处罚（第三十三条）。", "33", []),
    ],
)
def test_which_explanations_only_cite_articles(law, explanation, articles, cited):
    assert explanation_cites(explanation=explanation, law=law, law_articles=articles) == cited


def test_no_law_no_articles():
    assert explanation_cites(explanation="第三十条。", law=None, law_articles="30") == []


def graded_quiz(cadre, law, **fields):
    question = on_law(build.question("single", correct=("B",)), law, "33")
    paper = build.exam(questions=[question], points=Decimal("10"), **fields)
    attempt = attempt_start(exam=paper, user=cadre)
    return attempt_grade(attempt_id=attempt.pk)


def test_review_shows_the_article_under_the_explanation(cadre, law):
    attempt = graded_quiz(cadre, law)
    page = client_for(cadre).get(reverse("attempt_review", args=[attempt.pk])).content.decode()
    assert TEXT_33 in page
    assert 'href="/laws/xzcff/#article-33">第三十三条</a>' in page
    assert "第 1 题" in page and "0 / 10 分" in page


def test_review_without_the_key_shows_no_article(cadre, law):
    attempt = graded_quiz(cadre, law, review_shows_answers=False)
    page = client_for(cadre).get(reverse("attempt_review", args=[attempt.pk])).content.decode()
    assert TEXT_33 not in page and "解析" not in page and "第三十三条" not in page


def test_no_article_before_the_review_opens(cadre, law):
    attempt = graded_quiz(cadre, law, review_policy=Exam.ReviewPolicy.AFTER_CLOSE)
    response = client_for(cadre).get(reverse("attempt_review", args=[attempt.pk]))
    assert response.status_code == 403
    assert TEXT_33 not in response.content.decode()


def test_review_reads_all_articles_in_one_query(cadre, law):
    def review_queries(n):
        questions = [
            on_law(build.question("single", correct=("B",)), law, str(i + 1), "") for i in range(n)
        ]
        paper = build.exam(questions=questions, points=Decimal("10"), title=f"卷{n}")
        attempt = attempt_grade(attempt_id=attempt_start(exam=paper, user=cadre).pk)
        client = client_for(cadre)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("attempt_review", args=[attempt.pk])).content.decode()
        assert f"第{n}条的正文。" in page
        return len(queries)

    assert review_queries(2) == review_queries(12)


def test_practice_feedback_json_carries_the_article_after_the_check(cadre, law):
    question = on_law(build.question("single", correct=("B",)), law, "", "第三十条。")
    paper = build.exam(questions=[question], points=Decimal("10"), kind=Exam.Kind.PRACTICE)
    client = client_for(cadre)
    attempt = start(client, paper)
    checked = client.get(reverse("practice_checked", args=[attempt.pk])).json()
    assert checked["items"] == []  # nothing before the check
    page = client.get(reverse("attempt_page", args=[attempt.pk])).content.decode()
    assert "第30条的正文" not in page
    save(page_token(client, attempt), attempt, 1, {"choices": ["A"]}, 1)
    body = client.post(
        reverse("practice_check", args=[attempt.pk]),
        json.dumps({"position": 1}),
        content_type="application/json",
    ).json()
    assert body["articles"] == [
        {"label": "第三十条", "url": "/laws/xzcff/#article-30", "text": "第30条的正文。\n第二款。"}
    ]
    assert "《行政处罚法》" in body["law_reference"]
    again = client.get(reverse("practice_checked", args=[attempt.pk])).json()
    assert again["items"][0]["articles"] == body["articles"]


def test_a_quiz_gives_no_feedback_and_no_article(cadre, law):
    question = on_law(build.question("single", correct=("B",)), law, "33")
    paper = build.exam(questions=[question], points=Decimal("10"))
    client = client_for(cadre)
    attempt = start(client, paper)
    save(page_token(client, attempt), attempt, 1, {"choices": ["A"]}, 1)
    response = client.post(
        reverse("practice_check", args=[attempt.pk]),
        json.dumps({"position": 1}),
        content_type="application/json",
    )
    assert response.status_code == 403 and TEXT_33 not in response.content.decode()


def daily_on(law, cadre, n=5):
    law.effective_date = timezone.localdate() - timedelta(days=1)
    law.save(update_fields=["effective_date"])
    for i in range(n):
        on_law(build.question("single", correct=("A",)), law, str(i + 1), "")
    client = client_for(cadre)
    client.get(reverse("daily_practice"))
    return client


def test_daily_practice_shows_the_article_once_answered(cadre, law):
    client = daily_on(law, cadre)
    page = client.get(reverse("daily_practice")).content.decode()
    assert "条的正文" not in page
    client.post(reverse("daily_answer", args=[1]), {"choice": ["B"]})
    page = client.get(reverse("daily_practice")).content.decode()
    assert page.count("条的正文") == 1


def test_daily_practice_queries_stay_fixed(cadre, law, django_assert_max_num_queries):
    client = daily_on(law, cadre)
    for position in range(1, 6):
        client.post(reverse("daily_answer", args=[position]), {"choice": ["B"]})
    with django_assert_max_num_queries(7):
        page = client.get(reverse("daily_practice")).content.decode()
    assert page.count("条的正文") == 5


def test_mistake_book_shows_the_article_after_the_answer(cadre, law):
    question = on_law(build.question("single", correct=("B",)), law, "33")
    paper = build.exam(questions=[question], points=Decimal("10"))
    attempt_grade(attempt_id=attempt_start(exam=paper, user=cadre).pk)
    client = client_for(cadre)
    url = reverse("mistake_question", args=[question.pk])
    assert TEXT_33 not in client.get(url).content.decode()
    entry = mistakes_open(user=cadre).get(question=question)
    page = client.post(url, {"choice": ["A"], "state": mistake_entry_state(entry)})
    assert TEXT_33 in page.content.decode()
