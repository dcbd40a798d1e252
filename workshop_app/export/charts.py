"""Bar charts of dot-vote results and of survey answers, for the screen and for Word: one
code path.

matplotlib's object API only (`Figure` with a `FigureCanvasAgg` of its own, no pyplot and
its global figure list), loaded on the first chart so it never slows the app's start.
Renders are serialised by a lock: matplotlib's font and text caches are shared.

Participant text is drawn exactly as written: every Text gets `parse_math=False`, so a
`$` never starts mathtext, and characters the bundled font lacks (emoji) become a box
instead of a warning. See docs/decisions/011-charts-matplotlib.md.
"""

from __future__ import annotations

import io
import textwrap
import threading
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

FONT = "DejaVu Sans"  # shipped inside matplotlib: the same letters on every laptop
# Okabe & Ito's palette, told apart with the common kinds of colour blindness.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
HATCHES = ("", "//", "..", "xx")  # more groups than colours: patterns tell them apart
OVERALL = "#0072B2"
NOT_SAID = "#8C8C8C"
INK = "#1A1A1A"
MISSING = "□"  # stands for a character the font cannot draw
MIN_SIZE_PX = 80
MAX_SIZE_PX = 10_000
LABEL_SHARE_MAX = 0.48  # of the width, for the item texts
CHART_ROWS = 15  # a Word chart shows at most this many items (the table has them all)

_lock = threading.Lock()
_glyphs: dict[str, bool] = {}


class ChartRow(Protocol):
    @property
    def rank(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def dots(self) -> int: ...
    @property
    def dots_by_group(self) -> Mapping[str | None, int]: ...


class ChartGroup(Protocol):
    @property
    def id(self) -> str | None: ...
    @property
    def name(self) -> str: ...


class VoteChartData(Protocol):
    """What a vote chart needs (services.results.VoteResults provides it)."""

    @property
    def title(self) -> str: ...
    @property
    def rows(self) -> Sequence[ChartRow]: ...  # best first
    @property
    def groups(self) -> Sequence[ChartGroup]: ...


def vote_chart_png(
    results: VoteChartData, *, by_group: bool, width_px: int, height_px: int, dpi: int = 100
) -> bytes:
    """A horizontal bar chart, best item on top, as PNG bytes of exactly the size asked.

    `by_group` stacks each bar by stakeholder group, with a legend. Thread-safe.
    """
    _check_size(width_px, height_px, dpi)
    with _lock:
        fig = _figure(results, by_group, width_px, height_px, dpi)
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=dpi, facecolor="white")
        return out.getvalue()


@dataclass(frozen=True, slots=True)
class _Bar:
    rank: int
    text: str
    dots: int
    dots_by_group: Mapping[str | None, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Answers:
    title: str
    rows: Sequence[_Bar]
    groups: Sequence[ChartGroup] = ()


def answers_chart_png(
    title: str,
    answers: Sequence[str],
    counts: Sequence[int],
    *,
    width_px: int,
    height_px: int,
    dpi: int = 100,
) -> bytes:
    """A survey question's answers as bars in the order they were offered (1 = the first),
    counted in people, as PNG bytes. Overall only: a group's bars could show a small
    group's answers (core/cells.py). Thread-safe."""
    _check_size(width_px, height_px, dpi)
    rows = [_Bar(i, a, n) for i, (a, n) in enumerate(zip(answers, counts, strict=True), 1)]
    with _lock:
        fig = _figure(
            _Answers(title, rows),
            False,
            width_px,
            height_px,
            dpi,
            x_label="People",
            empty="No answers yet",
        )
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=dpi, facecolor="white")
        return out.getvalue()


def preload() -> None:
    """Load matplotlib and its font now (seconds on a slow laptop's first chart), so the
    chart of a vote about to close appears at once. Thread-safe; cheap once done."""
    with _lock:
        from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: F401
        from matplotlib.figure import Figure  # noqa: F401

        _glyph_checker()("a")


def vote_chart_figure(
    results: VoteChartData, *, by_group: bool, width_px: int, height_px: int, dpi: int = 100
) -> Figure:
    """The same chart as a matplotlib Figure (with an Agg canvas), to inspect or save."""
    _check_size(width_px, height_px, dpi)
    with _lock:
        return _figure(results, by_group, width_px, height_px, dpi)


def _check_size(width_px: int, height_px: int, dpi: int) -> None:
    for what, px in (("width", width_px), ("height", height_px)):
        if not MIN_SIZE_PX <= px <= MAX_SIZE_PX:
            raise ValueError(f"chart {what} must be {MIN_SIZE_PX}-{MAX_SIZE_PX} px, not {px}")
    if not 30 <= dpi <= 600:
        raise ValueError(f"chart dpi must be 30-600, not {dpi}")


# ---------------------------------------------------------------- drawing


def _figure(
    results: VoteChartData,
    by_group: bool,
    width: int,
    height: int,
    dpi: int,
    *,
    x_label: str = "Dots",
    empty: str = "Nothing to vote on yet",
) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    fig = Figure(figsize=(width / dpi, height / dpi), dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)  # the figure draws with Agg, whatever backend pyplot would choose
    ax = fig.add_subplot()
    clean = _cleaner()
    rows = list(results.rows)
    title = clean(" ".join(results.title.split()))
    px_per_pt = dpi / 72
    title_pt = _clamp(height / 28 / px_per_pt, 9, 18)
    title_px = title_pt * px_per_pt * 2.0 if title else 6.0

    groups = _groups_with_dots(results) if by_group else []
    legend_pt = _clamp(height / 40 / px_per_pt, 7, 13)
    legend_cols = max(1, min(len(groups), int(width / (legend_pt * px_per_pt * 14))))
    legend_rows = -(-len(groups) // legend_cols) if groups else 0
    top_px = title_px + legend_rows * legend_pt * px_per_pt * 1.9 + 6
    bottom_px = _clamp(height * 0.09, 24, 60) + 12
    plot_px = max(20.0, height - top_px - bottom_px)

    n = max(1, len(rows))
    slot_px = plot_px / n
    label_pt = _clamp(slot_px / 2.9 / px_per_pt, 6, 16)  # room for two lines per bar
    label_px = label_pt * px_per_pt
    chars = max(8, int(width * LABEL_SHARE_MAX / (label_px * 0.58)))
    lines = 2 if slot_px >= label_px * 2.6 else 1

    ax.invert_yaxis()
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_yticks([])
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.tick_params(axis="x", labelsize=label_pt * 0.9, colors=INK)
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.set_xlabel(x_label, fontsize=label_pt * 0.9, color=INK, fontfamily=FONT)

    labels = [
        ax.text(
            -0.015,
            y,
            _wrap(f"{row.rank}. {clean(row.text)}", chars, lines),
            transform=ax.get_yaxis_transform(),
            ha="right",
            va="center",
            fontsize=label_pt,
            fontfamily=FONT,
            color=INK,
            parse_math=False,
            clip_on=False,
        )
        for y, row in enumerate(rows)
    ]
    _draw_bars(ax, rows, groups, label_pt)
    if not rows:
        ax.text(
            0.5,
            0.5,
            empty,
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=label_pt,
            fontfamily=FONT,
            color=INK,
            parse_math=False,
        )
    if title:
        fig.text(
            0.5,
            1 - 6 / height,
            title,
            ha="center",
            va="top",
            fontsize=title_pt,
            fontweight="bold",
            fontfamily=FONT,
            color=INK,
            parse_math=False,
        )
    if groups:
        legend = fig.legend(
            [_swatch(i, g) for i, g in enumerate(groups)],
            [clean(g.name) for g in groups],
            loc="upper center",
            bbox_to_anchor=(0.5, 1 - title_px / height),
            ncols=legend_cols,
            frameon=False,
            fontsize=legend_pt,
            handlelength=1.2,
            columnspacing=1.2,
        )
        for text in legend.get_texts():
            text.set_parse_math(False)
            text.set_fontfamily(FONT)

    # The item texts decide the left margin: measure them as drawn.
    widest = max((t.get_window_extent().width for t in labels), default=0.0)
    left = _clamp((widest + 14) / width, 0.04, LABEL_SHARE_MAX + 0.04)
    bottom = min(bottom_px / height, 0.25)
    top = max(1 - top_px / height, bottom + 0.2)  # a tiny chart keeps some room for bars
    fig.subplots_adjust(left=left, right=max(left + 0.1, 1 - 12 / width), top=top, bottom=bottom)
    return fig


def _draw_bars(ax: Axes, rows: list[ChartRow], groups: list[ChartGroup], label_pt: float) -> None:
    ys = list(range(len(rows)))
    totals = [row.dots for row in rows]
    if groups:
        left = [0] * len(rows)
        for index, group in enumerate(groups):
            values = [row.dots_by_group.get(group.id, 0) for row in rows]
            colour, hatch = _group_style(index, group)
            ax.barh(
                ys,
                values,
                left=left,
                height=0.72,
                color=colour,
                hatch=hatch,
                edgecolor="white",
                linewidth=0.8,
            )
            left = [a + b for a, b in zip(left, values, strict=True)]
    else:
        ax.barh(ys, totals, height=0.72, color=OVERALL)
    top = max(totals, default=0)
    ax.set_xlim(0, max(1.0, top * 1.12 + 0.5))
    for y, total in zip(ys, totals, strict=True):
        ax.text(
            total + top * 0.015 + 0.05,
            y,
            str(total),
            va="center",
            ha="left",
            fontsize=label_pt,
            fontweight="bold",
            fontfamily=FONT,
            color=INK,
            parse_math=False,
        )


def _groups_with_dots(results: VoteChartData) -> list[ChartGroup]:
    return [g for g in results.groups if any(r.dots_by_group.get(g.id, 0) for r in results.rows)]


def _swatch(index: int, group: ChartGroup) -> Patch:
    from matplotlib.patches import Patch

    colour, hatch = _group_style(index, group)
    return Patch(facecolor=colour, hatch=hatch, edgecolor="white")


def _group_style(index: int, group: ChartGroup) -> tuple[str, str]:
    if group.id is None:
        return NOT_SAID, ""
    return PALETTE[index % len(PALETTE)], HATCHES[(index // len(PALETTE)) % len(HATCHES)]


# ---------------------------------------------------------------- text


def _wrap(text: str, width: int, lines: int) -> str:
    """At most `lines` lines of about `width` characters; the rest elided with "…"."""
    wrapped = textwrap.wrap(text, width=width, max_lines=lines, placeholder=" …")
    if wrapped and len(wrapped[-1]) > width:  # a single word longer than a line
        wrapped[-1] = wrapped[-1][: width - 1] + "…"
    return "\n".join(wrapped)


def _cleaner() -> Callable[[str], str]:
    """A function that keeps what the font can draw, boxes the rest and drops invisible
    marks (emoji variation selectors, joiners, skin tones) that would draw as boxes."""
    has_glyph = _glyph_checker()

    def clean(text: str) -> str:
        out: list[str] = []
        for ch in text:
            if ch in "\n\r\t":
                out.append(" ")
            elif unicodedata.category(ch) in ("Cc", "Cf"):
                continue  # controls and joiners: nothing to see
            elif has_glyph(ch):
                out.append(ch)
            elif unicodedata.category(ch) in ("Mn", "Me", "Sk", "Cs", "Co"):
                continue  # marks (emoji variation selectors, skin tones) would draw as boxes
            elif not (out and out[-1] == MISSING):
                out.append(MISSING)
        return "".join(out)

    return clean


def _glyph_checker() -> Callable[[str], bool]:
    from matplotlib import font_manager, ft2font

    path = font_manager.findfont(font_manager.FontProperties(family=FONT))
    font: Any = ft2font.FT2Font(path)

    def has_glyph(ch: str) -> bool:
        known = _glyphs.get(ch)
        if known is None:
            known = _glyphs[ch] = ch == " " or font.get_char_index(ord(ch)) != 0
        return known

    return has_glyph


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


__all__ = ["ChartGroup", "ChartRow", "VoteChartData", "vote_chart_figure", "vote_chart_png"]
