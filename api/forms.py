"""The form of the token pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin, NameField


class TokenForm(BootstrapFormMixin, forms.Form):
    name = NameField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the system that uses it."),
    )
