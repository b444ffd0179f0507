"""The cadre's credit-hour records of a year (学时记录): each row the ledger holds."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from courses.selectors import credits_of_year


@login_required
def credit_list(request):
    year = timezone.localdate().year
    credits = credits_of_year(user=request.user, year=year)
    return render(
        request,
        "courses/credit_list.html",
        {"year": year, "credits": credits, "total": sum(c.credit_hours for c in credits)},
    )
