"""Forms of the organizer's certificate page: the settings, the template upload, a revocation."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..documents import certificate as certificate_document


class SettingsForm(forms.Form):
    min_online_minutes = forms.IntegerField(
        label=_("Minimum minutes online"),
        min_value=0,
        max_value=24 * 60,
        help_text=_("An online participant needs at least this many minutes in the Zoom room on one day."),
    )
    signer_name = forms.CharField(label=_("Signed by (name)"), max_length=200, required=False)
    signer_position = forms.CharField(label=_("Signer's position"), max_length=300, required=False)


class TemplateForm(forms.Form):
    file = forms.FileField(
        label=_("Certificate template (.docx)"),
        help_text=_(
            "A Word document with the placeholders {{nama}}, {{kegiatan}}, {{tanggal}}, {{nomor}} and "
            "{{qr}} (the QR code), and if you like {{jabatan}}, {{instansi}}, {{penandatangan}}, "
            "{{jabatan_penandatangan}} and {{tautan}}; at most 2 MB."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.template_bytes = certificate_document.check_template(upload)
        return upload


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
