"""Forms of a meeting's host agencies and of its agenda items' speakers and moderators."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from directory.pickers import OrganizationPickerField, PersonPickerField

from ..models import AgendaRole, MeetingHost


class MeetingHostForm(BootstrapFormMixin, forms.Form):
    organization = OrganizationPickerField(
        label=_("Organization"), help_text=_("Type part of the name or acronym and choose a suggestion.")
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=MeetingHost.Role.choices, initial=MeetingHost.Role.CO_HOST
    )


class AgendaRoleForm(BootstrapFormMixin, forms.Form):
    """One per agenda item on the agenda page: ids carry the item's pk so the forms stay apart."""

    person = PersonPickerField(label=_("Person"))
    role = forms.ChoiceField(label=_("Role"), choices=AgendaRole.Role.choices)

    def __init__(self, *args, item=None, **kwargs):
        if item is not None:
            kwargs.setdefault("auto_id", f"id_%s_{item.pk}")
        super().__init__(*args, **kwargs)
