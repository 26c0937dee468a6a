"""Charts as inline SVG, drawn on the server: no script, no colour needed to read them (each
bar and point carries its figure as text), scale by the page's font size."""

from dataclasses import dataclass

BAR_HEIGHT = 28
BAR_GAP = 12
LABEL_WIDTH = 220
BAR_AREA = 360
FIGURE_WIDTH = 140


@dataclass
class Bar:
    label: str
    y: int
    width: float
    text: str


@dataclass
class BarChart:
    title: str
    bars: list[Bar]
    width: int
    height: int
    label_width: int = LABEL_WIDTH
    bar_area: int = BAR_AREA


def bar_chart(
    title: str, rows: list[tuple[str, float, str]], scale: float | None = None
) -> BarChart:
    """rows: (label, value, the figure written beside the bar). scale: the value of a full bar."""
    top = scale or max((value for _, value, _ in rows), default=0) or 1
    bars = [
        Bar(label, index * (BAR_HEIGHT + BAR_GAP), BAR_AREA * min(value, top) / top, text)
        for index, (label, value, text) in enumerate(rows)
    ]
    height = max(len(rows) * (BAR_HEIGHT + BAR_GAP), BAR_HEIGHT)
    return BarChart(title, bars, LABEL_WIDTH + BAR_AREA + FIGURE_WIDTH, height)


@dataclass
class Point:
    x: float
    y: float
    label: str
    text: str


@dataclass
class LineChart:
    title: str
    points: list[Point]
    path: str
    width: int
    height: int
    baseline: int


def line_chart(title: str, rows: list[tuple[str, float, str]], top: float = 100) -> LineChart:
    """rows in time order: (label under the point, value from 0 to top, figure above it)."""
    width, plot_height, margin = 640, 200, 40
    step = (width - 2 * margin) / max(len(rows) - 1, 1)
    points = [
        Point(margin + i * step, margin + plot_height * (1 - min(value, top) / top), label, text)
        for i, (label, value, text) in enumerate(rows)
    ]
    path = " ".join(f"{'M' if i == 0 else 'L'}{p.x:.1f},{p.y:.1f}" for i, p in enumerate(points))
    return LineChart(
        title, points, path, width, plot_height + 2 * margin + 30, margin + plot_height
    )
