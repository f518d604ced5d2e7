"""Panels that apps above `participants` add to a registrant's private page (the published
minutes, ...): a function `(request, registration, token)` returning `(template, context)` or
None. See meetings/panels.py."""

from __future__ import annotations

from django.utils.safestring import SafeString

from meetings.panels import Panel, render_panels

_PRIVATE_PAGE: list[Panel] = []


def add_private_page_panel(panel: Panel) -> None:
    if panel not in _PRIVATE_PAGE:
        _PRIVATE_PAGE.append(panel)


def private_page_panels(request, registration, token: str) -> list[SafeString]:
    return render_panels(_PRIVATE_PAGE, request, registration, token)
