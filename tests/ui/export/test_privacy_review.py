"""The privacy review dialog: real project files, real services, a real undo stack."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel, QMessageBox

from tests.ui.conftest import make_actions, wait_for_actions, with_dialog
from workshop_app.core.model import ActivityKind
from workshop_app.core.redaction import REMOVED
from workshop_app.services import moderation, privacy, sessions
from workshop_app.services.project import OpenProject
from workshop_app.services.sessions import ActivityFields, SessionDetails
from workshop_app.ui.common.widgets import SOFT_BREAK
from workshop_app.ui.export.privacy_review import PrivacyReviewDialog, marked

PHONE = "07700 900123"


@dataclass
class Review:
    project: OpenProject
    session_id: str
    notes: dict[str, str]  # text -> note id
    stack: QUndoStack
    dialog: PrivacyReviewDialog
    errors: list[tuple[str, str]] = field(default_factory=list)

    def rows(self) -> list[str]:
        return [self.dialog.list.item(i).text() for i in range(self.dialog.list.count())]

    def texts(self) -> dict[str, str]:
        exported = privacy.export_texts(self.project)
        return {text: exported[nid] for text, nid in self.notes.items()}


def _make(project, qtbot, *, before_export: bool = False) -> Review:
    s = sessions.create_session(project, SessionDetails("Club"))
    brainstorm = sessions.add_activity(
        project, s.id, ActivityFields(ActivityKind.BRAINSTORM, "Ideas")
    )
    notes = {}
    for text in (f"call {PHONE}", "Sam from Riverside Academy", "<b>games</b> are fun"):
        notes[text] = moderation.capture_paper_note(project, brainstorm.id, text).id
    stack = QUndoStack()
    errors: list[tuple[str, str]] = []
    dialog = PrivacyReviewDialog(
        project,
        make_actions(stack, lambda t, m: errors.append((t, m))),
        s.id,
        before_export=before_export,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return Review(project, s.id, notes, stack, dialog, errors)


@pytest.fixture
def review(project, qtbot) -> Review:
    return _make(project, qtbot)


def test_each_suspected_detail_is_listed_with_its_note_in_context(review):
    d = review.dialog
    assert d.count.text() == "3 left to review"
    assert d.tabs.tabText(0) == "To review (3)" and d.tabs.tabText(1) == "Decided (0)"
    assert [r.split("\n")[0] for r in review.rows()] == [
        f"Phone number: “{PHONE}”",
        "Personal name: “Sam”",
        "School name: “Riverside Academy”",
    ]
    d.list.setCurrentRow(2)
    assert d.kind.text() == "School name"
    assert d.fragment.text() == "Riverside Academy"
    assert d.context.text() == "Sam from [[Riverside Academy]]"
    assert d.where.text().startswith("Club · ")
    assert d.preview.text() == f"Exports would read: Sam from {REMOVED}"
    for label in d.findChildren(QLabel):
        assert label.textFormat() is Qt.TextFormat.PlainText, label.objectName()


def test_removing_from_exports_leaves_the_note_and_can_be_undone(review):
    d = review.dialog
    d.remove_button.click()
    assert review.texts()[f"call {PHONE}"] == f"call {REMOVED}"
    assert d.count.text() == "2 left to review"
    assert d.current_finding().fragment == "Sam", "the next one takes its place"
    assert review.stack.undoText() == f"Remove “{PHONE}” from exports"
    assert d.undo_button.text() == f"Undo Remove “{PHONE}” from exports"

    d.undo_button.click()
    wait_for_actions()
    assert review.texts()[f"call {PHONE}"] == f"call {PHONE}"
    assert d.count.text() == "3 left to review"
    review.stack.redo()
    wait_for_actions()
    assert review.texts()[f"call {PHONE}"] == f"call {REMOVED}"
    assert d.count.text() == "2 left to review"
    assert d.tabs.tabText(1) == "Decided (1)"


def test_keeping_words_takes_them_off_the_list_and_exports_them_as_written(review):
    d = review.dialog
    d.list.setCurrentRow(1)
    d.keep_button.click()
    assert [r.split("\n")[0] for r in review.rows()] == [
        f"Phone number: “{PHONE}”",
        "School name: “Riverside Academy”",
    ]
    assert review.texts()["Sam from Riverside Academy"] == "Sam from Riverside Academy"
    assert d.decided.item(0).text().startswith("Kept: “Sam” (personal name)")


def test_a_decision_can_be_taken_back_from_the_decided_tab_and_that_undone(review):
    d = review.dialog
    d.remove_button.click()
    d.tabs.setCurrentIndex(1)
    d.decided.setCurrentRow(0)
    d.take_back_button.click()
    assert d.count.text() == "3 left to review" and d.decided.count() == 0
    assert review.texts()[f"call {PHONE}"] == f"call {PHONE}"
    review.stack.undo()  # the take-back, undone: removed again
    wait_for_actions()
    assert review.texts()[f"call {PHONE}"] == f"call {REMOVED}"
    assert d.decided.count() == 1


def test_undo_in_the_window_shows_here_at_once(review):
    d = review.dialog
    d.keep_button.click()
    review.stack.undo()  # Edit → Undo in the project window: the same stack
    wait_for_actions()
    assert d.count.text() == "3 left to review"


def test_removing_from_the_project_itself_asks_first_and_cannot_be_undone(review, qtbot):
    d = review.dialog
    d.keep_button.click()  # something on the undo stack, about to be cleared
    d.list.setCurrentRow(0)  # Sam
    nid = review.notes["Sam from Riverside Academy"]
    seen: list[str] = []

    def cancel(box):
        seen.append(box.informativeText())
        box.button(QMessageBox.StandardButton.Cancel).click()

    with_dialog(d.delete_button.click, cancel)
    assert "cannot be undone" in seen[0] and "backups" in seen[0]
    assert privacy.export_texts(review.project)[nid] == "Sam from Riverside Academy"

    def confirm(box):
        assert box.textFormat() is Qt.TextFormat.PlainText
        next(b for b in box.buttons() if b.objectName() == "privacy-delete-yes").click()

    with_dialog(d.delete_button.click, confirm)
    wall = moderation.list_wall(review.project, _activity_of(review, nid))
    note = next(n for n in wall if n.id == nid)
    assert note.text == note.original_text == f"{REMOVED} from Riverside Academy"
    assert not review.stack.canUndo(), "no earlier step may bring the words back"
    assert [r.split("\n")[0] for r in review.rows()] == ["School name: “Riverside Academy”"]


def _activity_of(review, note_id):
    for a in sessions.list_activities(review.project, review.session_id):
        if any(n.id == note_id for n in moderation.list_wall(review.project, a.id)):
            return a.id
    raise AssertionError("no such note")


def test_markup_in_a_note_is_shown_as_typed(review):
    moderation.capture_paper_note(
        review.project,
        sessions.list_activities(review.project, review.session_id)[0].id,
        "<b>Chloe</b> <img src=x>",
    )
    d = review.dialog
    d.refresh()
    d.select(_all_notes(review)["<b>Chloe</b> <img src=x>"], "Chloe")
    assert d.context.text() == "<b>[[Chloe]]</b> <img src=x>"
    assert d.context.textFormat() is Qt.TextFormat.PlainText


def _all_notes(review):
    a = sessions.list_activities(review.project, review.session_id)[0]
    return {n.text: n.id for n in moderation.list_wall(review.project, a.id)}


def test_before_an_export_the_facilitator_may_skip_and_is_told_what_that_means(project, qtbot):
    r = _make(project, qtbot, before_export=True)
    d = r.dialog
    assert d.continue_button.text() == "Skip the rest and export"
    assert d.skip_note.text() == (
        "If you export now, the 3 suspected details left will be exported as written."
    )
    for _ in range(3):
        d.remove_button.click()
    assert d.continue_button.text() == "Continue to export" and d.skip_note.text() == ""
    assert d.empty.isVisible() and not d.list.isVisible()


def test_marked_puts_brackets_round_the_words():
    assert marked("call 07700 900123 now", 5, 17) == "call [[07700 900123]] now"


def test_undo_in_the_review_takes_back_only_the_reviews_own_steps(qtbot, project):
    from PySide6.QtGui import QUndoStack

    from workshop_app.core.model import ActivityKind
    from workshop_app.services import moderation, sessions
    from workshop_app.services.sessions import ActivityFields, SessionDetails
    from workshop_app.ui.export.privacy_review import PrivacyReviewDialog

    s = sessions.create_session(project, SessionDetails("Club"))
    b = sessions.add_activity(project, s.id, ActivityFields(ActivityKind.BRAINSTORM, "Ideas"))
    stack = QUndoStack()
    actions = make_actions(stack, lambda _t, _m: None)
    actions.perform(  # an earlier step of the session, before the review opened
        "Type in paper note",
        lambda: moderation.capture_paper_note(project, b.id, "email jo@example.com", None),
        lambda note: moderation.remove_paper_note(project, note.id),
    )
    wait_for_actions()
    dialog = PrivacyReviewDialog(project, actions, s.id)
    qtbot.addWidget(dialog)
    assert not dialog.undo_button.isEnabled(), "the paper note is not the review's to undo"
    dialog._undo()
    assert stack.index() == 1, "Ctrl+Z in the review leaves the session's steps alone"
    dialog.list.setCurrentRow(0)
    dialog.remove_button.click()
    assert dialog.undo_button.isEnabled() and "from exports" in dialog.undo_button.text()
    dialog.undo_button.click()
    wait_for_actions()
    assert stack.index() == 1 and not dialog.undo_button.isEnabled()


def test_a_note_with_a_long_link_is_reviewed_whole(project, qtbot):
    """The note around a detail is shown whole: a long link in it, which no line can break
    between words, wraps instead of being cut at the dialog's edge (the reviewer decides on
    what they read), and the dialog stays narrower than a small screen."""
    link = "https://example.org/profile/" + "b" * 440
    s = sessions.create_session(project, SessionDetails("Club"))
    brainstorm = sessions.add_activity(
        project, s.id, ActivityFields(ActivityKind.BRAINSTORM, "Ideas")
    )
    moderation.capture_paper_note(project, brainstorm.id, f"{link} call {PHONE}")
    dialog = PrivacyReviewDialog(project, make_actions(QUndoStack(), lambda t, m: None), s.id)
    qtbot.addWidget(dialog)
    dialog.resize(720, 620)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.list.count() == 2  # the link is a detail too
    dialog.list.setCurrentRow(0)
    assert dialog.context.text().replace(SOFT_BREAK, "") == f"[[{link}]] call {PHONE}"
    width = dialog.context.width()
    lines = dialog.context.heightForWidth(width) // dialog.context.fontMetrics().lineSpacing()
    assert lines >= 6, "the link wraps: none of it is cut off"
    assert dialog.minimumSizeHint().width() <= 1024
