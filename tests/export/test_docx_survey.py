"""The evaluation survey's Word documents, from the demo's youth evaluation and from a
survey run through the real services: read back with python-docx and rendered by
LibreOffice. Every sentence about the answers is checked against the counts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.export.docx_pdf import headings, open_docx, pdf_info, pdf_pages, texts, to_pdf
from workshop_app.core.model import ActivityKind, ActivityState, GroupKind, NoteStatus
from workshop_app.core.survey import QuestionFields, QuestionKind
from workshop_app.services import groups, live, moderation, participation, privacy, sessions, survey
from workshop_app.services.demo import write_demo
from workshop_app.services.project import OpenProject, open_project
from workshop_app.services.sessions import ActivityFields, SessionDetails
from workshop_app.services.survey_reports import survey_report, write_survey_report, write_you_said

TODAY = date(2027, 2, 10)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OpenProject]:
    path = tmp_path_factory.mktemp("demo") / "demo.cground"
    write_demo(path)
    with open_project(path) as p:
        yield p


def evaluation(p: OpenProject) -> str:
    for s in sessions.list_sessions(p):
        for a in survey.list_surveys(p, s.id):
            return a.id
    raise AssertionError("the demo has no survey")


@pytest.fixture(scope="module")
def rendered(demo: OpenProject, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("docs")
    report = write_survey_report(demo, evaluation(demo), out / "evaluation.docx", today=TODAY)
    you_said = write_you_said(demo, evaluation(demo), out / "you-said.docx", today=TODAY)
    to_pdf(report, you_said)
    return {"report": report, "you_said": you_said}


def test_the_evaluation_report_has_a_section_per_question_with_the_computed_findings(
    demo: OpenProject, rendered: dict[str, Path]
) -> None:
    doc = open_docx(rendered["report"])
    heads = [text for _level, text in headings(doc)]
    assert heads[:2] == ["Main findings", "Question by question"]
    assert "Question 1: How did you feel about taking part in the workshops?" in heads
    assert heads[-2:] == ["How the survey was run and reported", "Data protection"]
    body = "\n".join(texts(doc))
    data = survey_report(demo, evaluation(demo), today=TODAY)
    for q in data.results.questions:
        assert q.finding in body
        assert q.question.we_did in body
    # the demo's counts: 21 people; 16 of 21 chose a happy face (3+4 children, 5+4 young people)
    assert data.results.respondents == 21
    assert "Most of you were happy: 16 out of 21 of you chose a happy face." in body
    # the answers table: counts with shares rounded down (core/shares.py)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "8 (38%)" in cells and "Answered" in cells
    # every written answer shown on the wall is quoted as written, with its group
    assert "More snacks and a longer break" in body
    assert len(doc.inline_shapes) == 5  # one chart per closed question


def test_the_report_renders_in_libreoffice_with_its_charts(rendered: dict[str, Path]) -> None:
    pdf = rendered["report"].with_suffix(".pdf")
    assert pdf_info(pdf).pages >= 4
    pages = "\n".join(pdf_pages(pdf))
    assert "Evaluation: Your say on the workshops" in pages
    assert "The adults listened to what we said." in pages


def test_you_said_we_did_fits_one_page_in_large_type_in_young_peoples_words(
    demo: OpenProject, rendered: dict[str, Path]
) -> None:
    pdf = rendered["you_said"].with_suffix(".pdf")
    assert pdf_info(pdf).pages == 1
    doc = open_docx(rendered["you_said"])
    body = "\n".join(texts(doc))
    assert "21 young people answered our questions." in body
    assert "How did the workshops feel?" in body  # the children's wording
    assert "You said: Most of you said yes: 16 out of 21 of you." in body
    assert "We did: Two young people from the panel will help us invite others" in body
    sizes = {r.font.size.pt for p in doc.paragraphs for r in p.runs if r.font.size}
    assert sizes and min(sizes) >= 11.5
    assert "More snacks" not in body  # written answers are counted there, never quoted


def test_a_survey_run_on_phones_is_reported_after_the_privacy_review(
    project: OpenProject, tmp_path: Path
) -> None:
    s = sessions.create_session(project, SessionDetails("Panel"))
    a = sessions.add_activity(project, s.id, ActivityFields(ActivityKind.SURVEY, "Our survey"))
    yes = survey.add_question(project, a.id, QuestionFields(QuestionKind.YES_NO, "Fun?"))
    said = survey.add_question(project, a.id, QuestionFields(QuestionKind.TEXT, "Why?"))
    live.go_live(project, s.id)
    live.set_activity_state(project, a.id, ActivityState.OPEN)
    child = next(g.id for g in groups.list_groups(project) if g.kind is GroupKind.CHILD)
    texts_sent = ["Email me at sam@example.org", "It was fun", "Too long"]
    for i, text in enumerate(texts_sent):
        who = participation.join(project, s.id, child).result(5)
        participation.answer_survey(
            project, who.id, a.id, {yes.id: 1 + i % 2, said.id: text}, f"key-{i:06}"
        ).result(5)
    live.set_activity_state(project, a.id, ActivityState.CLOSED)
    finding = privacy.findings(project, s.id)[0]
    privacy.decide(project, finding.note_id, finding.fragment, finding.kind, "remove")
    # the email address was held back on arrival: the facilitator saw it and released it
    moderation.release(project, finding.note_id)
    hidden = next(
        w.note_id
        for w in survey.survey_results(project, a.id).questions[1].written
        if w.text == "Too long"
    )
    moderation.set_statuses(project, {hidden: NoteStatus.HIDDEN})
    path = write_survey_report(project, a.id, tmp_path / "r.docx", today=TODAY)
    body = "\n".join(texts(open_docx(path)))
    assert "sam@example.org" not in body and "Email me at [removed]" in body
    assert "It was fun" in body and "Too long" not in body
    assert "3 written answers; 2 answers quoted below" in body
    assert "1 note hidden by the facilitator" in body  # the front page's count, computed
    # three children answered: fewer than the project's smallest group shown (5)
    cells = [c.text for t in open_docx(path).tables for row in t.rows for c in row.cells]
    assert "fewer than 5" in cells
    assert "Closed: nobody can change an answer now." in cells


def test_the_session_summary_counts_the_survey_and_points_to_its_report(
    demo: OpenProject, tmp_path: Path
) -> None:
    from workshop_app.services.reports import write_session_summary

    session_id = survey.survey_results(demo, evaluation(demo)).activity.session_id
    path = write_session_summary(demo, session_id, tmp_path / "summary.docx", today=TODAY)
    body = "\n".join(texts(open_docx(path)))
    assert "21 people answered this survey's 6 questions." in body
