"""`{{ field|bootstrap_widget }}`: one field's widget with Bootstrap's classes, for the one field include.

Forms built on core.forms.BootstrapFormMixin have their classes already and keep them; forms of
libraries (allauth) get them here. A field with errors points at them through aria-describedby.
"""

from django import template
from django.forms import BoundField

register = template.Library()

BOOTSTRAP_CLASSES = {"form-control", "form-select", "form-check-input"}


def _widget_class(widget) -> str:
    kind = getattr(widget, "input_type", None)
    if kind in {"checkbox", "radio"}:
        return "form-check-input"
    if widget.__class__.__name__ in {"Select", "SelectMultiple", "NullBooleanSelect"}:
        return "form-select"
    return "form-control"


@register.filter
def bootstrap_widget(field: BoundField):
    """The field's widget with Bootstrap's class; Django adds aria-invalid and aria-describedby."""
    classes = field.field.widget.attrs.get("class", "").split()
    if not BOOTSTRAP_CLASSES.intersection(classes):
        classes.append(_widget_class(field.field.widget))
    if field.errors and "is-invalid" not in classes:
        classes.append("is-invalid")
    attrs = {"class": " ".join(classes)}
    if field.errors:
        described = f"{field.auto_id}_errors"
        if field.help_text:
            described = f"{field.auto_id}_helptext {described}"
        attrs["aria-describedby"] = described
    return field.as_widget(attrs=attrs)
