"""The votes and ratings control (ui/votes/vote_panel.py): real widgets, a real project file,
phones voting through the real participation service, events through the real bridge."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest
from PySide6.QtGui import QUndoStack

from tests.services.test_results import Room, make_room
from tests.ui.conftest import make_actions, settle, wait_for_actions
from workshop_app.core.model import ActivityState, GroupKind, VoteTarget
from workshop_app.core.scales import RatingQuestion
from workshop_app.core.shares import ROUNDING_NOTE
from workshop_app.services import board, live, sessions
from workshop_app.services import project as project_service
from workshop_app.services import results as results_service
from workshop_app.services.project import OpenProject
from workshop_app.services.sessions import ActivityFields
from workshop_app.ui.bridge import Bridge
from workshop_app.ui.common.refresher import Refresher
from workshop_app.ui.votes.vote_chart import CHART_DELAY_MS, CHART_DRAWING, CHART_FAILED
from workshop_app.ui.votes.vote_panel import VotePanel


@dataclass
class Console:
    panel: VotePanel
    room: Room
    stack: QUndoStack
    errors: list[tuple[str, str]]

    def stored(self) -> tuple[VoteTarget | None, int | None, int | None]:
        wait_for_actions()  # what is stored once the actions on their way are done
        s = sessions.get_activity(self.room.p, self.room.vote.id).settings
        return s.vote_on, s.vote_budget, s.per_item_cap

    def set_state(self, *states: ActivityState) -> None:
        self.room.set_state(self.room.vote, *states)


@pytest.fixture
def console(
    request: pytest.FixtureRequest, project: OpenProject, qtbot, refresher: Refresher
) -> Iterator[Console]:
    # @pytest.mark.children: the session invites a children's group too (a child rates)
    room = make_room(project, children=request.node.get_closest_marker("children") is not None)
    # these rooms are small: show every group's figures unless a test asks for suppression
    project_service.update_settings(project, min_cell_size=1)
    stack = QUndoStack()
    errors: list[tuple[str, str]] = []
    panel = VotePanel(project, make_actions(stack, lambda t, m: errors.append((t, m))), refresher)
    qtbot.addWidget(panel)
    bridge = Bridge(project.bus, panel)
    bridge.changed.connect(panel.on_changed)
    panel.resize(1100, 800)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_session(room.session.id)
    yield Console(panel, room, stack, errors)
    bridge.detach()
    refresher.stop()  # as the project window does before the project closes
    panel.chart.wait()


def _turnout(c: Console) -> str:
    return c.panel.turnout.text()


def _table(c: Console) -> list[list[str]]:
    m = c.panel.model
    return [[m.item(r, col).text() for col in range(m.columnCount())] for r in range(m.rowCount())]


def _headers(c: Console) -> list[str]:
    m = c.panel.model
    return [m.horizontalHeaderItem(col).text() for col in range(m.columnCount())]


def _vote(c: Console) -> None:
    room = c.room
    p1, p2 = room.join(room.group(GroupKind.PARENT)), room.join(room.group(GroupKind.PARENT))
    q1, anon = room.join(room.group(GroupKind.PRACTITIONER)), room.join()
    c.set_state(ActivityState.OPEN)
    room.cast(p1, {0: 3, 1: 2})
    room.cast(p2, {0: 1, 2: 3})
    room.cast(q1, {1: 3, 2: 2})
    room.cast(anon, {0: 2, 3: 1})


# ---------------------------------------------------------------- choosing


def test_the_chooser_lists_the_sessions_votes_and_rating_rounds(console: Console) -> None:
    chooser = console.panel.chooser
    assert [chooser.itemData(i) for i in range(chooser.count())] == [
        console.room.vote.id,
        console.room.rate.id,
    ]
    assert console.panel.selected_activity().id == console.room.vote.id
    console.panel.follow_activity(console.room.rate.id)
    assert console.panel.selected_activity().id == console.room.rate.id
    assert console.panel.rules_box.isHidden() and not console.panel.scale_note.isHidden()


def test_without_a_session_or_a_vote_the_panel_says_what_to_do(console: Console) -> None:
    console.panel.show_session(None)
    assert console.panel.body.isHidden() and console.panel.chooser.count() == 0
    other = sessions.create_session(console.room.p, sessions.SessionDetails("No votes here"))
    console.panel.show_session(other.id)
    assert console.panel.body.isHidden() and not console.panel.empty.isHidden()


# ---------------------------------------------------------------- rules


def test_the_rules_show_what_is_stored_and_what_automatic_would_give(console: Console) -> None:
    p = console.panel
    assert p.on_themes.isChecked() and not p.on_notes.isChecked()
    assert (p.budget.value(), p.cap.value()) == (5, 3)
    assert p.budget.specialValueText() == "Automatic (2)"
    assert p.items_count.text() == "4 themes to vote on now"
    assert p.cap.specialValueText() == "No limit" and p.rules_box.isEnabled()
    assert p.locked.isHidden()


def test_changing_the_budget_is_one_undoable_step(console: Console) -> None:
    p = console.panel
    p.budget.setValue(7)
    p.flush()
    assert console.stored() == (VoteTarget.THEMES, 7, 3)
    assert console.stack.count() == 1
    console.stack.undo()
    wait_for_actions()
    assert console.stored() == (VoteTarget.THEMES, 5, 3)
    settle()
    p.refresh()
    assert p.budget.value() == 5
    console.stack.redo()
    wait_for_actions()
    assert console.stored() == (VoteTarget.THEMES, 7, 3)


def test_automatic_budget_and_no_limit_are_the_lowest_values(console: Console) -> None:
    p = console.panel
    p.cap.setValue(0)
    p.budget.setValue(0)
    p.flush()
    assert console.stored() == (VoteTarget.THEMES, None, None)
    assert p.budget.text() == "Automatic (2)" and p.cap.text() == "No limit"
    console.stack.undo()
    wait_for_actions()
    assert console.stored() == (VoteTarget.THEMES, 5, 3)


def test_a_spin_box_change_is_committed_by_itself_shortly_after(console: Console, qtbot) -> None:
    console.panel.cap.setValue(2)
    qtbot.waitUntil(lambda: console.stored() == (VoteTarget.THEMES, 5, 2), timeout=3000)
    assert console.stack.count() == 1


def test_choosing_notes_is_committed_at_once_and_undone(console: Console) -> None:
    p = console.panel
    p.on_notes.click()
    assert console.stored() == (VoteTarget.NOTES, 5, 3)
    assert p.items_count.text() == "0 notes to vote on now"
    console.stack.undo()
    wait_for_actions()
    assert console.stored() == (VoteTarget.THEMES, 5, 3)


def test_rules_that_do_not_add_up_are_refused_and_the_stored_ones_shown(
    console: Console,
) -> None:
    p = console.panel
    p.cap.setValue(9)  # more than the 5 dots each person has
    p.flush()
    assert console.stored() == (VoteTarget.THEMES, 5, 3)
    assert console.stack.count() == 0
    (title, message) = console.errors[-1]
    assert "vote rules" in title and "larger than the budget" in message
    assert p.cap.value() == 3


@pytest.mark.parametrize(
    "states",
    [(ActivityState.OPEN,), (ActivityState.OPEN, ActivityState.CLOSED)],
    ids=["open", "closed"],
)
def test_the_rules_are_locked_with_a_plain_reason_once_the_vote_has_opened(
    console: Console, qtbot, states: tuple[ActivityState, ...]
) -> None:
    console.set_state(*states)
    p = console.panel
    qtbot.waitUntil(lambda: not p.budget.isEnabled(), timeout=3000)
    assert not any(w.isEnabled() for w in (p.cap, p.on_themes, p.on_notes))
    assert p.locked.isVisible() and "unfair" in p.locked.text()
    p.flush()
    assert console.stored() == (VoteTarget.THEMES, 5, 3) and console.stack.count() == 0


# ---------------------------------------------------------------- running it


def test_the_state_buttons_follow_the_activity_and_ask_the_window(console: Console, qtbot) -> None:
    p = console.panel
    assert p.open_button.isEnabled()
    assert not p.close_button.isEnabled() and not p.reveal_button.isEnabled()
    assert p.open_button.accessibleName() == "Open the vote on phones"
    with qtbot.waitSignal(p.state_requested) as opened:
        p.open_button.click()
    assert opened.args == [console.room.vote.id, ActivityState.OPEN]
    live.set_activity_state(console.room.p, *opened.args)  # as the window does
    qtbot.waitUntil(lambda: p.close_button.isEnabled(), timeout=3000)
    assert not p.open_button.isEnabled() and not p.reveal_button.isEnabled()
    with qtbot.waitSignal(p.state_requested) as closed:
        p.close_button.click()
    assert closed.args == [console.room.vote.id, ActivityState.CLOSED]
    live.set_activity_state(console.room.p, *closed.args)
    qtbot.waitUntil(lambda: p.reveal_button.isEnabled(), timeout=3000)
    assert p.open_button.text() == "Open again"
    with qtbot.waitSignal(p.state_requested) as revealed:
        p.reveal_button.click()
    assert revealed.args == [console.room.vote.id, ActivityState.REVEALED]


def test_a_session_that_is_not_live_cannot_open_a_vote(console: Console, qtbot) -> None:
    live.end_session(console.room.p, console.room.session.id)
    p = console.panel
    qtbot.waitUntil(lambda: not p.open_button.isEnabled(), timeout=3000)
    assert p.not_live.isVisible()


def test_opening_commits_rules_still_waiting_to_be_committed(console: Console, qtbot) -> None:
    p = console.panel
    p.budget.setValue(6)  # the commit timer has not fired yet
    with qtbot.waitSignal(p.state_requested):
        p.open_button.click()
    assert console.stored() == (VoteTarget.THEMES, 6, 3)


def test_turnout_goes_up_as_phones_vote_and_no_result_shows_while_open(
    console: Console, qtbot
) -> None:
    room, p = console.room, console.panel
    parent = room.group(GroupKind.PARENT)
    a, _b = room.join(parent), room.join(parent)
    pro = room.join(room.group(GroupKind.PRACTITIONER))
    console.set_state(ActivityState.OPEN)
    qtbot.waitUntil(lambda: _turnout(console) == "0 of 3 people have voted", timeout=3000)
    room.cast(a, {0: 3, 1: 2})
    qtbot.waitUntil(lambda: _turnout(console) == "1 of 3 people have voted", timeout=3000)
    room.cast(pro, {1: 1})
    qtbot.waitUntil(lambda: _turnout(console) == "2 of 3 people have voted", timeout=3000)
    assert p.turnout_groups.text().splitlines() == [
        "Parents and carers: 1 of 2",
        "Practitioners: 1 of 1",
    ]
    # Nothing of what they voted for: no table, no chart.
    assert p.results_box.isHidden() and p.model.rowCount() == 0
    assert p.chart.pixmap().isNull()
    assert "once you close it" in p.waiting.text()
    p.by_group.setChecked(True)
    assert p.model.rowCount() == 0 and p.chart.pixmap().isNull()


def test_after_closing_the_ranking_and_its_chart_show(console: Console, qtbot) -> None:
    room, p = console.room, console.panel
    board.rename_theme(room.p, room.session.id, room.themes[1], "<b>Safe</b> & $x$")
    _vote(console)
    with qtbot.waitSignal(p.chart.drawn, timeout=10_000):
        console.set_state(ActivityState.CLOSED)
    assert p.results_box.isVisible() and p.waiting.isHidden()
    assert _headers(console) == [
        "Rank",
        "Item",
        "Dots",
        "Voters",
        "Parents and carers\n2 voted",
        "Practitioners\n1 voted",
        "No group chosen\n1 voted",
        "Equal-weight rank",
    ]
    # each group's share of its own dots (parents placed 9, the practitioner 5, the one with
    # no group 3), rounded down; the equal-weight rank counts the two groups equally
    # (Theme 0: (4/9 + 0/5) / 2 = 0.22; Safe: (2/9 + 3/5) / 2 = 0.41; Theme 2: 0.37)
    assert _table(console) == [
        ["1", "Theme 0", "6", "3", "4 (44%)", "0 (0%)", "2 (66%)", "3"],
        ["2", "<b>Safe</b> & $x$", "5", "2", "2 (22%)", "3 (60%)", "0 (0%)", "1"],
        ["2", "Theme 2", "5", "2", "3 (33%)", "2 (40%)", "0 (0%)", "2"],
        ["4", "Theme 3", "1", "1", "0 (0%)", "0 (0%)", "1 (33%)", "4"],
    ]
    assert p.projector_note.text() == "On the projector: not yet — press Show results"
    assert p.consensus_rules.text().startswith("Each group's column gives its dots on the item")
    assert not p.chart.pixmap().isNull()
    assert _turnout(console) == "4 of 4 people have voted"

    with qtbot.waitSignal(p.chart.drawn, timeout=10_000):
        p.by_group.setChecked(True)  # the chart by group
    console.set_state(ActivityState.REVEALED)
    qtbot.waitUntil(lambda: p.projector_note.text() == "Revealed on the projector", timeout=3000)


def test_revealing_puts_the_vote_on_screen_and_moving_on_says_how_to_go_back(
    console: Console, qtbot
) -> None:
    room, p = console.room, console.panel
    _vote(console)
    console.set_state(ActivityState.CLOSED)
    room.set_state(room.rate, ActivityState.OPEN)  # the facilitator has moved on
    console.set_state(ActivityState.REVEALED)  # revealing brings the results up
    qtbot.waitUntil(lambda: p.projector_note.text() == "Revealed on the projector", timeout=3000)
    live.show_activity(room.p, room.rate.id)  # and on again
    qtbot.waitUntil(lambda: "Live panel" in p.projector_note.text(), timeout=3000)
    live.show_activity(room.p, room.vote.id)
    qtbot.waitUntil(lambda: p.projector_note.text() == "Revealed on the projector", timeout=3000)


def test_the_chart_is_redrawn_at_the_new_size_after_a_resize(console: Console, qtbot) -> None:
    _vote(console)
    p = console.panel
    with qtbot.waitSignal(p.chart.drawn, timeout=10_000):
        console.set_state(ActivityState.CLOSED)
    before = p.chart.pixmap().deviceIndependentSize().toSize()
    with qtbot.waitSignal(p.chart.drawn, timeout=10_000):
        p.resize(p.width() - 300, p.height() - 200)
    after = p.chart.pixmap().deviceIndependentSize().toSize()
    assert after != before and after == p.chart.size()


def test_the_chart_space_says_it_is_drawing_never_blank_until_the_chart_comes(
    console: Console, qtbot
) -> None:
    _vote(console)
    p = console.panel
    console.set_state(ActivityState.CLOSED)
    p.refresh()  # the coalesced redraw, now: the drawing has only just started
    assert p.model.rowCount() == 4
    assert p.chart.pixmap().isNull() and p.chart.text() == CHART_DRAWING
    with qtbot.waitSignal(p.chart.drawn, timeout=10_000):
        pass
    assert not p.chart.pixmap().isNull() and p.chart.text() == ""
    # ticking "By stakeholder group" keeps the overall chart until the new one is drawn
    with qtbot.waitSignal(p.chart.drawn, timeout=10_000):
        p.by_group.setChecked(True)
        assert not p.chart.pixmap().isNull()


def test_a_chart_that_cannot_be_drawn_says_so_once_and_the_table_stays(
    console: Console, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[bool] = []

    def broken(results: object, *, by_group: bool, **_size: object) -> bytes:
        calls.append(by_group)
        raise RuntimeError("no font")  # a broken install, say

    monkeypatch.setattr(results_service, "vote_chart_png", broken)
    _vote(console)
    p = console.panel
    console.set_state(ActivityState.CLOSED)
    qtbot.waitUntil(lambda: p.chart.text() == CHART_FAILED, timeout=10_000)
    assert p.model.rowCount() == 4 and p.chart.pixmap().isNull()
    qtbot.wait(CHART_DELAY_MS * 2)
    assert calls == [False], "a failed drawing is not retried in a loop"
    p.by_group.setChecked(True)  # a different chart is tried
    qtbot.waitUntil(lambda: calls == [False, True], timeout=10_000)
    qtbot.waitUntil(lambda: p.chart.text() == CHART_FAILED, timeout=10_000)


def test_reopening_a_closed_vote_hides_its_results_again(console: Console, qtbot) -> None:
    _vote(console)
    p = console.panel
    with qtbot.waitSignal(p.chart.drawn, timeout=10_000):
        console.set_state(ActivityState.CLOSED)
    console.set_state(ActivityState.OPEN)
    qtbot.waitUntil(lambda: p.results_box.isHidden(), timeout=3000)
    assert p.model.rowCount() == 0 and p.chart.pixmap().isNull()


@pytest.mark.children
def test_a_closed_rating_round_shows_count_median_and_spread(console: Console, qtbot) -> None:
    room, p = console.room, console.panel
    child = room.join(room.group(GroupKind.CHILD))
    adult = room.join(room.group(GroupKind.PARENT))
    p.follow_activity(room.rate.id)
    room.set_state(room.rate, ActivityState.OPEN)
    room.rate_them(child, {0: 5})  # a happy face: 9
    room.rate_them(adult, {0: 7, 1: 2})
    qtbot.waitUntil(lambda: _turnout(console) == "2 of 2 people have rated", timeout=3000)
    assert p.results_box.isHidden()
    room.set_state(room.rate, ActivityState.CLOSED)
    qtbot.waitUntil(lambda: p.results_box.isVisible(), timeout=3000)
    assert _headers(console)[:9] == [
        "Statement",
        "Ratings",
        "Median",
        "IQR",
        "1–3",
        "4–6",
        "7–9",
        "Consensus",
        "How many gave\n1 … 9",
    ]
    assert _table(console) == [
        [
            "Standard 0",
            "2",
            "8",
            "7.5–8.5",
            "0%",
            "0%",
            "100%",
            "Consensus in",
            "0 0 0 0 0 0 1 0 1",
        ],
        ["Standard 1", "1", "2", "2", "100%", "0%", "0%", "Consensus out", "0 1 0 0 0 0 0 0 0"],
        ["Standard 2", "0", "–", "–", "–", "–", "–", "–", "0 0 0 0 0 0 0 0 0"],
    ]
    assert p.chart.isHidden()
    assert p.consensus_rules.text().startswith("Round 1 of the project. Consensus in: at least 70%")
    assert p.consensus_rules.text().endswith(ROUNDING_NOTE)  # the bands may add up to < 100
    p.by_group.setChecked(True)
    assert _headers(console)[9:] == [
        "Across groups",
        "Children 8–12\nmedian (ratings)",
        "Parents and carers\nmedian (ratings)",
        "Practitioners\nmedian (ratings)",
    ]
    # one rater per group: below the rules' minimum of 3, so no group is judged
    assert [row[9:] for row in _table(console)] == [
        ["Too few raters", "9 (1)\nToo few raters", "7 (1)\nToo few raters", "–"],
        ["Too few raters", "–", "2 (1)\nToo few raters", "–"],
        ["Too few raters", "–", "–", "–"],
    ]


@pytest.mark.children
def test_a_rating_round_shows_consensus_overall_by_group_and_across_groups(
    console: Console, qtbot
) -> None:
    room, p = console.room, console.panel
    children = [room.join(room.group(GroupKind.CHILD)) for _ in range(3)]
    parents = [room.join(room.group(GroupKind.PARENT)) for _ in range(3)]
    p.follow_activity(room.rate.id)
    room.set_state(room.rate, ActivityState.OPEN)
    for who, face in zip(children, (5, 5, 4), strict=True):  # 9 9 7: all agree
        room.rate_them(who, {0: face})
    for who, value in zip(parents, (8, 8, 5), strict=True):  # 2 of 3 agree (66.7%)
        room.rate_them(who, {0: value})
    room.set_state(room.rate, ActivityState.CLOSED)
    qtbot.waitUntil(lambda: p.results_box.isVisible(), timeout=3000)
    p.by_group.setChecked(True)
    first = dict(zip(_headers(console), _table(console)[0], strict=True))
    # overall 5 of 6 agree (83%), none disagree: in
    assert first["Consensus"] == "Consensus in"
    # the parents are not convinced, so not across groups; (3+1)/(3+2) x (2+1)/(3+2) = 0.48
    # and the words say which way each group went, never "No consensus" in every group
    assert first["Across groups"] == "Groups differ: 1 consensus in, 1 no consensus (score 0.48)"
    assert first["Children 8–12\nmedian (ratings)"] == "9 (3)\nConsensus in"
    assert first["Parents and carers\nmedian (ratings)"] == "8 (3)\nNo consensus"
    assert first["Practitioners\nmedian (ratings)"] == "–"


def test_shares_are_rounded_down_so_a_threshold_is_never_shown_as_met() -> None:
    # the console writes its shares with core.shares, the one rule (no helper of its own)
    from workshop_app.core.shares import percent_text
    from workshop_app.ui.votes import vote_tables

    assert vote_tables.percent_text is percent_text
    assert percent_text(139, 200) == "69%"  # 69.5%: not the 70% consensus asks for
    assert percent_text(7, 10) == "70%" and percent_text(0, 0) == "–"


@pytest.mark.children
def test_small_groups_are_shown_as_fewer_than_n_and_the_chart_is_not_split(
    console: Console, qtbot
) -> None:
    room, p = console.room, console.panel
    project_service.update_settings(room.p, min_cell_size=5)  # the default
    _vote(console)
    console.set_state(ActivityState.CLOSED)
    qtbot.waitUntil(lambda: p.results_box.isVisible(), timeout=3000)
    assert _headers(console)[4:8] == [
        "Children 8–12\n0 voted",  # nobody to identify
        "Parents and carers\nfewer than 5 voted",
        "Practitioners\nfewer than 5 voted",
        "No group chosen\nfewer than 5 voted",
    ]
    assert {cell for row in _table(console) for cell in row[5:8]} == {"fewer than 5"}
    with qtbot.waitSignal(p.chart.drawn, timeout=10_000):
        p.by_group.setChecked(True)
    assert p.chart._by_group is False  # a split bar would show a small group's dots

    children = [room.join(room.group(GroupKind.CHILD)) for _ in range(3)]
    p.follow_activity(room.rate.id)
    room.set_state(room.rate, ActivityState.OPEN)
    for who in children:
        room.rate_them(who, {0: 5})
    room.set_state(room.rate, ActivityState.CLOSED)
    qtbot.waitUntil(lambda: p.model.columnCount() > 9, timeout=3000)
    first = dict(zip(_headers(console), _table(console)[0], strict=True))
    assert first["Children 8–12\nmedian (ratings)"] == "fewer than 5"
    # a group too small to be shown is not judged either: no verdict that gives it away
    assert first["Across groups"] == "Too few raters"
    assert first["Ratings"] == "3"  # the overall figures stay
    assert "A group's figures from fewer than 5 raters read “fewer than 5”." in (
        p.consensus_rules.text()
    )


def test_an_agreement_round_is_shown_in_the_words_of_agreement(console: Console, qtbot) -> None:
    room, p = console.room, console.panel
    fields = ActivityFields.of(room.rate)
    sessions.update_activity(
        room.p,
        room.rate.id,
        replace(fields, settings=replace(fields.settings, question=RatingQuestion.AGREEMENT)),
    )
    adult = room.join(room.group(GroupKind.PARENT))
    p.follow_activity(room.rate.id)
    room.set_state(room.rate, ActivityState.OPEN)
    room.rate_them(adult, {0: 8})
    room.set_state(room.rate, ActivityState.CLOSED)
    qtbot.waitUntil(lambda: p.results_box.isVisible(), timeout=3000)
    assert p.scale_note.text() == (
        "Statements are rated for agreement from 1 (strongly disagree) to 9 (strongly agree): "
        "1–3 disagree, 4–6 unsure, 7–9 agree. Children's groups answer the same question with "
        "five faces, counted as 1, 3, 5, 7 and 9."
    )
