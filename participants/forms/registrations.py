"""Forms of the organizer's registration screens: filters, row and bulk actions, typed organizations."""

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin, NulGuardMixin
from core.text import is_id
from directory.forms import OrganizationForm
from directory.pickers import OrganizationPickerField

from ..models import Registration
from ..services.bulk import ACTIONS, BULK_ACTIONS

# The agency filter's value for registrations whose organization is not in the directory.
NOT_IN_DIRECTORY = "typed"
MAX_BULK_IDS = 1000


def _any(label):
    return [("", label)]


class RegistrationFilterForm(BootstrapFormMixin, forms.Form):
    """The list's GET filters. Invalid values are ignored (the filter is simply not applied)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.SearchInput(attrs={"placeholder": _("Name, email, code or organization")}),
    )
    agency = forms.ChoiceField(label=_("Organization"), required=False)
    mode = forms.ChoiceField(
        label=_("Attendance mode"), required=False, choices=_any(_("All modes")) + Registration.Mode.choices
    )
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=_any(_("All states")) + Registration.State.choices
    )
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=_any(_("All sources")) + Registration.Source.choices
    )

    def __init__(self, *args, organizations=(), has_typed=False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = _any(_("All organizations")) + [(str(pk), label) for pk, label in organizations]
        if has_typed:
            choices.append((NOT_IN_DIRECTORY, _("Not in the directory (typed by the registrant)")))
        self.fields["agency"].choices = choices

    @property
    def filters(self) -> dict:
        """The valid, non-empty filters."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: value for name, value in data.items() if value and name not in self.errors}

    def apply(self, qs: QuerySet) -> QuerySet:
        f = self.filters
        if f.get("agency") == NOT_IN_DIRECTORY:
            qs = qs.filter(organization__isnull=True)
        elif f.get("agency"):
            qs = qs.filter(organization_id=int(f["agency"]))
        for name in ("mode", "state", "source"):
            if f.get(name):
                qs = qs.filter(**{name: f[name]})
        if q := f.get("q", "").strip():
            qs = qs.filter(
                Q(full_name__icontains=q)
                | Q(email__icontains=q)
                | Q(code__iexact=q)
                | Q(organization_name__icontains=q)
                | Q(organization__name__icontains=q)
                | Q(organization__acronym__icontains=q)
            )
        return qs


class IdListField(forms.Field):
    """Several integer ids from checkboxes of the same name."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Select at least one registration."),
        "invalid": _("The selection is not valid; reload the page and try again."),
    }

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        # Row ids only: ASCII digits short enough for the database (int(" 7") or a 30-digit
        # number would pass int() and then fail in the query).
        if not all(is_id(v) for v in value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        ids = {int(v) for v in value}
        if len(ids) > MAX_BULK_IDS:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return sorted(ids)


class BulkActionForm(NulGuardMixin, forms.Form):
    action = forms.ChoiceField(
        label=_("With the selected registrations"),
        choices=[(a.name, a.label) for a in BULK_ACTIONS],
        error_messages={"required": _("Choose an action."), "invalid_choice": _("Choose an action.")},
    )
    ids = IdListField()


class RowActionForm(NulGuardMixin, forms.Form):
    action = forms.ChoiceField(choices=[(a.name, a.label) for a in ACTIONS.values()])


class LinkOrganizationForm(BootstrapFormMixin, forms.Form):
    organization = OrganizationPickerField(
        label=_("Organization in the directory"),
        help_text=_("Type part of the name or acronym and choose a suggestion."),
        error_messages={"required": _("Choose an organization from the directory.")},
    )


class AddOrganizationForm(OrganizationForm):
    """A new directory organization for a typed name (the name is prefilled, the kind chosen)."""

    class Meta(OrganizationForm.Meta):
        # Shown beside the typed names' list, where the directory's long help would crowd it.
        help_texts = {}
