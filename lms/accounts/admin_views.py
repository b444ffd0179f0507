"""Wagtail admin: the cadre and unit listings, and the roster import page."""

from django.contrib import messages
from django.contrib.auth.models import Group
from django.forms import modelform_factory
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.auth import permission_required
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from .admin_forms import CADRE_FORM_FIELDS, CadreAdminForm
from .forms import RosterUploadForm
from .models import OrgUnit, User
from .roles import Role
from .roster import RosterImportError, roster_import, roster_template_xlsx
from .services import user_set_one_time_password


class OrgUnitViewSet(ModelViewSet):
    model = OrgUnit
    icon = "site"
    menu_label = gettext_lazy("Units")
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


class CadreViewSet(ModelViewSet):
    model = User
    icon = "user"
    menu_label = gettext_lazy("Cadres")
    name = "cadres"
    add_to_admin_menu = True
    menu_order = 801
    add_view_class = CadreCreateView
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
        return modelform_factory(User, form=CadreAdminForm, fields=CADRE_FORM_FIELDS)

    def get_queryset(self, request):
        # Superusers are managed by superusers, never from HR's list.
        queryset = User.objects.select_related("unit")
        if not request.user.is_superuser:
            queryset = queryset.filter(is_superuser=False)
        return queryset


@permission_required("accounts.import_roster")
def roster_import_view(request):
    result = errors = None
    if request.method == "POST":
        form = RosterUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = roster_import(data=upload.read(), filename=upload.name)
            except RosterImportError as exc:
                errors = exc.errors
                messages.error(
                    request, _("Nothing was imported: fix the rows below and upload again.")
                )
            else:
                messages.success(request, _("Roster imported: %s.") % result.summary())
    else:
        form = RosterUploadForm()
    return render(
        request,
        "accounts/admin/roster_import.html",
        {"form": form, "result": result, "errors": errors},
        status=400 if errors else 200,
    )


@permission_required("accounts.import_roster")
def roster_template_view(request):
    response = HttpResponse(
        roster_template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = "attachment; filename*=UTF-8''roster-template.xlsx"
    return response
