"""Horizontal bar charts drawn on the server as SVG (no JavaScript): the geometry here, the
markup in templates/works/includes/bar_chart.html. Each chart is shown with its data table and
a sentence that says what it shows, so the SVG itself is decoration for sighted readers."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 320  # the viewBox: drawn at its own size on a 320 px phone, scaled up beyond
LABEL_ROW = 18
BAR_HEIGHT = 14
ROW_HEIGHT = 44
VALUE_ROOM = 70  # right of the longest bar, for its figure


@dataclass
class Bar:
    label: str
    value: int
    width: float
    y: int

    @property
    def bar_y(self) -> int:
        return self.y + LABEL_ROW - 12

    @property
    def text_y(self) -> int:
        return self.y + 12

    @property
    def value_x(self) -> float:
        return self.width + 6

    @property
    def value_y(self) -> int:
        return self.bar_y + BAR_HEIGHT - 2


@dataclass
class BarChart:
    slug: str
    title: str
    summary: str
    label_heading: str
    value_heading: str
    bars: list[Bar]
    width: int = WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return max(ROW_HEIGHT, ROW_HEIGHT * len(self.bars))


def bar_chart(
    slug: str,
    title: str,
    rows: list[tuple[str, int]],
    *,
    summary: str,
    label_heading: str,
    value_heading: str = "Logements livrés",
) -> BarChart:
    top = max((value for _, value in rows), default=0)
    room = WIDTH - VALUE_ROOM
    bars = [
        Bar(label, value, round(room * value / top, 1) if top else 0, index * ROW_HEIGHT)
        for index, (label, value) in enumerate(rows)
    ]
    return BarChart(slug, title, summary, label_heading, value_heading, bars)
