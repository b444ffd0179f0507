"""Wagtail admin: the cadre and unit listings, and the roster import page."""

import secrets
from dataclasses import asdict

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.forms import modelform_factory
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin.auth import permission_required
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet

from lms.imports.models import ImportJob, ImportKind
from lms.imports.services import import_background_rows, import_goes_background, import_job_start
from lms.spreadsheet_limits import sheet_rows_estimate
from lms.spreadsheets import ExportHeaderButtonsMixin, xlsx_response

from .admin_forms import CADRE_FORM_FIELDS, CadreAdminForm
from .forms import RosterUploadForm
from .import_jobs import roster_background_possible, roster_job_passwords_key
from .models import Cadre, OrgUnit, User
from .roles import Role, account_is_managed_by
from .roster import (
    RosterImportError,
    roster_import,
    roster_passwords_xlsx,
    roster_template_xlsx,
)
from .services import user_set_one_time_password
from .templatetags.township import site_name_of


class OrgUnitViewSet(ModelViewSet):
    model = OrgUnit
    icon = "site"
    add_to_admin_menu = True
    menu_order = 800
    form_fields = ["code", "name", "kind", "parent"]
    list_display = ["indented_name", "code", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    copy_view_enabled = False


class CadreCreateView(generic.CreateView):
    def save_instance(self):
        user = super().save_instance()
        if not user.groups.exists():
            user.groups.add(Group.objects.get_or_create(name=Role.CADRE)[0])
        self.one_time_password = user_set_one_time_password(user=user)
        return user

    def get_success_message(self, instance):
        return _(
            "Account for %(name)s created. One-time password: %(password)s "
            "(shown once; the cadre must change it at first sign-in)."
        ) % {"name": instance, "password": self.one_time_password}


def cadres_for(user):
    """The accounts a clerk manages from the cadre list: superusers are managed by
    superusers, never from HR's list."""
    queryset = Cadre.objects.select_related("unit")
    if not user.is_superuser:
        queryset = queryset.filter(is_superuser=False)
    return queryset


class SuperusersHiddenMixin:
    """A superuser's edit, delete, history and usage pages are not there for anyone else
    (Wagtail's object views load by primary key from the model, not from the list)."""

    def dispatch(self, request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is not None and not cadres_for(request.user).filter(pk=unquote(str(pk))).exists():
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class CadreIndexView(ExportHeaderButtonsMixin, generic.IndexView):
    """The cadre list, its XLSX and CSV exports as labelled header buttons. A staff
    account the clerk may not change is listed without its edit and delete links."""

    def get_base_queryset(self):
        # Groups prefetched: deciding each row's links costs no query per row.
        return cadres_for(self.request.user).prefetch_related("groups")

    def get_edit_url(self, instance):
        if account_is_managed_by(target=instance, by=self.request.user):
            return super().get_edit_url(instance)
        return None

    def get_delete_url(self, instance):
        if account_is_managed_by(target=instance, by=self.request.user):
            return super().get_delete_url(instance)
        return None


class ManagedAccountsOnlyMixin(SuperusersHiddenMixin):
    """Editing or deleting an account needs the right to grant every role it holds
    (roles.account_is_managed_by): HR sees a trainer in the list but does not change them."""

    def dispatch(self, request, *args, **kwargs):
        pk = kwargs.get("pk")
        target = cadres_for(request.user).filter(pk=unquote(str(pk))).first() if pk else None
        if target is not None and not account_is_managed_by(target=target, by=request.user):
            raise PermissionDenied(
                _(
                    "Only the system administrator changes the accounts of trainers, HR "
                    "and administrators."
                )
            )
        return super().dispatch(request, *args, **kwargs)


class CadreEditView(ManagedAccountsOnlyMixin, generic.EditView):
    pass


class CadreDeleteView(ManagedAccountsOnlyMixin, generic.DeleteView):
    pass


class CadreHistoryView(SuperusersHiddenMixin, history.HistoryView):
    pass


class CadreUsageView(SuperusersHiddenMixin, usage.UsageView):
    pass


class CadreViewSet(ModelViewSet):
    model = Cadre
    icon = "user"
    name = "cadres"
    add_to_admin_menu = True
    menu_order = 801
    index_view_class = CadreIndexView
    add_view_class = CadreCreateView
    edit_view_class = CadreEditView
    delete_view_class = CadreDeleteView
    history_view_class = CadreHistoryView
    usage_view_class = CadreUsageView
    form_fields = CADRE_FORM_FIELDS
    # A tick or a cross, not Python's "True" (the listing prints a bare boolean as text).
    list_display = [
        "name", "phone", "unit", "position", "category",
        BooleanColumn("is_active", label=User._meta.get_field("is_active").verbose_name),
    ]  # fmt: skip
    list_filter = ["unit", "category", "is_active", "groups"]
    list_export = ["name", "phone", "unit", "position", "category", "is_active"]
    search_fields = ["name", "phone", "username"]
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return modelform_factory(Cadre, form=CadreAdminForm, fields=CADRE_FORM_FIELDS)


# The one-time passwords of a roster import are plaintext, so they are never written to
# the database (sessions are database-backed unless REDIS_URL is set): they sit in the
# cache (Redis, or this process's memory) under a random key, and the clerk's session
# holds only that key. They are gone after PASSWORDS_TTL seconds or when the clerk clears
# them, whichever comes first.
PASSWORDS_TTL = 30 * 60
PASSWORDS_SESSION_KEY = "roster_passwords"


def _passwords_keep(request, accounts) -> None:
    key = f"roster-passwords:{secrets.token_urlsafe(32)}"
    cache.set(key, {"user": request.user.pk, "accounts": accounts}, PASSWORDS_TTL)
    request.session[PASSWORDS_SESSION_KEY] = key


def _passwords_of(request) -> list[dict] | None:
    key = request.session.get(PASSWORDS_SESSION_KEY)
    entry = cache.get(key) if key else None
    if not entry or entry["user"] != request.user.pk:
        return None
    return entry["accounts"]


def _passwords_gone(request):
    messages.error(
        request,
        _(
            "The one-time passwords are no longer kept (they are kept for 30 minutes). "
            "Reset a cadre's password from the cadre list to give a new one."
        ),
    )
    return redirect("roster_import")


@permission_required("accounts.import_roster")
def roster_import_view(request):
    result = errors = None
    if request.method == "POST":
        form = RosterUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            rows = sheet_rows_estimate(data)
            if roster_background_possible() and import_goes_background(rows=rows, size=len(data)):
                # A large roster would hold the request for minutes (a password hash per
                # new cadre): it runs as a task, and the clerk watches its progress page.
                job = import_job_start(
                    user=request.user,
                    kind=ImportKind.ROSTER,
                    data=data,
                    filename=upload.name,
                    rows_total=rows or 0,
                )
                messages.info(
                    request, _("The file is large: it is being imported in the background.")
                )
                return redirect("import_job", job.pk)
            try:
                result = roster_import(data=data, filename=upload.name)
            except RosterImportError as exc:
                errors = exc.errors
                messages.error(
                    request, _("Nothing was imported: fix the rows below and upload again.")
                )
            else:
                messages.success(request, _("Roster imported: %s.") % result.summary())
                if result.new_accounts:
                    _passwords_keep(request, [asdict(a) for a in result.new_accounts])
    else:
        form = RosterUploadForm()
    return render(
        request,
        "accounts/admin/roster_import.html",
        {
            "form": form,
            "result": result,
            "errors": errors,
            "ttl_minutes": PASSWORDS_TTL // 60,
            "background_rows": import_background_rows(),
        },
        status=400 if errors else 200,
    )


@permission_required("accounts.import_roster")
def roster_passwords_xlsx_view(request):
    accounts = _passwords_of(request)
    if accounts is None:
        return _passwords_gone(request)
    response = xlsx_response(roster_passwords_xlsx(accounts), filename="roster-passwords.xlsx")
    response["Cache-Control"] = "no-store"
    return response


@permission_required("accounts.import_roster")
def roster_password_slips_view(request):
    accounts = _passwords_of(request)
    if accounts is None:
        return _passwords_gone(request)
    response = render(
        request,
        "accounts/admin/roster_password_slips.html",
        {
            "accounts": accounts,
            "site_name": site_name_of(request),
            "sign_in_url": request.build_absolute_uri(reverse("account_login")),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@permission_required("accounts.import_roster")
def roster_passwords_clear_view(request):
    key = request.session.pop(PASSWORDS_SESSION_KEY, None)
    if key:
        cache.delete(key)
    messages.success(request, _("The one-time passwords are cleared."))
    return redirect("roster_import")


def _job_passwords_take(request, job_id) -> bool:
    """Point the clerk's session at a background import's passwords, if the clerk ran it
    and they are still kept; the password views below then read them as usual."""
    job = get_object_or_404(ImportJob, pk=job_id, kind=ImportKind.ROSTER, user=request.user)
    key = roster_job_passwords_key(job.pk)
    entry = cache.get(key)
    if not entry or entry["user"] != request.user.pk:
        return False
    request.session[PASSWORDS_SESSION_KEY] = key
    return True


@permission_required("accounts.import_roster")
def roster_job_passwords_xlsx_view(request, job_id):
    if not _job_passwords_take(request, job_id):
        return _passwords_gone(request)
    return roster_passwords_xlsx_view(request)


@permission_required("accounts.import_roster")
def roster_job_password_slips_view(request, job_id):
    if not _job_passwords_take(request, job_id):
        return _passwords_gone(request)
    return roster_password_slips_view(request)


@permission_required("accounts.import_roster")
def roster_template_view(request):
    return xlsx_response(roster_template_xlsx(), filename="roster-template.xlsx")
