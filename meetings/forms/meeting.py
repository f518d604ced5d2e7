"""Forms for the meeting pages: the meeting's fields, its first days, staff, online room, filters."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin, add_service_errors
from core.timezones import TIMEZONE_CHOICES

from .. import validation
from ..models import Meeting
from ..services import MEETING_FIELDS

__all__ = [
    "CancelForm",
    "DayForm",
    "DayFormSet",
    "MeetingFilterForm",
    "MeetingForm",
    "OnlineRoomForm",
    "ZoomRoomForm",
    "StaffForm",
    "add_service_errors",
]

LOCAL_DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=LOCAL_DATETIME_FORMAT)


def _label(name: str):
    return capfirst(Meeting._meta.get_field(name).verbose_name)


class MeetingForm(BootstrapFormMixin, forms.ModelForm):
    """The meeting's own fields, as services.create_meeting / update_meeting take them.

    Registration times are typed as wall-clock times of the meeting's chosen zone (the one
    submitted in the same form), not the server's or the browser's.

    Capacity rule: a meeting must state the capacity of each part it has — on-site capacity for
    on-site and hybrid meetings, online capacity for online and hybrid ones. The capacity of a
    part the meeting does not have is cleared, so a later switch of mode never revives a stale
    number silently.
    """

    capacity_onsite = forms.IntegerField(
        label=_label("capacity_onsite"),
        required=False,
        min_value=1,
        help_text=_("Required for on-site and hybrid meetings."),
    )
    capacity_online = forms.IntegerField(
        label=_label("capacity_online"),
        required=False,
        min_value=1,
        help_text=_("Required for online and hybrid meetings."),
    )
    registration_opens_at = forms.DateTimeField(
        label=_label("registration_opens_at"),
        required=False,
        input_formats=[LOCAL_DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=LocalDateTimeInput(),
        help_text=_("In the meeting's time zone. Leave empty to open at once."),
    )
    registration_closes_at = forms.DateTimeField(
        label=_label("registration_closes_at"),
        required=False,
        input_formats=[LOCAL_DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=LocalDateTimeInput(),
        help_text=_("In the meeting's time zone; before the last day ends."),
    )

    class Meta:
        model = Meeting
        fields = MEETING_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "background": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, last_day: tuple | None = None, **kwargs):
        # last_day: (date, end time) of the meeting's last day, for the registration window.
        self.last_day = last_day
        super().__init__(*args, **kwargs)
        for name in ("registration_opens_at", "registration_closes_at"):
            value = self.initial.get(name)
            if value is not None and timezone.is_aware(value):
                # Shown as the meeting's wall-clock time; naive values are rendered as they are.
                self.initial[name] = timezone.localtime(value, self.instance.tz).replace(tzinfo=None)

    def chosen_zone(self) -> ZoneInfo:
        valid = {value for value, _label in TIMEZONE_CHOICES}
        submitted = self.data.get(self.add_prefix("timezone")) if self.is_bound else None
        return ZoneInfo(submitted if submitted in valid else self.instance.timezone)

    def full_clean(self):
        # Django makes naive datetimes aware in the *current* zone; use the meeting's zone.
        with timezone.override(self.chosen_zone()):
            super().full_clean()

    def clean(self):
        data = super().clean()
        mode = data.get("mode")
        if mode:
            has_onsite = mode in (Meeting.Mode.ONSITE, Meeting.Mode.HYBRID)
            has_online = mode in (Meeting.Mode.ONLINE, Meeting.Mode.HYBRID)
            for name, needed in (("capacity_onsite", has_onsite), ("capacity_online", has_online)):
                if name in self.errors:
                    continue
                if needed and data.get(name) is None:
                    self.add_error(name, _("Give the capacity for this part of the meeting."))
                elif not needed:
                    data[name] = None
        self.check_window(*(self.last_day or (None, None)))
        return data

    def check_window(self, last_date, last_end) -> bool:
        """Registration closes after it opens and before the last day ends (in the chosen zone)."""
        data = self.cleaned_data
        try:
            validation.check_registration_window(
                data.get("registration_opens_at"),
                data.get("registration_closes_at"),
                last_date,
                last_end,
                self.chosen_zone().key,
            )
        except ValidationError as error:
            add_service_errors(self, error)
            return False
        return True

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in MEETING_FIELDS}


class DayForm(BootstrapFormMixin, forms.Form):
    """One day row; a row left entirely empty is skipped, a half-filled one is an error."""

    date = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start_time = forms.TimeField(
        label=_("Start"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("End"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def clean(self):
        data = super().clean()
        names = ("date", "start_time", "end_time")
        if any(data.get(n) for n in names) or any(n in self.errors for n in names):
            for name in names:
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, forms.Field.default_error_messages["required"])
        try:
            validation.check_time_range(data.get("start_time"), data.get("end_time"))
        except ValidationError as error:
            add_service_errors(self, error)
        return data


class BaseDayFormSet(forms.BaseFormSet):
    """Days typed on the new-meeting page; later changes happen in the agenda editor."""

    def clean(self):
        if any(self.errors):
            return
        seen = set()
        filled = 0
        for form in self.forms:
            day = form.cleaned_data.get("date")
            if day is None:
                continue
            filled += 1
            if day in seen:
                form.add_error("date", _("This date is already listed."))
            seen.add(day)
        if not filled:
            raise ValidationError(_("Add at least one day."), code="too_few_forms")

    def days(self) -> list[dict]:
        return sorted(
            (
                {k: form.cleaned_data[k] for k in ("date", "start_time", "end_time")}
                for form in self.forms
                if form.cleaned_data.get("date")
            ),
            key=lambda d: d["date"],
        )


DayFormSet = forms.formset_factory(DayForm, formset=BaseDayFormSet, extra=3, max_num=14, validate_max=True)


class UserChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return f"{user.full_name} <{user.email}>" if user.full_name else user.email


class StaffForm(BootstrapFormMixin, forms.Form):
    # Checkboxes, not a multi-select: a multi-select needs Ctrl-click, which phones do not have.
    organizers = UserChoiceField(
        label=_("Organizers"),
        queryset=get_user_model().objects.filter(is_active=True).order_by("full_name", "email"),
        help_text=_("Organizers edit the meeting, its agenda and its lifecycle. Tick everyone who should."),
        error_messages={"required": _("A meeting needs at least one organizer.")},
        widget=forms.CheckboxSelectMultiple,
    )
    secretaries = UserChoiceField(
        label=_("Secretaries"),
        queryset=get_user_model().objects.filter(is_active=True).order_by("full_name", "email"),
        required=False,
        help_text=_("Secretaries record the minutes. Tick everyone who should."),
        widget=forms.CheckboxSelectMultiple,
    )


class OnlineRoomForm(BootstrapFormMixin, forms.Form):
    join_url = forms.URLField(
        label=_("Join link"),
        max_length=1000,
        assume_scheme="https",
        help_text=_("The link participants use to join, e.g. a Zoom or Google Meet link."),
    )
    passcode = forms.CharField(label=_("Passcode"), max_length=20, required=False)
    instructions = forms.CharField(
        label=_("Joining instructions"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    open_to_public = forms.BooleanField(
        label=_("Open to the public (webinar)"),
        required=False,
        help_text=_(
            "Anyone may join: the link is shown on the public page and in the public calendars. "
            "Leave unticked to give it only to confirmed online participants, speakers and staff."
        ),
    )


class CancelForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown in the audit log; tell participants separately if needed."),
    )


class MeetingFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Meeting.Status.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *Meeting.Kind.choices]
    )
    starts_from = forms.DateField(
        label=_("Starts from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    starts_to = forms.DateField(
        label=_("Starts until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def filter(self, queryset):
        if not self.is_valid():
            # Apply what is valid; the invalid fields show their errors.
            data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        else:
            data = self.cleaned_data
        if data.get("q"):
            q = data["q"].strip()
            queryset = queryset.filter(Q(title__icontains=q) | Q(theme__icontains=q) | Q(code__icontains=q))
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if data.get("starts_from"):
            queryset = queryset.filter(starts_on__gte=data["starts_from"])
        if data.get("starts_to"):
            queryset = queryset.filter(starts_on__lte=data["starts_to"])
        return queryset


class ZoomRoomForm(BootstrapFormMixin, forms.Form):
    """The organizer's choices for the meeting's Zoom room (made and kept in step by Sinergi)."""

    waiting_room = forms.BooleanField(
        label=_("Waiting room"),
        required=False,
        help_text=_("Participants wait until the host lets them in."),
    )
    join_before_host = forms.BooleanField(label=_("Participants may join before the host"), required=False)
    mute_upon_entry = forms.BooleanField(label=_("Mute participants when they join"), required=False)
    auto_recording = forms.ChoiceField(
        label=_("Automatic recording"),
        choices=[
            ("cloud", _("In the cloud (Zoom also makes a transcript for the minutes)")),
            ("local", _("On the host's computer")),
            ("none", _("No automatic recording")),
        ],
    )
    alternative_hosts = forms.CharField(
        label=_("Alternative hosts"),
        required=False,
        max_length=1000,
        help_text=_(
            "Email addresses of Zoom users of your account who may start the meeting, separated by commas."
        ),
    )
    registration = forms.BooleanField(
        label=_("Personal join links"),
        required=False,
        help_text=_(
            "Each confirmed online participant is registered at Zoom and gets their own link "
            "(Zoom then reports who attended by name)."
        ),
    )
    passcode = forms.CharField(
        label=_("Passcode"),
        required=False,
        max_length=10,
        help_text=_(
            "At most 10 letters, digits or @ - _ *. Leave empty to keep the current one (or get a new one)."
        ),
    )
    open_to_public = forms.BooleanField(
        label=_("Open to the public (webinar)"),
        required=False,
        help_text=_(
            "Anyone may join: the link is shown on the public page and in the public calendars. "
            "Leave unticked to give it only to confirmed online participants, speakers and staff."
        ),
    )

    def clean_passcode(self):
        from meetings.conferencing import zoom

        passcode = self.cleaned_data["passcode"]
        if passcode and not zoom.valid_passcode(passcode):
            raise ValidationError(
                _("A Zoom passcode has at most 10 characters: letters, digits and @ - _ * only.")
            )
        return passcode

    def clean_alternative_hosts(self):
        from django.core.validators import validate_email

        addresses = [a.strip() for a in self.cleaned_data["alternative_hosts"].replace(";", ",").split(",")]
        addresses = [a for a in addresses if a]
        for address in addresses:
            try:
                validate_email(address)
            except ValidationError:
                raise ValidationError(
                    _("“%(address)s” is not an email address.") % {"address": address}
                ) from None
        return ",".join(addresses)

    def settings(self) -> dict:
        data = self.cleaned_data
        names = ("waiting_room", "join_before_host", "mute_upon_entry", "auto_recording")
        return {name: data[name] for name in (*names, "alternative_hosts", "registration")}
