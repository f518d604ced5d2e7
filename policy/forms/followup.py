"""Forms of the follow-up: a change with its note and evidence, a due date, a merge, a focal point."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from core.uploads import DOCUMENT_TYPES_LABEL, check_document
from directory.models import Organization

from ..models import FocalPoint, State
from ..services.followup import allowed_states


class FollowUpForm(BootstrapFormMixin, forms.Form):
    state = forms.ChoiceField(label=_("Follow-up"))
    happened_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        label=_("Note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}), strip=True
    )
    evidence_url = forms.CharField(
        label=_("Evidence: link"),
        required=False,
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("A regulation, a decision or a news page: https://…"),
    )
    evidence_file = forms.FileField(
        label=_("Evidence: file"),
        required=False,
        help_text=_("%(types)s, at most 10 MB.") % {"types": DOCUMENT_TYPES_LABEL},
    )

    def __init__(self, *args, current: str, staff: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [(s, State(s).label) for s in allowed_states(current, staff=staff)]
        self.fields["state"].initial = current
        self.fields["happened_on"].initial = timezone.localdate()
        limit = settings.POLICY_EVIDENCE_MAX_BYTES
        self.fields["evidence_file"].help_text = _("%(types)s, at most %(size)d MB.") % {
            "types": DOCUMENT_TYPES_LABEL,
            "size": limit // (1024 * 1024),
        }
        self.checked = None

    @property
    def closed(self) -> bool:
        return not self.fields["state"].choices

    def clean_happened_on(self):
        day = self.cleaned_data["happened_on"]
        if day > timezone.localdate():
            raise ValidationError(_("The date of a change cannot be in the future."))
        return day

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if upload:
            self.checked = check_document(upload, max_bytes=settings.POLICY_EVIDENCE_MAX_BYTES)
        return upload

    def evidence(self):
        upload = self.cleaned_data.get("evidence_file")
        return (upload, self.checked) if upload and self.checked else None


class DueForm(BootstrapFormMixin, forms.Form):
    due_on = forms.DateField(
        label=_("Follow-up due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class MergeForm(BootstrapFormMixin, forms.Form):
    primary = forms.ChoiceField(label=_("Keep as the main one"), widget=forms.RadioSelect)

    def __init__(self, *args, recommendations, **kwargs):
        super().__init__(*args, **kwargs)
        self.recommendations = recommendations
        self.fields["primary"].choices = [(str(r.key), str(r.key)) for r in recommendations]
        if recommendations:
            self.fields["primary"].initial = str(recommendations[0].key)


class FocalPointForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = FocalPoint
        fields = ["organization", "name", "email", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.order_by("name")

    def validate_unique(self):
        # The service decides (a removed focal point may be added again).
        pass
