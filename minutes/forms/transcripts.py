"""Forms of the transcript import: the upload, and correcting a draft before accepting it."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Section, TranscriptImport
from ..transcripts.parsing import MAX_BYTES

FORMAT_CHOICES = [("", _("Recognise from the file"))] + list(TranscriptImport.Format.choices)


class DayChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, day):
        from django.utils import formats

        return formats.date_format(day.date, "l, j F Y")


class SectionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, section):
        return section.title


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Transcript file"),
        help_text=_(
            "WebVTT (.vtt) as Zoom saves it, SRT (.srt), or plain text with “Name: text” lines; at most 5 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".vtt,.srt,.txt,text/vtt,text/plain"}),
    )
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES, required=False)
    day = DayChoiceField(label=_("Day of the recording"), queryset=None, empty_label=None)
    start_time = forms.TimeField(
        label=_("Recording started at"),
        required=False,
        help_text=_("In the meeting's time zone; empty means the day's start. Zoom's times count from here."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    section = SectionChoiceField(
        label=_("Agenda item (plain text only)"),
        queryset=None,
        required=False,
        help_text=_("Plain text has no times: everything goes to this item. Leave empty for WebVTT and SRT."),
    )

    def __init__(self, *args, meeting, minutes=None, **kwargs):
        """`minutes` None: not prepared yet (the upload prepares them); no section to choose."""
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["day"].queryset = meeting.days.order_by("date")
        sections = Section.objects.filter(minutes=minutes) if minutes else Section.objects.none()
        self.fields["section"].queryset = sections.order_by("order", "id")

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB: split it into several files."),
                params={"size": MAX_BYTES // (1024 * 1024)},
            )
        return file

    def recording_started_at(self) -> datetime | None:
        day, start = self.cleaned_data["day"], self.cleaned_data.get("start_time")
        if start is None:
            return None
        return datetime.combine(day.date, start, tzinfo=self.meeting.tz)


class DraftEditForm(forms.Form):
    text = forms.CharField(label=_("What was said"), widget=forms.Textarea(attrs={"rows": 5}))
    section = SectionChoiceField(label=_("Agenda item"), queryset=None, empty_label=None)

    def __init__(self, *args, minutes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = Section.objects.filter(minutes=minutes).order_by("order", "id")
