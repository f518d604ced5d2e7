"""The forms of policy-input documents: a new document (title, language, the chosen keys) and the
editing of its prose (one textarea per part and per theme, and the version it was based on)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.forms import BootstrapFormMixin

from ..services import briefs


class KeysField(forms.Field):
    """The chosen recommendations' keys, carried as hidden fields named `key`."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in value]


class BriefCreateForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    language = forms.ChoiceField(label=_("Language of the document"), choices=settings.LANGUAGES)
    key = KeysField(required=True, error_messages={"required": _("Choose at least one recommendation.")})

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Give the document a title."))
        return title

    def clean_key(self):
        keys = self.cleaned_data["key"]
        refused = briefs.refused_keys(self.user, keys)
        if refused:
            # Counted, never named: a key the user may not see says nothing about its recommendation.
            raise forms.ValidationError(
                ngettext(
                    "%(count)d of the chosen recommendations is unknown or not available to you: "
                    "nothing was created. Choose the recommendations again in the registry.",
                    "%(count)d of the chosen recommendations are unknown or not available to you: "
                    "nothing was created. Choose the recommendations again in the registry.",
                    len(refused),
                )
                % {"count": len(refused)}
            )
        good, _bad = briefs.parse_keys(keys)
        return good


def finding_field(slug: str) -> str:
    return f"finding-{slug}"


class BriefVersionForm(BootstrapFormMixin, forms.Form):
    """The prose of a document; `themes` is [(slug, name)], one findings textarea each."""

    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(
        label=_("Executive summary"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    background = forms.CharField(
        label=_("Background"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    closing = forms.CharField(label=_("Closing"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, themes: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.themes = themes
        # The findings' fields come between the background and the closing, as in the document.
        closing = self.fields.pop("closing")
        for slug, name in themes:
            self.fields[finding_field(slug)] = forms.CharField(
                label=name, required=False, widget=forms.Textarea(attrs={"rows": 5})
            )
            self.fields[finding_field(slug)].widget.attrs["class"] = "form-control"
        self.fields["closing"] = closing

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Give the document a title."))
        return title

    def finding_fields(self):
        return [self[finding_field(slug)] for slug, _name in self.themes]

    def data_for_service(self) -> dict:
        data = {name: self.cleaned_data[name] for name in ("title", "summary", "background", "closing")}
        data["findings"] = {slug: self.cleaned_data[finding_field(slug)] for slug, _name in self.themes}
        return data
