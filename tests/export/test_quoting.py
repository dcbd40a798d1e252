"""One rule for what a document may quote (core.report.note_fate): a note shown on the
wall, and only that. A note put back to waiting, hidden or taken back by its writer is
counted, never quoted: in the session summary, in the framework's traceability appendix,
and in the data export's `quotable` column. Each document is written from a real project
file and read back with python-docx."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.export.docx_pdf import open_docx, texts
from workshop_app.core.ids import utc_now
from workshop_app.core.model import ActivityKind, NoteStatus
from workshop_app.core.report import NoteFate, may_quote, note_fate
from workshop_app.services import moderation, reports, sessions, standards
from workshop_app.services.project import OpenProject, open_project
from workshop_app.storage import participation as notes_repo


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from workshop_app.services.demo import write_demo

    path = tmp_path_factory.mktemp("quoting") / "demo.cground"
    write_demo(path)
    return path


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path):
    copy = tmp_path / "demo.cground"
    shutil.copy(demo_file, copy)
    with open_project(copy) as p:
        yield p


def _waiting(p: OpenProject, note_id: str) -> None:
    moderation.set_status(p, note_id, NoteStatus.PENDING)


def _hidden(p: OpenProject, note_id: str) -> None:
    moderation.hide(p, note_id)


def _taken_back(p: OpenProject, note_id: str) -> None:
    # what a participant's "take back" does (services.participation.withdraw_note)
    p.store.write_now(lambda tx: notes_repo.withdraw_note(tx.db, note_id, utc_now()))


CHANGES: dict[str, tuple[Callable[[OpenProject, str], None], str]] = {
    "put back to waiting": (_waiting, "1 note never approved"),
    "hidden": (_hidden, "1 note hidden by the facilitator"),
    "taken back by its writer": (_taken_back, "1 note taken back by its writer"),
}


def _document_text(path: Path) -> str:
    return "\n".join(texts(open_docx(path)))


@pytest.mark.parametrize(
    ("status", "withdrawn", "fate"),
    [
        (NoteStatus.SHOWN, False, NoteFate.QUOTED),
        (NoteStatus.HIDDEN, False, NoteFate.HIDDEN),
        (NoteStatus.PENDING, False, NoteFate.WAITING),
        (NoteStatus.SHOWN, True, NoteFate.WITHDRAWN),
        (NoteStatus.HIDDEN, True, NoteFate.WITHDRAWN),
        (NoteStatus.PENDING, True, NoteFate.WITHDRAWN),
    ],
)
def test_only_a_shown_note_that_was_not_taken_back_may_be_quoted(status, withdrawn, fate):
    assert note_fate(status, withdrawn) is fate
    assert may_quote(status, withdrawn) is (fate is NoteFate.QUOTED)


def _framework_source(p: OpenProject) -> tuple[str, str]:
    """A note quoted in the framework's appendix, once only: (id, text)."""
    by_standard = standards.sources_by_standard(p)
    notes = [n for src in by_standard.values() for t in src.themes for n in t.notes]
    counts: dict[str, int] = {}
    for n in notes:
        counts[n.text] = counts.get(n.text, 0) + 1
    note = next(n for n in notes if n.status is NoteStatus.SHOWN and counts[n.text] == 1)
    return note.id, note.text


@pytest.mark.parametrize("change", list(CHANGES))
def test_the_framework_never_quotes_a_note_no_longer_shown(demo, tmp_path: Path, change: str):
    act, counted = CHANGES[change]
    note_id, text = _framework_source(demo)
    before = _document_text(reports.write_framework(demo, tmp_path / "before.docx"))
    assert text in before
    act(demo, note_id)
    after = _document_text(reports.write_framework(demo, tmp_path / "after.docx"))
    assert text not in after, f"a note {change} is not quoted"
    assert f"Left out of this theme and counted, never quoted: {counted}." in after


def _summary_note(p: OpenProject) -> tuple[str, str, str]:
    """A shown note of the first session's first brainstorm: (session id, note id, text)."""
    for session in sessions.list_sessions(p):
        for activity in sessions.list_activities(p, session.id):
            if activity.kind is not ActivityKind.BRAINSTORM:
                continue
            wall = moderation.list_wall(p, activity.id)
            texts_seen = [n.text for n in wall]
            for n in wall:
                if n.status is NoteStatus.SHOWN and texts_seen.count(n.text) == 1:
                    return session.id, n.id, n.text
    raise AssertionError("the demo has shown notes")


@pytest.mark.parametrize("change", list(CHANGES))
def test_the_session_summary_never_quotes_a_note_no_longer_shown(demo, tmp_path: Path, change: str):
    act, counted = CHANGES[change]
    session_id, note_id, text = _summary_note(demo)
    before = _document_text(
        reports.write_session_summary(demo, session_id, tmp_path / "before.docx")
    )
    assert text in before
    act(demo, note_id)
    after = _document_text(reports.write_session_summary(demo, session_id, tmp_path / "a.docx"))
    assert text not in after, f"a note {change} is not quoted"
    assert f"left out: {counted}." in after
    assert f"Left out of this report and counted, never quoted: {counted}." in after


@pytest.mark.parametrize("change", list(CHANGES))
def test_the_data_export_marks_by_the_same_rule_which_notes_may_be_quoted(
    demo, tmp_path: Path, change: str
):
    import json

    from workshop_app.services import datasets

    act, _counted = CHANGES[change]
    session_id, note_id, _text = _summary_note(demo)
    act(demo, note_id)
    out = datasets.write_json(demo, session_id, tmp_path / "data.json").path
    notes = {n["note_id"]: n for n in json.loads(out.read_text(encoding="utf-8"))["notes"]}
    assert all(n["quotable"] is (n["status"] == "shown") for n in notes.values())
    if note_id in notes:  # a note taken back is never exported at all
        assert notes[note_id]["quotable"] is False
    else:
        assert change == "taken back by its writer"
