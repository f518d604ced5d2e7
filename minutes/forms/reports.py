"""Forms of the activity report (one per section) and of the news article (one per field)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin

from ..services.reports import ARTICLE_LIMITS, SECTION_TEXT_LIMIT


class SectionForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=SECTION_TEXT_LIMIT,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "aria-describedby": "markup-help"}),
        help_text=_("Empty: the section goes back to the draft."),
    )


ARTICLE_LABELS = {
    "headline": _("Headline"),
    "dateline": _("Dateline"),
    "lead": _("Lead paragraph"),
    "body": _("Body (a blank line between paragraphs; a paragraph opening with “ is a quotation)"),
}


class ArticleFieldForm(BootstrapFormMixin, forms.Form):
    """The one field `name` of the article, posted alone."""

    def __init__(self, *args, name: str, **kwargs):
        super().__init__(*args, **kwargs)
        long = name in ("lead", "body")
        widget = forms.Textarea(attrs={"rows": 14 if name == "body" else 4}) if long else forms.TextInput()
        self.fields["value"] = forms.CharField(
            label=ARTICLE_LABELS[name],
            required=name == "headline",
            max_length=ARTICLE_LIMITS[name],
            strip=False,
            widget=widget,
        )
        self.fields["value"].widget.attrs["class"] = "form-control"
        self.name = name
