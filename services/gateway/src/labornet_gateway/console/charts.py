"""The dashboard's charts, drawn on the server as SVG (pygal) and shown as images.

Each chart travels inside the page as a ``data:`` image: nothing is fetched from elsewhere, no
script runs (an SVG shown as an image runs none), and it prints as drawn. Black on white with
a Chinese font, so a printed copy reads as well as the screen.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping

import pygal
from pygal.style import Style

PRINTABLE = Style(
    background="white",
    plot_background="white",
    foreground="#1f2328",
    foreground_strong="#1f2328",
    foreground_subtle="#57606a",
    colors=("#0b5394", "#cf222e", "#1a7f37", "#9a6700", "#6639ba"),
    font_family="'WenQuanYi Micro Hei', 'Noto Sans CJK SC', sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=13,
    title_font_size=16,
    legend_font_size=13,
    no_data_font_size=24,
)
_OPTIONS = {
    "style": PRINTABLE,
    "js": [],  # no script, from anywhere
    "disable_xml_declaration": True,
    "show_legend": False,
    "print_values": True,
    "width": 640,
    "height": 280,
    "margin": 12,
}


def _image(chart: pygal.graph.graph.Graph) -> str:
    svg = chart.render(is_unicode=True)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _scale(counts: Mapping[str, int | float], unit: str) -> list[float]:
    """Whole numbers on the value axis (a count has no tenths); 0–100 for a percentage."""
    if unit == "%":
        return [0, 20, 40, 60, 80, 100]
    top = max([int(v) for v in counts.values()] + [1])
    step = max(1, -(-top // 5))
    return list(range(0, top + step, step))


def bars(title: str, counts: Mapping[str, int | float], *, horizontal: bool = False, unit: str = "件") -> str:
    """A bar chart of ``counts`` (label → number) as a data: image; empty charts say 暂无数据."""
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    scale = _scale(counts, unit)
    chart = kind(
        title=title,
        no_data_text="暂无数据",
        y_labels=scale,
        range=(0, scale[-1]),
        **_OPTIONS,
    )
    chart.x_labels = list(counts)
    chart.add(title, list(counts.values()))
    return _image(chart)
