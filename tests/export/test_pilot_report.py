"""The pilot reports (issue 16) from a pilot run through the real services: Word read
back with python-docx and rendered by LibreOffice; CSV and JSON with their codebook."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx.oxml.ns import qn

from tests.export.docx_pdf import headings, open_docx, pdf_info, pdf_pages, texts, to_pdf
from tests.pilot.builder import Pilot, build_pilot, settle_all
from workshop_app.core.assessment import AssessStatus
from workshop_app.core.errors import StateError
from workshop_app.core.model import ActivityState
from workshop_app.export.pilot_report import write_comparison, write_service_report
from workshop_app.services import areas, assessment, live
from workshop_app.services import pilot as pilot_service
from workshop_app.services.assessment import Draft
from workshop_app.services.project import OpenProject
from workshop_app.services.retention import retention

TODAY = date(2026, 6, 1)


@pytest.fixture
def pilot(project: OpenProject) -> Pilot:
    built = build_pilot(project)
    acts = settle_all(built)
    # the police team also gave views on phones: two members who differed
    police = acts["police"]
    live.show_activity(project, police.id)
    live.set_activity_state(project, police.id, ActivityState.OPEN)
    one, two = built.member(police), built.member(police)
    built.view(one, police, built.s1, Draft("met"))
    built.view(two, police, built.s1, Draft("partly_met", "Sam said so"))
    return built


def cell_fill(cell: object) -> str | None:
    shd = cell._tc.tcPr.find(qn("w:shd"))  # type: ignore[attr-defined]
    return None if shd is None else str(shd.get(qn("w:fill")))


def test_each_service_gets_a_report_with_coloured_statuses_measures_and_actions(
    pilot: Pilot, tmp_path: Path
) -> None:
    paths = pilot_service.write_service_reports(pilot.p, tmp_path / "reports", today=TODAY)
    assert [p.name for p in paths] == [
        "self-assessment-north-police-ocsea-team.docx",
        "self-assessment-riverside-academy.docx",
        "self-assessment-southside-youth-club.docx",
    ]
    doc = open_docx(paths[0])
    assert headings(doc)[:4] == [
        (1, "About this self-assessment"),
        (1, "Status of each statement"),
        (1, "Statements, evidence and measures"),
        (2, "Trusted adult"),
    ]
    body = texts(doc)
    assert "Self-assessment: North Police OCSEA team" in body
    assert "Police · North force area · Test project" in body
    assert any(
        t.startswith("Of the 3 settled answers: met 1 (33%), partly met 1 (33%), not met 1 (33%)")
        for t in body
    )
    assert any(
        "2 team members gave 2 views on their phones; they differed on 1 statement" in t
        for t in body
    )
    # the methods' data-protection sentences, computed from the project as it is
    assert headings(doc)[-1] == (1, "Data protection")
    said = body[body.index("Data protection") + 1]
    assert "The project file these results come from is not encrypted" in said
    keep_until = retention(pilot.p).keep_until
    assert f"kept until {keep_until.day} {keep_until:%B} {keep_until.year}" in said
    assert "Team members' views: 2 views: 1 met, 1 partly met." in body
    assert "Sam said so" not in "\n".join(body)  # views are counted, never quoted
    status = doc.tables[1]
    rows = [[c.text for c in r.cells] for r in status.rows]
    assert rows[0] == ["Statement", "Status", "Evidence", "Actions"]
    assert rows[1][:2] == ["Trusted adult", "✓ Met"]
    assert rows[2][:2] == ["Quick help", "◐ Partly met"]
    assert rows[3][:2] == ["Reporting", "✗ Not met"]
    fills = [cell_fill(r.cells[1]) for r in status.rows[1:]]
    assert fills == [
        S.colour for S in (AssessStatus.MET, AssessStatus.PARTLY_MET, AssessStatus.NOT_MET)
    ]
    measures = next(t for t in doc.tables if t.rows[0].cells[0].text == "Measure")
    assert [c.text for c in measures.rows[1].cells] == [
        "Children referred who were seen within 5 working days",
        "children seen within 5 working days / children referred",
        "45 of 60 (75%)",
        "April to June 2026",
    ]
    assert [c.text for c in measures.rows[2].cells][2] == "7 of 9 (77%)"
    plan = doc.tables[-1]
    assert [c.text for c in plan.rows[1].cells] == [
        "Audit waiting times",
        "Team manager",
        "30\u00a0Sep\u00a02026",
        "Quick help",
    ]
    (pdf,) = to_pdf(paths[0])
    assert pdf_info(pdf).is_a4
    rendered = " ".join(" ".join(pdf_pages(pdf)).split())
    assert "Partly met" in rendered and "45 of 60 (75%)" in rendered
    assert "Action plan" in rendered


def test_the_comparison_has_the_matrix_charts_and_the_statements_hard_to_meet(
    pilot: Pilot, tmp_path: Path
) -> None:
    path = pilot_service.write_comparison_report(pilot.p, tmp_path / "comparison.docx", today=TODAY)
    doc = open_docx(path)
    assert [h for _, h in headings(doc)] == [
        "About this comparison",
        "Statements × services",
        "By statement",
        "By area",
        "Statements most services find hard to meet",
        "Data protection",
    ]
    body = texts(doc)
    assert any(
        t.startswith(
            "3 services in 2 areas assessed 3 statements in 3 self-assessments; "
            "9 of 9 answers are settled."
        )
        for t in body
    )
    matrix = next(
        t for t in doc.tables if t.rows[0].cells[0].text == "Statement" and len(t.columns) == 4
    )
    assert [c.text for c in matrix.rows[0].cells] == [
        "Statement",
        "North Police OCSEA team",
        "Riverside Academy",
        "Southside Youth Club",
    ]
    assert [c.text for c in matrix.rows[2].cells] == [
        "Quick help",
        "◐ Partly met",
        "✗ Not met",
        "✓ Met",
    ]
    assert cell_fill(matrix.rows[3].cells[3]) == AssessStatus.NOT_APPLICABLE.colour
    assert len(doc.inline_shapes) == 2  # by statement, by area
    assert any("1 statement of 3 meets the rule" in t for t in body)
    hard = next(
        t
        for t in doc.tables
        if len(t.columns) == 3 and t.rows[0].cells[1].text == "Services assessing it"
    )
    assert [c.text for c in hard.rows[1].cells] == ["Quick help", "3", "2 (66%)"]
    by_area = next(
        t for t in doc.tables if t.rows[0].cells[0].text == "Area" and len(t.columns) == 6
    )
    assert [c.text for c in by_area.rows[1].cells] == [
        "North force area",
        "6",
        "3 (50%)",
        "1 (16%)",
        "2 (33%)",
        "0 (0%)",
    ]
    (pdf,) = to_pdf(path)
    rendered = " ".join(" ".join(pdf_pages(pdf)).split())
    assert "Statements most services find hard to meet" in rendered
    assert "more than half of them found it only partly met or not met" in rendered


def test_no_self_assessment_means_no_service_reports_but_an_honest_comparison(
    project: OpenProject, tmp_path: Path
) -> None:
    with pytest.raises(StateError, match="no self-assessment"):
        pilot_service.write_service_reports(project, tmp_path / "r")
    path = pilot_service.write_comparison_report(project, tmp_path / "c.docx")
    assert "No service has been set up for a self-assessment yet." in texts(open_docx(path))


def test_csv_and_json_hold_the_same_with_a_codebook_and_no_participant(
    pilot: Pilot, tmp_path: Path
) -> None:
    police = areas.list_services(pilot.p)[0]
    acts = [
        r for r in pilot_service.assessment_rows(pilot.p) if r.assessment.service_id == police.id
    ]
    assessment.settle(
        pilot.p, acts[0].assessment.activity_id, pilot.s3, Draft("not_met", "=1+1 @risk")
    )
    zipped = pilot_service.write_pilot_csv(pilot.p, tmp_path / "pilot.zip")
    with zipfile.ZipFile(zipped) as zf:
        names = sorted(zf.namelist())
        files = {n: zf.read(n).decode("utf-8-sig") for n in names}
    assert names == sorted(
        [
            "actions.csv",
            "answers.csv",
            "areas.csv",
            "codebook.csv",
            "codebook.md",
            "comparison.csv",
            "measures.csv",
            "self_assessments.csv",
            "services.csv",
        ]
    )
    answers = list(csv.DictReader(io.StringIO(files["answers.csv"])))
    assert len(answers) == 9
    formula = next(a for a in answers if a["evidence"].startswith("'"))
    assert formula["evidence"] == "'=1+1 @risk"
    first = next(a for a in answers if a["title"] == "Trusted adult" and a["views"] == "2")
    assert first["views_differ"] == "true"
    comparison = list(csv.DictReader(io.StringIO(files["comparison.csv"])))
    assert [(c["title"], c["hard_to_meet"]) for c in comparison] == [
        ("Trusted adult", "false"),
        ("Quick help", "true"),
        ("Reporting", "false"),
    ]
    codebook = list(csv.DictReader(io.StringIO(files["codebook.csv"])))
    declared = {(r["file"], r["column"]) for r in codebook}
    for name, text in files.items():
        if name.endswith(".csv") and name != "codebook.csv":
            header = next(csv.reader(io.StringIO(text)))
            assert {(name[:-4], h) for h in header} <= declared
    folder = pilot_service.write_pilot_csv(pilot.p, tmp_path / "pilot-csv")
    assert (folder / "measures.csv").is_file()
    data = json.loads(pilot_service.write_pilot_json(pilot.p, tmp_path / "pilot.json").read_text())
    assert data["format"] == "common-ground-pilot"
    assert "=1+1 @risk" in [a["evidence"] for a in data["answers"]]
    assert {m["percent"] for m in data["measures"] if m["numerator"] == 45} == {75}
    everything = json.dumps(data) + "".join(files.values())
    db = pilot.p.store.reader()
    for (pid,) in db.execute("SELECT id FROM participants").fetchall():
        assert pid not in everything


def test_the_researchers_guide_lists_every_self_assessment_file_and_column() -> None:
    from workshop_app.export.pilot_tabular import TABLES

    guide = (Path(__file__).resolve().parents[2] / "docs" / "exports.md").read_text("utf-8")
    for t in TABLES:
        section = guide.split(f"#### Self-assessments: {t.name}.csv\n", 1)[1].split("\n#", 1)[0]
        for c in t.columns:
            assert f"| `{c.name}` |" in section, f"{t.name}.{c.name}"


def test_nothing_settled_yet_and_a_service_assessed_twice_read_honestly(
    project: OpenProject, tmp_path: Path
) -> None:
    built = build_pilot(project)
    first = built.assessment(built.school)
    again = built.assessment(built.school)
    built.settle(again, built.s1, AssessStatus.NOT_MET)
    report = pilot_service.service_report(project, first.id, today=TODAY)
    path = write_service_report(report, tmp_path / "first.docx")
    doc = open_docx(path)
    body = texts(doc)
    assert "No answer has been settled yet." in body
    assert "No actions were recorded." in body
    assert any("The team filled it in together with the facilitator" in t for t in body)
    status = doc.tables[1]
    assert [r.cells[1].text for r in status.rows[1:]] == ["Not settled"] * 3
    assert {cell_fill(r.cells[1]) for r in status.rows[1:]} == {"FFFFFF"}
    comparison = pilot_service.comparison_report(project, today=TODAY)
    assert [c.heading for c in comparison.columns] == ["Riverside Academy (Pilot)"] * 2
    assert [h.assessed for h in comparison.hardness()] == [1, 0, 0]
    path = write_comparison(comparison, tmp_path / "comparison.docx")
    body = texts(open_docx(path))
    assert any("1 of 6 answers are settled" in t for t in body)
    assert (
        "None of the 3 statements meets this rule yet, so no statement stands out as hard to meet."
        in body
    )
