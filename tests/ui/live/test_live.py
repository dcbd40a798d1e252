"""Running a session live from the desktop: the real participant server on 127.0.0.1."""

from __future__ import annotations

import http.client
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import settle
from workshop_app.core.model import ActivityKind, ActivityState, SessionState
from workshop_app.infra.paths import shipped_plans_dir
from workshop_app.runtime import participant_server
from workshop_app.services import live, sessions
from workshop_app.services.plans import load_plan
from workshop_app.services.sessions import SessionDetails


def _session(window, plan_id: str = "prep-parents-carers"):
    plan = load_plan(shipped_plans_dir() / f"{plan_id}.toml")
    s = sessions.create_session(window.project, SessionDetails("Evening"), plan)
    settle()
    window.select_session(s.id)
    return s


def _phone():
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))


def test_going_live_serves_the_join_link_shown_with_its_qr_code(window, qtbot):
    s = _session(window)
    window.show_live()
    assert window.go_live("127.0.0.1")
    panel = window.live_panel
    url = panel.url.text()
    assert url.startswith("http://127.0.0.1:") and url.endswith(
        sessions.get_session(window.project, s.id).join_token
    )
    assert not panel.qr.pixmap().isNull()
    assert (
        panel.code.text().replace("-", "") == sessions.get_session(window.project, s.id).join_token
    )
    assert sessions.get_session(window.project, s.id).state is SessionState.LIVE
    page = _phone().open(url, timeout=10).read().decode()
    assert "Which group are you in?" in page


def test_opening_an_activity_from_the_panel_reaches_phones(window, qtbot):
    s = _session(window)
    window.show_live()
    window.go_live("127.0.0.1")
    brainstorm = next(
        a
        for a in sessions.list_activities(window.project, s.id)
        if a.kind is ActivityKind.BRAINSTORM
    )
    panel = window.live_panel
    panel.agenda.setCurrentRow(brainstorm.position)
    panel.open_button.click()
    settle()
    stored = sessions.get_activity(window.project, brainstorm.id)
    assert stored.state is ActivityState.OPEN
    assert sessions.get_session(window.project, s.id).current_activity_id == brainstorm.id
    assert "▶" in panel.agenda.item(brainstorm.position).text()

    phone = _phone()
    url = panel.url.text()
    phone.open(url + "/join", urllib.parse.urlencode({"group": "none"}).encode(), timeout=10)
    body = json.dumps({"key": "first-note-1", "activity": brainstorm.id, "text": "Apps change"})
    request = urllib.request.Request(
        url + "/api/notes", body.encode(), {"Content-Type": "application/json"}
    )
    assert json.loads(phone.open(request, timeout=10).read())["ok"] is True
    qtbot.waitUntil(lambda: "1 joined" in panel.people.text(), timeout=5000)


def test_a_private_help_request_alerts_the_console(window, qtbot):
    _session(window)
    window.show_live()
    window.go_live("127.0.0.1")
    panel = window.live_panel
    assert panel.help.isHidden()
    url = panel.url.text()
    _phone().open(
        url + "/help",
        urllib.parse.urlencode({"key": "help-key-01", "message": "by the door"}).encode(),
        timeout=10,
    )
    qtbot.waitUntil(lambda: not panel.help.isHidden(), timeout=5000)
    assert "1 private help request" in panel.help.text()
    assert "by the door" not in panel.help.text(), "the alert says that, not what"


def test_a_new_link_stops_the_old_one(window):
    _session(window)
    window.show_live()
    window.go_live("127.0.0.1")
    old = window.live_panel.url.text()
    window.rotate_link()
    new = window.live_panel.url.text()
    assert new != old
    with pytest.raises(urllib.error.HTTPError) as refused:
        _phone().open(old, timeout=10)
    assert refused.value.code == 404
    assert "scan the code on the screen again" in refused.value.read().decode()
    assert _phone().open(new, timeout=10).status == 200


def test_ending_the_session_stops_the_server(window):
    s = _session(window)
    window.show_live()
    window.go_live("127.0.0.1")
    url = window.live_panel.url.text()
    window.end_live()
    assert sessions.get_session(window.project, s.id).state is SessionState.CLOSED
    assert window.server is None
    with pytest.raises(urllib.error.URLError):
        _phone().open(url, timeout=3)


def test_reopening_a_project_resumes_its_live_session(shell, project_path, qtbot):
    window = shell.open_path(project_path)
    s = _session(window)
    window.show_live()
    window.go_live("127.0.0.1")
    brainstorm = sessions.list_activities(window.project, s.id)[1]
    live.set_activity_state(window.project, brainstorm.id, ActivityState.OPEN)
    window.close()  # as if the laptop's app was closed mid-session

    again = shell.open_path(project_path)
    assert again is not None and again is not window
    assert again.live_session_id == s.id
    assert again.server is not None and again.server.running
    url = again.live_panel.url.text()
    page = _phone().open(url, timeout=10).read().decode()
    assert "Which group are you in?" in page
    current = sessions.get_session(again.project, s.id).current_activity_id
    assert current == brainstorm.id


def test_only_one_session_is_live_at_a_time(window):
    first = _session(window)
    window.show_live()
    window.go_live("127.0.0.1")
    _session(window, "generic-co-design")
    assert not window.go_live("127.0.0.1")
    assert sessions.get_session(window.project, first.id).state is SessionState.LIVE


def test_help_requests_are_listed_privately_and_marked_as_seen_with_undo(window, qtbot):
    _session(window)
    window.show_live()
    window.go_live("127.0.0.1")
    panel = window.live_panel
    url = panel.url.text()
    form = urllib.parse.urlencode({"key": "help-key-02", "message": "<b>by the door</b>"})
    _phone().open(url + "/help", form.encode(), timeout=10)
    qtbot.waitUntil(lambda: panel.help_list.count() == 1, timeout=5000)
    item = panel.help_list.item(0)
    assert "<b>by the door</b>" in item.text() and "waiting" in item.text()
    panel.help_list.setCurrentItem(item)
    panel.follow_up.setText("Sam spoke with them at the break")
    panel.ack_button.click()
    settle()
    (request,) = live.help_requests(window.project, window.live_session_id)
    assert request.acknowledged_at is not None
    assert request.follow_up == "Sam spoke with them at the break"
    assert panel.help.isHidden(), "nothing left waiting"
    assert "seen" in panel.help_list.item(0).text()
    window.undo_stack.undo()
    settle()
    (request,) = live.help_requests(window.project, window.live_session_id)
    assert request.acknowledged_at is None
    assert not panel.help.isHidden()


def test_help_through_an_old_sessions_link_alerts_the_console_labelled_with_its_session(
    window, qtbot
):
    earlier = _session(window)
    window.show_live()
    assert window.go_live("127.0.0.1")
    window.end_live()
    today = _session(window, "generic-co-design")
    assert window.go_live("127.0.0.1")
    assert window.live_session_id == today.id
    # A child still has yesterday's link open (the server answers every session's link).
    old_link = window.server.join_url(earlier.id, "127.0.0.1")
    form = urllib.parse.urlencode({"key": "help-key-old-1", "message": "can we talk"})
    answer = _phone().open(old_link + "/help", form.encode(), timeout=10).read().decode()
    assert "Sent." in answer
    panel = window.live_panel
    qtbot.waitUntil(lambda: panel.help_list.count() == 1, timeout=5000)
    text = panel.help_list.item(0).text()
    assert "waiting" in text and "can we talk" in text
    assert f"Sent from the link of another session: {earlier.title}" in text
    assert "has not joined" in text
    assert not panel.help.isHidden()


def test_help_through_an_old_link_with_no_session_live_is_refused_and_shows_help(window):
    earlier = _session(window)
    window.show_live()
    assert window.go_live("127.0.0.1")
    link = window.live_panel.url.text()
    window.end_live()
    # Only a server still answering could be asked; start one for the ended session's link.
    server = participant_server(window.project)
    address = server.start("127.0.0.1", 0)
    try:
        token = sessions.get_session(window.project, earlier.id).join_token
        url = f"{address.base_url()}/j/{token}/help"
        form = urllib.parse.urlencode({"key": "help-key-old-2", "message": "anyone?"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            _phone().open(url, form.encode(), timeout=10)
        assert refused.value.code == 409
        assert "no one is reading messages" in refused.value.read().decode()
    finally:
        server.stop()
    assert live.help_requests(window.project, earlier.id) == []
    assert link


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="loopback sources: Linux")
def test_a_join_flood_from_one_device_is_refused_and_the_live_panel_says_so(window, qtbot):
    _session(window)
    window.show_live()
    assert window.go_live("127.0.0.1")
    url = urllib.parse.urlsplit(window.live_panel.url.text())
    statuses = []
    for _ in range(40):  # one device joining again and again
        conn = http.client.HTTPConnection(
            url.hostname, url.port, timeout=10, source_address=("127.0.0.2", 0)
        )
        conn.request(
            "POST", url.path + "/join", "group=none",
            {"Content-Type": "application/x-www-form-urlencoded"},
        )  # fmt: skip
        statuses.append(conn.getresponse().status)
        conn.close()
    assert 429 in statuses and 303 in statuses
    window.flush_refreshes()
    window._refresh_live()
    panel = window.live_panel
    assert panel.shedding.isVisibleTo(panel)
    assert "A device is sending far too much" in panel.shedding.text()
    # Another phone joins as usual.
    other = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    other.request(
        "POST", url.path + "/join", "group=none",
        {"Content-Type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    assert other.getresponse().status == 303
    other.close()


def test_opening_an_activity_starts_its_countdown_which_the_projector_shows(window, qtbot):
    s = _session(window)
    window.show_live()
    window.go_live("127.0.0.1")
    projector = window.show_projector()
    qtbot.addWidget(projector)
    panel = window.live_panel
    brainstorm = next(
        a
        for a in sessions.list_activities(window.project, s.id)
        if a.kind is ActivityKind.BRAINSTORM
    )
    minutes = brainstorm.settings.timer_seconds // 60
    live.set_activity_state(window.project, brainstorm.id, ActivityState.OPEN)
    settle()
    assert panel.countdown is not None and panel.countdown.running
    start = panel.countdown.started
    panel.tick(start)
    assert panel.clock.text() == f"{minutes}:00"
    assert projector.clock_text() == f"{minutes}:00"
    assert f"{minutes}:00" in projector.shown_texts()
    panel.toggle_timer(start + 30)  # pause with 30 s gone
    panel.tick(start + 500)
    assert panel.clock.text() == f"{minutes - 1}:30"
    panel.add_minute(start + 500)
    assert panel.clock.text() == f"{minutes}:30"
    assert panel.timer_button.text() == "Start timer"


def test_the_countdown_ends_at_zero_once(window, qtbot):
    s = _session(window)
    window.show_live()
    window.go_live("127.0.0.1")
    panel = window.live_panel
    panel.chime.setChecked(False)  # no sound in tests; the end is still detected once
    info = sessions.list_activities(window.project, s.id)[0]
    live.set_activity_state(window.project, info.id, ActivityState.OPEN)
    settle()
    c = panel.countdown
    assert c is not None and c.started is not None
    panel.tick(c.started + c.duration + 5)
    assert panel.clock.text() == "0:00"
    assert panel.ended, "the end is announced (chime when ticked) exactly once"


def test_the_agenda_selection_follows_an_activity_opened_elsewhere(window):
    s = _session(window)
    window.show_live()
    window.go_live("127.0.0.1")
    acts = sessions.list_activities(window.project, s.id)
    brainstorm = next(a for a in acts if a.kind is ActivityKind.BRAINSTORM)
    vote = next(a for a in acts if a.kind is ActivityKind.VOTE)
    panel = window.live_panel
    panel.agenda.setCurrentRow(brainstorm.position)  # the facilitator's own choice...
    settle()
    assert panel.selected_activity().id == brainstorm.id, "...stays while nothing changes"
    live.set_activity_state(window.project, vote.id, ActivityState.OPEN)  # from the Votes tab
    settle()
    assert panel.selected_activity().id == vote.id, "Close now acts on the vote"
    panel.close_button.click()
    settle()
    assert sessions.get_activity(window.project, vote.id).state is ActivityState.CLOSED


def test_the_live_panel_keeps_the_flagged_count_in_view_even_after_a_take_back(window, qtbot):
    from workshop_app.services import moderation
    from workshop_app.services import participation as svc

    s = _session(window)
    window.show_live()
    assert window.go_live("127.0.0.1")
    b = next(
        a
        for a in sessions.list_activities(window.project, s.id)
        if a.kind is ActivityKind.BRAINSTORM
    )
    live.set_activity_state(window.project, b.id, ActivityState.OPEN)
    who = svc.join(window.project, s.id, None).result()
    text = "my uncle says not to tell mum about our chats"
    note = svc.post_note(window.project, who.id, b.id, text, "key-flag-live-1").result()
    note_id = note.body["note"]["id"]
    settle()
    panel = window.live_panel
    assert not panel.flagged.isVisible(), "nothing flagged yet: no line"
    moderation.flag(window.project, note_id, True, "speak to them at the break")
    settle()
    assert panel.flagged.isVisible() and panel.flagged.text().startswith("1 note flagged")
    svc.withdraw_note(window.project, who.id, note_id, "key-flag-live-2").result()
    settle()
    assert panel.flagged.isVisible() and panel.flagged.text().startswith("1 note flagged")
    assert panel.flagged.textFormat() is Qt.TextFormat.PlainText


def test_the_live_panel_counts_held_notes_and_alerts_for_a_possible_disclosure(window, qtbot):
    from workshop_app.services import moderation
    from workshop_app.services import participation as svc
    from workshop_app.ui.live.live_help import ALERT_STYLE

    s = _session(window)
    window.show_live()
    assert window.go_live("127.0.0.1")
    b = next(
        a
        for a in sessions.list_activities(window.project, s.id)
        if a.kind is ActivityKind.BRAINSTORM
    )
    live.set_activity_state(window.project, b.id, ActivityState.OPEN)
    who = svc.join(window.project, s.id, None).result()
    panel = window.live_panel
    window.statusBar().clearMessage()

    def post(text: str, key: str) -> str:
        answer = svc.post_note(window.project, who.id, b.id, text, key).result()
        settle()
        return answer.body["note"]["id"]

    post("more youth clubs please", "key-held-live-1")
    assert not panel.held.isVisible(), "nothing held back: no line"
    detail = post("my number is 07700 900123", "key-held-live-2")
    assert panel.held.isVisible()
    assert panel.held.text() == "1 note held back for you to check (Notes tab, Held back)"
    assert panel.held.textFormat() is Qt.TextFormat.PlainText
    assert panel.held.property("tone") == "warning" and panel.held.styleSheet() == ""
    assert "disclosure" not in window.statusBar().currentMessage(), "a detail is no alarm"

    told = post("a man online asked me to send pics of myself", "key-held-live-3")
    assert panel.held.text() == (
        "2 notes held back for you to check, 1 a possible disclosure (Notes tab, Held back)"
    )
    assert panel.held.styleSheet() == ALERT_STYLE, "the help requests' red"
    assert "may be a disclosure was held back" in window.statusBar().currentMessage()
    assert "pics" not in window.statusBar().currentMessage(), "the alert says that, not what"

    window.statusBar().clearMessage()
    moderation.release(window.project, told)
    settle()
    assert panel.held.text() == "1 note held back for you to check (Notes tab, Held back)"
    assert panel.held.property("tone") == "warning" and panel.held.styleSheet() == ""
    assert window.statusBar().currentMessage() == "", "no alert for fewer"
    moderation.hide(window.project, detail)  # hidden: no longer waiting for a decision
    settle()
    assert not panel.held.isVisible(), "0 held notes waiting: the line hides"
