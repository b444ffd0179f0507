"""The cadre's practice pages: feedback in practice attempts, the mistake book, daily
practice; certificates and their public check; error reports from the review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from exams.services.attempts import AttemptError
from exams.services.certificate_image import FontMissing, certificate_png
from exams.services.certificates import (
    certificate_of,
    certificate_verify,
    certificates_of,
    question_report_create,
)
from exams.services.daily import daily_practice_answer, daily_practice_ensure
from exams.services.key_visibility import keys_withheld
from exams.services.mistakes import (
    STREAK_TO_RESOLVE,
    mistake_entry_state,
    mistake_next,
    mistake_practice_answer,
    mistakes_open,
)
from exams.services.practice import (
    KEY_WITHHELD,
    feedback_for,
    feedback_with_law,
    practice_answer_check,
    practice_feedback_checked,
)
from lms.json_api import JsonBodyError, json_body, json_error

MAX_BODY_BYTES = 1024


def _form_answer(request, kind: str) -> dict:
    if kind == "blank":
        return {"blanks": request.POST.getlist("blank")}
    return {"choices": request.POST.getlist("choice")}


# ------------------------------------------------------------------- practice attempts


@login_required
@require_POST
def practice_check(request, attempt_id):
    """Judge and lock one saved answer of a practice attempt (session and CSRF protected)."""
    try:
        payload = json_body(request, max_bytes=MAX_BODY_BYTES)
        feedback = practice_answer_check(
            attempt_id=attempt_id, user=request.user, position=payload.get("position")
        )
    except (JsonBodyError, AttemptError) as exc:
        return json_error(exc.message, exc.status)
    return JsonResponse({"ok": True, **feedback.as_json()})


@login_required
@require_GET
def practice_checked(request, attempt_id):
    try:
        checked = practice_feedback_checked(attempt_id=attempt_id, user=request.user)
    except AttemptError as exc:
        return json_error(exc.message, exc.status)
    return JsonResponse({"ok": True, "items": [feedback.as_json() for feedback in checked]})


# ------------------------------------------------------------------------ mistake book


@login_required
def mistake_book(request):
    entries = list(mistakes_open(user=request.user))
    withheld = keys_withheld(user=request.user, question_ids=[e.question_id for e in entries])
    for entry in entries:
        entry.key_withheld = entry.question_id in withheld
    return render(
        request,
        "exams/mistake_book.html",
        {
            "entries": entries,
            "streak_to_resolve": STREAK_TO_RESOLVE,
            "key_withheld_text": KEY_WITHHELD,
            "practisable": len(entries) - len(withheld),
        },
    )


@login_required
def mistake_practice(request):
    after = request.GET.get("after", "")
    entry = mistake_next(
        user=request.user, after_question_id=int(after) if after.isdigit() else None
    )
    if entry is None:
        return redirect("mistake_book")
    return redirect("mistake_question", question_id=entry.question_id)


@login_required
def mistake_question(request, question_id):
    entry = mistakes_open(user=request.user).select_related("question__current_version")
    entry = entry.filter(question_id=question_id).first()
    if entry is None:
        if request.method == "POST":
            # A second tap on the answer that took the question out of the book.
            return redirect(reverse("mistake_practice") + f"?after={question_id}")
        raise Http404
    context = {
        "entry": entry,
        "question": entry.question,
        "version": entry.question.current_version,
        "key_withheld": bool(keys_withheld(user=request.user, question_ids=[question_id])),
        "key_withheld_text": KEY_WITHHELD,
    }
    status = 200
    if request.method == "POST":
        try:
            result = mistake_practice_answer(
                user=request.user,
                question_id=question_id,
                answer=_form_answer(request, entry.question.kind),
                state=request.POST.get("state", ""),
            )
        except AttemptError as exc:
            if exc.status == 409:
                messages.info(request, exc.message)
                return redirect(reverse("mistake_practice") + f"?after={question_id}")
            context["error"] = exc.message
            status = exc.status
        else:
            context.update(feedback=result.feedback, entry=result.entry, resolved=result.resolved)
    context["state"] = mistake_entry_state(context["entry"])
    context["streak_to_resolve"] = STREAK_TO_RESOLVE
    return render(request, "exams/practice_mistake.html", context, status=status)


# ---------------------------------------------------------------------- daily practice


def _daily_rows(daily, user):
    withheld = keys_withheld(user=user, question_ids=[item.question_id for item in daily.items])
    rows = [
        {
            "item": item,
            "question": item.question,
            "version": item.version,
            "key_withheld": item.question_id in withheld,
        }
        for item in daily.items
    ]
    answered = [row for row in rows if row["item"].correct is not None and not row["key_withheld"]]
    shown = feedback_with_law(
        (
            feedback_for(kind=row["item"].kind, version=row["version"], answer=row["item"].answer),
            row["question"],
        )
        for row in answered
    )
    for row, feedback in zip(answered, shown, strict=True):
        row["feedback"] = feedback
    return rows


@login_required
def daily(request):
    daily_set = daily_practice_ensure(user=request.user)
    return render(
        request,
        "exams/daily.html",
        {
            "daily": daily_set,
            "rows": _daily_rows(daily_set, request.user),
            "key_withheld_text": KEY_WITHHELD,
            "done": sum(1 for item in daily_set.items if item.correct is not None),
        },
    )


@login_required
@require_POST
def daily_answer(request, position):
    daily_set = daily_practice_ensure(user=request.user)
    item = next((i for i in daily_set.items if i.position == position), None)
    if item is None:
        raise Http404
    try:
        daily_practice_answer(
            user=request.user,
            position=position,
            day=daily_set.day,
            answer=_form_answer(request, item.kind),
        )
    except AttemptError as exc:
        if exc.status in (400, 403):
            messages.error(request, exc.message)
        elif exc.status == 409:
            messages.info(request, exc.message)
        else:
            raise Http404 from exc
    return redirect(reverse("daily_practice") + f"#q{position}")


# ----------------------------------------------------------- certificates and reports


@login_required
def certificate_list(request):
    return render(
        request, "exams/certificate_list.html", {"certificates": certificates_of(user=request.user)}
    )


def _verify_url(request, attempt) -> str:
    return request.build_absolute_uri(
        reverse("certificate_verify", args=[attempt.certificate_code])
    )


@login_required
def certificate(request, attempt_id):
    attempt = certificate_of(attempt_id=attempt_id, user=request.user)
    return render(
        request,
        "exams/certificate.html",
        {
            "attempt": attempt,
            "exam": attempt.exam,
            "cadre": attempt.user,
            "passed_on": timezone.localdate(attempt.submitted_at),
            "verify_url": _verify_url(request, attempt),
        },
    )


@login_required
@require_GET
def certificate_image(request, attempt_id):
    """The certificate as a picture to keep on the phone, for those who cannot print."""
    attempt = certificate_of(attempt_id=attempt_id, user=request.user)
    try:
        png = certificate_png(attempt=attempt, verify_url=_verify_url(request, attempt))
    except FontMissing:
        messages.error(
            request,
            _(
                "The picture cannot be made on this server: it has no Chinese font. "
                "Take a screenshot of this page instead."
            ),
        )
        return redirect("certificate", attempt_id=attempt.pk)
    response = HttpResponse(png, content_type="image/png")
    # Inline, so that a browser that ignores the link's download attribute (WeChat's)
    # shows the picture, which a long press saves.
    filename = f"certificate-{attempt.certificate_code}.png"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@cache_control(private=True, max_age=300)
def certificate_check(request, code):
    """Public: anyone holding a printed certificate can check it, and learn nothing else."""
    check = certificate_verify(code=code)
    response = render(
        request, "exams/certificate_verify.html", {"check": check}, status=200 if check else 404
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_POST
def question_report(request, attempt_id):
    raw = request.POST.get("position", "")
    position = int(raw) if raw.isdigit() else 0
    try:
        question_report_create(
            attempt_id=attempt_id,
            user=request.user,
            position=position,
            text=request.POST.get("text", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except AttemptError as exc:
        if exc.status == 404:
            raise Http404 from exc
        messages.info(request, exc.message)
    else:
        messages.success(request, _("Thank you: the trainers will check this question."))
    return redirect(reverse("attempt_review", args=[attempt_id]) + f"#q{position}")
