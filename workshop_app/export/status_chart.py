"""Stacked bar charts of self-assessment statuses (issue 16): per statement, how many
services met it, partly met it, did not meet it, found it not applicable or have not
settled it; per area, the share of the settled answers in each status.

Drawn the way export/charts.py draws (matplotlib's object API with an Agg canvas, its lock
and its text cleaning, DejaVu Sans), with a hatch for each status besides its colour, so a
chart printed in black and white still tells the statuses apart.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from workshop_app.export.charts import FONT, INK, _check_size, _cleaner, _lock, _wrap


@dataclass(frozen=True, slots=True)
class Category:
    label: str
    colour: str  # "#rrggbb"
    hatch: str  # a matplotlib hatch ("" for none)


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    values: tuple[float, ...]  # one per category, in order


def stacked_bars_png(
    title: str,
    categories: Sequence[Category],
    bars: Sequence[Bar],
    *,
    axis_label: str,
    width_px: int = 1500,
    dpi: int = 150,
    percent: bool = False,
) -> bytes:
    """Horizontal stacked bars, the first bar on top, a legend under them; PNG bytes."""
    height_px = max(500, 240 + 110 * len(bars))
    _check_size(width_px, height_px, dpi)
    with _lock:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.ticker import MaxNLocator, PercentFormatter

        clean = _cleaner()
        fig = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi, facecolor="white")
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        labels = [_wrap(clean(b.label), 28, 2) for b in bars]
        positions = list(range(len(bars)))[::-1]
        left = [0.0] * len(bars)
        for index, category in enumerate(categories):
            values = [b.values[index] for b in bars]
            ax.barh(
                positions,
                values,
                left=left,
                color=category.colour,
                hatch=category.hatch,
                edgecolor=INK,
                linewidth=0.6,
                label=clean(category.label),
            )
            left = [a + b for a, b in zip(left, values, strict=True)]
        ax.set_yticks(positions, labels, fontfamily=FONT, fontsize=8)
        ax.set_xlabel(clean(axis_label), fontfamily=FONT, fontsize=9, parse_math=False)
        ax.set_title(
            _wrap(clean(title), 80, 2), fontfamily=FONT, fontsize=11, color=INK, parse_math=False
        )
        if percent:
            ax.set_xlim(0, 100)
            ax.xaxis.set_major_formatter(PercentFormatter(100, decimals=0))
        else:
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.set_xlim(0, max([*left, 1]))
        for tick in ax.get_yticklabels():
            tick.set_parse_math(False)
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.18 if len(bars) < 4 else -0.08),
            ncols=min(len(categories), 5),
            frameon=False,
            prop={"family": FONT, "size": 8},
        )
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=dpi, facecolor="white")
        return out.getvalue()
