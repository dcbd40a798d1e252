"""The projector's card layout (ui/projector/card_wall.py) is laid out in plain numbers and
made into rectangles only once it fits; it must place every card exactly where the
straightforward layout it replaced did (kept here as the reference), at any size, for any
notes, with measurements cached between calls or not."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QFont, QFontMetrics

from workshop_app.ui.common.widgets import soft_breaks
from workshop_app.ui.projector import card_wall
from workshop_app.ui.projector.card_wall import GAP, PAD, SIZES, WRAP, Fit, Placed

WORDS = (
    "apps",
    "parents",
    "should",
    "know",
    "the",
    "police",
    "never",
    "call",
    "back",
    "a",
    "teacher",
    "I",
    "trust",
    "talking",
    "about",
    "online",
    "safety",
    "supercalifragilisticexpialidocious",
    "<b>bold?</b>",
    "ünïcödé",
    "😀",
)


def reference_try(
    texts: Sequence[str], size: QSize, font: QFont, columns: int
) -> list[Placed] | None:
    """The layout as it was first written: a rectangle for every card as it is placed."""
    width = (size.width() - GAP * (columns - 1)) // columns
    inner = width - 2 * PAD
    if inner < 80:
        return None
    metrics = QFontMetrics(font)
    tops = [0] * columns
    placed: list[Placed] = []
    for text in texts:
        drawn = soft_breaks(text)  # as the card is drawn: a long run may break
        needed = metrics.boundingRect(QRect(0, 0, inner, 100_000), WRAP, drawn)
        column = min(range(columns), key=lambda c: tops[c])
        x = column * (width + GAP)
        height = needed.height() + 2 * PAD
        if tops[column] + height > size.height() or needed.width() > inner:
            return None
        card = QRect(x, tops[column], width, height)
        placed.append(Placed(text, card, card.adjusted(PAD, PAD, -PAD, -PAD)))
        tops[column] += height + GAP
    return placed


def reference_fit(texts: Sequence[str], size: QSize, base: QFont, max_columns: int = 4) -> Fit:
    if not texts or size.width() <= 0 or size.height() <= 0:
        return Fit(SIZES[0], (), 0)
    font = QFont(base)

    def placed(shown: Sequence[str], points: int) -> list[Placed] | None:
        font.setPointSize(points)
        for columns in range(1, max_columns + 1):
            found = reference_try(shown, size, font, columns)
            if found is not None:
                return found
        return None

    for left_out in range(len(texts)):
        shown = texts[left_out:]
        if placed(shown, SIZES[-1]) is None:
            continue
        for points in SIZES:
            found = placed(shown, points)
            if found is not None:
                return Fit(points, tuple(found), left_out)
    return Fit(SIZES[-1], (), len(texts))


def same(a: Fit, b: Fit) -> bool:
    cards = [(c.text, c.rect.getRect(), c.text_rect.getRect()) for c in a.cards]
    theirs = [(c.text, c.rect.getRect(), c.text_rect.getRect()) for c in b.cards]
    return (a.points, a.left_out, cards) == (b.points, b.left_out, theirs)


note = st.lists(st.sampled_from(WORDS), min_size=1, max_size=45).map(" ".join)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    texts=st.lists(note, max_size=24),
    width=st.integers(min_value=0, max_value=2000),
    height=st.integers(min_value=0, max_value=1100),
    columns=st.integers(min_value=1, max_value=4),
)
def test_the_layout_places_every_card_where_the_reference_does(
    qapp, texts, width, height, columns
) -> None:
    size, font = QSize(width, height), QFont()
    expected = reference_fit(texts, size, font, columns)
    assert same(card_wall.fit_cards(texts, size, font, columns), expected)
    cache: card_wall.Heights = {}
    card_wall.fit_cards(texts[::-1], size, font, columns, measured=cache)  # other notes first
    assert same(card_wall.fit_cards(texts, size, font, columns, measured=cache), expected)


def test_a_wall_of_arrivals_matches_the_reference_note_by_note(qapp) -> None:
    """The projector's case: one note more each time, the measurements kept between."""
    notes = [
        " ".join(WORDS[(i * 7 + j) % len(WORDS)] for j in range(3 + i % 17)) for i in range(60)
    ]
    size, font, cache = QSize(900, 520), QFont(), {}
    for newest in range(1, len(notes) + 1):
        shown = notes[max(0, newest - card_wall.MAX_CARDS) : newest]
        fit = card_wall.fit_cards(shown, size, font, measured=cache)
        assert same(fit, reference_fit(shown, size, font)), f"after note {newest}"
    assert fit.cards and fit.cards[-1].text == notes[-1]


def test_a_wall_with_earlier_notes_leaves_room_for_their_line(qtbot) -> None:
    """With notes left out already, the cards fit the wall less the "earlier notes" line,
    as the reference lays them out; without, the whole wall when they all fit."""
    wall = card_wall.CardWall()
    qtbot.addWidget(wall)
    wall.resize(QSize(900, 520))
    notes = [" ".join(WORDS[(i * 5 + j) % len(WORDS)] for j in range(4 + i % 9)) for i in range(30)]
    line = QFontMetrics(wall.font()).height() + GAP
    less = QSize(900, 520 - line)
    wall.set_texts(notes[:3])
    assert wall.left_out == 0 and same(
        wall.fit, reference_fit(notes[:3], QSize(900, 520), wall.font())
    )
    wall.set_texts(notes[:24], earlier=6)
    assert same(wall.fit, reference_fit(notes[:24], less, wall.font()))
    assert wall.left_out == 6 + wall.fit.left_out
    wall.set_texts(notes)  # 30: the newest 24 considered, 6 counted as earlier
    assert same(wall.fit, reference_fit(notes[-24:], less, wall.font()))
    assert wall.shown_texts()[-1] == notes[-1]


def test_a_note_with_a_long_link_is_drawn_whole_and_does_not_blank_the_wall(qapp) -> None:
    """A run no line can break was measured wider than any card, so no layout fitted with it:
    the wall left it out, and every note before it. It now breaks where it must."""
    link = "https://example.org/" + "a" * 480
    notes = ["apps change fast", link, "a trusted adult"]
    fit = card_wall.fit_cards(notes, QSize(1280, 720), QFont())
    assert [c.text for c in fit.cards] == notes and fit.left_out == 0
    card = fit.cards[1]
    assert card.text_rect.height() > 4 * QFontMetrics(QFont()).height()
