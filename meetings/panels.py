"""Panels that apps above `meetings` add to the meeting's public page (the published minutes, ...).

A panel is a function `(request, meeting)` returning `(template, context)` or None (nothing to
show); the page renders each in order, below the agenda. The lower app never imports the higher.
"""

from __future__ import annotations

from collections.abc import Callable

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

Panel = Callable[..., "tuple[str, dict] | None"]
_PUBLIC_PAGE: list[Panel] = []
# Panels inside the public agenda: a function `(request, meeting)` returning a dict
# {agenda item id: (template, context)} for the items it has something to show under.
AgendaPanel = Callable[..., "dict[int, tuple[str, dict]]"]
_AGENDA_ITEMS: list[AgendaPanel] = []


def add_public_page_panel(panel: Panel) -> None:
    if panel not in _PUBLIC_PAGE:
        _PUBLIC_PAGE.append(panel)


def add_agenda_item_panel(panel: AgendaPanel) -> None:
    if panel not in _AGENDA_ITEMS:
        _AGENDA_ITEMS.append(panel)


def agenda_item_panels(request, meeting) -> dict[int, list[SafeString]]:
    """What the apps above show under each agenda item of the public page, by item id."""
    rendered: dict[int, list[SafeString]] = {}
    for panel in _AGENDA_ITEMS:
        for item_id, (template, context) in panel(request, meeting).items():
            html = mark_safe(render_to_string(template, context, request=request))  # noqa: S308
            rendered.setdefault(item_id, []).append(html)
    return rendered


def render_panels(panels: list[Panel], request, *args) -> list[SafeString]:
    rendered = []
    for panel in panels:
        found = panel(request, *args)
        if found is not None:
            template, context = found
            rendered.append(mark_safe(render_to_string(template, context, request=request)))  # noqa: S308
    return rendered


def public_page_panels(request, meeting) -> list[SafeString]:
    return render_panels(_PUBLIC_PAGE, request, meeting)
