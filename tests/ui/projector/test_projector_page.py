"""The projector page's layout (ui/projector/projector_page.py): at any window size and with any
texts, nothing overlaps, nothing leaves the window, every text fits its box, and whatever
does not fit is said (rows) or visibly shortened (only in windows smaller than any
projector). Real Qt fonts measure the text."""

from __future__ import annotations

from itertools import combinations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QFont, QFontMetrics

from workshop_app.ui.projector.projector_page import (
    READABLE,
    SIZES,
    Content,
    Layout,
    Line,
    Role,
    Row,
    lay_out,
)

WORDS = [
    "a",
    "an",
    "the",
    "online",
    "safe",
    "games",
    "chat",
    "tell",
    "trusted",
    "adult",
    "school",
    "phone",
    "apps",
    "strangers",
    "help",
    "teacher",
    "parent",
    "child",
    "friends",
    "pictures",
    "worried",
    "report",
    "block",
    "settings",
    "privacy",
    "kind",
    "what",
    "would",
    "help",
    "you",
    "most",
    "when",
    "something",
    "goes",
    "wrong",
]


def text(max_words: int) -> st.SearchStrategy[str]:
    word = st.one_of(
        st.sampled_from(WORDS),
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz-/.:", min_size=12, max_size=40),  # a link
        st.sampled_from(["😀", "Ünïcödé", "<b>bold</b>", "&amp;", "$x$", "שלום"]),
    )
    return st.lists(word, min_size=1, max_size=max_words).map(" ".join)


@st.composite
def contents(draw: st.DrawFn) -> Content:
    header = [Line(draw(text(20)), Role.TITLE), Line(draw(text(120)), Role.PROMPT)]
    if draw(st.booleans()):
        header.append(Line(draw(text(25)), Role.STATUS))
    cards = draw(st.booleans())
    rows: list[Row] = []
    if not cards:
        n = draw(st.integers(0, 20))
        ranked = draw(st.booleans())
        dots = sorted(draw(st.lists(st.integers(0, 60), min_size=n, max_size=n)), reverse=True)
        for _i, d in enumerate(dots):
            rank = next(j for j, e in enumerate(dots) if e == d) + 1
            rows.append(Row(draw(text(25)), rank if ranked else None, d if ranked else None))
    live = draw(st.booleans())
    return Content(
        header=tuple(header),
        rows=tuple(rows),
        footnote=draw(st.sampled_from(["", "Equal totals share a place."])),
        cards=cards,
        qr=live,
        join=("192.168.100.123:8765", "code K7M2Q-8XWPA") if live else (),
        clock=draw(st.sampled_from(["", "9:59", "120:00"])),
    )


def boxes(layout: Layout) -> list[QRect]:
    found = [p.rect for p in layout.texts if p.text] + list(layout.bars)
    return found + [r for r in (layout.qr, layout.cards) if r is not None]


def check(layout: Layout, content: Content, size: QSize, font: QFont) -> None:
    page = QRect(0, 0, size.width(), size.height())
    for box in boxes(layout):
        assert page.contains(box), (box, size)
    for a, b in combinations(boxes(layout), 2):
        assert not a.intersects(b), (a, b)
    for p in layout.texts:
        f = QFont(font)
        f.setPointSize(p.points)
        f.setBold(p.bold)
        needed = QFontMetrics(f).boundingRect(QRect(0, 0, p.rect.width(), 10**6), p.flags, p.text)
        assert needed.width() <= p.rect.width() and needed.height() <= p.rect.height(), p
    shown = [p.text for p in layout.texts]
    if not layout.shortened:
        for line in content.header:
            assert line.text in shown, "a header text is left out or cut"
        texts = [r.text for r in content.rows]
        kept = len(texts) - layout.rows_left_out
        for row in texts[:kept]:
            assert row in shown
        if layout.rows_left_out:
            assert content.more_rows.format(n=layout.rows_left_out) in shown
            assert layout.points <= READABLE, "rows give way only when type is small"
    else:  # smaller than any projector: the body gives way, the header is shortened visibly
        assert layout.cards is None and not layout.bars
        assert layout.rows_left_out == len(content.rows)
        assert layout.points == SIZES[-1]


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    content=contents(),
    width=st.integers(320, 3840),
    height=st.integers(240, 2160),
)
def test_nothing_overlaps_or_is_cut_at_any_size(qapp, content, width, height) -> None:
    size = QSize(width, height)
    font = qapp.font()
    check(lay_out(content, size, font), content, size, font)


PLAN = Content(
    header=(
        Line("Which ideas matter most?", Role.TITLE),
        Line(
            "You have 3 dots. Put them on the ideas that matter most to you. You can put "
            "more than one dot on an idea you really care about.",
            Role.PROMPT,
        ),
        Line("Put your dots on your phone.", Role.STATUS),
    ),
    rows=tuple(
        Row(f"Theme number {i} with a longer name", i // 2 * 2 + 1, 12 - i) for i in range(10)
    ),
    footnote="Equal totals share a place.",
    qr=True,
    join=("192.168.1.20:8080", "code K7M2Q-8XWPA"),
    clock="4:59",
)


@pytest.mark.parametrize("size", [(640, 360), (800, 600), (1024, 768), (1920, 1080), (3840, 2160)])
def test_a_real_slide_fits_without_overlap_from_a_small_window_up(qapp, size) -> None:
    s = QSize(*size)
    layout = lay_out(PLAN, s, qapp.font())
    check(layout, PLAN, s, qapp.font())
    assert not layout.shortened and layout.qr is not None
    title, prompt = layout.texts[3], layout.texts[4]  # after the clock and two join lines
    assert (title.text, prompt.text) == (PLAN.header[0].text, PLAN.header[1].text)
    assert title.rect.bottom() < prompt.rect.top(), "the title never overlaps the prompt"
    if size[1] >= 600:  # a projector: the whole ranking in readable type
        assert layout.rows_left_out == 0 and layout.points >= READABLE


def test_a_bigger_window_gets_bigger_type(qapp) -> None:
    small = lay_out(PLAN, QSize(640, 360), qapp.font())
    big = lay_out(PLAN, QSize(1920, 1080), qapp.font())
    assert big.points > small.points


def test_rows_that_cannot_fit_give_way_with_a_count(qapp) -> None:
    many = Content(
        header=PLAN.header,
        rows=tuple(Row(f"Item {i} " + "words " * 12, i + 1, 60 - i) for i in range(40)),
    )
    layout = lay_out(many, QSize(800, 450), qapp.font())
    check(layout, many, QSize(800, 450), qapp.font())
    assert layout.rows_left_out > 0
    assert many.more_rows.format(n=layout.rows_left_out) in [p.text for p in layout.texts]


def test_a_tiny_window_shortens_the_header_visibly_instead_of_overlapping(qapp) -> None:
    long = Content(header=(Line("Title " * 30, Role.TITLE), Line("prompt " * 300, Role.PROMPT)))
    layout = lay_out(long, QSize(320, 240), qapp.font())
    check(layout, long, QSize(320, 240), qapp.font())
    assert layout.shortened
