"""The results tables of votes and rating rounds: the model's rows and columns, written with
the core's rules (core.shares, core.cells, core.consensus). Every cell is display text only,
never read as markup.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from workshop_app.core.cells import fewer_than, suppressed
from workshop_app.core.consensus import (
    TOO_FEW_RATERS,
    StatementResult,
    iqr_text,
    median_text,
    score_text,
)
from workshop_app.core.scales import BANDS, RatingQuestion, words_for
from workshop_app.core.shares import ROUNDING_NOTE, percent_text
from workshop_app.services.results import RatingSummary, VoteResults

VOTE_COLUMNS = (
    "Each group's column gives its dots on the item and, in brackets, the share of the group's "
    "own dots. The equal-weight rank counts every group equally, however many people it had; "
    "Rank counts all the dots together. " + ROUNDING_NOTE
)


def scale_note(question: RatingQuestion | None) -> str:
    """What a rating asks, in the words phones and documents use (core.scales)."""
    words = words_for(question)
    return (
        f"Statements are rated for {words.noun} from {words.range_text}: 1–3 {words.low}, "
        f"4–6 {words.middle}, 7–9 {words.high}. Children's groups answer the same question "
        "with five faces, counted as 1, 3, 5, 7 and 9."
    )


def fill_vote_table(model: QStandardItemModel, r: VoteResults) -> None:
    """Raw dots and, per group, its dots with its share of its own dots (a group with too
    few voters: "fewer than N"), and the rank when every group counts equally."""
    model.clear()
    equal = any(row.equal_rank is not None for row in r.rows)
    model.setHorizontalHeaderLabels(
        [
            "Rank",
            "Item",
            "Dots",
            "Voters",
            *(f"{g.name}\n{r.voters_text(g.id)} voted" for g in r.groups),
            *(["Equal-weight rank"] if equal else []),
        ]
    )
    for row in r.rows:
        text = row.text if row.on_board else f"{row.text} (no longer on the board)"
        cells = [
            _number(row.rank),
            _text(text),
            _number(row.dots),
            _number(row.voters),
        ]
        for g in r.groups:
            dots = r.group_dots(row, g.id)
            share = r.share(row, g.id)
            cells.append(_text(dots if dots == share else f"{dots} ({share})"))
        if equal:
            cells.append(_text("–" if row.equal_rank is None else str(row.equal_rank)))
        model.appendRow(cells)


def fill_rating_table(
    model: QStandardItemModel,
    s: RatingSummary,
    verdicts: dict[str, StatementResult],
    *,
    by_group: bool,
    min_cell: int = 1,
) -> None:
    model.clear()
    headers = ["Statement", "Ratings", "Median", "IQR", *(b.label for b in BANDS), "Consensus"]
    headers.append("How many gave\n1 … 9")
    if by_group:
        headers.append("Across groups")
        headers += [f"{g.name}\nmedian (ratings)" for g in s.groups]
    model.setHorizontalHeaderLabels(headers)
    for st in s.statements:
        d = st.overall
        bands = d.bands  # core.scales.BANDS, counted by core.consensus
        title = st.title if st.listed else f"{st.title} (no longer listed)"
        judged = verdicts.get(st.standard_id)
        cells = [
            _text(title),
            _number(d.count),
            _text(median_text(d.median)),
            _text(iqr_text(d.quartiles)),
            *(_text(percent_text(n, d.count)) for n in (bands.low, bands.middle, bands.high)),
            _text(judged.verdict.label if judged and d.count else "–"),
            _text(" ".join(str(c) for c in d.counts)),
        ]
        if by_group:
            cells.append(_text(_across_groups(judged, min_cell)))
            for g in s.groups:
                gd = st.by_group.get(g.id)
                verdict = judged.by_group.get(g.id) if judged else None
                if gd is None or not gd.count:
                    cells.append(_text("–"))
                elif suppressed(gd.count, min_cell):
                    cells.append(_text(fewer_than(min_cell)))
                else:
                    words_ = f"\n{verdict.label}" if verdict else ""
                    cells.append(_text(f"{median_text(gd.median)} ({gd.count}){words_}"))
        model.appendRow(cells)


def _across_groups(judged: StatementResult | None, min_cell: int) -> str:
    """The verdict across every group with enough raters, in words that say which way each
    went (core), and the product score."""
    if judged is None or not judged.judged_groups:
        return TOO_FEW_RATERS
    score = (
        f" (score {score_text(judged.product_score)})" if judged.product_score is not None else ""
    )
    return f"{judged.across_groups(min_cell)}{score}"


def _text(value: str) -> QStandardItem:
    item = QStandardItem(value)  # display text only: never interpreted as markup
    item.setEditable(False)
    return item


def _number(value: int) -> QStandardItem:
    item = _text(str(value))
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item
