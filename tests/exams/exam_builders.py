"""Builders for exam tests: questions with versions, papers, attempts."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from exams.models import (
    Attempt,
    AttemptItem,
    Exam,
    ExamQuestion,
    ExamRule,
    Question,
    QuestionCategory,
    QuestionVersion,
)
from exams.services.attempts import attempt_answer_save, attempt_grade, attempt_start

_count = [0]


def question(
    kind="single",
    *,
    category=None,
    correct=("A",),
    n_choices=4,
    blanks=None,
    fractions=None,
    difficulty="medium",
):
    """A question with one version. Choice A..; `correct` keys carry the points."""
    _count[0] += 1
    category = category or QuestionCategory.ensure_path(["2021年新法", "行政处罚法"])
    q = Question.objects.create(
        category=category, kind=kind, difficulty=difficulty, stem_text=f"题{_count[0]}"
    )
    if kind == "blank":
        choices = []
        blanks = blanks or [["首违不罚"]]
    else:
        keys = "AB" if kind == "truefalse" else "ABCDEFGH"[:n_choices]
        share = Decimal(1) / len(correct) if correct else Decimal(0)
        fractions = fractions or {k: (share if k in correct else Decimal(0)) for k in keys}
        texts = {"A": "对", "B": "错"} if kind == "truefalse" else {}
        choices = [
            {
                "key": k,
                "text": texts.get(k, f"<p>选项{k}{_count[0]}</p>"),
                "fraction": str(fractions.get(k, 0)),
            }
            for k in keys
        ]
        blanks = []
    version = QuestionVersion.objects.create(
        question=q,
        number=1,
        stem=f"<p>第{_count[0]}题：依照行政处罚法……</p>",
        choices=choices,
        blanks=blanks,
        explanation="<p>解析：见第三十三条。</p>",
    )
    q.current_version = version
    q.save(update_fields=["current_version"])
    return q


def exam(*, questions=(), points=Decimal("10"), rules=(), **fields) -> Exam:
    now = timezone.now()
    defaults = {
        "title": "行政处罚法测验",
        "kind": Exam.Kind.QUIZ,
        "year": timezone.localdate().year,
        "opens_at": now - timedelta(hours=1),
        "closes_at": now + timedelta(days=1),
        "time_limit_minutes": 30,
        "attempts_allowed": 2,
        "pass_percent": 60,
        "is_published": True,
        "shuffle_questions": False,
        "shuffle_options": False,
    }
    defaults.update(fields)
    paper = Exam.objects.create(**defaults)
    for order, q in enumerate(questions):
        ExamQuestion.objects.create(exam=paper, question=q, points=points, sort_order=order)
    for order, rule in enumerate(rules):
        ExamRule.objects.create(exam=paper, sort_order=order, **rule)
    return paper


def passed_attempt(user, *, title, certificates=True) -> Attempt:
    """`user` sits a paper of one question worth 100 points and answers it right: the
    graded attempt, with its certificate when the paper gives them."""
    paper = exam(
        questions=[question("single", correct=("A",))],
        points=Decimal("100"),
        certificates=certificates,
        title=title,
    )
    attempt = attempt_start(exam=paper, user=user)
    AttemptItem.objects.filter(attempt=attempt).update(answer=["A"])
    return attempt_grade(attempt_id=attempt.pk)


def save_answer(attempt, *, position=1, answer=None, seq=1, deadline_ts=None, **kwargs):
    """Save one answer as the attempt page does (choice A of question 1 unless told),
    with the attempt's own user, deadline and device."""
    return attempt_answer_save(
        attempt_id=attempt.pk,
        user_id=attempt.user_id,
        position=position,
        answer={"choices": ["A"]} if answer is None else answer,
        seq=seq,
        deadline_ts=int(attempt.deadline.timestamp()) if deadline_ts is None else deadline_ts,
        **kwargs,
    )
