"""The cadre's home page and the display preferences."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from courses import selectors as study
from courses.selectors_training import upcoming_sessions_for
from exams.selectors.attempts import next_exam_for
from exams.services.daily import daily_practice_status
from exams.services.slots import exam_slot_for
from lms.accounts.roles import Role, user_has_role
from lms.evaluation.selectors import required_credit_hours

from .context_processors import TEXT_SIZE_COOKIE, large_text_enabled


@login_required
def home(request):
    user = request.user
    year = timezone.localdate().year
    earned = study.credit_hours_of_year(user=user, year=year)
    required = required_credit_hours(year)
    next_exam = next_exam_for(user=user)
    context = {
        "is_leader": user_has_role(user, Role.UNIT_LEADER, Role.HR, Role.ADMIN),
        "can_use_admin": user.has_perm("wagtailadmin.access_admin"),
        "year": year,
        "earned_hours": earned,
        "required_hours": required,
        "hours_percent": min(100, round(100 * earned / required)) if required else 100,
        "continue_lessons": study.continue_studying(user=user),
        "courses_to_do": study.courses_to_do(user=user, year=year),
        "upcoming_sessions": upcoming_sessions_for(user=user, limit=3),
        "daily": daily_practice_status(user=user),
        "next_exam": next_exam,
        # 县里分批考试: the cadre's own slot is what to plan the day around, not the window.
        "next_exam_slot": exam_slot_for(exam=next_exam, user=user) if next_exam else None,
    }
    return render(request, "home/home.html", context)


@require_POST
def text_size(request):
    """Toggle large text; remembered on the account when signed in, in a cookie otherwise."""
    enabled = not large_text_enabled(request)
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    response = redirect(target)
    if request.user.is_authenticated:
        request.user.large_text = enabled
        request.user.save(update_fields=["large_text"])
    response.set_cookie(
        TEXT_SIZE_COOKIE, "1" if enabled else "0", max_age=365 * 24 * 3600, samesite="Lax"
    )
    return response
