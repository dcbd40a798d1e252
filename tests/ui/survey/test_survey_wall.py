"""A survey's written answers are read and moderated on the Notes tab like any notes
(decision 026): the wall lists the survey beside the brainstorms, takes no paper notes
for it, and its moderation reaches the written answers."""

from __future__ import annotations

from tests.services.test_survey import make_survey
from workshop_app.core.model import ModerationMode, NoteStatus
from workshop_app.services import moderation
from workshop_app.services.project import OpenProject
from workshop_app.ui.wall.wall_presenter import WallPresenter


def test_the_wall_lists_the_survey_and_shows_its_written_answers(project: OpenProject) -> None:
    room = make_survey(project, ModerationMode.APPROVE_FIRST)
    room.answer(room.join(), {room.smiley: 3, room.text: "Can we have longer breaks"}, "key-00001")
    wall = WallPresenter(project)
    wall.show_session(room.session.id)
    assert wall.read_session() == room.activity.id  # the live activity
    wall.activity_id = room.activity.id
    assert wall.chooser_items() == [
        ("▶ 1. How was it? (written answers) (on phones now)", room.activity.id)
    ]
    assert not wall.takes_paper_notes()
    (note,) = moderation.list_wall(project, room.activity.id)
    assert (note.text, note.status) == ("Can we have longer breaks", NoteStatus.PENDING)
    moderation.set_statuses(project, {note.id: NoteStatus.HIDDEN})
    assert moderation.list_wall(project, room.activity.id)[0].status is NoteStatus.HIDDEN
