"""Charts drawn on the server: no script, no colour needed to read them (each bar carries
its figure as text). A bar's width is its share of the full bar, in BAR_AREA units."""

from dataclasses import dataclass

BAR_AREA = 100


@dataclass
class Bar:
    label: str
    width: float
    text: str


@dataclass
class BarChart:
    title: str
    bars: list[Bar]
    bar_area: int = BAR_AREA


def bar_chart(
    title: str, rows: list[tuple[str, float, str]], scale: float | None = None
) -> BarChart:
    """rows: (label, value, the figure written beside the bar). scale: the value of a full bar."""
    top = scale or max((value for _, value, _ in rows), default=0) or 1
    bars = [Bar(label, BAR_AREA * min(value, top) / top, text) for label, value, text in rows]
    return BarChart(title, bars)
