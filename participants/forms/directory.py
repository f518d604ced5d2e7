"""Forms of the directory (organizations, people, CSV import) and of hosts and agenda roles."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from accounts.forms import BootstrapFormMixin, NameField
from accounts.text import clean_name

from .. import services
from ..models import AgendaRole, MeetingHost, Organization, Person

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
    class Meta:
        model = Organization
        fields = ["name", "acronym", "kind", "parent", "timezone"]
        field_classes = {"name": NameField, "acronym": NameField}
        help_texts = {
            "acronym": _("For example BP2MI, Kemnaker, UPT BP2MI Medan."),
            "parent": _("The ministry or agency this unit belongs to, if any."),
            "timezone": _("Used for the unit's regional participants; WIB, WITA or WIT."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].empty_label = _("— none —")


phone_validator = RegexValidator(
    r"^\+?[0-9 ().-]{6,30}$",
    _("Enter a phone number: digits, spaces, “+”, “-”, “(” and “)” only."),
)


class PersonForm(BootstrapFormMixin, forms.ModelForm):
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
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].empty_label = _("— none —")

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone:
            phone_validator(phone)
        return phone


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


class MeetingHostForm(BootstrapFormMixin, forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.order_by("name"),
        empty_label=_("— choose an organization —"),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=MeetingHost.Role.choices, initial=MeetingHost.Role.CO_HOST
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        org = person.organization
        if org is None:
            return person.full_name
        return f"{person.full_name} — {org.acronym or org.name}"


class AgendaRoleForm(BootstrapFormMixin, forms.Form):
    person = PersonChoiceField(
        label=_("Person"),
        queryset=Person.objects.select_related("organization").order_by("full_name"),
        empty_label=_("— choose a person —"),
    )
    role = forms.ChoiceField(label=_("Role"), choices=AgendaRole.Role.choices)
