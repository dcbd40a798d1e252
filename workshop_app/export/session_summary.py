"""The session summary: one workshop session as a Word report for researchers.

Laid out from a `core.report.SessionReport` (which services/reports.py builds): the
session's details and who took part (counts, never identities), the agenda, each
activity's prompt with its notes theme by theme, vote results as a table and a chart,
ratings with their consensus verdicts overall and by group, and a methods appendix.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from workshop_app.core.cells import count_text, fewer_than, method_text, suppressed
from workshop_app.core.consensus import StatementResult, iqr_text, median_text
from workshop_app.core.model import ActivityKind
from workshop_app.core.report import (
    ActivityReport,
    LeftOut,
    RatingReport,
    SessionReport,
    VoteReport,
)
from workshop_app.core.scales import (
    BANDS,
    DEFAULT_QUESTION,
    SMILEY_ASSUMPTION,
    RatingQuestion,
    words_for,
)
from workshop_app.core.shares import ROUNDING_METHOD, count_and_percent, percent_text
from workshop_app.core.voting import EQUAL_WEIGHT_METHOD, group_totals
from workshop_app.export.charts import CHART_ROWS
from workshop_app.export.docx_common import (
    Align,
    ReportDocument,
    Span,
    anonymity_text,
    clean,
    column_mm,
    counted,
    long_date,
    privacy_text,
    short,
    smiley_table,
    verdict_cell,
)


def write_session_summary(report: SessionReport, path: Path | str) -> Path:
    """Write `report` as a .docx at `path` (replaced if it exists); returns the path."""
    doc = ReportDocument(
        title=report.title,
        subject=f"Session summary: {report.project_title}",
        footer=f"{short(report.title)} · Session summary",
        keywords="co-design workshop; session summary; Common Ground",
        created=report.generated,
    )
    _front(doc, report)
    _who(doc, report)
    _agenda(doc, report)
    doc.heading("Activities", 1, new_page=True)
    if not report.activities:
        doc.paragraph("The session has no activities.")
    for activity in report.activities:
        _activity(doc, activity)
    _methods(doc, report)
    return doc.save(path)


# ---------------------------------------------------------------- front matter


def _front(doc: ReportDocument, r: SessionReport) -> None:
    doc.title(r.title, f"Session summary · {r.project_title}")
    if r.privacy.warning():
        doc.statement(r.privacy.warning())
    rows = [
        ("Date", long_date(r.date) if r.date else "Not set"),
        ("Venue", r.venue or "Not recorded"),
        ("Stakeholder groups", _group_line(r)),
        ("Participants", f"{r.participants} (anonymous)"),
        ("Session plan", r.plan or "Built by hand"),
        ("Notes", _notes_line(r)),
        ("Help requests", f"{r.help_requests} (a count only)"),
        ("Project", r.project_title),
    ]
    if r.locality:
        rows.append(("Locality", r.locality))
    rows.append(("Report written", long_date(r.generated)))
    doc.key_values(rows)
    doc.paragraph([Span(anonymity_text(r.privacy, _left_out(r)), italic=True, muted=True)])
    doc.contents()


def _group_line(r: SessionReport) -> str:
    if not r.groups:
        return "None recorded"
    return "; ".join(f"{g.name} ({g.participants})" for g in r.groups)


def _left_out(r: SessionReport) -> LeftOut:
    return sum((a.left_out for a in r.activities), LeftOut())


def _notes_line(r: SessionReport) -> str:
    shown = sum(a.shown_notes for a in r.activities)
    return "; ".join((f"{shown} in this report", *_left_out(r).parts()))


def _joined_line(r: SessionReport) -> str:
    """How people took part, from what happened: who joined, and how the notes came in."""
    if r.participants:
        joined = (
            f"{counted(r.participants, 'person', 'people')} joined on a phone or tablet "
            "through the session's link, each choosing a stakeholder group or none; the app "
            "never asks for a name and keeps no device or network details. The counts are "
            "of people who joined."
        )
    else:
        joined = "Nobody joined on a phone or tablet."
    ways = []
    if r.phone_notes:
        ways.append(f"{counted(r.phone_notes, 'note')} came from phones or tablets")
    if r.paper_notes:
        ways.append(
            f"{counted(r.paper_notes, 'note')} written on paper "
            f"{'was' if r.paper_notes == 1 else 'were'} typed in by the facilitator, "
            "with the group given on paper"
        )
    return joined + (f" Of the notes, {' and '.join(ways)}." if ways else "")


def _who(doc: ReportDocument, r: SessionReport) -> None:
    doc.heading("Who took part", 1, new_page=True)
    doc.paragraph(_joined_line(r))
    if r.held.held:
        doc.paragraph(r.held.text())
    rows = [(g.name, str(g.participants)) for g in r.groups]
    rows.append(("All participants", str(r.participants)))
    doc.table(
        ("Stakeholder group", "Participants"),
        rows,
        caption="Participants by stakeholder group",
        widths_mm=(120, 50),
        align=("left", "right"),
    )
    doc.heading("Help requests", 2)
    doc.paragraph(
        f"{counted(r.help_requests, 'private request')} for help "
        f"{'was' if r.help_requests == 1 else 'were'} made during the session. Requests are "
        "private between the person and the facilitators: this report gives the number only."
    )


def _agenda(doc: ReportDocument, r: SessionReport) -> None:
    doc.heading("Agenda", 1)
    if not r.agenda:
        doc.paragraph("The session has no activities.")
        return
    doc.table(
        ("#", "Activity", "Kind", "Minutes"),
        [
            (str(a.number), a.title, a.kind_label, str(a.minutes) if a.minutes else "–")
            for a in r.agenda
        ],
        caption="The session's agenda",
        widths_mm=(10, 85, 55, 20),
        align=("right", "left", "left", "right"),
    )


# ---------------------------------------------------------------- activities


def _activity(doc: ReportDocument, a: ActivityReport) -> None:
    doc.heading(f"{a.number}. {a.title}", 2)
    doc.paragraph([Span(a.kind_label, muted=True)])
    if a.prompt:
        doc.labelled("Prompt", a.prompt)
    if a.child_prompt and a.child_prompt != a.prompt:
        doc.labelled("Prompt for children", a.child_prompt)
    if a.kind is ActivityKind.BRAINSTORM:
        _notes(doc, a)
    elif a.kind is ActivityKind.CLUSTER:
        _board(doc, a)
    elif a.kind is ActivityKind.VOTE and a.vote is not None:
        _vote(doc, a.vote)
    elif a.kind is ActivityKind.RATE and a.rating is not None:
        _rating(doc, a.rating)
    elif a.kind is ActivityKind.SURVEY and a.survey is not None:
        people, questions = a.survey
        doc.paragraph(
            f"{counted(people, 'person', 'people')} answered this survey's "
            f"{counted(questions, 'question')}. Its answers, written answers included, are "
            "reported in its own evaluation report (Export: Evaluation survey report)."
        )


def _notes(doc: ReportDocument, a: ActivityReport) -> None:
    shown = a.shown_notes
    summary = f"{counted(shown, 'note')} in this report"
    if a.themes:
        summary += f", in {counted(len(a.themes), 'theme')}"
        if a.unthemed:
            summary += f" ({len(a.unthemed)} not in a theme)"
    if a.left_out.total:
        summary += "; left out: " + a.left_out.text()
    doc.paragraph(summary + ".")
    for theme in a.themes:
        doc.heading(theme.name, 3).add_run(f"  ({counted(len(theme.notes), 'note')})").bold = False
        for note in theme.notes:
            doc.quoted_note(note.text, note.group)
    if a.unthemed:
        heading = "Not in a theme" if a.themes else "Notes"
        doc.heading(heading, 3)
        for note in a.unthemed:
            doc.quoted_note(note.text, note.group)


def _board(doc: ReportDocument, a: ActivityReport) -> None:
    if not a.board_themes:
        doc.paragraph("No themes were made.")
        return
    doc.paragraph(
        "The notes were grouped into these themes; each brainstorm above lists its notes "
        "theme by theme."
    )
    doc.table(
        ("Theme", "Notes"),
        [(name, str(n)) for name, n in a.board_themes],
        caption=f"Themes of “{a.title}”",
        widths_mm=(140, 30),
        align=("left", "right"),
    )


def _vote(doc: ReportDocument, v: VoteReport) -> None:
    rules = f"Each person had {counted(v.budget, 'dot')} to place on the {v.vote_on}"
    rules += "." if v.per_item_cap is None else f", at most {v.per_item_cap} on any one."
    doc.paragraph(rules)
    if not v.ready:
        doc.paragraph(
            "This vote had not closed when the report was written, so its results are not reported."
        )
        return
    doc.paragraph(f"{counted(v.took_part, 'person', 'people')} voted.")
    if not v.rows:
        doc.paragraph("There was nothing to vote on.")
        return
    groups = list(v.groups)
    if groups:
        doc.table(
            ("Stakeholder group", "Voters"),
            [(g.name, count_text(g.voters, v.min_cell)) for g in groups],
            caption=f"Who voted in “{v.title}”, by stakeholder group",
            widths_mm=(120, 50),
            align=("left", "right"),
        )
    totals = group_totals(row.dots_by_group for row in v.rows)
    shown = [g for g in groups if not suppressed(g.voters, v.min_cell)]
    equal = len({g.id for g in groups if g.id is not None and totals.get(g.id)}) > 1
    header = ["#", "Item", "Dots", *(f"{g.name}: dots (share)" for g in groups)]
    if equal:
        header.append("Equal-weight rank")
    group_mm = [max(20.0, column_mm([g.name])) for g in groups]
    extra = 18.0 if equal else 0.0
    item_mm = max(35.0, 170 - 8 - 13 - extra - sum(group_mm))
    widths = [8.0, item_mm, 13.0, *group_mm, *([extra] if equal else [])]
    rows = []
    for row in v.rows:
        text = row.text if row.on_board else f"{row.text} (taken off the vote)"
        cells = [str(row.rank), text, str(row.dots)]
        for g in groups:
            if g in shown:
                dots = row.dots_by_group.get(g.id, 0)
                cells.append(count_and_percent(dots, totals.get(g.id, 0)))
            else:
                cells.append(fewer_than(v.min_cell))
        if equal:
            cells.append("–" if row.equal_rank is None else str(row.equal_rank))
        rows.append(cells)
    doc.table(
        header,
        rows,
        caption=(
            f"Dots for each item in “{v.title}”, overall and by stakeholder group (each "
            "group's share of its own dots in brackets)"
        ),
        widths_mm=widths,
        align=_right_but_item(len(header)),
    )
    if equal:
        doc.paragraph(
            "“#” ranks the items on all the dots together, so larger groups count for more; "
            "the equal-weight rank counts every stakeholder group equally (see Appendix: "
            "methods)."
        )
    if v.chart_png:
        caption = f"“{v.title}”: dots for each item"
        if v.chart_by_group:
            caption += ", by stakeholder group"
        doc.figure(v.chart_png, caption)
        _describe_picture(doc, _chart_alt(v))


def _chart_alt(v: VoteReport) -> str:
    """The chart in words (its alt text): what it shows, item by item, as drawn."""
    split = ", each bar split by stakeholder group" if v.chart_by_group else ""
    items = "; ".join(
        f"{row.rank}. {short(row.text, 80)}: {counted(row.dots, 'dot')}"
        for row in v.rows[:CHART_ROWS]
    )
    more = (
        f" ({len(v.rows) - CHART_ROWS} more items in the table)" if len(v.rows) > CHART_ROWS else ""
    )
    return f"Bar chart of the dots for each item in “{v.title}”{split}, best first: {items}{more}."


def _describe_picture(doc: ReportDocument, alt: str) -> None:
    """Alt text for the picture just added (Word's "Alt Text", docPr/@descr)."""
    doc.doc.inline_shapes[-1]._inline.docPr.set("descr", clean(alt))  # participants' words


def _right_but_item(columns: int) -> list[Align]:
    """Numbers right, the item (second column) left."""
    return ["left" if i == 1 else "right" for i in range(columns)]


def _rating(doc: ReportDocument, r: RatingReport) -> None:
    words = words_for(r.question)
    doc.paragraph(
        (
            f"Round {r.round_number} of the consensus rounds. "
            if r.round_number is not None
            else "A rating in this session (not one of the project's consensus rounds). "
        )
        + f"{counted(r.raters, 'person', 'people')} rated the statements for "
        f"{words.noun} on a scale of {words.range_text}; children answered the same "
        "question on five faces, counted on the same scale by an assumption set out in "
        "Appendix: methods."
    )
    if not r.ready:
        doc.paragraph(
            "This round had not closed when the report was written, so its results are not "
            "reported."
        )
        return
    rated = [s for s in r.statements if s.distribution.raters]
    if not rated:
        doc.paragraph("No statement was rated.")
        return
    header = ("Statement", "n", "Median", "IQR", *(b.label for b in BANDS), "Verdict")
    numbers = [max(11.0, column_mm([h])) for h in header[1:-1]]
    verdict = max(column_mm(["Consensus"], bold=False), column_mm([header[-1]]))
    doc.table(
        header,
        [_overall_row(s) for s in rated],
        caption=(
            "Ratings and consensus overall (n: raters; IQR: interquartile range; 1–3: "
            f"{words.low}; 4–6: {words.middle}; 7–9: {words.high})"
        ),
        widths_mm=(170 - sum(numbers) - verdict, *numbers, verdict),
        align=("left", "right", "right", "right", "right", "right", "right", "left"),
    )
    names = list(r.group_names)
    if names:
        doc.table(
            ("Statement", *names, "Across groups"),
            [_group_row(s, names, r.min_cell) for s in rated],
            caption="Consensus by stakeholder group (raters in brackets)",
            widths_mm=_verdict_widths(names),
        )
    is_round = r.round_number is not None  # only rounds are compared with the one before
    doc.heading(
        "What was rated, and change from the previous round" if is_round else "What was rated",
        3,
    )
    for number, s in enumerate(rated, start=1):
        version = "" if s.version <= 1 else f" (version {s.version})"
        doc.paragraph([Span(f"{number}. {s.title}{version}", bold=True)])
        if s.statement:
            doc.labelled("Wording rated", s.statement)
        if s.child_wording:
            doc.labelled("Children's groups rated", s.child_wording)
        if is_round:
            doc.labelled("Change from the previous round", s.change_text())


def _verdict_widths(names: Sequence[str]) -> list[float]:
    """The statement column takes what the verdict columns leave ("Consensus" unbroken)."""
    verdict = column_mm(["Consensus"], bold=False)
    groups = [max(verdict, column_mm([n])) for n in names]
    every = max(verdict, column_mm(["Across groups"]), 30.0)
    return [max(35.0, 170 - sum(groups) - every), *groups, every]


def _overall_row(s: StatementResult) -> list[str]:
    d = s.distribution
    title = s.title if s.version <= 1 else f"{s.title} (version {s.version})"
    return [
        title,
        str(d.raters),
        median_text(s.median),
        iqr_text(s.quartiles),
        percent_text(d.low, d.raters),
        percent_text(d.middle, d.raters),
        percent_text(d.high, d.raters),
        s.verdict.label,
    ]


def _group_row(s: StatementResult, names: Sequence[str], min_cell: int) -> list[str]:
    by_name = {g.name: g for g in s.by_group.values()}
    cells = [s.title]
    for name in names:
        g = by_name.get(name)
        if g is None:
            cells.append("–")
        elif not g.shown(min_cell):
            cells.append(fewer_than(min_cell))
        else:
            cells.append(verdict_cell(g.label, g.distribution.raters))
    cells.append(s.across_groups(min_cell))
    return cells


# ---------------------------------------------------------------- methods


def _questions(r: SessionReport) -> list[RatingQuestion | None]:
    """What the session's ratings asked, once each (importance when it had none)."""
    asked = [a.rating.question for a in r.activities if a.rating is not None]
    unique = list(dict.fromkeys(q or DEFAULT_QUESTION for q in asked))
    return list(unique) or [DEFAULT_QUESTION]


def _methods(doc: ReportDocument, r: SessionReport) -> None:
    doc.heading("Appendix: methods", 1, new_page=True)
    doc.heading("Dot votes", 2)
    votes = r.votes
    if votes:
        doc.table(
            ("Vote", "On", "Dots per person", "Most on one item"),
            [
                (
                    v.title,
                    v.vote_on,
                    f"{v.budget}{' (automatic)' if v.budget_automatic else ''}",
                    "No limit" if v.per_item_cap is None else str(v.per_item_cap),
                )
                for v in votes
            ],
            caption="The rules of each dot vote",
            widths_mm=(70, 25, 40, 35),
        )
        doc.paragraph(
            "An automatic number of dots follows the number of items on the vote. Items with "
            "equal dots share a rank."
        )
    else:
        doc.paragraph("The session had no dot vote.")
    doc.heading("Consensus rules", 2)
    doc.paragraph(r.consensus_rules)
    doc.paragraph(ROUNDING_METHOD)
    for question in _questions(r):
        doc.paragraph(words_for(question).describe())
    doc.paragraph(
        "The median and the interquartile range (IQR, from the 25th to the 75th percentile) "
        "are computed by linear interpolation between ranked ratings (the method of R's "
        "default, numpy and Excel's QUARTILE.INC). “1–3”, “4–6” and “7–9” are the shares "
        "of raters in each band. Change from the previous round compares a statement with "
        "the last consensus round before this one that rated it."
    )
    doc.paragraph(SMILEY_ASSUMPTION)
    smiley_table(doc, r.smiley_mapping)
    doc.heading("Small groups", 2)
    doc.paragraph(method_text(r.min_cell_size))
    if r.votes:
        doc.paragraph(EQUAL_WEIGHT_METHOD)
    doc.heading("Moderation", 2)
    doc.paragraph(r.moderation)
    if r.protection:
        doc.heading("Data protection", 2)
        doc.paragraph(r.protection)
    doc.heading("Dates", 2)
    doc.key_values(
        [
            ("Session", long_date(r.date) if r.date else "Not set"),
            ("Status when written", r.state),
            ("Report written", long_date(r.generated)),
        ]
    )
    doc.heading("About the words in this report", 2)
    doc.paragraph(privacy_text(r.privacy, _left_out(r)))


__all__ = ["write_session_summary"]
