"""Forms of agency invitations: the organizer's invite, bulk invite and quota forms, and the
focal point's nomination form."""

from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from core.phone import normalize_phone
from directory.pickers import OrganizationPickerField

from ..models import Registration

# Shown beside the bulk form; every organization in it is in the demo directory (seed_demo), so
# pasting the example into a demo meeting works.
BULK_EXAMPLE = (
    "Kemlu;tu.kemlu@example.go.id;3;Budi Santoso\n"
    "BP3MI Sulawesi Selatan (Makassar);bp3mi.makassar@example.go.id;2\n"
    "BP3MI NTT (Kupang);bp3mi.kupang@example.go.id;2"
)
AUTHORISED_REQUIRED = _("Please confirm that you are authorised to submit your delegates' data.")


def language_field(label, help_text=""):
    return forms.ChoiceField(
        label=label,
        choices=[("id", "Bahasa Indonesia"), ("en", "English")],
        initial=settings.LANGUAGE_CODE,
        help_text=help_text,
    )


class DeadlineFieldMixin:
    """A nomination deadline typed in the meeting's time zone (the zone its page shows)."""

    def __init__(self, *args, meeting_timezone: str = settings.TIME_ZONE, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting_timezone = meeting_timezone

    def clean_nomination_deadline(self):
        value = self.cleaned_data["nomination_deadline"]
        if value is None:
            return None
        # The field read the wall time in the site's zone; the organizer meant the meeting's.
        return timezone.make_naive(value).replace(tzinfo=ZoneInfo(self.meeting_timezone))


def deadline_field():
    return forms.DateTimeField(
        label=_("Nomination deadline"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_(
            "In the meeting's time zone. Optional; nominations are refused after it, and focal "
            "points who have not answered get one reminder before it."
        ),
    )


class InvitationForm(DeadlineFieldMixin, BootstrapFormMixin, forms.Form):
    organization = OrganizationPickerField(
        label=_("Organization"), help_text=_("Type part of the name or acronym and choose a suggestion.")
    )
    quota = forms.IntegerField(label=_("Seats"), min_value=1, max_value=10000, initial=2)
    focal_point_email = forms.EmailField(
        label=_("Focal point email"),
        max_length=254,
        help_text=_("The private nomination link is sent to this address."),
    )
    focal_point_name = forms.CharField(label=_("Focal point name"), max_length=200, required=False)
    language = language_field(_("Language of the emails"))
    nomination_deadline = deadline_field()

    def clean_focal_point_email(self) -> str:
        return self.cleaned_data["focal_point_email"].strip().lower()


class BulkInvitationForm(DeadlineFieldMixin, BootstrapFormMixin, forms.Form):
    lines = forms.CharField(
        label=_("Organizations, one per line"),
        widget=forms.Textarea(
            attrs={"rows": 10, "spellcheck": "false", "placeholder": "Kemlu;tu.kemlu@example.go.id;3"}
        ),
        max_length=50_000,
        help_text=_(
            "Each line: acronym or name; focal point email; seats — optionally followed by "
            "; focal point name. Semicolons or tabs (pasted from a spreadsheet) separate the columns."
        ),
    )
    language = language_field(_("Language of the emails"))
    nomination_deadline = deadline_field()


class DeadlineForm(DeadlineFieldMixin, BootstrapFormMixin, forms.Form):
    nomination_deadline = deadline_field()


class QuotaForm(BootstrapFormMixin, forms.Form):
    quota = forms.IntegerField(label=_("Seats"), min_value=1, max_value=10000)


class NominationForm(BootstrapFormMixin, forms.Form):
    """One delegate, nominated (or put in another's place) by the agency's focal point."""

    full_name = forms.CharField(
        label=_("Full name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    position = forms.CharField(label=_("Position (jabatan)"), max_length=300, required=False)
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("The delegate's own address: their confirmation and private link are sent there."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=40,
        help_text=_("For example 0812 3456 7890 or +62 812 3456 7890."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    mode = forms.ChoiceField(
        label=_("Attendance mode"),
        error_messages={"invalid_choice": _("This meeting has no such attendance mode.")},
    )
    language = language_field(_("Language of the delegate's emails"))
    authorised = forms.BooleanField(
        label=_("I am authorised to submit these delegates' data for this meeting."),
        error_messages={"required": AUTHORISED_REQUIRED},
    )

    def __init__(self, *args, modes: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = [(mode, Registration.Mode(mode).label) for mode in modes]
        if len(modes) == 1:
            self.fields["mode"].initial = modes[0]

    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_position(self) -> str:
        return " ".join(self.cleaned_data["position"].split())

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data["phone"])
