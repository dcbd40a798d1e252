"""The standards framework: the project's quality standards as a Word document, laid out
like a national quality standard.

From a `core.report.FrameworkReport` (built by services/reports.py): a front page with
the framework's status, version, scope and review date; each statement in a shaded box
with its level and consensus status (overall and by group, with the round), the
rationale, quality measures (structure, process, outcome; numerator, denominator, data
source; a missing type named "not yet defined"), what it means for each audience
(commissioners included), definitions, its consensus by stakeholder group in every
round, how its wording changed, its source evidence, equality and diversity
considerations; a traceability appendix from each statement back to the themes and notes
it came from, and, for the agreed framework, an annex of the statements not agreed.

A framework whose statements are not all agreed is titled and watermarked "Draft for
consultation". Every sentence about what happened is computed from the report.
"""

from __future__ import annotations

from collections import Counter
from functools import reduce
from pathlib import Path

from workshop_app.core.cells import count_text, fewer_than, method_text
from workshop_app.core.consensus import median_text, score_text
from workshop_app.core.model import MeasureType
from workshop_app.core.report import (
    FrameworkReport,
    LeftOut,
    RoundConsensus,
    StandardReport,
    TracedTheme,
)
from workshop_app.core.scales import (
    DEFAULT_QUESTION,
    HIGH,
    LOW,
    SMILEY_ASSUMPTION,
    words_for,
)
from workshop_app.core.shares import ROUNDING_METHOD, percent_text
from workshop_app.export.docx_common import (
    ReportDocument,
    Span,
    anonymity_text,
    counted,
    left_out_text,
    long_date,
    privacy_text,
    quoting_text,
    short,
    short_date,
    smiley_table,
)

LEVELS = (
    ("Expected", "what every service working with children and families should do now."),
    (
        "Developmental",
        "what services should work towards; it may need new resources or ways of working.",
    ),
)
MEASURE_NAMES = {
    MeasureType.STRUCTURE: "Structure",
    MeasureType.PROCESS: "Process",
    MeasureType.OUTCOME: "Outcome",
}


def subtitle(report: FrameworkReport) -> str:
    """ "Quality standards framework: draft for consultation" unless every statement set
    out is agreed."""
    if report.all_agreed:
        kind = "Agreed quality standards" if report.agreed_only else "Quality standards"
        return f"{kind} framework"
    return "Quality standards framework: draft for consultation"


def write_framework(report: FrameworkReport, path: Path | str) -> Path:
    """Write `report` as a .docx at `path` (replaced if it exists); returns the path."""
    draft = not report.all_agreed
    doc = ReportDocument(
        title=report.project_title,
        subject=subtitle(report),
        footer=f"{short(report.project_title, 50)} · {report.status}",
        keywords="quality standards; co-design; consensus; Common Ground",
        created=report.generated,
        watermark="Draft for consultation" if draft else "",
    )
    _front(doc, report)
    _about(doc, report)
    _list(doc, report)
    for standard in report.standards:
        _standard(doc, standard, report)
    _traceability(doc, report)
    if report.agreed_only:
        _annex(doc, report)
    _methods(doc, report)
    return doc.save(path)


def left_out(r: FrameworkReport) -> LeftOut:
    """Every source note the statements set out left out (counted, never quoted)."""
    parts = [t.left_out for s in r.standards for t in s.themes]
    parts += [s.left_out_notes for s in r.standards]
    return reduce(lambda a, b: a + b, parts, LeftOut())


# ---------------------------------------------------------------- front matter


def _front(doc: ReportDocument, r: FrameworkReport) -> None:
    doc.title(r.project_title, subtitle(r))
    if not r.all_agreed:
        doc.statement(_draft_line(r))
    warning = r.privacy.warning()
    if warning:
        doc.statement(warning)
    levels = Counter(s.level for s in r.standards)
    rounds = r.rounds
    rows = [
        ("Status", _status_line(r)),
        ("Version", _version_line(r)),
        ("Scope", _scope_line(r)),
        ("Review date", _review_line(r)),
        ("For", _audience_line(r)),
        (
            "Quality statements",
            f"{len(r.standards)}"
            + (
                " ("
                + ", ".join(f"{n} {level.lower()}" for level, n in sorted(levels.items()))
                + ")"
                if levels
                else ""
            ),
        ),
        ("Workshops", f"{len(r.sessions)} held"),
        ("Consensus rounds", str(len(rounds)) if rounds else "None closed yet"),
    ]
    if r.locality:
        rows.append(("Locality", r.locality))
    rows.append(("Written", long_date(r.generated)))
    doc.key_values(rows)
    _status_table(doc, r)
    traced = _traced_line(r)
    doc.paragraph(
        [
            Span(
                traced + anonymity_text(r.privacy, left_out(r), "this document"),
                italic=True,
                muted=True,
            )
        ]
    )
    doc.contents(levels=1)


def _traced_line(r: FrameworkReport) -> str:
    """How many statements lead back to participants' words, and whose."""
    linked = [s for s in r.standards if s.themes or s.notes]
    groups = sorted({g for s in linked for g in s.groups}, key=_group_order(r))
    if not linked:
        return "No quality statement set out here is linked to participants' notes yet. "
    which = (
        "Every quality statement set out here"
        if len(linked) == len(r.standards)
        else f"{len(linked)} of the {len(r.standards)} quality statements set out here"
    )
    whose = f"what {_and(groups)} said" if groups else "participants' notes"
    return f"{which} can be traced back to {whose}: Appendix A quotes the themes and notes. "


def _group_order(r: FrameworkReport):  # type: ignore[no-untyped-def]
    order = {name: n for n, name in enumerate(r.group_names)}
    return lambda name: (order.get(name, len(order)), name)


def _and(names: list[str] | tuple[str, ...]) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _draft_line(r: FrameworkReport) -> str:
    every = r.every_statement
    agreed = sum(1 for s in every if s.status.agreed)
    if not every:
        return "Draft for consultation: the project has no quality statements yet."
    rule = "reached consensus in, overall, in the latest consensus round that rated them"
    return (
        f"Draft for consultation: {agreed} of {counted(len(every), 'quality statement')} "
        f"{'has' if agreed == 1 else 'have'} been agreed ({rule}). The others are not "
        "agreed standards: their status is given beside each one."
    )


def _status_line(r: FrameworkReport) -> str:
    every = r.every_statement
    agreed = sum(1 for s in every if s.status.agreed)
    line = f"{r.status}: {agreed} of {len(every)} statements agreed"
    if r.agreed_only:
        line += f"; this document sets out the {len(r.standards)} agreed"
        if r.annex:
            line += f" and lists the other {len(r.annex)} in the annex"
    return line


def _version_line(r: FrameworkReport) -> str:
    versions = sorted({s.version for s in r.every_statement})
    wording = ""
    if versions:
        span = str(versions[0]) if len(versions) == 1 else f"{versions[0]}–{versions[-1]}"
        wording = f"; statement wordings at version {span}"
    if not r.rounds:
        return f"Before any consensus round{wording}"
    return f"After consensus round {r.rounds[-1]}{wording}"


def _scope_line(r: FrameworkReport) -> str:
    every = r.every_statement
    dates = sorted(s.date for s in r.sessions if s.date)
    held = counted(len(r.sessions), "workshop")
    if dates:
        first, last = short_date(dates[0]), short_date(dates[-1])
        held += f" ({first} to {last})" if first != last else f" ({first})"
    where = f" in {r.locality}" if r.locality else ""
    groups = _and(list(r.group_names)) or "no stakeholder group yet"
    return (
        f"{counted(len(every), 'quality statement')} for services{where}, developed with "
        f"{groups} in {held}"
    )


def _review_line(r: FrameworkReport) -> str:
    if r.review_date is None:
        return "Not set"
    return f"{long_date(r.review_date)} ({r.review_basis})"


def _audience_line(r: FrameworkReport) -> str:
    written = {who for s in r.every_statement for who, _text in s.audiences}
    named = [who for who in r.audience_names if who in written]
    missing = [who for who in r.audience_names if who not in written]
    line = _and(named) if named else "No audience written for yet"
    if missing:
        line += f" (not yet written for: {_and(missing)})"
    return line


def _status_table(doc: ReportDocument, r: FrameworkReport) -> None:
    every = r.every_statement
    if not every:
        return
    doc.table(
        ("#", "Quality statement", "Status", "By stakeholder group"),
        [
            (
                str(s.number),
                s.title,
                _status_cell(s),
                s.status.groups_line() or "–",
            )
            for s in every
        ],
        caption="The status of each quality statement (the latest consensus round that rated it)",
        widths_mm=(8, 52, 50, 60),
        align=("right", "left", "left", "left"),
    )


def _status_cell(s: StandardReport) -> str:
    """ "Agreed: consensus in overall, round 2"; "Not yet rated"."""
    st = s.status
    if st.round_number is None:
        return st.label
    rated = f"round {st.round_number}"
    if st.version_rated != s.version:
        rated += f" (version {st.version_rated})"
    return f"{st.label}: {st.verdict} overall, {rated}"


def _about(doc: ReportDocument, r: FrameworkReport) -> None:
    doc.heading("About this framework", 1, new_page=True)
    doc.paragraph(_history_line(r))
    doc.heading("How it was developed", 2)
    if r.sessions:
        doc.table(
            ("Date", "Workshop", "Participants"),
            [
                (
                    short_date(s.date) if s.date else "–",
                    s.title,
                    "; ".join(f"{g.name} ({g.participants})" for g in s.groups) or "–",
                )
                for s in r.sessions
            ],
            caption="Workshops held, with participants by stakeholder group",
            widths_mm=(27, 75, 68),
        )
    else:
        doc.paragraph("No workshop has been held yet.")
    _equality(doc, r)
    doc.heading("Levels of the statements", 2)
    for level, meaning in LEVELS:
        doc.paragraph([Span(f"{level}: ", bold=True), Span(meaning)])
    doc.heading("Consensus", 2)
    doc.paragraph(r.consensus_rules)
    doc.paragraph(
        "Results are reported overall and for every stakeholder group, so that a statement "
        "supported by adults but not by children and young people is visible as such. "
        "Appendix B describes the method."
    )
    doc.paragraph(
        "A statement is agreed when the latest closed consensus round that rated it rated "
        "its current wording and reached consensus in, overall. A framework with any "
        "statement not agreed is a draft for consultation."
    )


def _history_line(r: FrameworkReport) -> str:
    """How the statements came to be, in counts of what happened."""
    every = r.every_statement
    if not every:
        return "The project has no quality statements yet."
    line = (
        f"The {counted(len(every), 'quality statement')} {'was' if len(every) == 1 else 'were'} "
        f"drafted from what stakeholder groups said in {counted(len(r.sessions), 'workshop')}"
    )
    rounds = r.rounds
    if rounds:
        line += f", then rated in {counted(len(rounds), 'consensus round')}."
    else:
        line += "; none has been rated in a closed consensus round yet."
    complete = sum(1 for s in every if {m.type for m in s.measures} == set(MeasureType))
    line += (
        f" {complete} of {len(every)} {'has' if complete == 1 else 'have'} a structure, a "
        "process and an outcome measure; each statement names any type not yet defined."
    )
    return line


def _equality(doc: ReportDocument, r: FrameworkReport) -> None:
    """Who took part and who did not, and where groups differed: from the report."""
    doc.heading("Equality and diversity considerations", 2)
    took_part: dict[str, int] = {}
    for line in r.sessions:
        for g in line.groups:
            took_part[g.name] = took_part.get(g.name, 0) + g.participants
    absent = [g for g in r.group_names if not took_part.get(g)]
    if took_part:
        doc.paragraph(
            "Taking part across the workshops (people may have joined more than one): "
            + "; ".join(f"{name} {n}" for name, n in took_part.items())
            + "."
        )
    else:
        doc.paragraph("No workshop has been held yet, so no group has taken part.")
    if absent:
        doc.paragraph(
            f"No one from {_and(absent)} took part in a workshop held so far: the framework "
            "does not yet reflect their views."
        )
    differ = [s for s in r.every_statement if _groups_differ(s)]
    if differ:
        numbers = ", ".join(str(s.number) for s in differ)
        doc.paragraph(
            f"Stakeholder groups reached different verdicts on "
            f"{counted(len(differ), 'statement')} ({numbers}). Each group's verdicts, in the "
            "latest round that rated each statement:"
        )
        for name in _rated_groups(r):
            doc.bullet([Span(f"{name}: ", bold=True), Span(_group_verdicts(r, name))])
    elif any(s.status.round_number is not None for s in r.every_statement):
        doc.paragraph("No stakeholder group's verdict differed from another's on any statement.")
    if r.min_cell > 1:
        doc.paragraph(
            f"Figures for a group of {fewer_than(r.min_cell)} raters are not shown, so that "
            "nobody in a small group can be identified; such groups still count overall."
        )


def _rated_groups(r: FrameworkReport) -> list[str]:
    names = {name for s in r.every_statement for name, _label in s.status.by_group}
    return sorted(names, key=_group_order(r))


def _group_verdicts(r: FrameworkReport, name: str) -> str:
    """ "consensus in on statements 1, 2 and 3; no consensus on 4" for one group."""
    by_label: dict[str, list[str]] = {}
    for s in r.every_statement:
        for group, label in s.status.by_group:
            if group == name:
                by_label.setdefault(label, []).append(str(s.number))
    parts = []
    for label, numbers in by_label.items():
        which = "statement" if len(numbers) == 1 else "statements"
        parts.append(f"{label.lower()} on {which} {_and(numbers)}")
    return "; ".join(parts) + "."


def _groups_differ(s: StandardReport) -> bool:
    verdicts = {label for _name, label in s.status.by_group if label in _VERDICTS}
    return len(verdicts) > 1


_VERDICTS = frozenset({"Consensus in", "Consensus out", "No consensus"})


def _list(doc: ReportDocument, r: FrameworkReport) -> None:
    doc.heading("List of quality statements", 1)
    if not r.standards:
        doc.paragraph("The project has no quality statements yet.")
        return
    table = doc.table(
        ("#", "Quality statement", "Level", "Status"),
        [
            (str(s.number), f"{s.title}\n{s.statement}", s.level, _status_cell(s))
            for s in r.standards
        ],
        caption="The quality statements, with their consensus status",
        widths_mm=(9, 101, 25, 35),
        align=("right", "left", "left", "left"),
    )
    for row in table.rows[1:]:  # the title of each statement in bold, above its wording
        paragraph = row.cells[1].paragraphs[0]
        title, _, statement = paragraph.text.partition("\n")
        for run in list(paragraph.runs):
            run._r.getparent().remove(run._r)
        doc.spans(paragraph, [Span(title, bold=True), Span("\n" + statement)])


# ---------------------------------------------------------------- one statement


def _standard(doc: ReportDocument, s: StandardReport, r: FrameworkReport) -> None:
    doc.heading(f"Quality statement {s.number}: {s.title} ({s.status.label})", 1, new_page=True)
    doc.statement(s.statement)
    doc.paragraph(
        [
            Span("Level: ", bold=True),
            Span(s.level),
            Span("    Version: ", bold=True),
            Span(str(s.version)),
        ]
    )
    doc.paragraph([Span("Status: ", bold=True), Span(s.status.line())])
    if s.status.by_group:
        doc.paragraph(
            [
                Span(f"By stakeholder group (round {s.status.round_number}): ", bold=True),
                Span(s.status.groups_line()),
            ]
        )
    doc.heading("Rationale", 2)
    doc.paragraph(s.rationale or "Not written yet.")
    _measures(doc, s)
    doc.heading("What the quality statement means for different audiences", 2)
    for who, text in s.audiences:
        doc.paragraph([Span(who, bold=True), Span("\n" + text)])
    written = {who for who, _text in s.audiences}
    missing = [who for who in r.audience_names if who not in written]
    if not s.audiences:
        doc.paragraph("Not written yet for any audience.")
    elif missing:
        doc.paragraph(f"Not yet written for: {_and(missing)}.")
    if s.definitions:
        doc.heading("Definitions of terms used in this quality statement", 2)
        for term, meaning in s.definitions:
            doc.paragraph([Span(term, bold=True), Span("\n" + meaning)])
    _consensus(doc, s, r)
    if len(s.versions) > 1:
        doc.heading("How the statement changed", 2)
        doc.table(
            ("Version", "Date", "Wording"),
            [(str(v.version), long_date(v.date), v.statement) for v in s.versions],
            caption=f"Versions of quality statement {s.number}",
            widths_mm=(18, 42, 110),
            align=("right", "left", "left"),
        )
    doc.heading("Source guidance and evidence", 2)
    doc.paragraph(_sources_line(s))
    if s.session_dates:
        doc.table(
            ("Workshop", "Date"),
            [(title, long_date(day) if day else "Not set") for title, day in s.session_dates],
            caption=f"The workshops quality statement {s.number} came from",
            widths_mm=(115, 55),
        )
    if s.references:
        doc.paragraph([Span("External references", bold=True)])
        for ref in s.references:
            doc.bullet(ref)
    else:
        doc.paragraph("No external guidance or evidence is referenced for this statement yet.")
    _statement_equality(doc, s, r)


def _statement_equality(doc: ReportDocument, s: StandardReport, r: FrameworkReport) -> None:
    doc.heading("Equality and diversity considerations", 2)
    heard = [g for g in r.group_names if g in s.groups]
    unheard = [g for g in r.group_names if g not in s.groups]
    if heard:
        line = f"Its sources hold notes from {_and(heard)}"
        line += f"; none from {_and(unheard)}." if unheard else " (every stakeholder group)."
    else:
        line = "No participant's note is linked to it yet."
    doc.paragraph(line)
    if s.status.round_number is None:
        doc.paragraph("No stakeholder group has rated it in a closed consensus round yet.")
    elif _groups_differ(s):
        doc.paragraph(
            f"Stakeholder groups differed in round {s.status.round_number}: "
            f"{s.status.groups_line()}."
        )
    else:
        doc.paragraph(f"{s.status.across_groups} (round {s.status.round_number}).")


def _measures(doc: ReportDocument, s: StandardReport) -> None:
    doc.heading("Quality measures", 2)
    kinds = Counter(m.type for m in s.measures)
    missing = [MEASURE_NAMES[t].lower() for t in MeasureType if not kinds[t]]
    if missing:
        doc.paragraph(f"Not yet defined: {_and(missing)} measure{'s' if len(missing) > 1 else ''}.")
    seen: Counter[MeasureType] = Counter()
    for m in sorted(s.measures, key=lambda m: list(MeasureType).index(m.type)):
        seen[m.type] += 1
        name = MEASURE_NAMES[m.type]
        if kinds[m.type] > 1:
            name += f" ({'abcdefghijklmnopqrstuvwxyz'[(seen[m.type] - 1) % 26]})"
        doc.heading(name, 3)
        doc.paragraph(m.description)
        rows = [
            (label, value)
            for label, value in (
                ("Numerator", m.numerator),
                ("Denominator", m.denominator),
                ("Data source", m.data_source),
            )
            if value
        ]
        if rows:
            doc.key_values(rows)


def _consensus(doc: ReportDocument, s: StandardReport, r: FrameworkReport) -> None:
    doc.heading("Consensus", 2)
    if not s.consensus:
        doc.paragraph("Not yet rated in a closed consensus round.")
        return
    for c in s.consensus:
        _round_table(doc, s, c, r.min_group_raters, r.min_cell)


def _round_table(
    doc: ReportDocument, s: StandardReport, c: RoundConsensus, minimum: int, min_cell: int
) -> None:
    res = c.result
    when = f", {long_date(c.session_date)}" if c.session_date else ""
    rows = [
        (
            "Everyone",
            str(res.distribution.raters),
            median_text(res.median),
            percent_text(res.distribution.high, res.distribution.raters),
            percent_text(res.distribution.low, res.distribution.raters),
            res.verdict.label,
        )
    ]
    for g in res.by_group.values():
        if g.group_id is None and not g.distribution.raters:
            continue
        if not g.shown(min_cell):  # small-cell suppression (core.cells)
            rows.append((g.name, count_text(g.distribution.raters, min_cell), "–", "–", "–", "–"))
            continue
        rows.append(
            (
                g.name,
                str(g.distribution.raters),
                median_text(g.median),
                percent_text(g.distribution.high, g.distribution.raters),
                percent_text(g.distribution.low, g.distribution.raters),
                g.label,
            )
        )
    version = f" (version {res.version} rated)" if s.version != res.version else ""
    doc.table(
        ("Group", "Raters", "Median", HIGH.label, LOW.label, "Verdict"),
        rows,
        caption=f"Round {c.round_number} ({c.session_title}{when}): statement {s.number}"
        f"{version}, by stakeholder group",
        widths_mm=(52, 18, 18, 16, 16, 50),
        align=("left", "right", "right", "right", "right", "left"),
    )
    score = score_text(res.product_score)
    doc.paragraph(
        [
            Span("Across groups: ", bold=True),
            Span(f"{res.across_groups(min_cell)} (groups with at least {minimum} raters). "),
            Span("Agreement product: ", bold=True),
            Span(f"{score}."),
        ]
    )


def _sources_line(s: StandardReport) -> str:
    if not s.themes and not s.notes:
        return "No themes or notes are linked to this statement yet."
    parts = []
    if s.themes:
        parts.append(counted(len(s.themes), "theme"))
    if s.notes:
        parts.append(counted(len(s.notes), "note") + " linked on its own")
    text = f"Drawn from {' and '.join(parts)}"
    if s.sessions:
        text += f", from {counted(len(s.sessions), 'workshop')}: {'; '.join(s.sessions)}"
    if s.groups:
        text += f". Stakeholder groups: {', '.join(s.groups)}"
    return text + f". Appendix A quotes them (statement {s.number})."


# ---------------------------------------------------------------- appendices


def _traceability(doc: ReportDocument, r: FrameworkReport) -> None:
    doc.heading("Appendix A: traceability", 1, new_page=True)
    doc.paragraph(
        "For each quality statement, the themes and notes it came from, with the workshop "
        "and the stakeholder groups of their writers. Only notes shown on the wall are "
        "quoted; notes hidden, never approved or taken back are counted. "
        + quoting_text(r.privacy, left_out(r), "this appendix")
    )
    if not r.standards:
        doc.paragraph("The project has no quality statements yet.")
    for s in r.standards:
        doc.heading(f"Statement {s.number}: {s.title}", 2)
        if not s.themes and not s.notes:
            doc.paragraph("No themes or notes are linked to this statement yet.")
        for theme in s.themes:
            _traced_theme(doc, theme)
        if s.notes or s.left_out_notes.total:
            doc.heading("Notes linked on their own", 3)
            for n in s.notes:
                where = ", ".join(x for x in (n.note.group, n.session_title) if x)
                doc.paragraph(
                    [Span(n.note.text), Span(f"  ({where})" if where else "", muted=True)],
                    "Quoted Note",
                )
            if s.left_out_notes.total:
                doc.paragraph(left_out_text(s.left_out_notes, "the notes linked on their own"))


def _traced_theme(doc: ReportDocument, t: TracedTheme) -> None:
    doc.heading(f"Theme: {t.name}", 3)
    where = t.session_title + (f", {long_date(t.session_date)}" if t.session_date else "")
    detail = [where]
    if t.groups:
        detail.append(", ".join(t.groups))
    if not t.on_board:
        detail.append("since taken off its board")
    doc.paragraph([Span(" · ".join(detail), muted=True)])
    for note in t.notes:
        doc.quoted_note(note.text, note.group)
    if not t.notes:
        doc.paragraph("No notes are quoted from this theme.")
    if t.left_out.total:
        doc.paragraph(left_out_text(t.left_out, "this theme"))


def _annex(doc: ReportDocument, r: FrameworkReport) -> None:
    doc.heading("Annex: statements not agreed", 1, new_page=True)
    if not r.annex:
        doc.paragraph("Every quality statement of the project is agreed.")
        return
    doc.paragraph(
        f"This agreed framework sets out only the statements that met the consensus rule. "
        f"These {counted(len(r.annex), 'statement')} did not (or not on their current "
        "wording) and are not part of it; each keeps its number in the full framework."
    )
    doc.table(
        ("#", "Quality statement", "Status", "By stakeholder group"),
        [
            (
                str(s.number),
                f"{s.title}\n{s.statement}",
                _status_cell(s),
                s.status.groups_line() or "–",
            )
            for s in r.annex
        ],
        caption="Quality statements not agreed",
        widths_mm=(8, 72, 45, 45),
        align=("right", "left", "left", "left"),
    )


def _methods(doc: ReportDocument, r: FrameworkReport) -> None:
    doc.heading("Appendix B: methods", 1, new_page=True)
    doc.heading("Consensus rules", 2)
    doc.paragraph(r.consensus_rules)
    doc.paragraph(ROUNDING_METHOD)
    for question in r.questions or (DEFAULT_QUESTION,):
        doc.paragraph(words_for(question).describe())
    doc.paragraph(SMILEY_ASSUMPTION)
    smiley_table(doc, r.smiley_mapping)
    doc.paragraph(method_text(r.min_cell))
    doc.heading("Consensus in every group", 2)
    doc.paragraph(
        f"A statement has consensus in every group when the verdict is the same in every "
        f"stakeholder group with at least {r.min_group_raters} raters. The agreement product "
        "multiplies, over those groups, (raters scoring 7–9 + 1) / (raters + 2): it is near 1 "
        "only when every group agrees, and one unconvinced group pulls it down."
    )
    doc.heading("About the words in this document", 2)
    doc.paragraph(privacy_text(r.privacy, left_out(r), "this document"))
    if r.protection:
        doc.heading("Data protection", 2)
        doc.paragraph(r.protection)
    doc.heading("Dates", 2)
    doc.key_values([("Written", long_date(r.generated))])


__all__ = ["write_framework"]
