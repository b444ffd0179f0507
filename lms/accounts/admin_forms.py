"""Wagtail admin forms for cadres: no one hands out a role above their own."""

from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import OrgUnit, User
from .roles import Role, roles_grantable_by

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
        # Django's own words for these (用户名, 用户, 帐号) name the account, not the cadre.
        self.fields["username"].label = _("sign-in name")
        self.fields["username"].help_text = _("Leave as the phone number unless there is a reason.")
        self.fields["is_active"].label = _("may sign in")
        self.fields["is_active"].help_text = _(
            "Untick when a cadre leaves or moves away: they can no longer sign in, and their "
            "study and exam records are kept. Do not delete cadres."
        )
        self.fields["unit"].queryset = OrgUnit.objects.order_by("path")
        self.fields["unit"].label_from_instance = lambda unit: unit.indented_name
        self.fields["led_units"].queryset = OrgUnit.objects.order_by("path")
        self.fields["groups"].label = _("roles")
        self.fields["groups"].help_text = ""
        grantable = roles_grantable_by(for_user) if for_user is not None else ()
        groups = Group.objects.order_by("pk")
        if set(Role.ALL) <= set(grantable):
            self.kept_groups = groups.none()  # Admin: every group, Wagtail's own too
        else:
            self.kept_groups = groups.exclude(name__in=grantable)
            groups = groups.filter(name__in=grantable)
            self.fields["groups"].help_text = _(
                "Only the system administrator grants the trainer, HR and administrator roles."
            )
        self.fields["groups"].queryset = groups

    def clean_groups(self):
        # Roles the clerk may not grant are not on the form, and saving must not take them
        # away either: they are kept as they were.
        chosen = list(self.cleaned_data["groups"])
        if self.instance.pk:
            chosen += list(self.instance.groups.filter(pk__in=self.kept_groups))
        return chosen
