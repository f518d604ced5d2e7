"""Forms of the directory: organizations, people, the CSV import."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin, NameField
from core.text import clean_name

from . import services
from .models import Organization, Person
from .pickers import OrganizationPickerField

IMPORT_MAX_BYTES = 1024 * 1024


class OrganizationValidationMixin:
    """The directory's rules (unique name, no parent cycle) as field errors; shared with the admin."""

    def clean(self):
        cleaned = super().clean()
        probe = Organization(
            pk=self.instance.pk,
            name=clean_name(cleaned.get("name") or ""),
            parent=cleaned.get("parent"),
        )
        for field, message in services.organization_errors(probe).items():
            if field not in self.errors:
                self.add_error(field, message)
        return cleaned


class OrganizationForm(OrganizationValidationMixin, BootstrapFormMixin, forms.ModelForm):
    parent = OrganizationPickerField(
        label=capfirst(_("parent unit")),
        required=False,
        help_text=_("The ministry or agency this unit belongs to, if any."),
    )

    class Meta:
        model = Organization
        fields = ["name", "acronym", "kind", "parent", "timezone"]
        field_classes = {"name": NameField, "acronym": NameField}
        help_texts = {
            "acronym": _("For example BP2MI, Kemnaker, UPT BP2MI Medan."),
            "timezone": _("Used for the unit's regional participants; WIB, WITA or WIT."),
        }


phone_validator = RegexValidator(
    r"^\+?[0-9 ().-]{6,30}$",
    _("Enter a phone number: digits, spaces, “+”, “-”, “(” and “)” only."),
)


class PersonForm(BootstrapFormMixin, forms.ModelForm):
    organization = OrganizationPickerField(label=capfirst(_("organization")), required=False)

    class Meta:
        model = Person
        fields = ["full_name", "position", "organization", "email", "phone"]
        field_classes = {"full_name": NameField, "position": NameField}
        help_texts = {
            "position": _("The person's jabatan, e.g. Direktur Pelindungan dan Pemberdayaan Kawasan Asia."),
            "phone": _("For example +62 812 3456 7890."),
        }

    # BootstrapFormMixin validates a bound form inside __init__, so rules live in clean_<field>
    # methods, never in validators or querysets changed after super().__init__().
    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone:
            phone_validator(phone)
        return phone


class PersonWithoutContactForm(PersonForm):
    """The person's name, position and organization, for an organizer who may not see the contact."""

    class Meta(PersonForm.Meta):
        fields = ["full_name", "position", "organization"]


class OrganizationImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("A .csv file in UTF-8, at most 1 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("Choose a file ending in .csv."))
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB; split it into several files."))
        return upload
