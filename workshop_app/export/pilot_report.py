"""Pilot reports of the self-assessments (issue 16), as Word documents.

- `write_service_report`: one service's self-assessment: a status table whose cells are
  coloured and also carry a mark and a word (so it reads in black and white), each
  statement's evidence and measures with their values and percentages, the action plan.
- `write_comparison`: across services and areas: a matrix of statements × services,
  charts by statement and by area, and the statements most services find hard to meet
  (core/assessment.py's rule, stated in the document).

Every sentence about what happened is computed from the report data. Snapshots come from
services/pilot.py; this module reads nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import Table

from workshop_app.core.assessment import (
    AssessmentAnswer,
    AssessStatus,
    FrameworkStatement,
    Hardness,
    Service,
    hard_rule_text,
    hardest,
    hardness,
)
from workshop_app.core.shares import ROUNDING_NOTE, count_and_percent, percent_text
from workshop_app.export.docx_common import (
    ReportDocument,
    Span,
    counted,
    long_date,
    short,
    short_date,
)
from workshop_app.export.status_chart import Bar, Category, stacked_bars_png

NOT_SETTLED = "Not settled"
NOT_SETTLED_COLOUR = "FFFFFF"
# Chart colours and hatches per status (Okabe & Ito's palette), and for not settled.
_CHART = {
    AssessStatus.MET: Category(AssessStatus.MET.label, "#009E73", ""),
    AssessStatus.PARTLY_MET: Category(AssessStatus.PARTLY_MET.label, "#E69F00", "//"),
    AssessStatus.NOT_MET: Category(AssessStatus.NOT_MET.label, "#D55E00", "xx"),
    AssessStatus.NOT_APPLICABLE: Category(AssessStatus.NOT_APPLICABLE.label, "#BBBBBB", ".."),
}
_NOT_SETTLED_CATEGORY = Category(NOT_SETTLED, "#FFFFFF", "")


@dataclass(frozen=True, slots=True)
class ServiceRow:
    statement: FrameworkStatement
    settled: AssessmentAnswer | None
    views: tuple[AssessStatus, ...]  # each team member's status, in order given

    @property
    def disagreement(self) -> bool:
        return len(set(self.views)) > 1


@dataclass(frozen=True, slots=True)
class ServiceReport:
    project_title: str
    service: Service
    area: str  # "" when the service has no area
    activity_title: str
    session_title: str
    session_date: date | None
    framework_taken: datetime
    rows: tuple[ServiceRow, ...]
    members: int  # team members who gave a view on their phones
    generated: date
    protection: str = ""  # how the project file is protected and until when it is kept


@dataclass(frozen=True, slots=True)
class Column:
    """One self-assessment in the comparison: a service (it may have several)."""

    activity_id: str
    service: Service
    area: str
    heading: str  # the service's name, with the session when it assessed more than once


@dataclass(frozen=True, slots=True)
class ComparedStatement:
    standard_id: str
    title: str
    versions: tuple[int, ...]  # the versions the services assessed


@dataclass(frozen=True, slots=True)
class ComparisonReport:
    project_title: str
    columns: tuple[Column, ...]
    statements: tuple[ComparedStatement, ...]
    cells: Mapping[tuple[str, str], AssessStatus]  # (standard_id, activity_id): settled
    generated: date
    protection: str = ""  # how the project file is protected and until when it is kept

    def status(self, standard_id: str, activity_id: str) -> AssessStatus | None:
        return self.cells.get((standard_id, activity_id))

    def hardness(self) -> list[Hardness]:
        return [
            hardness(
                s.standard_id,
                s.title,
                (self.status(s.standard_id, c.activity_id) for c in self.columns),
            )
            for s in self.statements
        ]

    @property
    def areas(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.area for c in self.columns))


def status_text(status: AssessStatus | None) -> str:
    """ "✓ Met": a mark and a word, readable without colour."""
    return NOT_SETTLED if status is None else f"{status.symbol} {status.label}"


def key_text() -> str:
    marks = "; ".join(f"{s.symbol} {s.label.lower()}" for s in AssessStatus)
    return (
        f"Key: {marks}; “{NOT_SETTLED.lower()}”: the facilitator has not settled the team's "
        "answer. Colours repeat the marks, so the table reads the same in black and white."
    )


# ---------------------------------------------------------------- one service


def write_service_report(report: ServiceReport, path: Path | str) -> Path:
    s = report.service
    doc = ReportDocument(
        title=f"Self-assessment: {s.name}",
        subject=report.project_title,
        footer=f"{short(s.name, 50)} · self-assessment",
        keywords="self-assessment; quality standards; Common Ground",
        created=report.generated,
    )
    doc.title(f"Self-assessment: {s.name}", _service_line(s, report.area, report.project_title))
    _service_about(doc, report)
    _status_table(doc, report)
    doc.heading("Statements, evidence and measures", 1)
    for row in report.rows:
        _statement(doc, row)
    _action_plan(doc, report)
    _protection(doc, report.protection)
    return doc.save(path)


def _protection(doc: ReportDocument, text: str) -> None:
    if text:
        doc.heading("Data protection", 1)
        doc.paragraph(text)


def _service_line(s: Service, area: str, project: str) -> str:
    return " · ".join(x for x in (s.kind.label, area, project) if x)


def _service_about(doc: ReportDocument, r: ServiceReport) -> None:
    settled = [row for row in r.rows if row.settled is not None]
    disagreed = [row for row in r.rows if row.disagreement]
    when = long_date(r.session_date) if r.session_date else "no date set"
    doc.heading("About this self-assessment", 1)
    doc.key_values(
        [
            ("Service", r.service.name),
            ("Kind of service", r.service.kind.label),
            ("Area", r.area or "No area named"),
            ("Workshop", f"{r.session_title} ({when}): {r.activity_title}"),
            (
                "Framework version",
                f"{counted(len(r.rows), 'statement')} as they stood on "
                f"{long_date(r.framework_taken.date())} ({_versions(r.rows)})",
            ),
            ("Report written", long_date(r.generated)),
        ]
    )
    views = sum(len(row.views) for row in r.rows)
    doc.paragraph(
        f"The facilitator settled the team's answer to {len(settled)} of "
        f"{counted(len(r.rows), 'statement')}. "
        + (
            f"{counted(r.members, 'team member')} gave {counted(views, 'view')} on their "
            f"phones; they differed on {counted(len(disagreed), 'statement')}, which the "
            "facilitator settled with the team. "
            if r.members
            else "The team filled it in together with the facilitator; no views were given "
            "on phones. "
        )
        + "This report shows the settled answers only; team members are not named."
    )


def _versions(rows: Sequence[ServiceRow]) -> str:
    return "; ".join(f"{short(r.statement.title, 40)} v{r.statement.version}" for r in rows)


def _status_table(doc: ReportDocument, r: ServiceReport) -> None:
    doc.heading("Status of each statement", 1)
    counts = {s: 0 for s in AssessStatus}
    for row in r.rows:
        if row.settled is not None:
            counts[row.settled.status] += 1
    settled = sum(counts.values())
    parts = [f"{s.label.lower()} {count_and_percent(counts[s], settled)}" for s in AssessStatus]
    doc.paragraph(
        f"Of the {counted(settled, 'settled answer')}: {', '.join(parts)}. {ROUNDING_NOTE}"
        if settled
        else "No answer has been settled yet."
    )
    table = doc.table(
        ("Statement", "Status", "Evidence", "Actions"),
        [
            (
                row.statement.title,
                status_text(row.settled.status if row.settled else None),
                "Recorded" if row.settled and row.settled.evidence else "None recorded",
                str(len(row.settled.actions)) if row.settled else "0",
            )
            for row in r.rows
        ],
        caption=f"The status of each statement for {r.service.name}",
        widths_mm=(72, 38, 35, 25),
        align=("left", "left", "left", "right"),
    )
    _shade_column(table, 1, [row.settled.status if row.settled else None for row in r.rows])
    doc.paragraph([Span(key_text(), muted=True)])


def _shade_column(table: Table, column: int, statuses: Sequence[AssessStatus | None]) -> None:
    for row, status in zip(table.rows[1:], statuses, strict=True):
        shade(row.cells[column], status)


def shade(cell: object, status: AssessStatus | None) -> None:
    """Fill a table cell with the status's colour (white when not settled)."""
    tc_pr = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), status.colour if status else NOT_SETTLED_COLOUR)
    tc_pr.append(shd)


def _statement(doc: ReportDocument, row: ServiceRow) -> None:
    st = row.statement
    doc.heading(st.title, 2)
    doc.statement(st.statement)
    a = row.settled
    doc.labelled("Status", status_text(a.status if a else None))
    if row.views:
        tally = {s: row.views.count(s) for s in AssessStatus if s in row.views}
        said = ", ".join(f"{n} {s.label.lower()}" for s, n in tally.items())
        doc.labelled("Team members' views", f"{counted(len(row.views), 'view')}: {said}.")
    doc.labelled("Evidence", a.evidence if a and a.evidence else "None recorded.")
    if st.measures:
        values = a.measures if a else ()
        doc.table(
            ("Measure", "Numerator / denominator", "Value", "Period"),
            [
                (
                    m.description,
                    f"{m.numerator or 'not defined'} / {m.denominator or 'not defined'}",
                    _value(values[i].numerator, values[i].denominator)
                    if i < len(values)
                    else "Not given",
                    values[i].period if i < len(values) and values[i].period else "Not given",
                )
                for i, m in enumerate(st.measures)
            ],
            caption=f"Measures of “{short(st.title, 60)}” and the service's values",
            widths_mm=(55, 50, 35, 30),
        )
    if a and a.actions:
        doc.paragraph(
            [
                Span("Actions: ", bold=True),
                Span(f"{counted(len(a.actions), 'action')} in the plan below."),
            ]
        )


def _value(numerator: int | None, denominator: int | None) -> str:
    if numerator is None and denominator is None:
        return "Not given"
    if numerator is None or denominator is None:
        given = "numerator" if numerator is not None else "denominator"
        return f"{numerator if numerator is not None else denominator} (only the {given})"
    return f"{numerator} of {denominator} ({percent_text(numerator, denominator)})"


def _action_plan(doc: ReportDocument, r: ServiceReport) -> None:
    doc.heading("Action plan", 1)
    rows = [
        (row.statement.title, act)
        for row in r.rows
        if row.settled is not None
        for act in row.settled.actions
    ]
    if not rows:
        doc.paragraph("No actions were recorded.")
        return
    rows.sort(key=lambda x: (x[1].by is None, x[1].by or date.max))
    dated = sum(1 for _, act in rows if act.by)
    doc.paragraph(
        f"{counted(len(rows), 'action')} for {counted(len({t for t, _ in rows}), 'statement')}, "
        f"{dated} with a date, soonest first. Who is a role in the service, not a person."
    )
    doc.table(
        ("What", "Who (role)", "By when", "Statement"),
        [
            (act.what, act.who or "Not given", short_date(act.by) if act.by else "No date", title)
            for title, act in rows
        ],
        caption=f"Action plan of {r.service.name}",
        widths_mm=(70, 35, 25, 40),
    )


# ---------------------------------------------------------------- across services


def write_comparison(report: ComparisonReport, path: Path | str) -> Path:
    doc = ReportDocument(
        title="Self-assessment comparison",
        subject=report.project_title,
        footer=f"{short(report.project_title, 50)} · self-assessment comparison",
        keywords="self-assessment; comparison; quality standards; Common Ground",
        created=report.generated,
    )
    doc.title("Self-assessment comparison", report.project_title)
    _comparison_about(doc, report)
    if report.columns:
        _matrix(doc, report)
        _by_statement(doc, report)
        _by_area(doc, report)
        _hard(doc, report)
    _protection(doc, report.protection)
    return doc.save(path)


def _comparison_about(doc: ReportDocument, r: ComparisonReport) -> None:
    doc.heading("About this comparison", 1)
    services = {c.service.id for c in r.columns}
    if not r.columns:
        doc.paragraph("No service has been set up for a self-assessment yet.")
        return
    settled = len(r.cells)
    possible = len(r.columns) * len(r.statements)
    doc.paragraph(
        f"{counted(len(services), 'service')} in {counted(len(r.areas), 'area')} assessed "
        f"{counted(len(r.statements), 'statement')} in "
        f"{counted(len(r.columns), 'self-assessment')}; "
        f"{settled} of {possible} answers are settled. Each cell is the answer the facilitator "
        "settled with the service's team. Written on "
        f"{long_date(r.generated)}."
    )
    mixed = [s for s in r.statements if len(s.versions) > 1]
    if mixed:
        doc.paragraph(
            "Some services assessed different versions of a statement: "
            + "; ".join(
                f"{short(s.title, 50)} (versions {', '.join(map(str, s.versions))})" for s in mixed
            )
            + "."
        )
    doc.table(
        ("Service", "Kind", "Area"),
        [(c.heading, c.service.kind.label, c.area or "No area") for c in r.columns],
        caption="The services compared",
        widths_mm=(80, 40, 50),
    )


def _matrix(doc: ReportDocument, r: ComparisonReport) -> None:
    doc.heading("Statements × services", 1)
    width = max(18.0, (170 - 50) / len(r.columns))
    table = doc.table(
        ("Statement", *(short(c.heading, 30) for c in r.columns)),
        [
            (s.title, *(status_text(r.status(s.standard_id, c.activity_id)) for c in r.columns))
            for s in r.statements
        ],
        caption="Each service's settled answer to each statement",
        widths_mm=(50, *([width] * len(r.columns))),
    )
    for row, s in zip(table.rows[1:], r.statements, strict=True):
        for i, c in enumerate(r.columns, start=1):
            shade(row.cells[i], r.status(s.standard_id, c.activity_id))
    doc.paragraph([Span(key_text(), muted=True)])


def _by_statement(doc: ReportDocument, r: ComparisonReport) -> None:
    doc.heading("By statement", 1)
    bars = []
    for s in r.statements:
        found = [r.status(s.standard_id, c.activity_id) for c in r.columns]
        bars.append(
            Bar(
                s.title,
                (*(float(found.count(st)) for st in AssessStatus), float(found.count(None))),
            )
        )
    png = stacked_bars_png(
        "Services by status, for each statement",
        [*_CHART.values(), _NOT_SETTLED_CATEGORY],
        bars,
        axis_label="Services",
    )
    doc.figure(png, "How many services met each statement (hatching tells the statuses apart)")


def _by_area(doc: ReportDocument, r: ComparisonReport) -> None:
    doc.heading("By area", 1)
    rows, bars = [], []
    for area in r.areas:
        found = [
            st
            for c in r.columns
            if c.area == area
            for s in r.statements
            if (st := r.status(s.standard_id, c.activity_id)) is not None
        ]
        counts = [found.count(st) for st in AssessStatus]
        rows.append(
            (
                area or "No area",
                str(len(found)),
                *(count_and_percent(n, len(found)) for n in counts),
            )
        )
        shares = [100 * n / len(found) if found else 0.0 for n in counts]
        bars.append(Bar(area or "No area", tuple(shares)))
    doc.figure(
        stacked_bars_png(
            "Settled answers by status, for each area",
            list(_CHART.values()),
            bars,
            axis_label="Share of the area's settled answers",
            percent=True,
        ),
        "The share of each area's settled answers in each status",
    )
    doc.table(
        ("Area", "Answers", *(s.label for s in AssessStatus)),
        rows,
        caption="Settled answers by area",
        widths_mm=(40, 22, 27, 27, 27, 27),
        align=("left", "right", "right", "right", "right", "right"),
    )
    doc.paragraph([Span(ROUNDING_NOTE, muted=True)])


def _hard(doc: ReportDocument, r: ComparisonReport) -> None:
    doc.heading("Statements most services find hard to meet", 1)
    doc.paragraph(hard_rule_text())
    rows = r.hardness()
    hard = hardest(rows)
    if not hard:
        doc.paragraph(
            f"None of the {counted(len(rows), 'statement')} meets this rule yet, so no "
            "statement stands out as hard to meet."
        )
    else:
        doc.paragraph(
            f"{counted(len(hard), 'statement')} of {len(rows)} "
            f"{'meets' if len(hard) == 1 else 'meet'} the rule. When the framework is "
            "revised, look there first: at the wording, the measures, or the support "
            "services need to meet them."
        )
        doc.table(
            ("Statement", "Services assessing it", "Partly or not met"),
            [
                (h.title, str(h.assessed), count_and_percent(h.not_fully_met, h.assessed))
                for h in hard
            ],
            caption="Statements most services find hard to meet, hardest first",
            widths_mm=(90, 40, 40),
            align=("left", "right", "right"),
        )
    doc.table(
        ("Statement", "Services assessing it", "Partly or not met", "Hard to meet"),
        [
            (
                h.title,
                str(h.assessed),
                count_and_percent(h.not_fully_met, h.assessed),
                "Yes" if h.hard else "No",
            )
            for h in rows
        ],
        caption="Every statement against the rule",
        widths_mm=(80, 32, 32, 26),
        align=("left", "right", "right", "left"),
    )
