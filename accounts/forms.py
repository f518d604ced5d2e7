"""Account forms: the extra fields asked at sign-up and the profile."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin, NameField, NulGuardMixin


class SignupForm(NulGuardMixin, forms.Form):
    full_name = NameField(
        label=_("Full name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )

    def signup(self, request, user):
        user.full_name = self.cleaned_data["full_name"]
        user.save(update_fields=["full_name"])


class ProfileForm(BootstrapFormMixin, forms.Form):
    full_name = NameField(
        label=_("Full name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    position = NameField(
        label=_("Position (jabatan)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
