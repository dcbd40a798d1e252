"""File → Export…: the REFI-QDA project (.qdpx) for qualitative analysis programs, written
on the worker thread and read back by the independent reader of tests/export/test_qdpx.py."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QUndoStack

from tests.export.test_qdpx import read_qdpx
from tests.ui.conftest import make_actions
from workshop_app.core.model import ActivityKind, NoteStatus
from workshop_app.services import moderation, sessions
from workshop_app.services.sessions import ActivityFields, SessionDetails
from workshop_app.ui.export.export_dialog import ExportDialog, ExportKind


def test_notes_for_qualitative_analysis_programs(project, qtbot, settings, tmp_path: Path):
    s = sessions.create_session(project, SessionDetails("Club: autumn / 2026"))
    b = sessions.add_activity(project, s.id, ActivityFields(ActivityKind.BRAINSTORM, "Ideas"))
    moderation.capture_paper_note(project, b.id, "games are fun")
    hidden = moderation.capture_paper_note(project, b.id, "off topic")
    moderation.set_status(project, hidden.id, NoteStatus.HIDDEN)
    stack = QUndoStack()
    d = ExportDialog(project, make_actions(stack, lambda _t, _m: None), s.id, settings=settings)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)

    d.choose(ExportKind.QDPX, s.id)
    assert d.target().name == "Club autumn 2026 - notes.qdpx"
    assert not d.hidden_box.isVisible(), "hidden notes are never in it: no choice to make"
    d.path.setText(str(tmp_path / "club.qdpx"))
    with qtbot.waitSignal(d.exported, timeout=20000) as blocker:
        assert d.start_export()
    path = blocker.args[0]

    assert path == tmp_path / "club.qdpx"
    read = read_qdpx(path)
    assert [x.text for x in read.selections["Club: autumn / 2026"]] == ["games are fun"]
    assert d.outcome.text() == f"Saved: {path}"
