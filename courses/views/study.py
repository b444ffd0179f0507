"""Study endpoints called by the lesson page's script: JSON in, JSON out."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.services.study import HeartbeatError, study_heartbeat, video_watched_share
from lms.json_api import JsonBodyError, json_body, json_error

MAX_BODY_BYTES = 16 * 1024


@require_POST
def heartbeat(request):
    if not request.user.is_authenticated:
        return json_error(_("Sign in again to go on studying."), 401)
    try:
        payload = json_body(request, max_bytes=MAX_BODY_BYTES)
        result = study_heartbeat(user=request.user, payload=payload)
    except (JsonBodyError, HeartbeatError) as exc:
        return json_error(exc.message, exc.status)
    progress = result.progress
    return JsonResponse(
        {
            "ok": True,
            "seq": payload["seq"],
            "credited": result.credited_seconds,
            "seconds_studied": progress.seconds_studied,
            "status": progress.status,
            "completed": progress.status == progress.Status.COMPLETED,
            "course_completed": result.course_credit is not None,
            # A long video's presence check the page must show (nonce, seconds left), and
            # whether this beat's answer came in time.
            "check": result.presence_check,
            "check_answer": result.presence_check_answer,
            "videos": {
                video.block_id: round(100 * video_watched_share(progress, video))
                for video in result.videos
            },
        }
    )


def search(request):
    from django.contrib.auth.views import redirect_to_login
    from django.shortcuts import render

    from courses.search import site_search

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    from courses.models import LawKind, LawStatus

    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    context = site_search(
        user=request.user,
        query=request.GET.get("q"),
        kind=kind if kind in LawKind.values else "",
        status=status if status in LawStatus.values else "",
    )
    context |= {"kinds": LawKind.choices, "statuses": LawStatus.choices}
    return render(request, "courses/search.html", context)
