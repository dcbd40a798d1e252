"""The evaluation survey in Word: the evaluation report for researchers, and the one-page
"you said, we did" summary to show back to the young people.

Laid out from a `core.survey.SurveyReport` (services/survey_reports.py builds it). Every
sentence about the answers is computed from the counts (core/survey.py `main_finding`,
core/shares.py for percentages, core/cells.py for small groups); written answers are
quoted only when shown on the wall, in the privacy review's words; "we did" is what the
facilitator or researchers wrote in the console, never made up.
"""

from __future__ import annotations

from pathlib import Path

from docx.shared import Pt
from docx.text.paragraph import Paragraph

from workshop_app.core.cells import fewer_than, method_text
from workshop_app.core.shares import ROUNDING_METHOD, ROUNDING_NOTE, count_and_percent
from workshop_app.core.survey import QuestionKind, QuestionResult, SurveyReport
from workshop_app.export.charts import answers_chart_png
from workshop_app.export.docx_common import (
    Align,
    ReportDocument,
    Span,
    anonymity_text,
    column_mm,
    counted,
    long_date,
    privacy_text,
    short,
)

RIGHT: Align = "right"
CHART_DPI = 100
CHART_WIDTH_PX = 1000
CHART_ROW_PX = 60
NOT_WRITTEN = "We have not written down yet what we did about this."
KIND_WORDS = {
    QuestionKind.SMILEY: "five faces, from “Really unhappy” to “Really happy”",
    QuestionKind.AGREE: "five points, from “Strongly disagree” to “Strongly agree” (children "
    "read the same five points in their own words)",
    QuestionKind.YES_NO: "yes or no",
    QuestionKind.CHOICE: "one answer from a list the panel wrote",
    QuestionKind.TEXT: "a short answer in the person's own words",
}


# ---------------------------------------------------------------- the evaluation report


def write_survey_report(report: SurveyReport, path: Path | str) -> Path:
    """Write the evaluation report as a .docx at `path`; returns the path."""
    r = report.results
    title = f"Evaluation: {r.activity.title}"
    doc = ReportDocument(
        title=title,
        subject=f"Evaluation survey: {report.project_title}",
        footer=f"{short(title)} · Evaluation report",
        keywords="evaluation; survey; young people; Common Ground",
        created=report.generated,
        watermark="" if r.final else "Survey still open",
    )
    when = long_date(report.session_date) if report.session_date else "no date set"
    doc.title(title, f"{report.session_title} · {report.project_title}")
    doc.key_values(
        [
            ("Session", report.session_title),
            ("Date", when),
            ("Survey", r.activity.title),
            ("People who answered", str(r.respondents)),
            ("Questions", str(len(r.questions))),
            (
                "Status",
                "Closed: nobody can change an answer now."
                if r.final
                else "Still open: people can still change their answers, so these results "
                "may change.",
            ),
            ("Written", long_date(report.generated)),
        ]
    )
    doc.paragraph(anonymity_text(report.privacy, report.left_out))
    doc.contents()
    doc.heading("Main findings", 1, new_page=True)
    if not r.questions:
        doc.paragraph("This survey has no questions.")
    for q in r.questions:
        doc.bullet([Span(f"Question {q.number}. ", bold=True), Span(q.finding)])
    doc.heading("Question by question", 1, new_page=True)
    for q in r.questions:
        _question(doc, q, r.min_cell)
    _methods(doc, report)
    return doc.save(path)


def _question(doc: ReportDocument, q: QuestionResult, min_cell: int) -> None:
    doc.heading(f"Question {q.number}: {short(q.question.text, 90)}", 2)
    doc.statement(q.question.text)
    if q.question.child_text:
        doc.labelled("Children read", q.question.child_text)
    doc.labelled("Answered with", KIND_WORDS[q.question.kind])
    needed = "yes" if q.question.required else "no (people could skip it)"
    doc.labelled("Needed an answer", needed)
    doc.labelled("Main finding (in young people's words)", q.finding)
    if q.tally is not None:
        _closed(doc, q, min_cell)
    else:
        _written(doc, q)
    doc.labelled("What we did", q.question.we_did or NOT_WRITTEN)


def _closed(doc: ReportDocument, q: QuestionResult, min_cell: int) -> None:
    assert q.tally is not None
    counts = q.tally.counts
    height = max(220, CHART_ROW_PX * len(counts) + 120)
    png = answers_chart_png(
        "", q.choices, counts, width_px=CHART_WIDTH_PX, height_px=height, dpi=CHART_DPI
    )
    doc.figure(
        png,
        f"Question {q.number}: how many people chose each answer ({q.tally.answered} answered)",
    )
    total = q.tally.answered
    rows = [
        (answer, count_and_percent(n, total)) for answer, n in zip(q.choices, counts, strict=True)
    ]
    rows.append(("Answered", str(total)))
    doc.table(
        ("Answer", "People (share)"),
        rows,
        caption=f"Question {q.number}: the answers",
        widths_mm=(110, 60),
        align=("left", "right"),
    )
    doc.paragraph([Span(ROUNDING_NOTE, muted=True)])
    if len(q.groups) > 1 or any(g.withheld for g in q.groups):
        header = ("Group", "Answered", *q.choices)
        group_rows = []
        for g in q.groups:
            if g.withheld:
                group_rows.append((g.name, fewer_than(min_cell), *("–" for _ in q.choices)))
            else:
                group_rows.append((g.name, str(g.answered), *(str(n) for n in g.counts)))
        first, second = 38.0, column_mm(["Answered"])
        width = 170 - first - second
        doc.table(
            header,
            group_rows,
            caption=f"Question {q.number}: the answers by stakeholder group",
            widths_mm=(first, second, *([width / len(q.choices)] * len(q.choices))),
            align=("left", "right", *(RIGHT for _ in q.choices)),
        )


def _written(doc: ReportDocument, q: QuestionResult) -> None:
    answered = q.answered
    quotes = q.quotes
    doc.paragraph(
        f"{counted(answered, 'written answer')}; {counted(len(quotes), 'answer')} quoted below "
        "as written (the others were hidden by the facilitator or never approved, and are "
        "counted, not quoted)."
        if answered != len(quotes)
        else f"{counted(answered, 'written answer')}, quoted below as written."
    )
    for w in quotes:
        doc.quoted_note(w.text, w.group)


def _methods(doc: ReportDocument, report: SurveyReport) -> None:
    r = report.results
    doc.heading("How the survey was run and reported", 1, new_page=True)
    kinds = sorted({q.question.kind for q in r.questions}, key=list(QuestionKind).index)
    doc.paragraph(
        "The questions were written by a youth panel in Common Ground and answered "
        "anonymously on phones during the session. Each person could change their answers "
        "until the survey closed; only their last answer to each question is counted."
    )
    for kind in kinds:
        doc.bullet([Span(f"{kind.label}: ", bold=True), Span(KIND_WORDS[kind])])
    doc.paragraph(
        "The main findings are worked out from the counts: for faces, the share who chose one "
        "of the two happy faces against the two unhappy ones; for agree–disagree, the two "
        "points of agreement against the two of disagreement; for yes or no, the larger "
        "count; for a list, the answer chosen most (ties named together). A finding says "
        "“most” only when more than half of those who answered chose it."
    )
    doc.paragraph(method_text(r.min_cell))
    doc.paragraph(ROUNDING_METHOD)
    doc.paragraph(privacy_text(report.privacy, report.left_out))
    if report.protection:
        doc.heading("Data protection", 2)
        doc.paragraph(report.protection)


# ---------------------------------------------------------------- you said, we did


def write_you_said(report: SurveyReport, path: Path | str) -> Path:
    """Write the one-page "you said, we did" summary as a .docx at `path`: large friendly
    type, each question in the young people's words with its main finding and what was
    done about it."""
    r = report.results
    doc = ReportDocument(
        title="You said, we did",
        subject=f"{r.activity.title}: {report.project_title}",
        footer=f"{short(r.activity.title)} · You said, we did",
        keywords="you said we did; evaluation; young people; Common Ground",
        created=report.generated,
    )
    doc.title("You said, we did", r.activity.title)
    questions = r.questions
    size = _type_size(len(questions))
    intro = (
        f"{counted(r.respondents, 'young person', 'young people')} answered our questions. "
        "Here is what you told us, and what we did about it. Thank you!"
        if r.respondents
        else "Nobody has answered the questions yet."
    )
    _big(doc.paragraph(intro), size)
    for q in questions:
        head = doc.paragraph([Span(q.question.wording(child=True), bold=True)])
        head.paragraph_format.keep_with_next = True
        head.paragraph_format.space_before = Pt(size * 0.8)
        _big(head, size)
        said = doc.paragraph([Span("You said: ", bold=True), Span(q.finding)])
        said.paragraph_format.keep_with_next = True
        _big(said, size)
        _big(
            doc.paragraph([Span("We did: ", bold=True), Span(q.question.we_did or NOT_WRITTEN)]),
            size,
        )
    return doc.save(path)


def _type_size(questions: int) -> float:
    """Large type that still fits one page: smaller as the questions add up."""
    if questions <= 3:
        return 18
    if questions <= 5:
        return 15
    if questions <= 7:
        return 13
    return 11.5


def _big(paragraph: Paragraph, size: float) -> None:
    for run in paragraph.runs:
        run.font.size = Pt(size)
