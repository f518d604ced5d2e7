"""Forms of the agenda editor: a meeting day's date and hours, and one agenda item.

They only parse input; the schedule rules live in the services, whose errors the views put back
on these forms with `add_service_errors`.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin

TIME_INPUT_FORMATS = ["%H:%M", "%H.%M", "%H:%M:%S"]
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]


def _time_field(label):
    # A browser's <input type="time"> sends and expects 24-hour "HH:MM" whatever the language.
    return forms.TimeField(
        label=label,
        input_formats=TIME_INPUT_FORMATS,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )


class DayForm(BootstrapFormMixin, forms.Form):
    date = forms.DateField(
        label=_("Date"),
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    start_time = _time_field(_("Starts"))
    end_time = _time_field(_("Ends"))


class AgendaItemForm(BootstrapFormMixin, forms.Form):
    start_time = _time_field(_("Starts"))
    end_time = _time_field(_("Ends"))
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
