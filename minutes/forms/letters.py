"""Forms of the invitation letters: drafting, editing a draft, sending, and the numbering."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin, NameField

from ..models import InvitationLetter, LetterNumbering


class InvitationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, invitation):
        return invitation.organization.name


class DraftForm(BootstrapFormMixin, forms.Form):
    addressing = forms.ChoiceField(
        label=_("Addressed"),
        choices=InvitationLetter.Addressing.choices,
        initial=InvitationLetter.Addressing.AGENCY,
        widget=forms.RadioSelect,
    )
    invitations = InvitationChoiceField(
        label=_("Agencies (one letter each)"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every invited agency that has no letter yet."),
    )
    letter_date = forms.DateField(
        label=_("Date of the letter"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, invitations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invitations"].queryset = invitations
        # Radios and checkboxes are laid out by the template, not as one form-control.
        for name in ("addressing", "invitations"):
            self.fields[name].widget.attrs["class"] = "form-check-input"


def _lines_initial(value) -> str:
    return "\n".join(value or [])


class LetterForm(BootstrapFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    number = forms.CharField(label=_("Number"), max_length=120)
    letter_date = forms.DateField(
        label=_("Date of the letter"), widget=forms.DateInput(attrs={"type": "date"})
    )
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    sifat = forms.CharField(label=_("Nature (Sifat)"), max_length=60, required=False)
    lampiran = forms.CharField(label=_("Enclosures (Lampiran)"), max_length=120, required=False)
    hal = forms.CharField(label=_("Subject (Hal)"), max_length=300)
    addressees = forms.CharField(
        label=_("Addressees"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, as written after “Yth.”."),
        max_length=20000,
    )
    opening = forms.CharField(
        label=_("Opening paragraph"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )
    closing = forms.CharField(
        label=_("Closing paragraph"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )
    signer_name = NameField(label=_("Signing official"), max_length=200, required=False)
    signer_position = NameField(label=_("Position of the signing official"), max_length=300, required=False)
    signer_nip = forms.CharField(label=_("NIP of the signing official"), max_length=30, required=False)
    tembusan = forms.CharField(
        label=_("Copies to (Tembusan)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One per line."),
        max_length=20000,
    )

    @classmethod
    def initial_for(cls, letter: InvitationLetter) -> dict:
        initial = {
            name: getattr(letter, name) for name in cls.base_fields if name not in ("addressees", "tembusan")
        }
        initial["addressees"] = _lines_initial(letter.addressees)
        initial["tembusan"] = _lines_initial(letter.tembusan)
        return initial

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version")
        return data


class SendForm(BootstrapFormMixin, forms.Form):
    email_agencies = forms.BooleanField(
        label=_("Email the letter to the invited agencies' focal points now"), required=False, initial=True
    )


class NumberingForm(BootstrapFormMixin, forms.ModelForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    next_sequence = forms.IntegerField(
        label=_("Next running number"),
        min_value=1,
        max_value=999999,
        required=False,
        help_text=_(
            "Only to go on from a register kept elsewhere; a number given already is never given again."
        ),
    )

    class Meta:
        model = LetterNumbering
        fields = ["pattern", "unit_code"]
        help_texts = {
            "pattern": _(
                "Placeholders: {seq} running number of the year, {unit} unit code, {month_roman}, {month}, {year}."
            ),
        }
