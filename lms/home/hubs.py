"""The two hubs the bottom navigation leads to: 练习 (daily practice, the mistake book,
practice papers) and 我的 (the cadre's year, certificates, hours, settings, sign-out)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from exams.selectors.attempts import practice_exams_open_to
from exams.services.daily import daily_practice_status
from exams.services.mistakes import mistakes_open_count
from lms.accounts.roles import Role, user_has_role


@login_required
def practice_hub(request):
    user = request.user
    return render(
        request,
        "home/practice_hub.html",
        {
            "daily": daily_practice_status(user=user),
            "mistake_count": mistakes_open_count(user=user),
            "practice_exams": practice_exams_open_to(user=user),
        },
    )


@login_required
def me_hub(request):
    user = request.user
    return render(
        request,
        "home/me_hub.html",
        {
            "is_leader": user_has_role(user, Role.UNIT_LEADER, Role.HR, Role.ADMIN),
            "can_use_admin": user.has_perm("wagtailadmin.access_admin"),
        },
    )
