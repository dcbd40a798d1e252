"""The Self-assessment tab (ui/assess/assess_panel.py) and the areas and services dialog:
real widgets, a real project file, phones through the real service, events through the
real bridge, undo through the real stack."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtGui import QUndoStack

from tests.pilot.builder import Pilot, build_pilot
from tests.ui.conftest import make_actions, settle
from workshop_app.core.assessment import ServiceKind
from workshop_app.services import areas, assessment, sessions
from workshop_app.services.assessment import Draft
from workshop_app.services.project import OpenProject
from workshop_app.services.sessions import SessionDetails
from workshop_app.ui.assess.assess_panel import AssessPanel
from workshop_app.ui.assess.services_dialog import ServicesDialog
from workshop_app.ui.bridge import Bridge
from workshop_app.ui.common.refresher import Refresher


@dataclass
class Console:
    panel: AssessPanel
    pilot: Pilot
    stack: QUndoStack
    errors: list[tuple[str, str]]

    def table(self) -> list[list[str]]:
        t = self.panel.table
        return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


@pytest.fixture
def console(project: OpenProject, qtbot, refresher: Refresher) -> Iterator[Console]:
    pilot = build_pilot(project)
    stack = QUndoStack()
    errors: list[tuple[str, str]] = []
    panel = AssessPanel(project, make_actions(stack, lambda t, m: errors.append((t, m))), refresher)
    qtbot.addWidget(panel)
    bridge = Bridge(project.bus, panel)
    bridge.changed.connect(panel.on_changed)
    panel.resize(1200, 800)
    panel.show()
    qtbot.waitExposed(panel)
    yield Console(panel, pilot, stack, errors)
    bridge.detach()
    refresher.stop()


def test_a_self_assessment_is_added_for_a_service_and_undone(console: Console) -> None:
    c, p = console, console.pilot
    c.pilot.assessment(p.police, open_it=False)  # makes the session
    c.panel.show_session(p.session_id)
    assert c.panel.chooser.count() == 1
    c.panel.new_service.setCurrentIndex(c.panel.new_service.findData(p.school.id))
    c.panel.add_button.click()
    settle()
    assert c.panel.chooser.count() == 2
    assert c.panel.chooser.currentText() == "2. Self-assessment: Riverside Academy"
    c.stack.undo()
    settle()
    c.panel.refresh()
    assert c.panel.chooser.count() == 1


def test_views_from_phones_side_by_side_and_the_facilitator_settles_with_undo(
    console: Console, qtbot
) -> None:
    c, p = console, console.pilot
    a = p.assessment(p.police)
    c.panel.show_session(p.session_id)
    one, two = p.member(a), p.member(a)
    p.view(one, a, p.s1, Draft("met", "<b>Policy</b> on the wall"))
    p.view(two, a, p.s1, Draft("partly_met", "One site of two"))
    qtbot.waitUntil(lambda: "2 views" in c.table()[0][2], timeout=3000)
    assert c.table()[0] == [
        "Trusted adult",
        "Not settled yet",
        "2 views: 1 met, 1 partly met (they differ)",
    ]
    views = c.panel.views.toPlainText()
    assert "Member 1: Met\nEvidence: <b>Policy</b> on the wall" in views
    assert "Member 2: Partly met" in views
    # start from member 2's view, change the evidence, settle
    c.panel.view_choice.setCurrentIndex(1)
    c.panel.copy_button.click()
    assert c.panel.status.currentData() == "partly_met"
    c.panel.evidence.setPlainText("One site of two; the second by September")
    c.panel.action_edits[0][0].setText("Open the second site's policy")
    c.panel.action_edits[0][1].setText("Jane Smith")
    c.panel.settle_button.click()
    settle()
    assert c.errors == []
    assert "looks like a person's name" in c.panel.message.text()
    assert c.table()[0][1] == "◐ Partly met"
    state = assessment.assessment_state(p.p, a.id)
    assert state is not None and state.statements[0].settled is not None
    assert state.statements[0].settled.evidence == "One site of two; the second by September"
    c.stack.undo()
    settle()
    c.panel.refresh()
    assert c.table()[0][1] == "Not settled yet"
    assert c.panel.status.currentData() == "" and c.panel.evidence.toPlainText() == ""
    c.stack.redo()
    settle()
    c.panel.refresh()
    assert c.table()[0][1] == "◐ Partly met"
    assert c.panel.evidence.toPlainText() == "One site of two; the second by September"
    # a view arriving while the facilitator types leaves the editor alone
    c.panel.evidence.setPlainText("typing…")
    p.view(p.member(a), a, p.s1, Draft("not_met"))
    qtbot.waitUntil(lambda: "3 views" in c.table()[0][2], timeout=3000)
    assert c.panel.evidence.toPlainText() == "typing…"


def test_a_refused_answer_is_reported_and_nothing_is_settled(console: Console) -> None:
    c, p = console, console.pilot
    p.assessment(p.police)
    c.panel.show_session(p.session_id)
    c.panel.table.selectRow(1)  # Quick help, with two measures
    assert len(c.panel.measure_edits) == 2
    c.panel.status.setCurrentIndex(c.panel.status.findData("met"))
    c.panel.measure_edits[0][0].setText("70")
    c.panel.measure_edits[0][1].setText("60")
    c.panel.settle_button.click()
    settle()
    assert c.errors and "larger than the denominator" in c.errors[0][1]
    assert c.table()[1][1] == "Not settled yet" and c.stack.count() == 0


def test_a_team_without_a_service_chooses_one_first(console: Console) -> None:
    from workshop_app.core.model import ActivityKind
    from workshop_app.services import sessions
    from workshop_app.services.sessions import ActivityFields, SessionDetails

    c, p = console, console.pilot
    s = sessions.create_session(p.p, SessionDetails("By hand"))
    sessions.add_activity(p.p, s.id, ActivityFields(ActivityKind.ASSESS, "Our self-assessment"))
    c.panel.show_session(s.id)
    assert c.panel.setup.isVisible() and c.panel.table.rowCount() == 0
    c.panel.setup_service.setCurrentIndex(c.panel.setup_service.findData(p.youth.id))
    c.panel.setup_button.click()
    settle()
    assert not c.panel.setup.isVisible() and c.panel.table.rowCount() == 3
    assert c.panel.summary.text().startswith(
        "Southside Youth Club (Youth service, South force area)"
    )


def test_areas_and_services_are_named_in_the_dialog_and_undone(project: OpenProject, qtbot) -> None:
    stack = QUndoStack()
    errors: list[tuple[str, str]] = []
    dialog = ServicesDialog(project, make_actions(stack, lambda t, m: errors.append((t, m))))
    qtbot.addWidget(dialog)
    bridge = Bridge(project.bus, dialog)  # as the window does: undo redraws it
    bridge.changed.connect(dialog.on_changed)
    dialog.add_area_button.click()
    settle()
    dialog.add_service_button.click()
    settle()
    assert [s.name for s in areas.list_services(project)] == ["New service"]
    assert areas.list_services(project)[0].area_id == areas.list_areas(project)[0].id
    assert dialog.services.item(0, 0).text() == "New service"
    dialog.services.item(0, 0).setText("Northshire Children's Services")
    settle()
    kind = dialog.services.cellWidget(0, 1)
    kind.setCurrentIndex(kind.findData("social_care"))
    settle()
    (service,) = areas.list_services(project)
    assert (service.name, service.kind.value) == ("Northshire Children's Services", "social_care")
    dialog.services.item(0, 0).setText("New area")  # a service may share an area's name
    settle()
    dialog.areas.item(0, 0).setText("Northshire")
    settle()
    assert [a.name for a in areas.list_areas(project)] == ["Northshire"]
    assert errors == []
    stack.undo()  # the area's name back
    settle()
    stack.undo()  # the service's name back
    settle()
    stack.undo()  # the kind back
    settle()
    (service,) = areas.list_services(project)
    assert (service.name, service.kind.value) == ("Northshire Children's Services", "other")
    assert [a.name for a in areas.list_areas(project)] == ["New area"]
    assert dialog.services.item(0, 0).text() == "Northshire Children's Services"
    dialog.services.selectRow(0)
    dialog.remove_service_button.click()
    settle()
    assert areas.list_services(project) == [] and dialog.services.rowCount() == 0
    stack.undo()
    settle()
    assert len(areas.list_services(project)) == 1
    # a name taken is refused in words, and the table shows what is stored
    dialog.add_service_button.click()
    settle()
    dialog.services.item(1, 0).setText("Northshire Children's Services")
    settle()
    assert errors and "already a service called" in errors[-1][1]
    assert dialog.services.item(1, 0).text() == "New service"
    bridge.detach()


def test_a_session_without_a_self_assessment_says_what_to_do_next_at_the_top(
    console: Console, project: OpenProject
) -> None:
    c = console
    c.panel.resize(1200, 900)
    c.panel.show_session(None)
    settle()
    assert c.panel.empty.text() == "Choose a session to see its self-assessments."
    session = sessions.create_session(project, SessionDetails("Pilot day"), None)
    c.panel.show_session(session.id)
    settle()
    assert not c.panel.chooser.isVisible()  # no empty drop-down for a session with none
    assert c.panel.empty.isVisible() and not c.panel.body.isVisible()
    # the pilot named three services: the next step is adding a self-assessment for one
    assert c.panel.empty.text().startswith("This session has no self-assessment yet: choose")
    assert c.panel.add_button.isEnabled()
    # what there is stays at the top of a tall tab, not spread down it
    bottom = c.panel.empty.mapTo(c.panel, c.panel.empty.rect().bottomLeft()).y()
    assert bottom < 200, bottom
    c.panel.new_service.setCurrentIndex(c.panel.new_service.findData(c.pilot.school.id))
    c.panel.add_button.click()
    settle()
    assert c.panel.chooser.isVisible() and c.panel.chooser.count() == 1
    assert not c.panel.empty.isVisible()


def test_a_long_service_name_does_not_widen_the_tab(
    project: OpenProject, qtbot, refresher: Refresher
) -> None:
    build_pilot(project)
    long_name = "A" * 40 + " safeguarding partnership online team"
    areas.add_service(project, long_name, ServiceKind.POLICE, None)
    panel = AssessPanel(project, make_actions(QUndoStack(), lambda t, m: None), refresher)
    qtbot.addWidget(panel)
    panel.show()  # a drop-down sizes itself to its entries when first shown, unless told
    qtbot.waitExposed(panel)
    assert panel.new_service.findText(long_name) >= 0
    assert panel.minimumSizeHint().width() <= 640, panel.minimumSizeHint()
