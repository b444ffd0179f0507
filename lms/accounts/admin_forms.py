"""Wagtail admin forms for cadres: no one hands out a role above their own."""

from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import OrgUnit, User
from .roles import Role, user_has_role

CADRE_FORM_FIELDS = [
    "name",
    "phone",
    "username",
    "unit",
    "position",
    "category",
    "is_active",
    "groups",
    "led_units",
]


class CadreAdminForm(WagtailAdminModelForm):
    class Meta:
        model = User
        fields = CADRE_FORM_FIELDS

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["name"].required = True
        self.fields["username"].help_text = _("Leave as the phone number unless there is a reason.")
        self.fields["unit"].queryset = OrgUnit.objects.order_by("path")
        self.fields["unit"].label_from_instance = lambda unit: unit.indented_name
        self.fields["led_units"].queryset = OrgUnit.objects.order_by("path")
        self.fields["groups"].label = _("roles")
        self.fields["groups"].help_text = ""
        if for_user is not None and not (user_has_role(for_user, Role.ADMIN)):
            self.fields["groups"].queryset = Group.objects.exclude(name=Role.ADMIN)
