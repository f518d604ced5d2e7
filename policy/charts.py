"""Horizontal bar charts as inline SVG, drawn on the server: no script, no style attribute (a CSP
comes later), every piece of text escaped (organization names and meeting titles are user data).

The chart is an image with an accessible name (`<title>`, `<desc>`); the figures themselves are
read from the HTML table next to it, which carries the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

# Dark enough on white for graphical objects and text (WCAG 1.4.11 and 1.4.3): #0a58ca is 6.4:1,
# #984c0c 6.2:1, #212529 15.4:1. Blue and brown stay apart for the common colour-vision deficiencies;
# beyond colour, a group's bars always come in the legend's order and each carries its value.
COLOURS = ("#0a58ca", "#984c0c")
TEXT = "#212529"
GRID = "#6c757d"

WIDTH = 760
LABEL_WIDTH = 280
VALUE_WIDTH = 110
BAR_HEIGHT = 16
BAR_GAP = 3
GROUP_GAP = 10
LEGEND_HEIGHT = 26
LABEL_CHARS = 34


@dataclass
class Bar:
    """One category: its label, one value per series (None: nothing to draw) and the text shown
    at the end of each bar."""

    label: str
    values: Sequence[float | None]
    texts: Sequence[str]
    full_label: str = ""


@dataclass
class Series:
    name: str
    colour: str = COLOURS[0]


@dataclass
class Chart:
    ident: str
    title: str
    description: str
    bars: list[Bar]
    series: list[Series] = field(default_factory=list)
    maximum: float | None = None


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def bar_chart(chart: Chart) -> SafeString:
    series = chart.series or [Series(chart.title)]
    count = len(series)
    legend = LEGEND_HEIGHT if count > 1 else 0
    group = count * BAR_HEIGHT + (count - 1) * BAR_GAP
    height = legend + len(chart.bars) * (group + GROUP_GAP) + GROUP_GAP
    values = [v for bar in chart.bars for v in bar.values if v is not None]
    top = max([chart.maximum or 0, *values]) or 1
    area = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    title_id, desc_id = f"{chart.ident}-svg-title", f"{chart.ident}-svg-desc"

    parts: list[SafeString] = []
    if legend:
        x = LABEL_WIDTH
        for s in series:
            parts.append(
                format_html(
                    '<rect x="{}" y="6" width="12" height="12" fill="{}"></rect>'
                    '<text x="{}" y="16" font-size="13" fill="{}">{}</text>',
                    x,
                    s.colour,
                    x + 18,
                    TEXT,
                    s.name,
                )
            )
            x += 18 + 9 * len(s.name) + 24
    y = legend + GROUP_GAP
    for bar in chart.bars:
        rows = []
        for index, (value, text) in enumerate(zip(bar.values, bar.texts, strict=True)):
            bar_y = y + index * (BAR_HEIGHT + BAR_GAP)
            width = round(area * (value or 0) / top, 1)
            if value:
                rows.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>',
                        LABEL_WIDTH,
                        bar_y,
                        max(width, 1),
                        BAR_HEIGHT,
                        series[index].colour,
                    )
                )
            rows.append(
                format_html(
                    '<text x="{}" y="{}" font-size="12" fill="{}">{}</text>',
                    LABEL_WIDTH + width + 5,
                    bar_y + BAR_HEIGHT - 4,
                    TEXT,
                    text,
                )
            )
        parts.append(
            format_html(
                '<g><title>{}</title><text x="{}" y="{}" font-size="13" text-anchor="end" fill="{}">{}</text>{}</g>',
                f"{bar.full_label or bar.label}: "
                + "; ".join(
                    f"{s.name} {t}" if count > 1 else t for s, t in zip(series, bar.texts, strict=True)
                ),
                LABEL_WIDTH - 8,
                y + group / 2 + 5,
                TEXT,
                _short(bar.label),
                mark_safe("".join(rows)),  # noqa: S308 - each piece built by format_html
            )
        )
        y += group + GROUP_GAP
    axis = format_html(
        '<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="{3}" stroke-width="1"></line>',
        LABEL_WIDTH,
        legend + GROUP_GAP / 2,
        height - GROUP_GAP / 2,
        GRID,
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="w-100 h-auto chart" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{}" aria-describedby="{}" font-family="system-ui, sans-serif">'
        '<title id="{}">{}</title><desc id="{}">{}</desc>{}{}</svg>',
        WIDTH,
        height,
        title_id,
        desc_id,
        title_id,
        chart.title,
        desc_id,
        chart.description,
        axis,
        format_html_join("", "{}", ((p,) for p in parts)),
    )
