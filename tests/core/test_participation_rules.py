"""core/participation.py: what a phone's note becomes before anything else reads it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workshop_app.core.errors import DomainError
from workshop_app.core.participation import NOTE_MAX, clean_help_message, clean_note
from workshop_app.core.validate import clean_text


def _one_character_at_a_time(text: str) -> str:
    """The rule as it was first written (kept as the oracle): line breaks made newlines,
    then every control character but newline and tab dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in "\n\t" or (ord(ch) >= 32 and ord(ch) != 127))


_controls = st.sampled_from([chr(c) for c in (*range(32), 127, 128, 0x85, 0x2028)])


@given(st.lists(st.one_of(_controls, st.text(max_size=8)), max_size=40).map("".join))
def test_a_note_is_cleaned_exactly_as_one_character_at_a_time(text: str) -> None:
    try:
        expected: str | None = clean_text(
            _one_character_at_a_time(text), "A note", NOTE_MAX, required=True
        )
    except DomainError:
        expected = None
    if expected is None:
        with pytest.raises(DomainError):
            clean_note(text)
    else:
        assert clean_note(text) == expected


def test_control_characters_go_and_line_breaks_stay() -> None:
    assert clean_note("a\x00b\x07c\r\nd\re\tf\x7fg\x1bh") == "abc\nd\ne\tfgh"
    assert clean_help_message("by the\r\ndoor\x0b") == "by the\ndoor"
