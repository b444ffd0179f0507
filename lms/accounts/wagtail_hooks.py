"""Registers the accounts admin: units, cadres, roster import."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import admin_urls, admin_views, services
from .models import Cadre, User
from .permission_policies import AdministratorsOnlyUserPolicy

# The cadre list (a proxy, for its name) asks for the account permissions HR holds;
# Wagtail's own user admin, for the same permissions, only the system administrator.
register_permission_policy(Cadre, ModelPermissionPolicy(User))
register_permission_policy(User, AdministratorsOnlyUserPolicy(User))


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [
        admin_views.OrgUnitViewSet("units"),
        admin_views.CadreViewSet("cadres"),
    ]


@hooks.register("register_admin_urls")
def register_urls():
    return [path("roster/", include(admin_urls))]


class RosterMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("accounts.import_roster")


@hooks.register("register_admin_menu_item")
def register_roster_menu_item():
    return RosterMenuItem(
        _("Import roster"), reverse("roster_import"), icon_name="upload", order=802
    )


@hooks.register("construct_help_menu")
def hide_external_help(request, menu_items):
    # Wagtail's release notes and editor guide are English pages on guide.wagtail.org;
    # the admin links nothing outside the site (township networks are often offline).
    menu_items[:] = [
        item
        for item in menu_items
        if item.name != "editor-guide" and not item.name.startswith("whats-new-in-wagtail")
    ]


@hooks.register("register_log_actions")
def register_log_actions(actions):
    @actions.register_action(services.PASSWORD_RESET_ACTION)
    class PasswordResetFormatter(LogFormatter):
        label = _("Password reset")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            if data.get("mfa_reset"):
                return _("Password and two-factor authentication reset, reason: %(reason)s") % {
                    "reason": data.get("reason", "")
                }
            return _("Password reset")
