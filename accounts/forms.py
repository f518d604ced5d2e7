"""Account forms: the extra fields asked at sign-up."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SignupForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)

    def signup(self, request, user):
        user.full_name = self.cleaned_data["full_name"]
        user.save(update_fields=["full_name"])


class BootstrapFormMixin:
    """Gives every widget Bootstrap's classes and marks invalid fields for screen readers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            kind = getattr(widget, "input_type", None)
            if kind == "checkbox":
                css = "form-check-input"
            elif kind == "select" or widget.__class__.__name__ in {"Select", "SelectMultiple"}:
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if self.is_bound and name in self.errors:
                widget.attrs["class"] += " is-invalid"
                widget.attrs["aria-invalid"] = "true"
