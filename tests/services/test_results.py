"""Votes and ratings from the facilitator's side (services/results.py).

Phones take part through the real participation service into a real project file; the
expected numbers are worked out by hand in each test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from workshop_app.core.errors import DomainError, StateError
from workshop_app.core.ids import new_id, utc_now
from workshop_app.core.model import (
    Activity,
    ActivityKind,
    ActivitySettings,
    ActivityState,
    GroupKind,
    Participant,
    Session,
    Standard,
    StandardLevel,
    VoteTarget,
)
from workshop_app.services import board, groups, live, sessions
from workshop_app.services import participation as phones
from workshop_app.services import project as project_service
from workshop_app.services import results as svc
from workshop_app.services.events import Changed, Topic
from workshop_app.services.project import OpenProject, update_settings
from workshop_app.services.sessions import ActivityFields, SessionDetails
from workshop_app.storage import standards
from workshop_app.storage.writer import Tx

_keys = iter(range(10**9))


def _key() -> str:
    return f"results-{next(_keys):08d}"


@dataclass
class Room:
    """A live session with a brainstorm (the board), a dot vote and a rating round."""

    p: OpenProject
    session: Session
    brainstorm: Activity
    vote: Activity
    rate: Activity
    themes: list[str]
    standards: list[str]
    people: list[Participant] = field(default_factory=list)

    def group(self, kind: GroupKind, n: int = 0) -> str:
        return [g.id for g in groups.list_groups(self.p) if g.kind is kind][n]

    def join(self, group: str | None = None) -> Participant:
        who = phones.join(self.p, self.session.id, group).result(5)
        self.people.append(who)
        return who

    def set_state(self, activity: Activity, *states: ActivityState) -> None:
        for state in states:
            live.set_activity_state(self.p, activity.id, state)

    def cast(self, who: Participant, dots: dict[int, int]) -> None:
        """Dots by theme index, sent the way a phone sends them."""
        allocation = {self.themes[i]: n for i, n in dots.items()}
        phones.cast_votes(self.p, who.id, self.vote.id, allocation, _key()).result(5)

    def rate_them(self, who: Participant, raw: dict[int, int]) -> None:
        ratings = {self.standards[i]: v for i, v in raw.items()}
        phones.rate(self.p, who.id, self.rate.id, ratings, _key()).result(5)


def make_room(
    p: OpenProject,
    *,
    themes: int = 4,
    budget: int | None = 5,
    cap: int | None = 3,
    vote_on: VoteTarget = VoteTarget.THEMES,
    go_live: bool = True,
    children: bool = False,  # children are invited too (only invited groups may join)
) -> Room:
    by_kind = {g.kind: g.id for g in reversed(groups.list_groups(p))}
    invited = (by_kind[GroupKind.PARENT], by_kind[GroupKind.PRACTITIONER])
    if children:
        invited = (by_kind[GroupKind.CHILD], *invited)
    s = sessions.create_session(p, SessionDetails("Evening", group_ids=invited))

    def add(kind: ActivityKind, title: str, **settings: Any) -> Activity:
        fields = ActivityFields(kind, title, settings=ActivitySettings(**settings))
        return sessions.add_activity(p, s.id, fields)

    brainstorm = add(ActivityKind.BRAINSTORM, "What matters")
    vote = add(
        ActivityKind.VOTE, "Priorities", vote_budget=budget, per_item_cap=cap, vote_on=vote_on
    )
    rate = add(ActivityKind.RATE, "Rate the statements", consensus_round=True)
    theme_ids = [board.create_theme(p, s.id, f"Theme {i}").theme_ids[0] for i in range(themes)]
    now = utc_now()
    stds = [
        Standard(
            id=new_id(),
            title=f"Standard {i}",
            statement=f"Statement {i}",
            rationale="",
            level=StandardLevel.EXPECTED,
            measures=(),
            audiences={},
            definitions={},
            position=i,
            version=1,
            source_theme_ids=(),
            source_note_ids=(),
            created_at=now,
            updated_at=now,
        )
        for i in range(3)
    ]

    def job(tx: Tx) -> None:
        for st in stds:
            standards.insert_standard(tx.db, st)

    p.store.write_now(job)
    if go_live:
        live.go_live(p, s.id)
    return Room(p, s, brainstorm, vote, rate, theme_ids, [st.id for st in stds])


@pytest.fixture
def room(project: OpenProject) -> Room:
    return make_room(project)


def _events(p: OpenProject) -> list[Changed]:
    seen: list[Changed] = []
    p.bus.subscribe(lambda e: seen.append(e) if isinstance(e, Changed) else None)
    return seen


# ---------------------------------------------------------------- rules


@pytest.mark.parametrize(
    ("themes", "cap_setting", "expected"),
    [(1, 10, 1), (3, 10, 1), (4, 10, 2), (7, 10, 3), (12, 10, 4), (40, 10, 10), (12, 2, 2)],
)
def test_the_automatic_budget_is_a_third_of_the_items_rounded_up_within_the_setting(
    project: OpenProject, themes: int, cap_setting: int, expected: int
) -> None:
    update_settings(project, vote_budget_cap=cap_setting)
    r = make_room(project, themes=themes, budget=None, cap=None)
    rules = svc.vote_rules(project, r.vote.id)
    assert (rules.budget, rules.budget_set, rules.automatic_budget) == (expected, None, expected)
    assert len(rules.items) == themes and rules.per_item_cap is None and rules.editable
    # the phones are told the very same budget
    who = r.join()
    live.set_activity_state(project, r.vote.id, ActivityState.OPEN)
    assert phones.phone_view(project, who).budget == expected


def test_explicit_rules_are_shown_as_set_beside_what_automatic_would_give(room: Room) -> None:
    rules = svc.vote_rules(room.p, room.vote.id)
    assert (rules.vote_on, rules.budget, rules.budget_set) == (VoteTarget.THEMES, 5, 5)
    assert (rules.automatic_budget, rules.per_item_cap) == (2, 3)
    assert [i.text for i in rules.items] == [f"Theme {i}" for i in range(4)]
    assert rules.state is ActivityState.PENDING and rules.locked_reason == ""


def test_voting_on_notes_lists_the_notes_on_show(project: OpenProject) -> None:
    r = make_room(project, vote_on=VoteTarget.NOTES)
    live.set_activity_state(project, r.brainstorm.id, ActivityState.OPEN)
    who = r.join()
    for text in ("Listen to us", "Safer apps"):
        phones.post_note(project, who.id, r.brainstorm.id, text, _key()).result(5)
    rules = svc.vote_rules(project, r.vote.id)
    assert rules.vote_on is VoteTarget.NOTES
    assert [i.text for i in rules.items] == ["Listen to us", "Safer apps"]


def test_changing_the_rules_stores_them_and_returns_the_old_ones_for_undo(room: Room) -> None:
    seen = _events(room.p)
    before = svc.vote_rules(room.p, room.vote.id)
    old = svc.set_vote_rules(room.p, room.vote.id, VoteTarget.NOTES, 8, 2)
    assert old == before
    after = sessions.get_activity(room.p, room.vote.id).settings
    assert (after.vote_on, after.vote_budget, after.per_item_cap) == (VoteTarget.NOTES, 8, 2)
    assert {e.topic for e in seen} >= {Topic.ACTIVITIES, Topic.CONTENT}
    assert all(e.session_id == room.session.id for e in seen)

    replaced = svc.restore_vote_rules(room.p, old)
    assert (replaced.vote_on, replaced.budget_set, replaced.per_item_cap) == (
        VoteTarget.NOTES,
        8,
        2,
    )
    assert svc.vote_rules(room.p, room.vote.id) == before


def test_automatic_budget_and_no_limit_are_stored_as_unset(room: Room) -> None:
    svc.set_vote_rules(room.p, room.vote.id, VoteTarget.THEMES, None, None)
    s = sessions.get_activity(room.p, room.vote.id).settings
    assert (s.vote_budget, s.per_item_cap) == (None, None)
    assert svc.vote_rules(room.p, room.vote.id).budget == 2


def test_other_settings_survive_a_change_of_rules(project: OpenProject) -> None:
    r = make_room(project)
    a = sessions.get_activity(project, r.vote.id)
    sessions.update_activity(
        project,
        a.id,
        ActivityFields(
            a.kind, a.title, settings=ActivitySettings(timer_seconds=300, vote_budget=5)
        ),
    )
    svc.set_vote_rules(project, a.id, VoteTarget.THEMES, 4, None)
    assert sessions.get_activity(project, a.id).settings.timer_seconds == 300


@pytest.mark.parametrize(
    ("budget", "cap", "message"),
    [
        (0, None, "at least 1 dot"),
        (-3, None, "at least 1 dot"),
        (5, 0, "at least 1"),
        (3, 4, "cannot be larger than the budget"),
        (51, None, "between 1 and 50"),
        (None, 3, "more than the dots each person has (2, automatic)"),
    ],
)
def test_rules_that_do_not_add_up_are_refused_and_nothing_changes(
    room: Room, budget: int | None, cap: int | None, message: str
) -> None:
    before = sessions.get_activity(room.p, room.vote.id)
    with pytest.raises(DomainError, match=message.replace("(", r"\(").replace(")", r"\)")):
        svc.set_vote_rules(room.p, room.vote.id, VoteTarget.THEMES, budget, cap)
    assert sessions.get_activity(room.p, room.vote.id) == before


@pytest.mark.parametrize("which", ["brainstorm", "rate"])
def test_only_a_dot_vote_has_rules(room: Room, which: str) -> None:
    activity = getattr(room, which)
    with pytest.raises(DomainError, match="not a dot vote"):
        svc.vote_rules(room.p, activity.id)
    with pytest.raises(DomainError, match="not a dot vote"):
        svc.set_vote_rules(room.p, activity.id, VoteTarget.THEMES, 3, None)


@pytest.mark.parametrize(
    "states",
    [
        (ActivityState.OPEN,),
        (ActivityState.OPEN, ActivityState.CLOSED),
        (ActivityState.OPEN, ActivityState.CLOSED, ActivityState.REVEALED),
    ],
)
def test_the_rules_are_locked_once_the_vote_has_opened(
    room: Room, states: tuple[ActivityState, ...]
) -> None:
    old = svc.set_vote_rules(room.p, room.vote.id, VoteTarget.THEMES, 4, 2)
    room.set_state(room.vote, *states)
    rules = svc.vote_rules(room.p, room.vote.id)
    assert not rules.editable and "unfair" in rules.locked_reason
    stored = sessions.get_activity(room.p, room.vote.id).settings
    with pytest.raises(StateError, match="unfair"):
        svc.set_vote_rules(room.p, room.vote.id, VoteTarget.NOTES, 9, None)
    with pytest.raises(StateError, match="unfair"):  # nor can an undo change them now
        svc.restore_vote_rules(room.p, old)
    assert sessions.get_activity(room.p, room.vote.id).settings == stored


def test_undo_restores_a_cap_above_the_automatic_budget_exactly(project: OpenProject) -> None:
    # Set in the activity editor: automatic budget (2 for 4 themes), at most 3 on one item.
    r = make_room(project, budget=None, cap=3)
    old = svc.set_vote_rules(project, r.vote.id, VoteTarget.THEMES, 6, 3)
    svc.restore_vote_rules(project, old)
    s = sessions.get_activity(project, r.vote.id).settings
    assert (s.vote_budget, s.per_item_cap) == (None, 3)


# ---------------------------------------------------------------- turnout


def test_turnout_counts_who_has_voted_among_those_joined_by_group(room: Room) -> None:
    parent, practitioner = room.group(GroupKind.PARENT), room.group(GroupKind.PRACTITIONER)
    p1, p2, _p3 = room.join(parent), room.join(parent), room.join(parent)
    q1, _q2 = room.join(practitioner), room.join(practitioner)
    anon = room.join()
    # asked for help only: not counted
    phones.request_help_as_newcomer(room.p, room.session.id, "", "help-only-1").result(5)
    room.set_state(room.vote, ActivityState.OPEN)
    before = svc.turnout(room.p, room.vote.id)
    assert (before.took_part, before.joined) == (0, 6)

    room.cast(p1, {0: 3})
    room.cast(p1, {1: 2})  # a change of mind is still one person
    room.cast(p2, {0: 1})
    room.cast(q1, {2: 2})
    room.cast(anon, {3: 1})
    t = svc.turnout(room.p, room.vote.id)
    assert (t.took_part, t.joined, t.kind) == (4, 6, ActivityKind.VOTE)
    assert [(g.name, g.took_part, g.joined) for g in t.groups] == [
        ("Parents and carers", 2, 3),
        ("Practitioners", 1, 2),
        ("No group chosen", 1, 1),
    ]


def test_turnout_lists_invited_groups_nobody_has_joined_from(room: Room) -> None:
    t = svc.turnout(room.p, room.vote.id)
    assert (t.took_part, t.joined) == (0, 0)
    assert [(g.name, g.took_part, g.joined) for g in t.groups] == [
        ("Parents and carers", 0, 0),
        ("Practitioners", 0, 0),
    ]


def test_turnout_of_a_rating_round_counts_raters(project: OpenProject) -> None:
    room = make_room(project, children=True)
    child = room.join(room.group(GroupKind.CHILD))
    adult = room.join(room.group(GroupKind.PARENT))
    room.join(room.group(GroupKind.PARENT))
    room.set_state(room.rate, ActivityState.OPEN)
    room.rate_them(child, {0: 5, 1: 4})
    room.rate_them(adult, {0: 7})
    t = svc.turnout(room.p, room.rate.id)
    assert (t.took_part, t.joined, t.kind) == (2, 3, ActivityKind.RATE)
    assert [(g.name, g.took_part, g.joined) for g in t.groups] == [
        ("Children 8–12", 1, 1),
        ("Parents and carers", 1, 2),
        ("Practitioners", 0, 0),
    ]


def test_turnout_is_only_for_votes_and_rating_rounds(room: Room) -> None:
    with pytest.raises(DomainError, match="not a vote or a rating round"):
        svc.turnout(room.p, room.brainstorm.id)


# ---------------------------------------------------------------- results


def _vote_four(room: Room) -> None:
    parent, practitioner = room.group(GroupKind.PARENT), room.group(GroupKind.PRACTITIONER)
    p1, p2, q1, anon = (
        room.join(parent),
        room.join(parent),
        room.join(practitioner),
        room.join(),
    )
    room.set_state(room.vote, ActivityState.OPEN)
    room.cast(p1, {0: 3, 1: 2})
    room.cast(p2, {0: 1, 2: 3})
    room.cast(q1, {1: 3, 2: 2})
    room.cast(anon, {0: 2, 3: 1})


@pytest.mark.parametrize(
    "states",
    [(), (ActivityState.OPEN,)],
    ids=["pending", "open"],
)
def test_results_are_refused_while_people_can_still_vote(
    room: Room, states: tuple[ActivityState, ...]
) -> None:
    room.set_state(room.vote, *states)
    with pytest.raises(StateError, match="once voting is closed"):
        svc.vote_results(room.p, room.vote.id)
    room.set_state(room.rate, *states)  # opening one closes the other
    with pytest.raises(StateError, match="once voting is closed"):
        svc.rating_summary(room.p, room.rate.id)


def test_results_rank_items_by_dots_with_voters_and_dots_by_group(room: Room) -> None:
    _vote_four(room)
    room.set_state(room.vote, ActivityState.CLOSED)
    r = svc.vote_results(room.p, room.vote.id)
    parent, practitioner = room.group(GroupKind.PARENT), room.group(GroupKind.PRACTITIONER)
    t = room.themes
    # Theme 0: 3 + 1 + 2 = 6 from three people; themes 1 and 2 tie on 5; theme 3 has 1.
    assert [(x.rank, x.item_id, x.text, x.dots, x.voters) for x in r.rows] == [
        (1, t[0], "Theme 0", 6, 3),
        (2, t[1], "Theme 1", 5, 2),
        (2, t[2], "Theme 2", 5, 2),
        (4, t[3], "Theme 3", 1, 1),
    ]
    assert [dict(x.dots_by_group) for x in r.rows] == [
        {parent: 4, None: 2},
        {parent: 2, practitioner: 3},
        {parent: 3, practitioner: 2},
        {None: 1},
    ]
    assert [(g.id, g.name) for g in r.groups] == [
        (parent, "Parents and carers"),
        (practitioner, "Practitioners"),
        (None, "No group chosen"),
    ]
    assert (r.title, r.state, r.revealed) == ("Priorities", ActivityState.CLOSED, False)
    assert all(x.on_board for x in r.rows)

    # issue 13: voters per group, each group's share of its own dots, and the rank when
    # every group counts equally (parents placed 9 dots, the practitioner 5; the person
    # with no group is not a group: Theme 0 (4/9 + 0) / 2, Theme 1 (2/9 + 3/5) / 2, ...)
    assert dict(r.voters_by_group) == {parent: 2, practitioner: 1, None: 1}
    assert dict(r.dots_by_group) == {parent: 9, practitioner: 5, None: 3}
    assert [x.equal_rank for x in r.rows] == [3, 1, 2, 4]
    assert r.rows[1].equal_score == pytest.approx((2 / 9 + 3 / 5) / 2)
    assert r.min_cell == 5  # the project's default: every group here is smaller
    assert [r.share(r.rows[0], g) for g in (parent, practitioner, None)] == ["fewer than 5"] * 3
    assert r.voters_text(parent) == "fewer than 5"
    project_service.update_settings(room.p, min_cell_size=1)
    r = svc.vote_results(room.p, room.vote.id)
    assert [r.share(r.rows[0], g) for g in (parent, practitioner, None)] == ["44%", "0%", "66%"]
    assert r.group_dots(r.rows[0], parent) == "4" and r.voters_text(parent) == "2"


def test_revealed_results_say_so(room: Room) -> None:
    _vote_four(room)
    room.set_state(room.vote, ActivityState.CLOSED, ActivityState.REVEALED)
    r = svc.vote_results(room.p, room.vote.id)
    assert r.revealed and r.rows[0].dots == 6


def test_with_no_votes_every_item_shares_first_place(room: Room) -> None:
    room.set_state(room.vote, ActivityState.OPEN, ActivityState.CLOSED)
    r = svc.vote_results(room.p, room.vote.id)
    assert [(x.rank, x.text, x.dots, x.voters) for x in r.rows] == [
        (1, f"Theme {i}", 0, 0) for i in range(4)
    ]


def test_an_item_removed_after_the_vote_keeps_its_dots_in_the_results(room: Room) -> None:
    _vote_four(room)
    room.set_state(room.vote, ActivityState.CLOSED)
    board.delete_theme(room.p, room.session.id, room.themes[0])
    r = svc.vote_results(room.p, room.vote.id)
    first = r.rows[0]
    assert (first.text, first.dots, first.on_board) == ("Theme 0", 6, False)
    assert [x.on_board for x in r.rows[1:]] == [True, True, True]


def test_results_are_read_in_a_fixed_number_of_queries_whatever_the_items(
    project: OpenProject,
) -> None:
    counts = []
    for n in (3, 30):
        r = make_room(project, themes=n, budget=5, cap=None)
        who = r.join()
        r.set_state(r.vote, ActivityState.OPEN)
        r.cast(who, {i: 1 for i in range(min(n, 5))})
        r.set_state(r.vote, ActivityState.CLOSED)
        live.end_session(project, r.session.id)
        statements: list[str] = []
        conn = project.store.reader().conn
        conn.set_trace_callback(statements.append)
        try:
            svc.vote_results(project, r.vote.id)
        finally:
            conn.set_trace_callback(None)
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 8


def test_rating_summary_gives_count_median_and_spread_overall_and_by_group(
    project: OpenProject,
) -> None:
    room = make_room(project, children=True)
    child_group, parent = room.group(GroupKind.CHILD), room.group(GroupKind.PARENT)
    practitioner = room.group(GroupKind.PRACTITIONER)
    child, adult, pro, anon = (
        room.join(child_group),
        room.join(parent),
        room.join(practitioner),
        room.join(),
    )
    room.set_state(room.rate, ActivityState.OPEN)
    room.rate_them(adult, {0: 7, 1: 3})
    room.rate_them(pro, {0: 9})
    room.rate_them(child, {0: 5, 1: 1})  # five faces: 5 counts as 9, 1 as 1
    room.rate_them(anon, {0: 4})
    room.set_state(room.rate, ActivityState.CLOSED)
    s = svc.rating_summary(room.p, room.rate.id)
    first, second, third = s.statements
    # Statement 0: 4, 7, 9, 9 -> median (7 + 9) / 2 = 8
    assert (first.title, first.overall.count, first.overall.median) == ("Standard 0", 4, 8.0)
    assert first.overall.counts == (0, 0, 0, 1, 0, 0, 1, 0, 2)
    assert {g: d.counts.index(1) + 1 for g, d in first.by_group.items()} == {
        parent: 7,
        practitioner: 9,
        child_group: 9,
        None: 4,
    }
    # Statement 1: 3 and 1 -> median 2
    assert (second.overall.count, second.overall.median) == (2, 2.0)
    assert (third.overall.count, third.overall.median, dict(third.by_group)) == (0, None, {})
    assert [g.name for g in s.groups] == [
        "Children 8–12",
        "Parents and carers",
        "Practitioners",
        "No group chosen",
    ]


def test_results_of_the_wrong_kind_are_refused(room: Room) -> None:
    room.set_state(room.rate, ActivityState.OPEN, ActivityState.CLOSED)
    with pytest.raises(DomainError, match="not a dot vote"):
        svc.vote_results(room.p, room.rate.id)
    with pytest.raises(DomainError, match="not a rating round"):
        svc.rating_summary(room.p, room.vote.id)


def test_the_voting_activities_of_a_session_are_its_votes_and_rating_rounds(room: Room) -> None:
    assert [a.id for a in svc.voting_activities(room.p, room.session.id)] == [
        room.vote.id,
        room.rate.id,
    ]


def test_the_chart_of_the_results_is_a_png(room: Room) -> None:
    _vote_four(room)
    room.set_state(room.vote, ActivityState.CLOSED)
    png = svc.vote_chart_png(
        svc.vote_results(room.p, room.vote.id), by_group=True, width_px=500, height_px=300
    )
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
