"""The results chart (export/charts.py): real matplotlib, real PNG bytes read by Pillow."""

from __future__ import annotations

import io
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import Image

from tests.conftest import REPO
from workshop_app.core.model import ActivityState
from workshop_app.export import charts
from workshop_app.services.results import RankedItem, ResultGroup, VoteResults

HOSTILE = "$x^2$ costs £5 & <b>"
GROUPS = (
    ResultGroup("g1", "Children 8–12"),
    ResultGroup("g2", "Parents & carers $$"),
    ResultGroup("g3", "Practitioners"),
    ResultGroup(None, "No group chosen"),
)


def results(texts: list[str], title: str = "Which matter most?") -> VoteResults:
    """Items with falling totals: three dots for each group per step."""
    rows = []
    for i, text in enumerate(texts):
        by_group = {"g1": len(texts) - i, "g2": 2, None: 1}  # nobody from g3 voted
        rows.append(RankedItem(i + 1, f"id{i}", text, sum(by_group.values()), 3, by_group))
    return VoteResults("a1", title, ActivityState.CLOSED, tuple(rows), GROUPS)


TWELVE = results([f"Priority number {i}" for i in range(12)])


def _size(png: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(png)) as image:
        image.load()
        return image.size


@pytest.mark.parametrize("by_group", [False, True], ids=["overall", "by-group"])
@pytest.mark.parametrize(
    ("width", "height", "dpi"), [(900, 600, 100), (400, 300, 100), (1234, 777, 144), (80, 80, 72)]
)
def test_the_chart_is_a_png_of_exactly_the_size_asked(
    by_group: bool, width: int, height: int, dpi: int
) -> None:
    png = charts.vote_chart_png(
        TWELVE, by_group=by_group, width_px=width, height_px=height, dpi=dpi
    )
    assert _size(png) == (width, height)


def _texts(fig) -> list:
    return [t for t in fig.findobj(lambda a: hasattr(a, "get_parse_math")) if t.get_text()]


@pytest.mark.parametrize("by_group", [False, True])
def test_participant_text_is_drawn_literally_never_as_mathtext(by_group: bool) -> None:
    labels = [HOSTILE, "$\\frac{$ unbalanced", "100$ or 200$", "a_b^c {x}"]
    fig = charts.vote_chart_figure(
        results(labels, title="Vote $1$"), by_group=by_group, width_px=900, height_px=500
    )
    fig.canvas.draw()  # mathtext would raise on "$\frac{$"
    texts = _texts(fig)
    shown = {t.get_text() for t in texts}
    assert {f"1. {HOSTILE}", "2. $\\frac{$ unbalanced", "Vote $1$"} <= shown
    assert all(not t.get_parse_math() for t in texts if "$" in t.get_text())


def test_the_by_group_legend_names_the_groups_that_voted_in_order() -> None:
    fig = charts.vote_chart_figure(TWELVE, by_group=True, width_px=900, height_px=600)
    fig.canvas.draw()
    (legend,) = fig.legends
    names = [t.get_text() for t in legend.get_texts()]
    assert names == ["Children 8–12", "Parents & carers $$", "No group chosen"]  # nobody from g3
    assert not any(t.get_parse_math() for t in legend.get_texts())


def test_the_overall_chart_has_no_legend_and_one_bar_per_item_best_on_top() -> None:
    fig = charts.vote_chart_figure(TWELVE, by_group=False, width_px=900, height_px=600)
    fig.canvas.draw()
    assert fig.legends == []
    (ax,) = fig.axes
    bars = ax.patches
    assert [round(b.get_width()) for b in bars] == [r.dots for r in TWELVE.rows]
    tops = [b.get_y() for b in bars]
    assert tops == sorted(tops)  # the y axis runs downwards: the first row is on top
    assert ax.yaxis_inverted()


def test_long_item_texts_are_wrapped_and_elided() -> None:
    long = "Children should be able to report worries online " * 8
    fig = charts.vote_chart_figure(
        results([long, "Short"]), by_group=False, width_px=700, height_px=400
    )
    fig.canvas.draw()
    label = next(t.get_text() for t in _texts(fig) if t.get_text().startswith("1. "))
    assert 1 < len(label.splitlines()) <= 2 and label.endswith("…")
    assert len(label) < len(long) / 2


def test_characters_the_font_lacks_become_boxes_without_a_warning() -> None:
    # pytest turns warnings into errors: a missing-glyph warning would fail this test.
    fig = charts.vote_chart_figure(
        results(["安全 matters 🦄\u200d", "ok"]), by_group=False, width_px=700, height_px=400
    )
    fig.canvas.draw()
    label = next(t.get_text() for t in _texts(fig) if t.get_text().startswith("1. "))
    assert label == f"1. {charts.MISSING} matters {charts.MISSING}"


def test_a_vote_with_nothing_to_vote_on_still_draws() -> None:
    png = charts.vote_chart_png(results([]), by_group=True, width_px=500, height_px=300)
    assert _size(png) == (500, 300)


@pytest.mark.parametrize(
    ("width", "height", "dpi"), [(10, 300, 100), (500, 20_000, 100), (500, 300, 5)]
)
def test_impossible_sizes_are_refused(width: int, height: int, dpi: int) -> None:
    with pytest.raises(ValueError, match="chart"):
        charts.vote_chart_png(TWELVE, by_group=False, width_px=width, height_px=height, dpi=dpi)


def test_charts_drawn_on_several_threads_at_once_all_come_out_whole() -> None:
    sizes = [(300 + 40 * i, 200 + 20 * i) for i in range(6)]
    with ThreadPoolExecutor(max_workers=3) as pool:
        pngs = list(
            pool.map(
                lambda wh: charts.vote_chart_png(
                    TWELVE, by_group=wh[0] % 80 == 0, width_px=wh[0], height_px=wh[1]
                ),
                sizes,
            )
        )
    assert [_size(png) for png in pngs] == sizes


def test_matplotlib_is_not_loaded_until_the_first_chart() -> None:
    code = (
        "import sys, workshop_app.services.results, workshop_app.ui.votes.vote_panel;"
        "print('matplotlib' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""},
    )
    assert out.stdout.strip() == "False"
