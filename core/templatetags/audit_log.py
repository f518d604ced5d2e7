"""The audit log in templates: `{{ entry|audit_sentence }}` reads an entry as a sentence."""

from django import template

from core import audit

register = template.Library()


@register.filter
def audit_sentence(entry) -> str:
    return audit.describe(entry)
