"""The organizer's custom message to a meeting's registrants, with the audience it goes to."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin

from ..models import Registration
from ..services.announcements import AUDIENCE_STATES, BODY_MAX, SUBJECT_MAX

STATE_LABELS = {
    Registration.State.CONFIRMED: _("Confirmed"),
    Registration.State.WAITLISTED: _("On the waiting list"),
    Registration.State.PENDING: _("Awaiting approval"),
}


class AnnouncementForm(BootstrapFormMixin, forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX)
    body = forms.CharField(
        label=_("Message"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Plain text; line breaks are kept. Each person's email adds the meeting's dates and their private link."
        ),
    )
    states = forms.MultipleChoiceField(
        label=_("Registrations"),
        choices=[(state, STATE_LABELS[state]) for state in AUDIENCE_STATES],
        initial=[Registration.State.CONFIRMED],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one kind of registration.")},
    )
    modes = forms.MultipleChoiceField(
        label=_("Attendance mode"),
        choices=Registration.Mode.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: both."),
    )
    organizations = forms.TypedMultipleChoiceField(
        label=_("Organizations"),
        coerce=int,
        required=False,
        help_text=_("None selected: every organization."),
    )

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizations"].choices = [(pk, label) for pk, label in organizations]
        self.fields["organizations"].widget.attrs["size"] = min(8, max(3, len(organizations)))
        # Checkbox groups are laid out by the template; Bootstrap's class goes on each box.
        for name in ("states", "modes"):
            self.fields[name].widget.attrs["class"] = "form-check-input"

    @property
    def audience(self) -> dict:
        data = self.cleaned_data
        return {"states": data["states"], "modes": data["modes"], "organizations": data["organizations"]}


class AudienceForm(AnnouncementForm):
    """The same audience fields without the text: the live recipient count (GET)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["subject"]
        del self.fields["body"]
