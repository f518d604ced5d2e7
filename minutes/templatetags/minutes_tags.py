"""Template helpers of the minutes: a secretary's text as HTML."""

from django import template
from django.utils.safestring import mark_safe

from .. import richtext

register = template.Library()


@register.filter
def rich(text: str):
    """The small markup of the minutes (paragraphs, bold, italic, lists) as safe HTML."""
    return richtext.to_html(text or "")


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key, "") if mapping else ""


@register.simple_tag
def options(html: str, chosen) -> str:
    """Options built once per page (editor.page_options) with this form's values selected."""
    values = (
        chosen if isinstance(chosen, set | list | tuple) else ([chosen] if chosen not in (None, "") else [])
    )
    for value in values:
        mark = f'<option value="{value}">'
        html = html.replace(mark, f'<option value="{value}" selected>', 1)
    return mark_safe(html)  # noqa: S308 (built with format_html; the values are ids)
