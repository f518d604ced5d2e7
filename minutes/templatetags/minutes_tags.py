"""Template helpers of the minutes: a secretary's text as HTML."""

from django import template

from .. import richtext

register = template.Library()


@register.filter
def rich(text: str):
    """The small markup of the minutes (paragraphs, bold, italic, lists) as safe HTML."""
    return richtext.to_html(text or "")


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key, "") if mapping else ""
