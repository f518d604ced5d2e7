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


def add_public_page_panel(panel: Panel) -> None:
    if panel not in _PUBLIC_PAGE:
        _PUBLIC_PAGE.append(panel)


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
