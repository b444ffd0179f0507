"""Training session pages: the cadre's list, a session, the trainer's QR screen, check-in."""

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from courses.models import TrainingSession
from courses.selectors_training import (
    attendance_of,
    can_run_session,
    session_attendee_count,
    sessions_visible_to,
    training_list_for,
)
from courses.services.training import (
    CheckinError,
    checkin_token_make,
    training_checkin,
    training_checkin_check,
    training_checkin_secret_rotate,
)

# Seconds between two refreshes of the attendee count on the QR screen.
QR_COUNT_POLL_SECONDS = 5


def _session_run_by(user, pk) -> TrainingSession:
    # Sessions the user cannot see answer 404 as if they did not exist; a cadre looking at
    # a session of their own that they may not run gets 403.
    session = get_object_or_404(sessions_visible_to(user).select_related("trainer"), pk=pk)
    if not can_run_session(user=user, session=session):
        raise PermissionDenied(_("Only the trainer can open the check-in code."))
    return session


def _qr_svg(data: str) -> str:
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        image_factory=qrcode.image.svg.SvgPathImage,
        border=2,
    )
    code.add_data(data)
    code.make(fit=True)
    return code.make_image().to_string(encoding="unicode")


@login_required
def training_list(request):
    return render(request, "courses/training_list.html", training_list_for(user=request.user))


@login_required
def training_detail(request, pk):
    session = get_object_or_404(sessions_visible_to(request.user).select_related("trainer"), pk=pk)
    runs = can_run_session(user=request.user, session=session)
    context = {
        "session": session,
        "attendance": attendance_of(session=session, user=request.user),
        "runs_session": runs,
        "attendee_count": session_attendee_count(session=session) if runs else None,
        "can_use_admin": runs and request.user.has_perm("wagtailadmin.access_admin"),
    }
    return render(request, "courses/training_detail.html", context)


@login_required
@never_cache
def training_qr(request, pk):
    session = _session_run_by(request.user, pk)
    checkin_url = request.build_absolute_uri(
        reverse("training_checkin", args=[session.pk, checkin_token_make(session=session)])
    )
    context = {
        "session": session,
        "checkin_url": checkin_url,
        # The SVG is generated here from our own URL, never from user input.
        "qr_svg": mark_safe(_qr_svg(checkin_url)),
        "attendee_count": session_attendee_count(session=session),
        "poll_seconds": QR_COUNT_POLL_SECONDS,
    }
    return render(request, "courses/training_qr.html", context)


@login_required
@never_cache
def training_qr_count(request, pk):
    session = _session_run_by(request.user, pk)
    return JsonResponse({"count": session_attendee_count(session=session)})


@login_required
@require_POST
def training_qr_renew(request, pk):
    session = _session_run_by(request.user, pk)
    training_checkin_secret_rotate(session=session, by=request.user)
    messages.success(request, _("New check-in code: codes shown before no longer work."))
    return redirect("training_qr", pk=session.pk)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def training_checkin_page(request, pk, token):
    """GET only shows what a tap would do, so that a chat app's link preview or a
    scanner's prefetch never checks anyone in; the POST from the button does it."""
    # Any signed-in user reaches the session here: one outside the audience is told why
    # (403) instead of meeting a bare 404.
    session = get_object_or_404(TrainingSession.objects.select_related("trainer"), pk=pk)
    context = {"session": session}
    try:
        if request.method == "POST":
            context["attendance"] = training_checkin(
                session=session, token=token, user=request.user
            )
            context["state"] = "done"
        else:
            training_checkin_check(session=session, token=token, user=request.user)
            context["state"] = "confirm"
    except CheckinError as error:
        context.update(
            state="already" if error.status == 200 else "error",
            message=error.message,
            attendance=getattr(error, "attendance", None),
        )
        return render(request, "courses/training_checkin.html", context, status=error.status)
    return render(request, "courses/training_checkin.html", context)
