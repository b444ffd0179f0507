"""Forms for signing in and for the roster upload."""

from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.utils.translation import gettext_lazy as _


class LoginForm(AllauthLoginForm):
    """allauth's form with one field that takes a phone number or a username."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["login"]
        field.label = _("Mobile number or username")
        field.widget.attrs.update(
            {
                "placeholder": _("Mobile number or username"),
                "autocomplete": "username",
                "inputmode": "text",
                "autocapitalize": "none",
            }
        )


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file (XLSX or CSV)"),
        help_text=_("At most 5 MB. Download the template for the columns."),
    )
