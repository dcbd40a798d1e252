"""CSV neutralising, property by property (STYLE habit 16): no text cell a spreadsheet would
run as a formula leaves the export as one, and the words themselves are kept."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from workshop_app.export.tabular import FORMULA_STARTS, Column, Table, csv_text, neutralise

FAST = settings(max_examples=200, deadline=None)

# Text that often starts like a formula: any text, or one of the dangerous starts before it.
cells = st.one_of(
    st.text(max_size=30),
    st.tuples(st.sampled_from(FORMULA_STARTS), st.text(max_size=30)).map("".join),
)


@FAST
@given(cells)
def test_no_text_cell_starts_like_a_formula_unless_neutralised(text: str) -> None:
    out = neutralise(text)
    assert isinstance(out, str)
    assert not out.startswith(FORMULA_STARTS)
    if text.startswith(FORMULA_STARTS):
        assert out == "'" + text, "one apostrophe in front, the words kept as they were"
    else:
        assert out == text, "nothing else is touched"


@FAST
@given(cells)
def test_neutralising_twice_changes_nothing_more(text: str) -> None:
    once = neutralise(text)
    assert neutralise(once) == once


@FAST
@given(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False)))
def test_values_that_are_not_text_are_never_changed(value) -> None:
    assert neutralise(value) == value


TABLE = Table("t", "A table for the test.", (Column("a", "text", "A."), Column("b", "text", "B.")))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(cells, cells), max_size=5))
def test_a_csv_file_read_back_has_every_cell_safe_and_every_word_kept(rows) -> None:
    text = csv_text(TABLE, [{"a": a, "b": b} for a, b in rows])
    read = list(csv.reader(io.StringIO(text, newline="")))
    assert read[0] == ["a", "b"]
    assert len(read) == len(rows) + 1
    for (a, b), got in zip(rows, read[1:], strict=True):
        for original, cell in zip((a, b), got, strict=True):
            assert not cell.startswith(FORMULA_STARTS)
            assert cell in (original, "'" + original)
