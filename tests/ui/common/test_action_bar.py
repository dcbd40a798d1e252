"""The wrapping toolbar (ui/common/action_bar.py): every action keeps a button on screen."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFrame, QToolButton, QVBoxLayout, QWidget

from tests.ui.conftest import settle
from workshop_app.ui.common.action_bar import ActionBar

WORDS = (
    "Approve",
    "Release to the screen…",
    "Hide",
    "Unhide",
    "Fix typo…",
    "History…",
    "Mark as duplicate of…",
    "Flag for safeguarding follow-up…",
    "Find duplicates…",
)


@pytest.fixture
def bar(qtbot) -> tuple[QWidget, ActionBar, list[QAction]]:
    holder = QWidget()
    qtbot.addWidget(holder)
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    bar = ActionBar("Note actions")
    actions = []
    for i, words in enumerate(WORDS):
        action = QAction(words, holder)
        bar.add(action)
        actions.append(action)
        if i == 4:
            bar.add_separator()
    layout.addWidget(bar)
    layout.addStretch(1)
    holder.show()
    return holder, bar, actions


def _buttons(bar: ActionBar) -> list[QToolButton]:
    return [bar.button_for(a) for a in bar.shown_actions()]


def _lay_out(holder: QWidget, width: int) -> None:
    holder.resize(width, 400)
    settle()


def _check_layout(bar: ActionBar, width: int) -> None:
    buttons = _buttons(bar)
    for b in buttons:  # each whole, inside the bar
        assert b.isVisible()
        assert b.width() >= b.sizeHint().width()
        assert QRect(0, 0, bar.width(), bar.height()).contains(b.geometry()), b.text()
    for i, a in enumerate(buttons):  # none over another
        for b in buttons[i + 1 :]:
            assert not a.geometry().intersects(b.geometry()), (a.text(), b.text())
    # in reading order: left to right, then the next row down
    places = [(b.geometry().top(), b.geometry().left()) for b in buttons]
    assert places == sorted(places)
    # a separator shown stands between two buttons of its row, never at a row's start or end
    for line in bar.findChildren(QFrame):
        g = line.geometry()
        if g.isEmpty():
            continue
        row = [b.geometry() for b in buttons if b.geometry().top() == g.top()]
        assert any(r.right() < g.left() for r in row) and any(r.left() > g.right() for r in row)


def test_a_wide_bar_is_one_row(bar) -> None:
    holder, toolbar, _ = bar
    _lay_out(holder, toolbar.sizeHint().width() + 10)
    tops = {b.geometry().top() for b in _buttons(toolbar)}
    assert len(tops) == 1
    assert toolbar.height() == max(b.height() for b in _buttons(toolbar))


def test_a_narrow_bar_wraps_and_keeps_every_button(bar) -> None:
    holder, toolbar, _ = bar
    one_row = toolbar.sizeHint().width()
    _lay_out(holder, one_row // 2)
    _check_layout(toolbar, one_row // 2)
    assert len({b.geometry().top() for b in _buttons(toolbar)}) >= 2
    assert toolbar.height() > _buttons(toolbar)[0].height()


def test_its_narrowest_is_its_widest_button(bar) -> None:
    _, toolbar, _ = bar
    widest = max(b.minimumSizeHint().width() for b in _buttons(toolbar))
    assert toolbar.minimumSizeHint().width() == widest
    assert toolbar.sizeHint().width() > 3 * widest  # one row would need far more


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.integers(min_value=0, max_value=1600))
def test_at_any_width_the_buttons_fit_without_overlapping(bar, width: int) -> None:
    holder, toolbar, _ = bar
    narrowest = toolbar.minimumSizeHint().width()
    _lay_out(holder, max(width, narrowest))
    _check_layout(toolbar, toolbar.width())
    assert toolbar.height() == toolbar.heightForWidth(toolbar.width())


def test_taller_only_as_it_gets_narrower(bar) -> None:
    _, toolbar, _ = bar
    narrowest = toolbar.minimumSizeHint().width()
    heights = [toolbar.heightForWidth(w) for w in range(narrowest, 1400, 25)]
    assert heights == sorted(heights, reverse=True)
    assert heights[0] > heights[-1]


def test_the_buttons_follow_their_actions(bar) -> None:
    _, toolbar, actions = bar
    flag = actions[WORDS.index("Flag for safeguarding follow-up…")]
    button = toolbar.button_for(flag)
    assert button.text() == "Flag for safeguarding follow-up"  # the action's short words
    assert button.focusPolicy() == Qt.FocusPolicy.NoFocus  # keys reach the actions
    fired: list[bool] = []
    flag.triggered.connect(lambda _c=False: fired.append(True))
    button.click()
    assert fired == [True]
    flag.setEnabled(False)
    assert not button.isEnabled()
    flag.setText("Flag 3 notes for follow-up…")
    assert button.text() == "Flag 3 notes for follow-up"
    flag.setIconText("Flag…")
    assert button.text() == "Flag…"


def test_no_separator_starts_or_ends_a_row_at_any_width(bar) -> None:
    """Every width from the narrowest to one row, 4 px apart: somewhere the separator falls at
    a row's end or start, and it is left out there."""
    holder, toolbar, _ = bar
    line = toolbar.findChildren(QFrame)[0]
    left_out = 0
    for width in range(toolbar.minimumSizeHint().width(), toolbar.sizeHint().width() + 8, 4):
        _lay_out(holder, width)
        _check_layout(toolbar, width)
        left_out += line.geometry().isEmpty()
    assert left_out > 0  # the sweep met such widths
