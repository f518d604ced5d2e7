"""Template helpers of accounts: Bootstrap classes for allauth's elements, the organizer role."""

from django import template

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


@register.filter(is_safe=True)
def squash(value: str) -> str:
    """Collapses the line breaks and indentation allauth leaves in its page titles."""
    return " ".join(str(value).split())


@register.filter
def may_organize(user) -> bool:
    """`{% if user|may_organize %}`: the organizer role as the views check it."""
    return roles.may_organize(user)
