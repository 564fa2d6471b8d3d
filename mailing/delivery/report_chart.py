"""Charts of the campaign report as server-rendered SVG: no JavaScript, nothing fetched from
elsewhere. Each chart is an image with a title and a description (`role="img"`); the page puts
the same figures in a data table next to it, which is what screen readers read (RGAA 1.1, 1.3).
Series differ by colour and by line style and marker, never by colour alone (RGAA 3.1)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

# Colours contrasted at least 3:1 with white (RGAA 3.3), then dash patterns and markers.
STYLES = [
    ("#005a9c", "", "circle"),
    ("#b3261e", "6 4", "square"),
    ("#1e6b34", "2 3", "diamond"),
    ("#6b3fa0", "10 3 2 3", "triangle"),
    ("#8a5300", "1 0", "circle"),
]
FONT = 'font-family="system-ui, sans-serif" font-size="12" fill="#262626"'


def number(value: float, unit: str = "") -> str:
    """French notation: « 12,5 % », « 0,25 % », « 3 »; non-breaking space before the unit."""
    text = f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{text}\u00a0{unit}" if unit else text


def _shorten(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _svg(chart_id: str, title: str, description: str, width: int, height: int, body: str):
    return format_html(
        '<svg role="img" aria-labelledby="{0}-title {0}-desc" viewBox="0 0 {1} {2}" '
        'width="100%" style="max-width:{1}px;height:auto" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{0}-title">{3}</title><desc id="{0}-desc">{4}</desc>{5}</svg>',
        chart_id,
        width,
        height,
        title,
        description,
        mark_safe(body),  # noqa: S308 (built below from escaped parts)
    )


def bar_chart(
    chart_id: str, title: str, rows: Sequence[tuple[str, float]], *, unit: str = ""
) -> SafeString:
    """Horizontal bars, one per (label, value), the value written at the end of its bar."""
    label_width, bar_space, row_height = 230, 340, 26
    width, height = label_width + bar_space + 70, max(1, len(rows)) * row_height + 8
    top = max((value for _, value in rows), default=0) or 1
    parts = []
    for i, (label, value) in enumerate(rows):
        y = 4 + i * row_height
        length = round(bar_space * value / top, 1)
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" {}>{}</text>'
                '<rect x="{}" y="{}" width="{}" height="18" fill="#005a9c"></rect>'
                '<text x="{}" y="{}" {}>{}</text>',
                label_width - 8,
                y + 13,
                mark_safe(FONT),  # noqa: S308 (a constant)
                _shorten(label, 36),
                label_width,
                y,
                length,
                label_width + length + 6,
                y + 13,
                mark_safe(FONT),  # noqa: S308
                number(value, unit),
            )
        )
    description = " ; ".join(f"{label} : {number(value, unit)}" for label, value in rows)
    return _svg(chart_id, title, description, width, height, "".join(parts))


def _nice_top(value: float) -> float:
    """A round upper bound for the axis (1, 2, 5 × 10ⁿ)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return format_html(
            '<rect x="{}" y="{}" width="7" height="7" fill="{}"></rect>', x - 3.5, y - 3.5, colour
        )
    if shape == "diamond":
        points = f"{x},{y - 5} {x + 5},{y} {x},{y + 5} {x - 5},{y}"
        return format_html('<polygon points="{}" fill="{}"></polygon>', points, colour)
    if shape == "triangle":
        points = f"{x},{y - 5} {x + 5},{y + 4} {x - 5},{y + 4}"
        return format_html('<polygon points="{}" fill="{}"></polygon>', points, colour)
    return format_html('<circle cx="{}" cy="{}" r="4" fill="{}"></circle>', x, y, colour)


def line_chart(
    chart_id: str,
    title: str,
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    unit: str = "%",
) -> SafeString:
    """Campaigns over time (x, left to right), one line per measure; a missing value (nothing
    sent) breaks the line."""
    left, right, top_margin, plot_height = 56, 16, 12, 220
    legend_top = top_margin + plot_height + 44
    width = 720
    height = legend_top + 20 * len(series) + 4
    plot_width = width - left - right
    values = [v for _, vs in series for v in vs if v is not None]
    top = _nice_top(max(values, default=0))
    count = len(x_labels)

    def x_of(i: int) -> float:
        return round(left + (plot_width * (i + 0.5) / count if count else 0), 1)

    def y_of(value: float) -> float:
        return round(top_margin + plot_height * (1 - value / top), 1)

    font = mark_safe(FONT)  # noqa: S308 (a constant)
    parts = []
    for tick in range(6):  # 0 to a round top in five steps (0,2 - 0,4…; 1 - 2…)
        value = top * tick / 5
        y = y_of(value)
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#d0d0d0"></line>'
                '<text x="{}" y="{}" text-anchor="end" {}>{}</text>',
                left,
                width - right,
                y,
                y,
                left - 6,
                y + 4,
                font,
                number(value, unit),
            )
        )
    every = max(1, math.ceil(count / 12))  # at most twelve dates under the axis
    for i, label in enumerate(x_labels):
        if i % every == 0:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" {}>{}</text>',
                    x_of(i),
                    top_margin + plot_height + 18,
                    font,
                    label,
                )
            )
    for (_, series_values), (colour, dash, shape) in zip(series, STYLES, strict=False):
        segment: list[str] = []
        segments = [segment]
        for i, value in enumerate(series_values):
            if value is None:
                segment = []
                segments.append(segment)
                continue
            segment.append(f"{x_of(i)},{y_of(value)}")
            parts.append(_marker(shape, x_of(i), y_of(value), colour))
        for points in filter(None, segments):
            parts.append(
                format_html(
                    '<polyline points="{}" fill="none" stroke="{}" stroke-width="2" '
                    'stroke-dasharray="{}"></polyline>',
                    " ".join(points),
                    colour,
                    dash or "none",
                )
            )
    for n, ((name, _), (colour, dash, shape)) in enumerate(zip(series, STYLES, strict=False)):
        y = legend_top + 20 * n
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="2" '
                'stroke-dasharray="{}"></line>{}<text x="{}" y="{}" {}>{}</text>',
                left,
                left + 36,
                y,
                y,
                colour,
                dash or "none",
                _marker(shape, left + 18, y, colour),
                left + 44,
                y + 4,
                font,
                name,
            )
        )
    description = " ".join(
        f"{name} : "
        + ", ".join(
            f"{label} {number(v, unit) if v is not None else 'non mesuré'}"
            for label, v in zip(x_labels, vs, strict=False)
        )
        + "."
        for name, vs in series
    )
    return _svg(chart_id, title, description, width, height, "".join(parts))
