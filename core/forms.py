"""Form helpers every app uses: Bootstrap classes, the NUL guard, name fields, service errors."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _

from .text import clean_name

NUL_MESSAGE = _("Remove the invisible NUL character from this field.")


class NulGuardMixin:
    """Refuses a NUL character in any submitted value, next to its field.

    PostgreSQL cannot store NUL in text and SQLite stores it silently; Django's CharField
    refuses it, but choice, model-choice and custom fields would pass it to a query. One check
    for every field of every form, on the raw data, keeps the database out of it.
    """

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        for name, field in self.fields.items():
            if field.disabled:
                continue
            raw = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            values = raw if isinstance(raw, list | tuple) else [raw]
            if any(isinstance(v, str) and "\x00" in v for v in values):
                # Replaces CharField's own wording, so the person reads one message.
                self._errors[name] = ErrorList([NUL_MESSAGE], renderer=self.renderer)
                if hasattr(self, "cleaned_data"):
                    self.cleaned_data.pop(name, None)


class NameField(forms.CharField):
    """A person's name or position, an organization's name: cleaned before any rule sees it."""

    def to_python(self, value):
        value = super().to_python(value)
        return clean_name(value) if value else value


class BootstrapFormMixin(NulGuardMixin):
    """Gives every widget Bootstrap's classes and marks invalid fields for screen readers.

    Invalid fields are marked after validation and whenever an error is added later (a view
    mapping a service's ValidationError), so nothing here forces validation early.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            kind = getattr(widget, "input_type", None)
            if kind == "checkbox":
                css = "form-check-input"
            elif kind == "select" or widget.__class__.__name__ in {"Select", "SelectMultiple"}:
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        self._mark_invalid()

    def add_error(self, field, error):
        super().add_error(field, error)
        self._mark_invalid()

    def _mark_invalid(self):
        for name in self._errors or {}:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on a form: next to its field, or above the form.

    Errors about fields the form does not have (e.g. the meeting's registration window when a
    day changes) become non-field errors.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)
