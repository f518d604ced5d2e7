"""Template helpers of accounts: Bootstrap classes for allauth's elements and plain forms, the organizer role."""

from django import template
from django.forms import BoundField

from accounts import roles

register = template.Library()

# allauth describes a button by tags ("prominent,login", "danger,delete", "link,cancel"); Bootstrap by classes.
_VARIANTS = ("primary", "secondary", "danger", "warning", "success", "link")


@register.simple_tag
def button_classes(tags) -> str:
    tags = set(tags or ())
    variant = next((v for v in _VARIANTS if v in tags), "primary")
    if variant == "link":
        classes = ["btn", "btn-link"]
    elif "outline" in tags:
        classes = ["btn", f"btn-outline-{variant}"]
    else:
        classes = ["btn", f"btn-{variant}"]
    if "minor" in tags or "tool" in tags:
        classes.append("btn-sm")
    return " ".join(classes)


@register.simple_tag
def badge_classes(tags) -> str:
    tags = set(tags or ())
    variant = next((v for v in ("success", "warning", "danger", "primary") if v in tags), "secondary")
    text = " text-dark" if variant == "warning" else ""
    return f"badge text-bg-{variant}{text}"


@register.filter
def bootstrap_widget(field: BoundField):
    """The field's widget with Bootstrap's class; Django adds aria-invalid and aria-describedby."""
    widget = field.field.widget
    kind = getattr(widget, "input_type", None)
    if kind in {"checkbox", "radio"}:
        css = "form-check-input"
    elif widget.__class__.__name__ in {"Select", "SelectMultiple", "NullBooleanSelect"}:
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    existing = widget.attrs.get("class", "")
    attrs = {"class": f"{existing} {css}".strip()}
    if field.errors:
        described = f"{field.auto_id}_errors"
        if field.help_text:
            described = f"{field.auto_id}_helptext {described}"
        attrs["aria-describedby"] = described
    return field.as_widget(attrs=attrs)


@register.filter(is_safe=True)
def squash(value: str) -> str:
    """Collapses the line breaks and indentation allauth leaves in its page titles."""
    return " ".join(str(value).split())


@register.filter
def may_organize(user) -> bool:
    """`{% if user|may_organize %}`: the organizer role as the views check it."""
    return roles.may_organize(user)
