"""The forms of the documentation photos page: uploading a day's photos, and editing one photo.

(A module of its own beside the speakers' materials' forms, so each feature's forms stand alone.)
"""

from __future__ import annotations

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from meetings.models import Meeting, MeetingDay

from .models import DocumentationPhoto
from .services import photos as services


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several files in one field (Django's documented recipe); each is checked by the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleImageField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else super().clean(data, initial)


class DayChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, day: MeetingDay) -> str:
        return date_format(day.date, "DATE_FORMAT")


def _days(meeting: Meeting):
    return MeetingDay.objects.filter(meeting=meeting).order_by("date")


class UploadForm(BootstrapFormMixin, forms.Form):
    day = DayChoiceField(label=_("Day"), queryset=MeetingDay.objects.none(), empty_label=None)
    files = MultipleImageField(
        label=_("Photos"),
        help_text=_("JPEG, PNG or WebP; you may choose several files at once."),
        error_messages={"required": _("Choose at least one photo.")},
    )
    captions = forms.CharField(
        label=_("Captions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One line per photo, in the order of the files; a single line is the caption of them all. "
            "You can change each caption later."
        ),
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].queryset = _days(meeting)

    def uploads(self) -> list[services.Upload]:
        files = self.cleaned_data["files"]
        lines = [line.strip() for line in (self.cleaned_data.get("captions") or "").splitlines()]
        if len(lines) == 1:
            lines = lines * len(files)
        return [
            services.Upload(file=upload, caption=lines[index] if index < len(lines) else "")
            for index, upload in enumerate(files)
        ]


class PhotoForm(BootstrapFormMixin, forms.Form):
    """A plain form (not a ModelForm): the photo changes only through the service."""

    caption = forms.CharField(
        label=_("Caption"),
        required=False,
        max_length=services.CAPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    day = DayChoiceField(label=_("Day"), queryset=MeetingDay.objects.none(), empty_label=None)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=10_000)
    in_report = forms.BooleanField(
        label=_("In the report and the news article"),
        required=False,
        help_text=_(
            "Chosen photos appear, with their captions, in the activity report and the news article."
        ),
    )

    def __init__(self, *args, meeting: Meeting, photo: DocumentationPhoto, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "caption": photo.caption,
                "day": photo.day_id,
                "order": photo.order,
                "in_report": photo.in_report,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["day"].queryset = _days(meeting)

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in services.EDITABLE}
