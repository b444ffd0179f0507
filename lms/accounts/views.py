"""Site pages for accounts: closed sign-up, password help, the admin's sign-in, and a
leader's list of cadres."""

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .roles import Role, user_has_role
from .selectors import cadres_search, cadres_visible_to
from .services import cadre_password_reset, password_reset_refusal


def signup_closed(request):
    return render(request, "account/signup_closed.html", status=403)


def password_reset_help(request):
    return render(request, "account/password_reset_help.html")


def email_not_used(request, **kwargs):
    """allauth's e-mail pages: accounts come from the roster and sign in by phone, so there
    is no address to add, confirm or reset by; the page does not exist here."""
    raise Http404


@require_safe
def admin_sign_in(request):
    """Where Wagtail sends whoever may not use its admin (WAGTAILADMIN_LOGIN_URL), in place
    of Wagtail's own sign-in form, which would check a password without the second factor.

    Signed out: sign in through allauth (with MFA), then back to the admin. Signed in but no
    role gives admin work (a cadre, a unit leader): a page that says where their work is;
    allauth's sign-in would send a signed-in user straight back to the admin, a loop.
    """
    next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = ""
    next_url = next_url or reverse("wagtailadmin_home")
    if not request.user.is_authenticated:
        return redirect_to_login(next_url)
    if request.user.has_perm("wagtailadmin.access_admin"):
        return redirect(next_url)
    is_leader = user_has_role(request.user, Role.UNIT_LEADER)
    return render(request, "accounts/admin_refused.html", {"is_leader": is_leader}, status=403)


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
    cadres = cadres.prefetch_related("groups").annotate(
        has_mfa=Exists(Authenticator.objects.filter(user=OuterRef("pk")))
    )
    page = Paginator(cadres, 50).get_page(request.GET.get("page"))
    for cadre in page:
        # The row offers a reset only where the role ladder allows one.
        cadre.reset_allowed = not password_reset_refusal(
            target=cadre, by=request.user, target_has_mfa=cadre.has_mfa
        )
    return render(request, "accounts/unit_cadres.html", {"page": page, "query": query})


@login_required
@require_POST
def cadre_reset_password(request, pk):
    _require_leader_or_hr(request.user)
    # Cadres outside the leader's units answer 404, as if they did not exist.
    cadre = get_object_or_404(cadres_visible_to(request.user), pk=pk)
    try:
        password = cadre_password_reset(
            cadre=cadre, by=request.user, reason=request.POST.get("reason", "")
        )
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, exc.messages[0] if hasattr(exc, "messages") else str(exc))
        return redirect("unit_cadres")
    return render(
        request,
        "accounts/password_reset_done.html",
        {"cadre": cadre, "password": password},
    )
