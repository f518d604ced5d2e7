"""Forms of the check-in desk: a registration code, and a walk-in."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin, NameField
from core.phone import normalize_phone

from ..services.attendance import normalise_code


class CodeForm(BootstrapFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Registration code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "class": "form-control-lg font-monospace",
            }
        ),
        error_messages={"required": _("Type or scan a registration code.")},
    )

    def clean_code(self):
        code = normalise_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(_("Type or scan a registration code."))
        return code


class WalkInForm(BootstrapFormMixin, forms.Form):
    full_name = NameField(label=_("Name"), max_length=200)
    position = NameField(label=_("Position (jabatan)"), max_length=300, required=False)
    organization_name = NameField(
        label=_("Organization"),
        max_length=300,
        required=False,
        help_text=_("Name or acronym; it is matched with the directory (e.g. BP2MI, Kemnaker)."),
    )
    email = forms.EmailField(
        label=_("Email"),
        help_text=_("The confirmation with the registration code and the private link goes here."),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    consent = forms.BooleanField(
        label=_("The person agrees to the processing of their personal data for this meeting."),
        error_messages={
            "required": _("Ask the person's consent first; without it they cannot be registered.")
        },
    )
    admit_over_capacity = forms.BooleanField(
        label=_("Admit over capacity (when every on-site seat is taken)"), required=False
    )

    def __init__(self, *args, can_admit_over_capacity: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_admit_over_capacity:
            del self.fields["admit_over_capacity"]

    def clean_full_name(self):
        name = self.cleaned_data["full_name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter the person's name."))
        return name

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        return normalize_phone(phone) if phone else ""
