"""Reads for the cadre's exam pages: which exams, which attempts, what a page shows.
Nothing here puts a fraction or an answer key in front of the browser before review."""

from django.db.models import Count, F, Max, OuterRef, Subquery
from django.http import Http404
from django.utils import timezone

from courses.audience import audience_q
from courses.law_references import law_reference_html
from courses.selectors_laws import laws_by_ids
from exams.law_citations import cited_articles
from exams.models import Attempt, Exam
from exams.option_tokens import option_value


def exams_visible_to(user):
    """Published exams meant for this cadre's unit and category."""
    through = Exam.audience_units.through
    return Exam.objects.filter(is_published=True).filter(
        audience_q(user, through=through, owner_field="exam_id")
    )


def exams_for(user):
    """Published exams meant for this cadre, with their attempt summary, in one query."""
    mine = Attempt.objects.filter(exam=OuterRef("pk"), user=user)
    return (
        exams_visible_to(user)
        .annotate(
            my_attempts=Subquery(
                mine.order_by().values("exam").annotate(n=Count("pk")).values("n")[:1]
            ),
            my_best=Subquery(
                mine.filter(status=Attempt.Status.GRADED)
                .order_by()
                .values("exam")
                .annotate(best=Max("score"))
                .values("best")[:1]
            ),
            my_open=Subquery(mine.filter(status=Attempt.Status.IN_PROGRESS).values("pk")[:1]),
        )
        .order_by("-opens_at")
    )


def practice_exams_open_to(*, user, now=None) -> list[Exam]:
    """Practice papers open now for this cadre, closing soonest first, in one query."""
    now = now or timezone.now()
    return list(
        exams_for(user)
        .filter(kind=Exam.Kind.PRACTICE, opens_at__lte=now, closes_at__gt=now)
        .order_by("closes_at", "pk")
    )


def next_exam_for(*, user, now=None) -> Exam | None:
    """The exam (not a practice) this cadre has still to take: one in progress first, then
    the one opening soonest; none once every such exam is graded or closed. One query."""
    now = now or timezone.now()
    return (
        exams_for(user)
        .exclude(kind=Exam.Kind.PRACTICE)
        .filter(closes_at__gt=now, my_best__isnull=True)
        .order_by(F("my_open").desc(nulls_last=True), "opens_at", "pk")
        .first()
    )


def attempt_of(*, attempt_id: int, user) -> Attempt:
    """The cadre's own attempt, or 404 (another cadre's attempt does not exist for them)."""
    attempt = Attempt.objects.select_related("exam").filter(pk=attempt_id, user=user).first()
    if attempt is None:
        raise Http404
    return attempt


def review_allowed(*, attempt, now=None) -> bool:
    now = now or timezone.now()
    if attempt.status != Attempt.Status.GRADED:
        return False
    policy = attempt.exam.review_policy
    if policy == Exam.ReviewPolicy.AFTER_SUBMIT:
        return True
    if policy == Exam.ReviewPolicy.AFTER_CLOSE:
        return now >= attempt.exam.closes_at
    return False


def answers_visible(*, attempt, now=None) -> bool:
    return review_allowed(attempt=attempt, now=now) and attempt.exam.review_shows_answers


_KEY_FIELDS = ("correct", "accepted", "explanation", "law_reference", "explanation_articles")


def attempt_review_questions(*, attempt, now=None) -> list[dict]:
    """The review's questions: with their keys when this review shows answers, except for
    the questions whose key the one rule still withholds from this cadre (a question also
    in a running exam, met nowhere else with an open review); those say so instead."""
    from exams.services.key_visibility import keys_withheld

    with_key = answers_visible(attempt=attempt, now=now)
    questions = attempt_questions(attempt=attempt, with_key=with_key)
    if not with_key:
        return questions
    withheld = keys_withheld(
        user=attempt.user_id, question_ids=[q["question_id"] for q in questions], now=now
    )
    for question in questions:
        question["key_withheld"] = question["question_id"] in withheld
        if question["key_withheld"]:
            question.update({name: [] for name in _KEY_FIELDS}, explanation="", law_reference="")
    return questions


# What the cadre is shown of each question, and what only a review with the key adds.
_SHOWN = (
    "position",
    "kind",
    "points",
    "option_order",
    "slots",
    "answer",
    "answer_seq",
    "score",
    "version__stem",
    "version__choices",
)
_KEY = (
    "question_id",
    "version_id",
    "version__blanks",
    "version__explanation",
    "question__law_id",
    "question__law_articles",
)


def attempt_questions(*, attempt, with_key: bool = False) -> list[dict]:
    """The attempt's questions in its order, options in this cadre's order. The key
    (fractions, accepted blanks, explanation) is included only when `with_key`."""
    # Plain rows, not model instances: the attempt page is the page every cadre opens in
    # the same minute of the year-end exam.
    rows = list(attempt.items.order_by("position").values(*_SHOWN, *(_KEY if with_key else ())))
    laws = {}
    if with_key:
        laws = laws_by_ids(row["question__law_id"] for row in rows)
    questions = []
    for row in rows:
        by_key = {choice["key"]: choice for choice in row["version__choices"]}
        question = question_shown(
            attempt_id=attempt.pk,
            position=row["position"],
            kind=row["kind"],
            stem=row["version__stem"],
            points=row["points"],
            texts={key: choice["text"] for key, choice in by_key.items()},
            order=row["option_order"],
            slots=row["slots"],
            answer=row["answer"],
            seq=row["answer_seq"],
            score=row["score"],
        )
        if with_key:
            law = laws.get(row["question__law_id"])
            question.update(
                correct=[
                    key
                    for key in row["option_order"]
                    if float(by_key.get(key, {}).get("fraction", 0)) > 0
                ],
                accepted=row["version__blanks"],
                explanation=row["version__explanation"],
                question_id=row["question_id"],
                version_id=row["version_id"],
                law=law,
                law_articles=row["question__law_articles"],
                law_reference=law_reference_html(law, row["question__law_articles"]),
            )
        questions.append(question)
    if with_key:
        cited = cited_articles((q["explanation"], q["law"], q["law_articles"]) for q in questions)
        for question, articles in zip(questions, cited, strict=True):
            question["explanation_articles"] = articles
    return questions


def question_shown(
    *,
    attempt_id,
    position,
    kind,
    stem,
    points,
    texts,
    order,
    slots,
    answer=None,
    seq=0,
    score=None,
) -> dict:
    """One question as the attempt page shows it: its options in this cadre's `order`
    (texts by key, each with the opaque value its input carries: exams.option_tokens),
    and a blank's boxes filled with what was given. Also what a start builds from its
    draw, so that the two cannot differ."""
    given = answer if isinstance(answer, list) else []
    return {
        "position": position,
        "kind": kind,
        "stem": stem,
        "points": points,
        "options": [
            {
                "key": key,
                "value": option_value(attempt_id=attempt_id, position=position, key=key),
                "text": texts[key],
            }
            for key in order
            if key in texts
        ],
        "blank_values": (
            [given[i] if i < len(given) else "" for i in range(slots)] if kind == "blank" else []
        ),
        "answer": answer or [],
        "seq": seq,
        "score": score,
    }
