"""Site pages for accounts: closed sign-up, password help, and a leader's list of cadres."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .roles import Role, user_has_role
from .selectors import cadres_search, cadres_visible_to
from .services import cadre_password_reset


def signup_closed(request):
    return render(request, "account/signup_closed.html", status=403)


def password_reset_help(request):
    return render(request, "account/password_reset_help.html")


def email_not_used(request, **kwargs):
    """allauth's e-mail pages: accounts come from the roster and sign in by phone, so there
    is no address to add, confirm or reset by; the page does not exist here."""
    raise Http404


def _require_leader_or_hr(user):
    if not user_has_role(user, Role.UNIT_LEADER, Role.HR, Role.ADMIN):
        raise PermissionDenied(_("Only unit leaders and HR can see this page."))


@login_required
def unit_cadres(request):
    _require_leader_or_hr(request.user)
    cadres = cadres_visible_to(request.user)
    query = request.GET.get("q", "").strip()
    if query:
        cadres = cadres_search(cadres, query)
    page = Paginator(cadres, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/unit_cadres.html", {"page": page, "query": query})


@login_required
@require_POST
def cadre_reset_password(request, pk):
    _require_leader_or_hr(request.user)
    # Cadres outside the leader's units answer 404, as if they did not exist.
    cadre = get_object_or_404(cadres_visible_to(request.user), pk=pk)
    try:
        password = cadre_password_reset(cadre=cadre, by=request.user)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("unit_cadres")
    return render(
        request,
        "accounts/password_reset_done.html",
        {"cadre": cadre, "password": password},
    )
