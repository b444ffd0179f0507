"""The cadre's exam pages, the answer-saving endpoint, and the attempt's device and leaves."""

import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from exams.attempt_blocks import question_blocks
from exams.models import Attempt
from exams.scoring import exam_points_total, pass_mark_points
from exams.selectors.attempts import (
    answers_visible,
    attempt_of,
    attempt_questions,
    attempt_review_questions,
    exams_for,
    review_allowed,
)
from exams.services import integrity
from exams.services.attempts import (
    AttemptError,
    AttemptTimeUp,
    answer_from_page,
    attempt_answer_save,
    attempt_grade,
    attempt_grade_if_overdue,
    attempt_start,
    attempt_start_check,
    attempt_token_make,
    attempt_token_read,
)
from exams.services.draw import exam_planned
from exams.services.integrity import (
    DEVICE_COOKIE,
    DEVICE_COOKIE_AGE,
    START_ACTION,
    attempt_device_claim,
    attempt_leave_record,
    attempt_log,
    client_ip,
    device_hash,
    device_token_new,
)
from exams.services.practice import KEY_WITHHELD
from exams.services.slots import exam_slot_for
from lms.json_api import JsonBodyError, json_body, json_error

MAX_ANSWER_BYTES = 4096
MAX_LEAVE_BYTES = 256
# Within this much of its deadline an untimed attempt shows a countdown too; further off, a
# clock of thousands of hours means nothing to a cadre, and the closing date does.
COUNTDOWN_WITHIN_SECONDS = 2 * 60 * 60


@login_required
def exam_list(request):
    now = timezone.now()
    exams = list(exams_for(request.user))
    return render(
        request,
        "exams/exam_list.html",
        {
            "open_exams": [e for e in exams if e.opens_at <= now < e.closes_at],
            "upcoming_exams": [e for e in exams if now < e.opens_at],
            "closed_exams": [e for e in exams if e.closes_at <= now],
        },
    )


@login_required
def exam_detail(request, exam_id):
    return _exam_detail_page(request, exam_id)


def _exam_detail_page(request, exam_id, *, refusal=None, status=200):
    exam = get_object_or_404(exams_for(request.user), pk=exam_id)
    attempts = list(Attempt.objects.filter(exam=exam, user=request.user).order_by("number"))
    if not exam.my_open and refusal is None:
        try:
            attempt_start_check(exam=exam, user=request.user)
        except AttemptError as exc:
            refusal = exc.message
    full_marks = exam_points_total(
        fixed=exam.fixed_questions.all(),
        rules=exam.rules.all(),
        fixed_draw_count=exam.fixed_draw_count,
    )
    return render(
        request,
        "exams/exam_detail.html",
        {
            "exam": exam,
            "attempts": attempts,
            "refusal": refusal,
            "slot": exam_slot_for(exam=exam, user=request.user),
            "full_marks": full_marks,
            "pass_mark": pass_mark_points(pass_percent=exam.pass_percent, max_score=full_marks),
        },
        status=status,
    )


@login_required
@require_POST
def exam_start(request, exam_id):
    # Whether the exam is meant for this cadre is the service's check (a 404 AttemptError).
    exam = exam_planned(exam_id)
    if exam is None:
        raise Http404
    device, new_token = _device(request)
    try:
        attempt = attempt_start(exam=exam, user=request.user, device=device)
    except AttemptError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from exc
        if exc.status == 403:
            # Not now for this cadre (outside their slot, credit hours missing): a refusal
            # that says why and when, as JSON to a script that asked for it.
            if "application/json" in request.headers.get("Accept", ""):
                return json_error(exc.message, 403)
            return _exam_detail_page(request, exam.pk, refusal=exc.message, status=403)
        messages.error(request, exc.message)
        return redirect("exam_detail", exam_id=exam.pk)
    fresh = getattr(attempt, "fresh_questions", None)
    if fresh:
        attempt_log(attempt=attempt, action=START_ACTION, by=request.user, ip=client_ip(request))
    elif not attempt_device_claim(attempt=attempt, device=device):
        return _device_cookie(_attempt_elsewhere(request, attempt), new_token)
    # The attempt page in this response rather than behind a redirect: a phone on a slow
    # network saves a round trip, and the year-end exam's start storm one request per
    # cadre. The page then shows its own address (attempt.js), so that a reload reads
    # the attempt instead of posting the start again (which would resume it anyway).
    # A new attempt's questions come from its draw, not read back from the rows just
    # written: at the year-end exam's start storm that read was a sixth of a start.
    response = _attempt_page(request, attempt, fresh or attempt_questions(attempt=attempt))
    return _device_cookie(response, new_token)


@login_required
def attempt_page(request, attempt_id):
    attempt = attempt_grade_if_overdue(attempt=attempt_of(attempt_id=attempt_id, user=request.user))
    if attempt.status != Attempt.Status.IN_PROGRESS:
        return redirect("attempt_result", attempt_id=attempt.pk)
    device, new_token = _device(request)
    if not attempt_device_claim(attempt=attempt, device=device):
        return _device_cookie(_attempt_elsewhere(request, attempt), new_token)
    response = _attempt_page(request, attempt, attempt_questions(attempt=attempt))
    return _device_cookie(response, new_token)


@login_required
@require_POST
def attempt_takeover(request, attempt_id):
    """The cadre confirmed: continue the attempt on this device, not the other one."""
    attempt = attempt_of(attempt_id=attempt_id, user=request.user)
    device, new_token = _device(request)
    try:
        integrity.attempt_takeover(
            attempt=attempt, device=device, by=request.user, ip=client_ip(request)
        )
    except AttemptError:
        return redirect("attempt_result", attempt_id=attempt.pk)
    return _device_cookie(redirect("attempt_page", attempt_id=attempt.pk), new_token)


def _device(request) -> tuple[str, str | None]:
    """This browser's device (the hash of its cookie's token), and a new token to set
    when it has none (or one that is not ours)."""
    token = request.COOKIES.get(DEVICE_COOKIE, "")
    if 20 <= len(token) <= 64 and token.isascii():
        return device_hash(token), None
    token = device_token_new()
    return device_hash(token), token


def _device_cookie(response, new_token: str | None):
    if new_token:
        response.set_cookie(
            DEVICE_COOKIE,
            new_token,
            max_age=DEVICE_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def _attempt_elsewhere(request, attempt):
    """Another device holds the attempt: say so, and offer to continue here."""
    return render(
        request,
        "exams/attempt_elsewhere.html",
        {"attempt": attempt, "exam": attempt.exam},
        status=409,
    )


def _attempt_page(request, attempt, questions):
    now = timezone.now()
    remaining = max(0, int((attempt.deadline - now).total_seconds()))
    return render(
        request,
        "exams/attempt.html",
        {
            "attempt": attempt,
            "exam": attempt.exam,
            "questions": questions,
            "question_blocks": question_blocks(questions),
            "remaining_seconds": remaining,
            "timed": bool(attempt.exam.time_limit_minutes) or remaining <= COUNTDOWN_WITHIN_SECONDS,
            "countdown_within": COUNTDOWN_WITHIN_SECONDS,
            "token": attempt_token_make(attempt=attempt),
            "next_seq": max((q["seq"] for q in questions), default=0) + 1,
            "answered": sum(1 for q in questions if q["answer"]),
            # Where the text-size and language switches come back to: this page, also when
            # it answers the start's POST.
            "page_path": reverse("attempt_page", args=[attempt.pk]),
        },
    )


@login_required
@require_POST
def attempt_submit(request, attempt_id):
    attempt = attempt_of(attempt_id=attempt_id, user=request.user)
    device, new_token = _device(request)
    if attempt.status == Attempt.Status.IN_PROGRESS and not attempt_device_claim(
        attempt=attempt, device=device
    ):
        # The paper is submitted from the device that holds it, not from one it left.
        return _device_cookie(_attempt_elsewhere(request, attempt), new_token)
    now = timezone.now()
    attempt_grade(
        attempt_id=attempt.pk,
        user_id=request.user.pk,
        now=now,
        timed_out=attempt.is_overdue(now),
    )
    return redirect("attempt_result", attempt_id=attempt.pk)


@login_required
def attempt_result(request, attempt_id):
    attempt = attempt_grade_if_overdue(attempt=attempt_of(attempt_id=attempt_id, user=request.user))
    if attempt.status == Attempt.Status.IN_PROGRESS:
        return redirect("attempt_page", attempt_id=attempt.pk)
    used = (attempt.submitted_at or attempt.deadline) - attempt.started_at
    return render(
        request,
        "exams/result.html",
        {
            "attempt": attempt,
            "exam": attempt.exam,
            "minutes_used": max(1, round(used.total_seconds() / 60)),
            "can_review": review_allowed(attempt=attempt),
        },
    )


@login_required
def attempt_review(request, attempt_id):
    attempt = attempt_of(attempt_id=attempt_id, user=request.user)
    if not review_allowed(attempt=attempt):
        return render(request, "exams/review_closed.html", {"attempt": attempt}, status=403)
    return render(
        request,
        "exams/review.html",
        {
            "attempt": attempt,
            "exam": attempt.exam,
            "show_key": answers_visible(attempt=attempt),
            "questions": attempt_review_questions(attempt=attempt),
            "key_withheld_text": KEY_WITHHELD,
        },
    )


def _token_api(*, max_bytes: int):
    """A page's call on a running attempt: POST, a JSON body of at most `max_bytes`, and
    the attempt token in a header (no session, no CSRF cookie: no other site can set the
    header). The view gets the token's claims and the body, and answers a dict, sent with
    `ok`; a refusal (AttemptError, JsonBodyError) is sent as its message and status."""

    def decorate(view):
        @csrf_exempt
        @require_POST
        @functools.wraps(view)
        def wrapped(request, attempt_id):
            try:
                claims = attempt_token_read(
                    request.headers.get("X-Attempt-Token", ""), attempt_id=attempt_id
                )
                payload = json_body(request, max_bytes=max_bytes)
                return JsonResponse({"ok": True} | view(request, attempt_id, claims, payload))
            except (JsonBodyError, AttemptError) as exc:
                return json_error(exc.message, exc.status, code=getattr(exc, "code", ""))

        return wrapped

    return decorate


@_token_api(max_bytes=MAX_ANSWER_BYTES)
def api_answer(request, attempt_id, claims, payload):
    """The hot path of the year-end exam: no session, no user row, no template."""
    try:
        result = attempt_answer_save(
            attempt_id=attempt_id,
            user_id=claims["u"],
            position=payload.get("position"),
            answer=answer_from_page(
                attempt_id=attempt_id,
                position=payload.get("position"),
                answer=payload.get("answer"),
            ),
            seq=payload.get("seq"),
            deadline_ts=claims["d"],
            device=claims.get("h", ""),
        )
    except AttemptTimeUp:
        # Refused, and the attempt is due: grade it now rather than at the next page.
        attempt = (
            Attempt.objects.select_related("exam")
            .filter(pk=attempt_id, user_id=claims["u"])
            .first()
        )
        if attempt is not None:
            attempt_grade_if_overdue(attempt=attempt)
        raise
    return {"position": result.position, "seq": result.seq, "remaining": result.remaining_seconds}


@_token_api(max_bytes=MAX_LEAVE_BYTES)
def api_attempt_leave(request, attempt_id, claims, payload):
    """The page was hidden or lost focus: the server counts it (exams/services/integrity.py)."""
    result = attempt_leave_record(
        attempt_id=attempt_id,
        user_id=claims["u"],
        device=claims.get("h", ""),
        kind=payload.get("kind"),
        ip=client_ip(request),
    )
    return {
        "count": result.count,
        "limit": result.limit,
        "counted": result.counted,
        "submitted": result.submitted,
        "warning": result.warning,
    }
