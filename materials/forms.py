"""Forms of the materials: a file or a link (staff and speakers), a material's changes, an upload link."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin, NameField
from core.uploads import DOCUMENT_TYPES_LABEL
from meetings.models import AgendaItem, Meeting

from .models import Material
from .services import materials as services


class AgendaItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, item: AgendaItem) -> str:
        day = formats.date_format(item.day.date, "D, j M")
        return f"{day} {item.start_time:%H.%M} — {item.title}"


def agenda_items(meeting: Meeting):
    return (
        AgendaItem.objects.filter(day__meeting=meeting)
        .select_related("day")
        .order_by("day__date", "start_time", "order", "id")
    )


def _item_field(meeting: Meeting) -> AgendaItemChoiceField:
    return AgendaItemChoiceField(
        label=_("Agenda item"),
        queryset=agenda_items(meeting),
        required=False,
        empty_label=_("The meeting as a whole"),
    )


class MaterialForm(BootstrapFormMixin, forms.Form):
    """A file or a link: exactly one of them."""

    title = forms.CharField(
        label=_("Title"),
        max_length=services.TITLE_MAX,
        required=False,
        help_text=_("For a file, the file's name when left empty."),
    )
    file = forms.FileField(label=_("File"), required=False)
    url = forms.CharField(
        label=_("or a link"),
        max_length=services.URL_MAX,
        required=False,
        help_text=_("A web page, a video or a shared folder: https://…"),
    )
    visibility = forms.ChoiceField(
        label=_("Visible to"), choices=Material.Visibility.choices, initial=Material.Visibility.PARTICIPANTS
    )

    def __init__(self, *args, meeting: Meeting, with_item: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.checked = None
        if with_item:
            self.fields["agenda_item"] = _item_field(meeting)
            self.order_fields(["agenda_item", "title", "file", "url", "visibility"])
        self.fields["file"].help_text = _("%(types)s, at most %(size)s.") % {
            "types": DOCUMENT_TYPES_LABEL,
            "size": filesizeformat(services.max_bytes()),
        }

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            self.checked = services.check_file(upload)
        return upload

    def clean_url(self):
        url = self.cleaned_data.get("url", "")
        if url:
            try:
                return services.clean_url(url)
            except ValidationError as exc:
                raise ValidationError(exc.message_dict["url"]) from exc
        return url

    def clean(self):
        data = super().clean()
        has_file = bool(data.get("file")) or "file" in self.errors
        has_url = bool(data.get("url")) or "url" in self.errors
        if has_file and has_url:
            raise ValidationError(_("Send either a file or a link, not both."))
        if not has_file and not has_url:
            raise ValidationError(_("Choose a file or give a link."))
        if has_url and not services.clean_title(data.get("title", "")) and "title" not in self.errors:
            self.add_error("title", _("Give the link a title."))
        return data


class MaterialEditForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=services.TITLE_MAX)
    visibility = forms.ChoiceField(label=_("Visible to"), choices=Material.Visibility.choices)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=10_000)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"] = _item_field(meeting)
        self.order_fields(["title", "agenda_item", "visibility", "order"])

    def clean_title(self):
        title = services.clean_title(self.cleaned_data["title"])
        if not title:
            raise ValidationError(_("Give the material a title."))
        return title


class UploadLinkForm(BootstrapFormMixin, forms.Form):
    name = NameField(
        label=_("Speaker's name"),
        max_length=200,
        required=False,
        help_text=_("Left empty: the agenda item's speaker."),
    )
    email = forms.EmailField(label=_("Speaker's email"), max_length=254, required=False)
    send = forms.BooleanField(label=_("Email the link to the speaker"), required=False)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"] = _item_field(meeting)
        self.order_fields(["agenda_item", "name", "email", "send"])
