"""The projector window draws only what the room may see, as plain text, and blanks at once."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from tests.ui.conftest import settle
from workshop_app.core.model import ActivityKind, ActivityState
from workshop_app.services import live, moderation, sessions
from workshop_app.services import participation as svc
from workshop_app.services.paths import shipped_plans_dir
from workshop_app.services.plans import load_plan
from workshop_app.services.sessions import SessionDetails


def _live_brainstorm(window):
    plan = load_plan(shipped_plans_dir() / "prep-parents-carers.toml")
    s = sessions.create_session(window.project, SessionDetails("Evening"), plan)
    settle()
    window.select_session(s.id)
    window.show_live()
    assert window.go_live("127.0.0.1")
    b = next(
        a
        for a in sessions.list_activities(window.project, s.id)
        if a.kind is ActivityKind.BRAINSTORM
    )
    live.set_activity_state(window.project, b.id, ActivityState.OPEN)
    who = svc.join(window.project, s.id, None).result()
    settle()
    return s, b, who


def test_the_projector_follows_the_wall_and_never_shows_hidden_notes(window, qtbot):
    _s, b, who = _live_brainstorm(window)
    projector = window.show_projector()
    qtbot.addWidget(projector)
    shown = svc.post_note(window.project, who.id, b.id, "<b>Apps</b> change fast", "key-pw-01")
    hidden = svc.post_note(window.project, who.id, b.id, "my name is Sam", "key-pw-02")
    moderation.hide(window.project, hidden.result().body["note"]["id"])
    shown.result()
    settle()
    texts = projector.shown_texts()
    assert "<b>Apps</b> change fast" in texts
    assert not any("Sam" in t for t in texts)
    labels = [w for w in projector.findChildren(QLabel) if w.text() == "<b>Apps</b> change fast"]
    assert labels and all(w.textFormat() is Qt.TextFormat.PlainText for w in labels)
    assert not projector.qr.pixmap().isNull(), "the join QR code is up while live"


def test_the_blank_key_blanks_the_projector_at_once(window, qtbot):
    _live_brainstorm(window)
    projector = window.show_projector()
    qtbot.addWidget(projector)
    assert projector.shown_texts()
    projector.blank_action.trigger()
    assert projector.is_blank and projector.shown_texts() == []
    projector.blank_action.trigger()
    assert not projector.is_blank
