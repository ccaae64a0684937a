"""The digest's charts as PNG images (matplotlib's Agg renderer, no display, thread-safe).

Email clients run no JavaScript and many block SVG, so the charts travel as PNGs attached inline
(`Content-ID`) — the one image form every mail client shows. Figures are built with the
object-oriented API (no pyplot global state), so two digests can render at once in two threads.
Labels use the page's formatting and the page's light-theme colours.
"""

from __future__ import annotations

import io

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from execdash.delivery.formatting import format_period, format_value
from execdash.metrics.models import Series

TEXT = "#18202b"
MUTED = "#4f5b6b"
BORDER = "#d5dbe3"
PALETTE = ("#1d5fc4", "#13a3a3", "#e07b00", "#7b4fd1")
WIDTH_IN, HEIGHT_IN, DPI = 5.0, 2.6, 240
"""1200×624 px, shown at up to 600 px wide: sharp on high-density screens; labels stay
legible when a phone shrinks it to 360 px."""


def _figure() -> Figure:
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, layout="constrained")
    figure.patch.set_facecolor("#ffffff")
    return figure


def _style(axes: object) -> None:
    ax = axes  # matplotlib Axes
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)  # type: ignore[attr-defined]
    for side in ("left", "bottom"):
        ax.spines[side].set_color(BORDER)  # type: ignore[attr-defined]
    ax.tick_params(colors=MUTED, labelsize=9)  # type: ignore[attr-defined]
    ax.grid(axis="y", color=BORDER, linewidth=0.5)  # type: ignore[attr-defined]
    ax.set_axisbelow(True)  # type: ignore[attr-defined]


def _ticks(labels: list[str]) -> list[int]:
    step = max(1, -(-len(labels) // 4))
    return list(range(0, len(labels), step))


def _png(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()


def revenue_chart(trend: list[Series], symbol: str) -> bytes | None:
    """Recognized and booked revenue as bars with period-end backlog as a line, like the page."""
    by_key = {s.key: s for s in trend}
    base = by_key.get("recognized") or (trend[0] if trend else None)
    if base is None or not any(p.value is not None for s in trend for p in s.points):
        return None
    labels = [format_period(p.period) for p in base.points]
    x = list(range(len(labels)))
    figure = _figure()
    ax = figure.add_subplot()
    _style(ax)
    money = FuncFormatter(lambda v, _pos: format_value(v, "currency", "", symbol))
    width = 0.38
    for offset, key, name, colour in (
        (-width / 2, "recognized", "Recognized", PALETTE[0]),
        (width / 2, "booked", "Booked", PALETTE[1]),
    ):
        series = by_key.get(key)
        if series is not None:
            values = [p.value or 0.0 for p in series.points]
            ax.bar([i + offset for i in x], values, width, label=name, color=colour)
    ax.yaxis.set_major_formatter(money)
    backlog = by_key.get("backlog")
    if backlog is not None:
        right = ax.twinx()
        _style(right)
        right.grid(False)
        values = [p.value if p.value is not None else float("nan") for p in backlog.points]
        right.plot(
            x,
            values,
            color=PALETTE[2],
            linewidth=1.6,
            marker="o",
            markersize=2.5,
            label="Backlog (period end)",
        )
        right.yaxis.set_major_formatter(money)
        right.set_ylim(bottom=0)
        handles = ax.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
        names = ax.get_legend_handles_labels()[1] + right.get_legend_handles_labels()[1]
        ax.legend(
            handles,
            names,
            loc="upper left",
            fontsize=7,
            frameon=False,
            ncols=2,
            labelcolor=TEXT,
            bbox_to_anchor=(0, 1.2),
        )
    ax.set_xticks(_ticks(labels), [labels[i] for i in _ticks(labels)])
    return _png(figure)


def series_chart(series: Series, symbol: str) -> bytes | None:
    """One KPI per period as a line, its axis formatted in the KPI's unit."""
    values = [p.value for p in series.points]
    if sum(v is not None for v in values) < 2:
        return None
    labels = [format_period(p.period) for p in series.points]
    figure = _figure()
    ax = figure.add_subplot()
    _style(ax)
    ax.plot(
        range(len(labels)),
        [v if v is not None else float("nan") for v in values],
        color=PALETTE[0],
        linewidth=1.8,
        marker="o",
        markersize=2.5,
    )
    ax.yaxis.set_major_formatter(
        FuncFormatter(lambda v, _pos: format_value(v, series.unit, series.key, symbol))
    )
    ax.set_xticks(_ticks(labels), [labels[i] for i in _ticks(labels)])
    return _png(figure)
