"""The public registration form and the forms of the person's private registration page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin, NameField, NulGuardMixin
from core.phone import normalize_phone

from ..models import Registration

CONSENT_REQUIRED = _("Please agree to the processing of your personal data.")
NO_SUCH_MODE = _("This meeting has no such attendance mode.")
FULL_MODE = _("%(mode)s — all seats are taken: you join the waiting list")


def mode_choices(modes: list[str]) -> list[tuple[str, str]]:
    return [(mode, Registration.Mode(mode).label) for mode in modes]


class RegistrationForm(BootstrapFormMixin, forms.Form):
    full_name = NameField(
        label=_("Full name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    position = NameField(
        label=_("Position (jabatan)"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    organization_name = NameField(
        label=_("Organization (instansi)"),
        max_length=300,
        help_text=_("Start typing to pick your organization from the list, or type its full name."),
        widget=forms.TextInput(attrs={"autocomplete": "organization", "list": "organization-suggestions"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("Your confirmation and your private link are sent to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=40,
        help_text=_("For example 0812 3456 7890 or +62 812 3456 7890."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    mode = forms.ChoiceField(
        label=_("How will you attend?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how you will attend."), "invalid_choice": NO_SUCH_MODE},
    )
    consent = forms.BooleanField(
        label=_("I agree to the processing of my personal data as described in the privacy notice."),
        error_messages={"required": CONSENT_REQUIRED},
    )
    public_listing = forms.BooleanField(
        label=_("Show my name and organization on the public participant list of this meeting."),
        required=False,
    )
    # Honeypot: hidden from people (CSS, aria-hidden, no tab stop); bots that fill every field fill it.
    website = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, modes: list[str], full_modes: frozenset[str] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.modes = modes
        self.show_full(full_modes)
        self.fields["mode"].widget.attrs["class"] = "form-check-input"
        if len(modes) == 1:
            self.fields["mode"].initial = modes[0]
        self.fields["website"].widget.attrs["class"] = ""

    def show_full(self, full_modes: frozenset[str]) -> None:
        """Label the modes whose seats are all taken (a registration there waits)."""
        self.fields["mode"].choices = [
            (mode, FULL_MODE % {"mode": label} if mode in full_modes else label)
            for mode, label in mode_choices(self.modes)
        ]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data["phone"])

    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_organization_name(self) -> str:
        return " ".join(self.cleaned_data["organization_name"].split())


class ChangeModeForm(NulGuardMixin, forms.Form):
    mode = forms.ChoiceField(error_messages={"invalid_choice": NO_SUCH_MODE})

    def __init__(self, *args, modes: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = mode_choices(modes)


class PublicListingForm(NulGuardMixin, forms.Form):
    listed = forms.BooleanField(required=False)


class DetailsForm(BootstrapFormMixin, forms.Form):
    """The person corrects their own name, position and phone (never the email: see the service).

    The fields and their cleaning are the registration form's, so both accept the same input.
    """

    full_name = RegistrationForm.base_fields["full_name"]
    position = RegistrationForm.base_fields["position"]
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=40,
        required=False,
        help_text=RegistrationForm.base_fields["phone"].help_text,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    clean_full_name = RegistrationForm.clean_full_name

    def clean_phone(self) -> str:
        # Delegates nominated by their agency may have no phone; an empty field keeps it empty.
        value = self.cleaned_data["phone"]
        return normalize_phone(value) if value.strip() else ""
