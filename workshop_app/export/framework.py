"""The standards framework: the project's quality standards as a Word document, laid out
like a national quality standard.

From a `core.report.FrameworkReport` (built by services/reports.py): each statement in a
shaded box with its level, the rationale, quality measures (structure, process, outcome;
numerator, denominator, data source), what it means for each audience, definitions, its
consensus by stakeholder group in every round, how its wording changed, and a
traceability appendix from each statement back to the themes and notes it came from.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from workshop_app.core.model import MeasureType
from workshop_app.core.report import (
    FrameworkReport,
    RoundConsensus,
    StandardReport,
    TracedTheme,
)
from workshop_app.core.shares import ROUNDING_METHOD
from workshop_app.export.docx_common import (
    PRIVACY,
    ReportDocument,
    Span,
    counted,
    long_date,
    percent,
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


def write_framework(report: FrameworkReport, path: Path | str) -> Path:
    """Write `report` as a .docx at `path` (replaced if it exists); returns the path."""
    doc = ReportDocument(
        title=report.project_title,
        subject="Quality standards framework",
        footer=f"{short(report.project_title)} · Quality standards framework",
        keywords="quality standards; co-design; consensus; Common Ground",
        created=report.generated,
    )
    _front(doc, report)
    _about(doc, report)
    _list(doc, report)
    for standard in report.standards:
        _standard(doc, standard, report)
    _traceability(doc, report)
    _methods(doc, report)
    return doc.save(path)


# ---------------------------------------------------------------- front matter


def _front(doc: ReportDocument, r: FrameworkReport) -> None:
    doc.title(r.project_title, "Quality standards framework")
    levels = Counter(s.level for s in r.standards)
    rounds = {c.round_number for s in r.standards for c in s.consensus}
    rows = [
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
    doc.paragraph(
        [
            Span(
                "Every quality statement can be traced back to what children and young people, "
                "parents and carers and practitioners said: Appendix A quotes the themes and "
                "notes each statement came from. Participants took part anonymously; this "
                "document names no one.",
                italic=True,
                muted=True,
            )
        ]
    )
    doc.contents(levels=1)


def _about(doc: ReportDocument, r: FrameworkReport) -> None:
    doc.heading("About this framework", 1, new_page=True)
    doc.paragraph(
        "The quality statements were drafted from the priorities that stakeholder groups set "
        "in co-design workshops, then rated in consensus rounds. Each statement is a clear, "
        "measurable requirement, with quality measures that show whether it is being met and "
        "what it means for each audience."
    )
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


def _list(doc: ReportDocument, r: FrameworkReport) -> None:
    doc.heading("List of quality statements", 1)
    if not r.standards:
        doc.paragraph("The project has no quality statements yet.")
        return
    table = doc.table(
        ("#", "Quality statement", "Level"),
        [(str(s.number), f"{s.title}\n{s.statement}", s.level) for s in r.standards],
        caption="The quality statements",
        widths_mm=(9, 131, 30),
        align=("right", "left", "left"),
    )
    for row in table.rows[1:]:  # the title of each statement in bold, above its wording
        paragraph = row.cells[1].paragraphs[0]
        title, _, statement = paragraph.text.partition("\n")
        for run in list(paragraph.runs):
            run._r.getparent().remove(run._r)
        doc.spans(paragraph, [Span(title, bold=True), Span("\n" + statement)])


# ---------------------------------------------------------------- one statement


def _standard(doc: ReportDocument, s: StandardReport, r: FrameworkReport) -> None:
    doc.heading(f"Quality statement {s.number}: {s.title}", 1, new_page=True)
    doc.statement(s.statement)
    doc.paragraph(
        [
            Span("Level: ", bold=True),
            Span(s.level),
            Span("    Version: ", bold=True),
            Span(str(s.version)),
        ]
    )
    doc.heading("Rationale", 2)
    doc.paragraph(s.rationale or "Not written yet.")
    _measures(doc, s)
    doc.heading("What the quality statement means for different audiences", 2)
    if s.audiences:
        for who, text in s.audiences:
            doc.paragraph([Span(who, bold=True), Span("\n" + text)])
    else:
        doc.paragraph("Not written yet.")
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
    doc.heading("Where this statement came from", 2)
    doc.paragraph(_sources_line(s))


def _measures(doc: ReportDocument, s: StandardReport) -> None:
    doc.heading("Quality measures", 2)
    if not s.measures:
        doc.paragraph("No measures yet.")
        return
    kinds = Counter(m.type for m in s.measures)
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
        _round_table(doc, s, c, r.min_group_raters)


def _round_table(doc: ReportDocument, s: StandardReport, c: RoundConsensus, minimum: int) -> None:
    res = c.result
    when = f", {long_date(c.session_date)}" if c.session_date else ""
    rows = [
        (
            "Everyone",
            str(res.distribution.raters),
            _median(res.median),
            percent(res.distribution.high, res.distribution.raters),
            percent(res.distribution.low, res.distribution.raters),
            res.verdict.label,
        )
    ]
    for g in res.by_group.values():
        if g.group_id is None and not g.distribution.raters:
            continue
        rows.append(
            (
                g.name,
                str(g.distribution.raters),
                _median(g.median),
                percent(g.distribution.high, g.distribution.raters),
                percent(g.distribution.low, g.distribution.raters),
                g.label,
            )
        )
    version = f" (version {res.version} rated)" if s.version != res.version else ""
    doc.table(
        ("Group", "Raters", "Median", "7–9", "1–3", "Verdict"),
        rows,
        caption=f"Round {c.round_number} ({c.session_title}{when}): statement {s.number}"
        f"{version}, by stakeholder group",
        widths_mm=(52, 18, 18, 16, 16, 50),
        align=("left", "right", "right", "right", "right", "left"),
    )
    score = "–" if res.product_score is None else f"{res.product_score:.2f}"
    doc.paragraph(
        [
            Span("In every group: ", bold=True),
            Span(f"{res.group_informed.label} (groups with at least {minimum} raters). "),
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


def _median(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


# ---------------------------------------------------------------- appendices


def _traceability(doc: ReportDocument, r: FrameworkReport) -> None:
    doc.heading("Appendix A: traceability", 1, new_page=True)
    doc.paragraph(
        "For each quality statement, the themes and notes it came from, with the workshop "
        "and the stakeholder groups of their writers. Notes are quoted as written; details "
        "removed in the privacy review show as [removed]."
    )
    if not r.standards:
        doc.paragraph("The project has no quality statements yet.")
    for s in r.standards:
        doc.heading(f"Statement {s.number}: {s.title}", 2)
        if not s.themes and not s.notes:
            doc.paragraph("No themes or notes are linked to this statement yet.")
        for theme in s.themes:
            _traced_theme(doc, theme)
        if s.notes or s.hidden_source_notes:
            doc.heading("Notes linked on their own", 3)
            for n in s.notes:
                where = ", ".join(x for x in (n.note.group, n.session_title) if x)
                doc.paragraph(
                    [Span(n.note.text), Span(f"  ({where})" if where else "", muted=True)],
                    "Quoted Note",
                )
            if s.hidden_source_notes:
                doc.paragraph(
                    f"{counted(s.hidden_source_notes, 'linked note')} hidden by the "
                    "facilitator since: left out."
                )


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
    if t.hidden_notes:
        doc.paragraph(
            f"{counted(t.hidden_notes, 'note')} of this theme hidden by the facilitator: left out."
        )


def _methods(doc: ReportDocument, r: FrameworkReport) -> None:
    doc.heading("Appendix B: methods", 1, new_page=True)
    doc.heading("Consensus rules", 2)
    doc.paragraph(r.consensus_rules)
    doc.paragraph(ROUNDING_METHOD)
    doc.paragraph(
        "Ratings are on a scale of 1 (do not agree) to 9 (agree). Children rate on five "
        "faces, mapped onto the same scale:"
    )
    smiley_table(doc, r.smiley_mapping)
    doc.heading("Consensus in every group", 2)
    doc.paragraph(
        f"A statement has consensus in every group when the verdict is the same in every "
        f"stakeholder group with at least {r.min_group_raters} raters. The agreement product "
        "multiplies, over those groups, (raters scoring 7–9 + 1) / (raters + 2): it is near 1 "
        "only when every group agrees, and one unconvinced group pulls it down."
    )
    doc.heading("About the words in this document", 2)
    doc.paragraph(PRIVACY)
    doc.heading("Dates", 2)
    doc.key_values([("Written", long_date(r.generated))])


__all__ = ["write_framework"]
