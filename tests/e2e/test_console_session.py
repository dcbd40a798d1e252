"""A whole session run from the real console while simulated phones take part over HTTP.

The desktop window (pytest-qt, offscreen) goes live and starts the real participant server
on 127.0.0.1; "phones" are plain HTTP clients with their own cookies, posting exactly what
the phone page posts. Everything the facilitator does goes through the console's own
widgets; everything checked is what the console and the projector show.
"""

from __future__ import annotations

import itertools
import json
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from typing import Any

import pytest

from tests.ui.conftest import settle
from workshop_app.core.model import ActivityKind, ActivityState, ModerationMode
from workshop_app.infra.paths import shipped_plans_dir
from workshop_app.services import board as board_service
from workshop_app.services import groups as group_service
from workshop_app.services import sessions
from workshop_app.services.plans import load_plan
from workshop_app.services.sessions import SessionDetails

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")
_keys = itertools.count()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a 303 after joining is the answer itself


class Phone:
    """One participant's phone: its own cookie jar, the page's JSON API."""

    def __init__(self, join_url: str):
        self.join_url = join_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect()
        )

    def join(self, group_id: str) -> None:
        data = urllib.parse.urlencode({"group": group_id}).encode()
        status = 0
        try:
            self.opener.open(f"{self.join_url}/join", data, timeout=10)
        except urllib.error.HTTPError as exc:  # the 303 that sets the cookie
            status = exc.code
        assert status == 303, status

    def send(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        body = {"key": f"phone-key-{next(_keys):06d}", **body}
        request = urllib.request.Request(
            f"{self.join_url}/api/{path}",
            json.dumps(body).encode(),
            {"Content-Type": "application/json"},
        )
        try:
            with self.opener.open(request, timeout=10) as resp:
                return resp.status, json.loads(resp.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"{}")


def _activity(window, sid: str, kind: ActivityKind, nth: int = 0):
    return [a for a in sessions.list_activities(window.project, sid) if a.kind is kind][nth]


def test_a_whole_session_from_the_console_with_phones_over_http(window, qtbot):
    project = window.project
    groups = {g.name: g.id for g in group_service.list_groups(project)}
    parents = next(gid for name, gid in groups.items() if "arent" in name)
    plan = load_plan(shipped_plans_dir() / "prep-parents-carers.toml")
    details = SessionDetails(
        "Evening session", group_ids=(parents,), moderation=ModerationMode.APPROVE_FIRST
    )
    session = sessions.create_session(project, details, plan)
    settle()
    window.select_session(session.id)
    window.show_live()
    assert window.go_live("127.0.0.1"), "the console went live and started the server"
    join_url = window.server.join_url(session.id, "127.0.0.1")
    phones = [Phone(join_url) for _ in range(4)]
    for phone in phones:
        phone.join(parents)
    settle()
    qtbot.waitUntil(lambda: window.live_panel.people.text().startswith("4 joined"), timeout=3000)

    # -- brainstorm: notes arrive on the wall; approve-first keeps them off the projector
    brainstorm = _activity(window, session.id, ActivityKind.BRAINSTORM)
    window._set_activity_state(brainstorm.id, ActivityState.OPEN)
    projector = window.show_projector()
    qtbot.addWidget(projector)
    window.tabs.setCurrentWidget(window.wall)
    texts = ["Apps change too fast", "<b>Schools</b> should tell us", "Trusted adults", "my name"]
    for phone, text in zip(phones, texts, strict=True):
        status, body = phone.send("notes", {"activity": brainstorm.id, "text": text})
        assert status == 200 and body["note"]["status"] == "pending"
    wall = window.wall
    qtbot.waitUntil(lambda: wall.model.rowCount() == 4, timeout=3000)
    settle()
    assert not any(t in projector.shown_texts() for t in texts), "nothing shown before approval"

    by_text = {n.text: n.id for n in wall.model.notes}
    wall.select_notes([by_text[t] for t in texts[:3]])
    wall.approve_selected()
    wall.select_notes([by_text["my name"]])
    wall.hide_selected()
    settle()
    shown = projector.shown_texts()
    assert all(t in shown for t in texts[:3]) and "my name" not in shown
    window.undo_action.trigger()  # the hide undone: the note waits again, still not shown
    settle()
    assert "my name" not in projector.shown_texts()
    window.redo_action.trigger()

    # -- a paper note typed in by the facilitator joins the phones' notes
    wall.capture_edit.setText("Paper: more evening sessions")
    wall.capture()
    settle()
    assert wall.model.rowCount() == 5

    # -- themes: the board's services (the board widget is exercised in tests/ui)
    b = board_service.board(project, session.id)
    made = board_service.create_theme(
        project, session.id, "Keeping up", note_ids=[by_text[texts[0]], by_text[texts[2]]]
    )
    assert made is not None

    # -- vote: rules set in the console, turnout live, results only once revealed
    vote = _activity(window, session.id, ActivityKind.VOTE)
    window.tabs.setCurrentWidget(window.votes)
    window.votes.follow_activity(vote.id)
    window.votes.open_button.click()
    settle()
    assert sessions.get_activity(project, vote.id).state is ActivityState.OPEN
    theme_ids = [t.id for t in board_service.board(project, session.id).themes]
    assert theme_ids and b is not None
    for phone in phones[:3]:
        status, body = phone.send("votes", {"activity": vote.id, "dots": {theme_ids[0]: 1}})
        assert status == 200, body
    qtbot.waitUntil(lambda: "3 of 4" in window.votes.turnout.text(), timeout=3000)
    assert window.votes.model.rowCount() == 0, "no results while people are still voting"
    settle()
    on_screen = projector.shown_texts()
    assert "Keeping up" in on_screen, "the room sees what it votes on"
    assert not any(t.strip().isdigit() for t in on_screen), "but no counts while voting"
    window.votes.close_button.click()
    # The results are in the console once the vote is closed.
    qtbot.waitUntil(lambda: window.votes.model.rowCount() >= 1, timeout=3000)
    settle()
    assert not any("Keeping up" in t for t in projector.shown_texts()), "not yet on the projector"
    window.votes.reveal_button.click()
    settle()
    assert any("Keeping up" in t for t in projector.shown_texts()), "revealed on the projector"

    # -- a private help request reaches the console, never the projector
    status, _ = phones[3].send("help", {"message": "Can someone call me back"})
    assert status == 200
    qtbot.waitUntil(lambda: window.live_panel.help_list.count() == 1, timeout=3000)
    assert not any("call me back" in t for t in projector.shown_texts())
