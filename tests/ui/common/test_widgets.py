"""Small shared widgets (ui/common/widgets.py), as the windows use them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QWidget

from workshop_app.ui.common.widgets import (
    LONG_RUN,
    SOFT_BREAK,
    WRAPPED_MIN_WIDTH,
    narrow_combo,
    plain_label,
    soft_breaks,
)

LINK = "https://example.org/" + "a" * 480  # one run no line can break


def test_a_wrapping_label_with_a_long_run_does_not_widen_what_holds_it(qtbot) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    row = QHBoxLayout(holder)
    label = plain_label(LINK)
    row.addWidget(label)
    assert label.text() == LINK  # untouched: copied, it is the link
    assert label.textFormat() is Qt.TextFormat.PlainText
    assert label.minimumSizeHint().width() <= WRAPPED_MIN_WIDTH
    assert holder.minimumSizeHint().width() <= WRAPPED_MIN_WIDTH + 40
    words = plain_label("a few short words")
    assert words.minimumSizeHint().width() < WRAPPED_MIN_WIDTH  # ordinary text: as before


def test_a_label_told_not_to_wrap_still_asks_for_its_whole_line(qtbot) -> None:
    label = plain_label(LINK, wrap=False)
    qtbot.addWidget(label)
    assert label.minimumSizeHint().width() > 1000


def test_a_narrow_drop_down_is_not_as_wide_as_its_longest_entry(qtbot) -> None:
    combo = narrow_combo(20)
    qtbot.addWidget(combo)
    combo.addItem("short")
    combo.addItem(LINK)
    combo.show()
    assert combo.minimumSizeHint().width() < 400


def test_soft_breaks_leave_ordinary_text_alone_and_break_long_runs() -> None:
    sentence = "Parents should know which apps their children use, and how to report"
    assert soft_breaks(sentence) == sentence
    assert soft_breaks("a" * LONG_RUN) == "a" * LONG_RUN
    broken = soft_breaks(LINK + " then words")
    assert broken.replace(SOFT_BREAK, "") == LINK + " then words"
    assert max(len(run) for run in broken.replace(SOFT_BREAK, " ").split()) <= LONG_RUN


@given(st.text(alphabet=st.characters(blacklist_characters=SOFT_BREAK), max_size=600))
def test_soft_breaks_only_add_places_to_break(text: str) -> None:
    broken = soft_breaks(text)
    assert broken.replace(SOFT_BREAK, "") == text
    assert all(len(run) <= LONG_RUN for run in broken.replace(SOFT_BREAK, " ").split())
