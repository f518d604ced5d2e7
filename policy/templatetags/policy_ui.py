"""Template filters of the policy pages and the navigation's link to them."""

from django import template

from .. import permissions

register = template.Library()


@register.filter
def may_use_registry(user) -> bool:
    """`{% if user|may_use_registry %}`: organizers and policy analysts get the registry link."""
    return permissions.may_use_registry(user)


@register.filter
def may_compile(user) -> bool:
    """`{% if user|may_compile %}`: analysts and administrators get policy input and focal points."""
    return permissions.may_compile(user)
