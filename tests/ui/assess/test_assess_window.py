"""The Self-assessment tab in the real project window (issue 16): the demo's pilot is there
to read, Project → Areas and services… opens its dialog, and a team's views arriving from
phones during a live session show up on the tab while it is open."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMenu

from tests.ui.conftest import settle
from workshop_app.core.model import ActivityState
from workshop_app.services import areas, assessment, live, sessions
from workshop_app.services import participation as phones
from workshop_app.services.assessment import Draft
from workshop_app.services.demo import write_demo
from workshop_app.ui.assess.services_dialog import ServicesDialog


def _action(window, text: str):
    return next(
        a for m in window.menuBar().findChildren(QMenu) for a in m.actions() if a.text() == text
    )


def test_the_demo_pilot_reads_on_the_tab_and_a_live_team_answers(shell, tmp_path: Path, qtbot):
    path = tmp_path / "demo.cground"
    write_demo(path)
    window = shell.open_path(path)
    qtbot.waitExposed(window)
    pilot = next(s for s in sessions.list_sessions(window.project) if s.title.startswith("Pilot:"))
    window.select_session(pilot.id)
    _action(window, "Self-assessment").trigger()  # View → Self-assessment (Ctrl+5)
    tab = window.assess
    assert window.tabs.currentWidget() is tab
    assert tab.chooser.count() == 3
    assert tab.summary.text() == (
        "Northmoor Police online child protection team (Police, Northmoor Police force "
        "area): 6 of 6 statements settled"
    )
    rows = [tab.table.item(r, 2).text() for r in range(tab.table.rowCount())]
    assert rows[1] == "3 views: 2 met, 1 partly met (they differ)"

    # Project → Areas and services… lists the demo's services
    _action(window, "&Areas and services…").trigger()
    dialog = next(w for w in window.findChildren(ServicesDialog))
    assert dialog.services.rowCount() == 3 and dialog.areas.rowCount() == 2
    dialog.close()

    # a new session: a live self-assessment for the youth project, a phone answers
    youth = next(s for s in areas.list_services(window.project) if s.kind.value == "youth")
    session = sessions.create_session(window.project, sessions.SessionDetails("Eastbrook, round 2"))
    window.select_session(session.id)
    tab.new_service.setCurrentIndex(tab.new_service.findData(youth.id))
    tab.add_button.click()
    settle()
    activity_id = tab.selected_activity_id()
    assert activity_id is not None
    live.go_live(window.project, session.id)
    live.show_activity(window.project, activity_id)
    live.set_activity_state(window.project, activity_id, ActivityState.OPEN)
    who = phones.join(window.project, session.id, None).result(5)
    first = tab.presenter.state.statements[0].statement.standard_id  # type: ignore[union-attr]
    assessment.give_view(
        window.project, who.id, activity_id, first, Draft("partly_met"), "window-key-1"
    ).result(5)
    settle()
    assert tab.table.item(0, 2).text() == "1 view: 1 partly met"
    live.end_session(window.project, session.id)
    window.close()
