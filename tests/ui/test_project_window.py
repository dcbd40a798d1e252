"""The project window: sessions from plans, the agenda editor, undo and redo."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMenu

from tests.ui.conftest import error_boxes, settle, with_dialog
from workshop_app.core.model import (
    ActivityKind,
    ActivityState,
    GroupKind,
    ModerationMode,
    VoteTarget,
)
from workshop_app.infra.paths import shipped_plans_dir, user_plans_dir
from workshop_app.services import groups, sessions
from workshop_app.services.plans import load_plan
from workshop_app.services.sessions import SessionDetails
from workshop_app.ui.dialogs import NewSessionDialog, SaveAsPlanDialog


def _ok(dialog) -> None:
    box = dialog.findChild(QDialogButtonBox)
    ok = next(
        b for b in box.buttons() if box.buttonRole(b) is QDialogButtonBox.ButtonRole.AcceptRole
    )
    ok.click()


def _new_session_from(window, plan_id: str, title: str | None = None):
    def fill(dialog: NewSessionDialog) -> None:
        dialog.select_plan(plan_id)
        if title is not None:
            dialog.title.setText(title)
        _ok(dialog)

    with_dialog(window.new_session, fill)
    return sessions.get_session(window.project, window.current_session_id())


def _stored(window):
    settle()  # what is stored once the actions on their way are done
    return sessions.list_activities(window.project, window.panel.session_id)


def test_a_new_project_window_invites_a_first_session(window):
    assert window.sessions_list.count() == 0
    assert window.stack.currentWidget() is window.empty


def test_a_session_from_the_childrens_plan_copies_its_agenda_and_invites_children(window):
    session = _new_session_from(window, "prep-children-8-12", "Saturday club")
    assert session.title == "Saturday club"
    assert session.plan_id == "prep-children-8-12"
    assert session.moderation is ModerationMode.APPROVE_FIRST
    invited = {groups.get_group(window.project, g).kind for g in session.group_ids}
    assert invited == {GroupKind.CHILD}
    stored = _stored(window)
    assert window.panel.agenda.rowCount() == len(stored) >= 5
    assert window.panel.agenda.item(0, 0).text() == f"1. {stored[0].title}"
    assert window.panel.editor.title.text() == stored[0].title


def test_undo_removes_a_created_session_and_redo_brings_it_back(window):
    session = _new_session_from(window, "generic-co-design")
    window.undo_stack.undo()
    settle()
    assert sessions.list_sessions(window.project) == []
    assert window.sessions_list.count() == 0
    window.undo_stack.redo()
    settle()
    assert [s.id for s in sessions.list_sessions(window.project)] == [session.id]


def test_editing_an_activity_is_saved_without_a_save_button_and_undoes(window, qtbot):
    _new_session_from(window, "prep-parents-carers")
    editor = window.panel.editor
    window.panel.select_activity(_stored(window)[1].id)
    original = _stored(window)[1]
    editor.title.selectAll()
    qtbot.keyClicks(editor.title, "Worries")
    qtbot.waitUntil(lambda: _stored(window)[1].title == "Worries", timeout=3000)
    editor.child_prompt.setPlainText("What worries you?")
    editor.flush()
    settle()
    assert _stored(window)[1].child_prompt == "What worries you?"
    window.undo_stack.undo()
    settle()
    assert _stored(window)[1].child_prompt == original.child_prompt
    assert editor.child_prompt.toPlainText() == original.child_prompt
    window.undo_stack.undo()
    settle()
    assert _stored(window)[1].title == original.title
    assert editor.title.text() == original.title
    window.undo_stack.redo()
    settle()
    assert _stored(window)[1].title == "Worries"


def test_changing_the_kind_shows_the_fields_that_kind_needs(window):
    _new_session_from(window, "generic-co-design")
    editor = window.panel.editor
    window.panel.select_activity(_stored(window)[0].id)
    editor.kind.setCurrentIndex(editor.kind.findData(ActivityKind.VOTE.value))
    assert editor.form.isRowVisible(editor.cap) and not editor.form.isRowVisible(editor.scale)
    stored = _stored(window)[0]
    assert stored.kind is ActivityKind.VOTE and stored.settings.vote_on is VoteTarget.THEMES
    editor.kind.setCurrentIndex(editor.kind.findData(ActivityKind.RATE.value))
    assert editor.form.isRowVisible(editor.scale) and not editor.form.isRowVisible(editor.cap)


def test_a_refused_vote_setting_is_explained_and_not_stored(window):
    _new_session_from(window, "generic-co-design")
    vote = next(a for a in _stored(window) if a.kind is ActivityKind.VOTE)
    window.panel.select_activity(vote.id)
    editor = window.panel.editor
    steps = window.undo_stack.count()
    editor.budget.setValue(2)
    editor.cap.setValue(5)
    editor.flush()
    settle()
    assert not editor.error.isHidden()
    assert editor.error.text() == "The per-item cap cannot be larger than the budget."
    stored = sessions.get_activity(window.project, vote.id)
    assert stored.settings.per_item_cap == vote.settings.per_item_cap
    assert stored.settings.vote_budget == vote.settings.vote_budget
    assert window.undo_stack.count() == steps, "a refused change is not an undo step"
    editor.cap.setValue(2)
    editor.flush()
    settle()
    assert editor.error.isHidden()
    assert sessions.get_activity(window.project, vote.id).settings.vote_budget == 2


def test_move_delete_and_add_activities_with_undo(window):
    _new_session_from(window, "joint-priorities")
    titles = [a.title for a in _stored(window)]
    panel = window.panel
    panel.select_activity(_stored(window)[1].id)
    panel.down_button.click()
    settle()
    moved = [a.title for a in _stored(window)]
    assert moved[2] == titles[1] and moved[1] == titles[2]
    assert panel.selected_activity_id() == _stored(window)[2].id, "the moved row stays chosen"

    panel.delete_button.click()
    settle()
    assert titles[1] not in [a.title for a in _stored(window)]
    window.undo_stack.undo()  # the delete
    settle()
    assert [a.title for a in _stored(window)] == moved, "restored where it was"
    window.undo_stack.undo()  # the move
    settle()
    assert [a.title for a in _stored(window)] == titles

    panel.select_activity(_stored(window)[0].id)
    window._add_activity(ActivityKind.BRAINSTORM)
    settle()
    after = _stored(window)
    assert after[1].kind is ActivityKind.BRAINSTORM and len(after) == len(titles) + 1
    assert panel.selected_activity_id() == after[1].id
    window.undo_stack.undo()
    settle()
    assert [a.title for a in _stored(window)] == titles


def test_session_details_are_saved_as_they_are_edited(window, qtbot):
    session = _new_session_from(window, "prep-practitioners")
    panel = window.panel
    panel.venue.setText("Town hall")
    panel.venue.editingFinished.emit()
    panel.no_date.setChecked(True)
    settle()
    stored = sessions.get_session(window.project, session.id)
    assert stored.venue == "Town hall" and stored.date is None
    window.undo_stack.undo()
    settle()
    window.undo_stack.undo()
    settle()
    stored = sessions.get_session(window.project, session.id)
    assert stored.venue == session.venue and stored.date == session.date
    assert panel.venue.text() == session.venue


def test_a_blank_session_title_is_refused_and_the_stored_title_shown_again(window):
    session = _new_session_from(window, "prep-practitioners")
    window.panel.title.setText("   ")
    window.panel.title.editingFinished.emit()
    settle()
    assert sessions.get_session(window.project, session.id).title == session.title
    assert window.panel.title.text() == session.title
    assert error_boxes()


def test_deleting_a_session_is_undoable(window):
    first = _new_session_from(window, "prep-practitioners", "First")
    _new_session_from(window, "prep-parents-carers", "Second")
    window.select_session(first.id)
    window.delete_session()
    settle()
    assert [s.title for s in sessions.list_sessions(window.project)] == ["Second"]
    window.undo_stack.undo()
    settle()
    assert {s.title for s in sessions.list_sessions(window.project)} == {"First", "Second"}


def test_participant_and_plan_text_is_shown_as_plain_text(window):
    session = _new_session_from(window, "generic-co-design", "<b>Bold</b> <img src=x>")
    assert window.panel.heading.textFormat() is Qt.TextFormat.PlainText
    assert window.panel.heading.text() == session.title
    assert window.sessions_list.item(0).text().startswith("<b>Bold</b>")


def test_a_session_saved_as_a_plan_is_offered_for_new_sessions(window):
    _new_session_from(window, "prep-parents-carers", "Parents' evening")

    def fill(dialog: SaveAsPlanDialog) -> None:
        dialog.title.setText("Our parents' evening")
        dialog.summary.setPlainText("Adapted for the school hall.")
        _ok(dialog)

    path = with_dialog(window.save_session_as_plan, fill)
    assert path is not None and path.parent == user_plans_dir()

    offered: list[str] = []

    def look(dialog: NewSessionDialog) -> None:
        offered.extend(p.title for p in dialog._plans)
        dialog.reject()

    with_dialog(window.new_session, look)
    assert "Our parents' evening" in offered


def test_changes_made_elsewhere_appear_in_the_window(window, qtbot):
    s = sessions.create_session(window.project, SessionDetails("From the command line"))
    qtbot.waitUntil(lambda: window.sessions_list.count() == 1, timeout=3000)
    assert window.current_session_id() == s.id


def test_no_limit_per_item_stays_no_limit_when_other_fields_change(window):
    _new_session_from(window, "generic-co-design")
    vote = next(a for a in _stored(window) if a.kind is ActivityKind.VOTE)
    window.panel.select_activity(vote.id)
    editor = window.panel.editor
    editor.cap.setValue(0)
    editor.flush()
    settle()
    assert editor.cap.text() == "No limit"
    assert sessions.get_activity(window.project, vote.id).settings.per_item_cap is None
    editor.title.setText("Which matter most?")
    editor.flush()
    settle()
    stored = sessions.get_activity(window.project, vote.id)
    assert stored.title == "Which matter most?" and stored.settings.per_item_cap is None


def test_a_held_votes_rules_are_fixed_in_the_editor(window):
    from workshop_app.services import live

    _new_session_from(window, "generic-co-design")
    vote = next(a for a in _stored(window) if a.kind is ActivityKind.VOTE)
    live.go_live(window.project, vote.session_id)
    live.set_activity_state(window.project, vote.id, ActivityState.OPEN)
    settle()
    window.panel.select_activity(vote.id)
    editor = window.panel.editor
    assert editor.activity_id == vote.id
    assert not editor.budget.isEnabled() and not editor.cap.isEnabled()
    assert not editor.vote_on.isEnabled()
    assert "unfair" in editor.budget.toolTip()
    editor.title.setText("Still editable: the wording")
    editor.flush()
    settle()
    assert sessions.get_activity(window.project, vote.id).title == "Still editable: the wording"


def test_project_standards_open_in_their_own_window_and_close_with_the_project(
    shell, tmp_path, qtbot
):
    from workshop_app.services import standards
    from workshop_app.services.demo import write_demo

    path = tmp_path / "demo.cground"
    write_demo(path)
    window = shell.open_path(path)
    qtbot.waitExposed(window)
    action = next(
        a
        for m in window.menuBar().findChildren(QMenu)
        for a in m.actions()
        if a.text() == "S&tandards…"
    )
    action.trigger()
    shown = window.standards_window
    assert shown is not None and shown.isVisible()
    titles = [s.title for s in standards.list_standards(window.project)]
    assert [s.title for s in shown.standards()] == titles and titles
    window.close()
    assert not shown.isVisible()


def test_a_second_rating_round_can_show_people_the_first_rounds_results(shell, tmp_path, qtbot):
    from workshop_app.services.demo import write_demo

    path = tmp_path / "demo.cground"
    write_demo(path)
    window = shell.open_path(path)
    qtbot.waitExposed(window)
    rounds = [
        (s, a)
        for s in sessions.list_sessions(window.project)
        for a in sessions.list_activities(window.project, s.id)
        if a.kind is ActivityKind.RATE
    ]
    assert len(rounds) >= 2
    (s2, second) = rounds[-1]
    window.select_session(s2.id)
    window.panel.select_activity(second.id)
    chooser = window.panel.editor.feedback
    offered = [chooser.itemText(i) for i in range(chooser.count())]
    assert len(offered) == 2 and offered[0].startswith("Nothing"), offered
    assert offered[1].startswith("Round 1:"), "the earlier round, by its number"
    assert any(rounds[0][0].title in text or rounds[0][1].title in text for text in offered), (
        offered
    )


def test_file_export_opens_the_export_dialog_for_the_chosen_session(window, qtbot, tmp_path):
    from workshop_app.ui.export.export_dialog import ExportDialog, ExportKind

    s = _new_session_from(window, "generic-co-design")
    assert window.current_session_id() == s.id
    action = next(
        a
        for m in window.menuBar().findChildren(QMenu)
        for a in m.actions()
        if a.text() == "&Export…"
    )
    action.trigger()
    dialog = next(w for w in window.findChildren(ExportDialog) if w.isVisible())
    assert dialog.session_id() == window.current_session_id()
    dialog.choose(ExportKind.JSON, window.current_session_id())
    dialog.path.setText(str(tmp_path / "session.json"))
    with qtbot.waitSignal(dialog.exported, timeout=20_000) as done:
        assert dialog.start_export()
    assert done.args[0].exists()


def test_an_action_on_a_full_disk_says_so_plainly_and_the_window_carries_on(window, qtbot):
    plan = load_plan(shipped_plans_dir() / "prep-parents-carers.toml")

    def create() -> bool:
        op = window.undoable.perform(
            "Create the session",
            lambda: sessions.create_session(window.project, SessionDetails("Evening"), plan),
            lambda s: sessions.delete_session(window.project, s.id),
        )
        settle()
        return op.accepted

    store = window.project.store
    store.write_now(lambda tx: tx.db.execute("CREATE TABLE IF NOT EXISTS test_filler(x)"))
    pages = store.write_now(lambda tx: tx.db.execute("PRAGMA page_count").fetchone()[0])
    store.write_now(lambda tx: tx.db.execute(f"PRAGMA max_page_count = {pages}"))
    assert not create()  # a whole plan's agenda needs new pages: refused
    boxes = error_boxes()
    assert boxes, "the refusal was shown"
    text = boxes[-1].text()
    assert text.startswith("The disk is full") and "Errno" not in text
    assert sessions.list_sessions(window.project) == []
    for box in boxes:
        box.close()
    store.write_now(lambda tx: tx.db.execute("PRAGMA max_page_count = 1073741823"))
    assert create()
    assert len(sessions.list_sessions(window.project)) == 1
