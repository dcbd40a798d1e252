"""The votes and ratings presenter (ui/votes/vote_presenter.py) without a widget: the rules
of the buttons and the words as tables, and a real vote in a real project file."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtGui import QUndoStack

from tests.services.test_results import Room, make_room
from tests.ui.conftest import make_actions, wait_for_actions
from workshop_app.core.model import ActivityKind, ActivityState, GroupKind, VoteTarget
from workshop_app.services import live
from workshop_app.services import results as results_service
from workshop_app.services.results import GroupTurnout, Turnout
from workshop_app.ui.votes.vote_presenter import VotePresenter, buttons, turnout_words

A = ActivityState


@pytest.fixture
def room(project) -> Room:
    return make_room(project)


def presenter_of(room: Room) -> VotePresenter:
    v = VotePresenter(room.p)
    v.session_id = room.session.id
    v.read()
    return v


@pytest.mark.parametrize(
    ("state", "live_", "expected"),
    [
        (A.PENDING, True, ("Open", "Close", True, False, False)),
        (A.OPEN, True, ("Open", "Close", False, True, False)),
        (A.CLOSED, True, ("Open again", "Close", True, False, True)),
        (A.REVEALED, True, ("Open", "Hide results", False, True, False)),
        (A.CLOSED, False, ("Open again", "Close", False, False, False)),  # not live: nothing
    ],
)
def test_the_buttons_follow_the_workflow_and_only_for_a_live_session(
    room: Room, state: ActivityState, live_: bool, expected: tuple[object, ...]
) -> None:
    b = buttons(replace(room.vote, state=state), live_)
    assert (b.open_text, b.close_text, b.open, b.close, b.reveal) == expected
    assert b.open_name == "Open the vote on phones"
    rating = buttons(replace(room.rate, state=A.OPEN), True)
    assert rating.close_name == "Close the rating round"


def test_turnout_says_how_many_took_part_never_what() -> None:
    groups = (GroupTurnout("g1", "Parents", 2, 3), GroupTurnout(None, "No group", 0, 1))
    assert turnout_words(Turnout("a", ActivityKind.VOTE, 2, 4, groups)) == (
        "2 of 4 people have voted",
        ["Parents: 2 of 3", "No group: 0 of 1"],
    )
    assert turnout_words(Turnout("a", ActivityKind.RATE, 0, 1, ()))[0] == "0 of 1 person has rated"
    assert turnout_words(Turnout("a", ActivityKind.VOTE, 0, 0, ()))[0] == "Nobody has joined yet"


def test_the_chooser_lists_votes_and_rating_rounds_with_their_state(room: Room) -> None:
    v = presenter_of(room)
    entries = v.read()
    assert [i for i, _words in entries] == [room.vote.id, room.rate.id]
    assert [words.split(" · ")[-1] for _i, words in entries] == ["Not started yet"] * 2
    room.set_state(room.vote, A.OPEN)
    assert v.read()[0][1].endswith(" · Open: phones are taking part now")
    assert v.live


def test_results_stay_hidden_while_people_vote_and_the_note_says_how_to_show_them(
    room: Room,
) -> None:
    v = presenter_of(room)
    who = room.join(room.group(GroupKind.PARENT))
    room.set_state(room.vote, A.OPEN)
    room.cast(who, {0: 3})
    v.read()
    vote = v.activity(room.vote.id)
    assert vote is not None and vote.state is A.OPEN and not v.read_results(vote)
    assert v.results is None
    room.set_state(room.vote, A.CLOSED)
    v.read()
    closed = v.activity(room.vote.id)
    assert closed is not None and v.read_results(closed)
    assert v.results is not None and v.results.rows[0].dots == 3
    assert v.vote_projector_note(v.results) == ("On the projector: not yet — press Show results")
    live.end_session(room.p, room.session.id)
    v.read()
    assert v.how_to_show() == "take the session live to show them"


def test_the_rules_are_one_undo_step_and_only_when_they_changed(room: Room) -> None:
    v = presenter_of(room)
    v.rules = results_service.vote_rules(room.p, room.vote.id)
    stack = QUndoStack()
    actions = make_actions(stack, lambda t, m: None)
    same = (v.rules.vote_on, v.rules.budget_set, v.rules.per_item_cap)
    assert not v.rules_changed(same)
    assert v.commit_rules(actions.perform, same) is None
    op = v.commit_rules(actions.perform, (VoteTarget.THEMES, 7, None))
    wait_for_actions()
    assert op is not None and op.accepted
    stored = results_service.vote_rules(room.p, room.vote.id)
    assert (stored.budget_set, stored.per_item_cap) == (7, None)
    assert stack.count() == 1 and stack.text(0) == "Change the vote rules"
    stack.undo()
    wait_for_actions()
    back = results_service.vote_rules(room.p, room.vote.id)
    assert (back.budget_set, back.per_item_cap) == (5, 3)
    stack.clear()
