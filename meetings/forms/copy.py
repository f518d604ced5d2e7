"""Forms of "Copy as template" and "Create a series": the new first date, zone, units."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from core.timezones import TIMEZONE_CHOICES
from directory.models import Organization

from ..models import Meeting


class CopyForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    first_date = forms.DateField(
        label=_("First day of the copy"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The other days follow with the same gaps; each day keeps its hours."),
    )
    timezone = forms.ChoiceField(
        label=_("Time zone"),
        choices=TIMEZONE_CHOICES,
        help_text=_("The hours stay the same in local time (09:00 stays 09:00 in the new zone)."),
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        kwargs.setdefault("initial", {"title": meeting.title, "timezone": meeting.timezone})
        super().__init__(*args, **kwargs)


class UnitChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        from core.timezones import zone_label

        return f"{obj} · {zone_label(obj.timezone)}"


class SeriesForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("Title of the series"), max_length=300)
    first_date = forms.DateField(
        label=_("First day of each meeting"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Each unit's meeting keeps the template's hours in the unit's own time zone."),
    )
    units = UnitChoiceField(
        label=_("Regional units"),
        queryset=Organization.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one regional unit.")},
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        kwargs.setdefault("initial", {"title": meeting.title})
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Organization.objects.filter(
            kind=Organization.Kind.REGIONAL_UNIT
        ).order_by("name")
