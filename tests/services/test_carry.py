"""Carrying priorities forward (services/carry.py): the themes of earlier sessions with
their dots by group, brought onto a later board with where they came from; real project
files, numbers worked out by hand."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from workshop_app.core.errors import DomainError, NotFoundError
from workshop_app.core.ids import new_id, utc_now
from workshop_app.core.model import ActivityKind, GroupKind, Participant, Vote
from workshop_app.services import board, carry, groups, moderation, sessions
from workshop_app.services.carry import NO_EARLIER, Carried
from workshop_app.services.demo import write_demo
from workshop_app.services.events import Changed, Topic
from workshop_app.services.project import OpenProject, open_project
from workshop_app.services.sessions import ActivityFields, SessionDetails
from workshop_app.storage import contributions
from workshop_app.storage.writer import Tx


@dataclass
class Project:
    """Session A (1 March): children and parents; themes “Apps” (two children's notes) and
    “Police” (a parent's note); a dot vote. Session B (1 April) and C (no date): boards."""

    p: OpenProject
    a: str
    b: str
    c: str
    child: str
    parent: str
    apps: str
    police: str

    def board_names(self, session_id: str) -> list[str]:
        return [t.name for t in board.board(self.p, session_id).themes]


def _session(p: OpenProject, title: str, day: date | None, group_ids: tuple[str, ...]) -> str:
    s = sessions.create_session(p, SessionDetails(title, day, group_ids=group_ids))
    sessions.add_activity(p, s.id, ActivityFields(ActivityKind.BRAINSTORM, "Ideas"))
    return s.id


def _vote(
    p: OpenProject, session_id: str, ballots: list[tuple[str | None, dict[str, int]]]
) -> None:
    """Each ballot: a new participant of that group and their dots on theme ids."""
    vote = sessions.add_activity(p, session_id, ActivityFields(ActivityKind.VOTE, "Priorities"))

    def job(tx: Tx) -> None:
        for group_id, dots in ballots:
            pid = new_id()
            contributions.insert_participant(
                tx.db, Participant(pid, session_id, group_id, utc_now())
            )
            for target, n in dots.items():
                contributions.upsert_vote(tx.db, Vote(new_id(), vote.id, pid, target, n, utc_now()))

    p.store.write_now(job)


@pytest.fixture
def proj(project: OpenProject) -> Project:
    p = project
    child = next(g.id for g in groups.list_groups(p) if g.kind is GroupKind.CHILD)
    parent = next(g.id for g in groups.list_groups(p) if g.kind is GroupKind.PARENT)
    a = _session(p, "Session A", date(2026, 3, 1), (child, parent))
    brainstorm = sessions.list_activities(p, a)[0].id
    notes = [
        moderation.capture_paper_note(p, brainstorm, text, group).id
        for text, group in (
            ("my parents don't get the apps", child),
            ("apps should be safer", child),
            ("the police never call back", parent),
        )
    ]
    apps = board.create_theme(p, a, "Apps", "Sky", notes[:2]).theme_ids[0]
    police = board.create_theme(p, a, "Police", "Coral", notes[2:]).theme_ids[0]
    # child 1: Apps 2, Police 1; child 2: Apps 1; parent: Police 3
    _vote(p, a, [(child, {apps: 2, police: 1}), (child, {apps: 1}), (parent, {police: 3})])
    b = _session(p, "Session B", date(2026, 4, 1), (child, parent))
    c = _session(p, "Session C", None, (child, parent))
    return Project(p, a, b, c, child, parent, apps, police)


# ---------------------------------------------------------------- reading


def test_priorities_give_each_earlier_theme_its_dots_by_group(proj: Project) -> None:
    pr = carry.priorities(proj.p, proj.b)
    assert pr.explanation == "" and pr.board_activity_id is not None
    assert [(g.id, g.name) for g in pr.groups] == [
        (proj.child, "Children 8–12"),
        (proj.parent, "Parents and carers"),
    ]
    police, apps = pr.items  # most dots first
    assert (police.name, police.rank, police.dots, police.voters, police.notes) == (
        "Police",
        1,
        4,
        2,
        1,
    )
    assert dict(police.dots_by_group) == {proj.child: 1, proj.parent: 3}
    assert (apps.name, apps.rank, apps.dots, apps.voters, apps.notes) == ("Apps", 2, 3, 2, 2)
    assert dict(apps.dots_by_group) == {proj.child: 3}
    # children gave 4 dots in all, parents 3
    assert dict(apps.share_by_group) == {proj.child: 0.75}
    assert dict(police.share_by_group) == {proj.child: 0.25, proj.parent: 1.0}
    # how many of each group voted in the session: what small-cell suppression counts
    assert dict(apps.voters_by_group) == {proj.child: 2, proj.parent: 1}
    assert pr.min_cell == 5 and pr.withheld(apps, proj.child) and pr.withheld(apps, proj.parent)
    assert apps.session.title == "Session A" and apps.session.date == date(2026, 3, 1)
    assert apps.colour == "#8ECAE6" and apps.carried_as == ()
    assert apps.came_from is not None
    assert [s.title for s in apps.came_from.sessions] == ["Session A"]
    assert apps.came_from.groups == ("Children 8–12",)


def test_only_earlier_sessions_count_and_an_undated_one_comes_last(proj: Project) -> None:
    first = carry.priorities(proj.p, proj.a)
    assert first.items == () and first.explanation == NO_EARLIER
    assert {i.session.title for i in carry.priorities(proj.p, proj.c).items} == {"Session A"}
    board.create_theme(proj.p, proj.b, "New in B")
    assert [i.name for i in carry.priorities(proj.p, proj.c).items] == [
        "Police",
        "Apps",
        "New in B",
    ]
    assert [i.name for i in carry.priorities(proj.p, proj.b).items] == ["Police", "Apps"]


def test_ties_share_a_rank_and_themes_without_dots_are_listed(proj: Project) -> None:
    board.create_theme(proj.p, proj.a, "Quiet")
    items = carry.priorities(proj.p, proj.b).items
    assert [(i.name, i.rank, i.dots) for i in items] == [
        ("Police", 1, 4),
        ("Apps", 2, 3),
        ("Quiet", 3, 0),
    ]
    _vote(proj.p, proj.a, [(proj.parent, {proj.apps: 1})])  # a second vote: Apps 4, Police 4
    items = carry.priorities(proj.p, proj.b).items
    assert [(i.name, i.rank, i.dots) for i in items][:2] == [("Apps", 1, 4), ("Police", 1, 4)]


def test_a_deleted_theme_is_no_longer_a_priority(proj: Project) -> None:
    board.delete_theme(proj.p, proj.a, proj.apps)
    assert [i.name for i in carry.priorities(proj.p, proj.b).items] == ["Police"]


def test_a_target_without_a_board_says_why(proj: Project) -> None:
    s = sessions.create_session(proj.p, SessionDetails("Talk only", date(2026, 5, 1)))
    pr = carry.priorities(proj.p, s.id)
    assert pr.board_activity_id is None and "no brainstorm or cluster" in pr.explanation
    with pytest.raises(DomainError, match="no brainstorm or cluster"):
        carry.carry_forward(proj.p, s.id, [proj.apps])


# ---------------------------------------------------------------- bringing in


def test_bring_in_makes_themes_named_like_the_originals_with_exact_undo(proj: Project) -> None:
    events: list[object] = []
    proj.p.bus.subscribe(events.append)
    board.create_theme(proj.p, proj.b, "Police")  # a name already on the board
    before = board.board(proj.p, proj.b)
    carried = carry.carry_forward(proj.p, proj.b, [proj.apps, proj.police])
    after = board.board(proj.p, proj.b)
    assert [t.name for t in after.themes] == ["Police", "Apps", "Police (2)"]
    new = after.themes[1:]
    assert [t.id for t in new] == list(carried.theme_ids)
    assert [t.colour for t in new] == ["#8ECAE6", "#F28482"]
    assert all(t.note_ids == () for t in new)  # the notes stay in their own session
    assert Changed(Topic.CONTENT, proj.b, None) in events
    pr = carry.priorities(proj.p, proj.b)
    assert {i.name: i.carried_as for i in pr.items} == {
        "Police": (carried.theme_ids[1],),
        "Apps": (carried.theme_ids[0],),
    }
    carry.undo_carry(proj.p, carried)
    assert board.board(proj.p, proj.b).themes == before.themes
    assert all(i.carried_as == () for i in carry.priorities(proj.p, proj.b).items)
    carry.redo_carry(proj.p, carried)
    assert board.board(proj.p, proj.b).themes == after.themes


def test_combine_makes_one_theme_that_remembers_every_original(proj: Project) -> None:
    carried = carry.carry_forward(
        proj.p, proj.b, [proj.police, proj.apps], combine=True, name=" Being heard "
    )
    assert len(carried.theme_ids) == 1 and proj.board_names(proj.b) == ["Being heard"]
    o = carry.origins(proj.p, carried.theme_ids[0])
    assert o.carried and [s.title for s in o.sessions] == ["Session A"]
    assert o.groups == ("Children 8–12", "Parents and carers")
    assert carry.origins_on_board(proj.p, proj.b) == {carried.theme_ids[0]: o}
    default = carry.carry_forward(proj.p, proj.c, [proj.apps, proj.police], combine=True)
    assert proj.board_names(proj.c) == ["Apps"] and len(default.theme_ids) == 1


def test_a_theme_carried_twice_remembers_every_session_behind_it(proj: Project) -> None:
    in_b = carry.carry_forward(proj.p, proj.b, [proj.apps]).theme_ids[0]
    # notes from session B's parents join the carried theme there
    brainstorm = sessions.list_activities(proj.p, proj.b)[0].id
    note = moderation.capture_paper_note(proj.p, brainstorm, "apps again", proj.parent).id
    board.move_notes(proj.p, proj.b, [note], in_b)
    item = next(i for i in carry.priorities(proj.p, proj.c).items if i.theme_id == in_b)
    assert item.came_from is not None
    assert [s.title for s in item.came_from.sessions] == ["Session A", "Session B"]
    assert item.came_from.groups == ("Children 8–12", "Parents and carers")
    in_c = carry.carry_forward(proj.p, proj.c, [in_b]).theme_ids[0]
    o = carry.origins(proj.p, in_c)
    assert [s.title for s in o.sessions] == ["Session A", "Session B"]
    assert o.groups == ("Children 8–12", "Parents and carers")
    board.delete_theme(proj.p, proj.a, proj.apps)  # the original, deleted since
    assert carry.origins(proj.p, in_c) == o


def test_a_theme_that_was_not_carried_has_no_origins(proj: Project) -> None:
    o = carry.origins(proj.p, proj.apps)
    assert not o.carried and o.groups == ()
    assert carry.origins_on_board(proj.p, proj.a) == {}
    with pytest.raises(NotFoundError):
        carry.origins(proj.p, "no-such-theme")


@pytest.mark.parametrize(
    ("ids", "error", "message"),
    [
        ([], DomainError, "at least one theme"),
        (["no-such-theme"], NotFoundError, "no longer among the priorities"),
    ],
)
def test_refused_bring_ins_say_why(
    proj: Project, ids: list[str], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        carry.carry_forward(proj.p, proj.b, ids)
    assert proj.board_names(proj.b) == []


def test_only_themes_of_earlier_sessions_can_be_brought_in(proj: Project) -> None:
    later = board.create_theme(proj.p, proj.b, "Later").theme_ids[0]
    with pytest.raises(NotFoundError):
        carry.carry_forward(proj.p, proj.a, [later])
    with pytest.raises(DomainError, match="limit is 80"):
        carry.carry_forward(proj.p, proj.b, [proj.apps, proj.police], combine=True, name="x" * 81)
    assert proj.board_names(proj.b) == ["Later"]


# ---------------------------------------------------------------- the demo, and queries


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.cground"
    write_demo(path)
    return path


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> Iterator[OpenProject]:
    path = tmp_path / "demo.cground"
    shutil.copy(demo_file, path)
    with open_project(path) as p:
        yield p


def test_the_joint_workshop_sees_the_four_preparatory_sessions_by_group(
    demo: OpenProject,
) -> None:
    joint = next(s for s in sessions.list_sessions(demo) if s.title == "Joint priorities workshop")
    pr = carry.priorities(demo, joint.id)
    assert [g.name for g in pr.groups] == [
        "Children 8–12",
        "Young people 13–18",
        "Parents and carers",
        "Practitioners",
    ]
    titles = list(dict.fromkeys(i.session.title for i in pr.items))
    assert len(titles) == 4 and all("workshop" in t for t in titles)
    for item in pr.items:  # a preparatory session is one group: its dots are all theirs
        assert sum(item.dots_by_group.values()) == item.dots
        assert len(item.dots_by_group) <= 1
    by_session: dict[str, float] = {}
    for item in pr.items:
        for share in item.share_by_group.values():
            by_session[item.session.id] = by_session.get(item.session.id, 0) + share
    assert all(abs(total - 1.0) < 1e-9 for total in by_session.values())


def _statements(p: OpenProject, session_id: str) -> int:
    seen: list[str] = []
    conn = p.store.reader().conn
    conn.set_trace_callback(seen.append)
    try:
        carry.priorities(p, session_id)
    finally:
        conn.set_trace_callback(None)
    return len(seen)


def test_priorities_are_read_in_a_fixed_number_of_queries(demo: OpenProject) -> None:
    last = sessions.list_sessions(demo)[-2]  # the first round of ratings: many earlier
    sessions.add_activity(demo, last.id, ActivityFields(ActivityKind.BRAINSTORM, "More"))
    before = _statements(demo, last.id)
    first = sessions.list_sessions(demo)[0]
    for n in range(10):
        board.create_theme(demo, first.id, f"Extra {n}")
    carry.carry_forward(demo, last.id, [i.theme_id for i in carry.priorities(demo, last.id).items])
    assert _statements(demo, last.id) == before <= 12


def test_bringing_in_is_refused_for_a_carried_result_on_another_board(proj: Project) -> None:
    carried = carry.carry_forward(proj.p, proj.b, [proj.apps])
    with pytest.raises(NotFoundError):
        carry.undo_carry(proj.p, Carried(proj.c, carried.theme_ids))
    assert proj.board_names(proj.b) == ["Apps"]
