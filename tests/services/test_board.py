"""The theme board (services/board.py and the board part of services/suggestions.py),
read back from real project files."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from workshop_app.core.errors import DomainError, NotFoundError
from workshop_app.core.model import ActivityKind, GroupKind, NoteStatus
from workshop_app.infra.paths import shipped_plans_dir
from workshop_app.services import board as svc
from workshop_app.services import groups, moderation, sessions, suggestions
from workshop_app.services.board import PALETTE, Board, Proposal
from workshop_app.services.demo import write_demo
from workshop_app.services.events import Changed, Topic
from workshop_app.services.plans import load_plan
from workshop_app.services.project import open_project
from workshop_app.services.sessions import ActivityFields, SessionDetails

TEXTS = [
    "parents don't understand the apps we use",
    "my dad has no idea what Snapchat is",
    "the police take ages to reply to a report",
    "reporting abuse to the police feels pointless",
    "teachers need training about online grooming",
    "school staff should learn how to spot grooming",
    "I want a trusted adult to talk to",
    "kids need someone safe they can tell",
]


class Room:
    """A parents' session (three brainstorms, then a cluster activity) with eight notes."""

    def __init__(self, project, plan: str = "prep-parents-carers"):
        self.p = project
        parent = next(g for g in groups.list_groups(project) if g.kind is GroupKind.PARENT)
        self.group = parent
        s = sessions.create_session(
            project, SessionDetails("Evening", group_ids=(parent.id,)), load_plan(_plan(plan))
        )
        self.session_id = s.id
        self.activities = sessions.list_activities(project, s.id)
        self.brainstorms = [a for a in self.activities if a.kind is ActivityKind.BRAINSTORM]
        self.notes = [
            moderation.capture_paper_note(project, self.brainstorms[i % 2].id, text, parent.id).id
            for i, text in enumerate(TEXTS)
        ]

    def board(self) -> Board:
        return svc.board(self.p, self.session_id)

    def theme(self, name: str, *note_indexes: int, colour: str = "") -> str:
        made = svc.create_theme(
            self.p, self.session_id, name, colour, [self.notes[i] for i in note_indexes]
        )
        return made.theme_ids[0]


def _plan(plan_id: str) -> Path:
    return shipped_plans_dir() / f"{plan_id}.toml"


@pytest.fixture
def room(project) -> Room:
    return Room(project)


def _one_place_each(b: Board) -> None:
    seen: list[str] = [n for t in b.themes for n in t.note_ids]
    assert len(seen) == len(set(seen)), "a note is in two themes"
    assert set(seen) | set(b.unthemed) == {n.id for n in b.notes}
    assert not set(seen) & set(b.unthemed)


# ---------------------------------------------------------------- reading


def test_the_board_lives_on_the_cluster_activity_with_the_brainstorms_notes(room):
    cluster = next(a for a in room.activities if a.kind is ActivityKind.CLUSTER)
    assert svc.board_activity_id(room.p, room.session_id) == cluster.id
    b = room.board()
    assert b.activity_id == cluster.id and b.themes == ()
    assert [n.text for n in b.notes] == TEXTS[0::2] + TEXTS[1::2]  # agenda order, then time
    assert {n.group_name for n in b.notes} == {room.group.name}
    assert set(b.unthemed) == set(room.notes)


def test_without_a_cluster_activity_the_last_brainstorm_holds_the_themes(project):
    room = Room(project)
    cluster = next(a for a in room.activities if a.kind is ActivityKind.CLUSTER)
    sessions.delete_activity(project, cluster.id)
    assert svc.board_activity_id(project, room.session_id) == room.brainstorms[-1].id
    tid = room.theme("Apps", 0)
    assert room.board().theme(tid) is not None


def test_a_session_without_notes_activities_has_no_board_and_says_why(project):
    s = sessions.create_session(project, SessionDetails("Talk only"))
    sessions.add_activity(project, s.id, ActivityFields(ActivityKind.INFO, "Welcome"))
    assert svc.board_activity_id(project, s.id) is None
    b = svc.board(project, s.id)
    assert b.activity_id is None and "no brainstorm or cluster activity" in b.explanation
    with pytest.raises(DomainError, match="no brainstorm or cluster"):
        svc.create_theme(project, s.id, "Anything")


def test_hidden_and_taken_back_notes_are_not_on_the_board_and_come_back(room):
    tid = room.theme("Apps", 0, 1)
    moderation.hide(room.p, room.notes[0])
    b = room.board()
    assert room.notes[0] not in {n.id for n in b.notes}
    assert b.theme(tid).note_ids == (room.notes[1],)
    moderation.approve(room.p, room.notes[0])
    assert room.board().theme(tid).note_ids == (room.notes[0], room.notes[1])


def test_the_demo_boards_show_every_demo_theme(tmp_path: Path):
    write_demo(tmp_path / "demo.cground")
    with open_project(tmp_path / "demo.cground") as p:
        first = sessions.list_sessions(p)[0]
        b = svc.board(p, first.id)
        assert len(b.themes) == 6 and len(b.notes) == 26
        assert sum(len(t.note_ids) for t in b.themes) + len(b.unthemed) == 26
        for s in sessions.list_sessions(p):
            _one_place_each(svc.board(p, s.id))


# ---------------------------------------------------------------- actions and their inverses

# (name, action(room) -> result, undo(room, result), redo(room, result) or None)
Step = tuple[
    str,
    Callable[[Room], object],
    Callable[[Room, object], object],
    Callable[[Room, object], object] | None,
]


def _prepared(room: Room) -> dict[str, str]:
    return {
        "apps": room.theme("Apps", 0, 1),
        "police": room.theme("Police", 2, 3, colour="Sky"),
        "school": room.theme("School", 4),
    }


STEPS: list[Step] = [
    (
        "create",
        lambda r: svc.create_theme(r.p, r.session_id, "Trust", "", [r.notes[6], r.notes[0]]),
        lambda r, x: svc.remove_themes(r.p, r.session_id, x.theme_ids, x.previous),
        lambda r, x: svc.restore_themes(r.p, r.session_id, x.theme_ids),
    ),
    (
        "rename",
        lambda r: svc.rename_theme(r.p, r.session_id, r.t["apps"], "Apps and games"),
        lambda r, old: svc.rename_theme(r.p, r.session_id, r.t["apps"], old),
        None,
    ),
    (
        "recolour",
        lambda r: svc.recolour_theme(r.p, r.session_id, r.t["police"], "#123456"),
        lambda r, old: svc.recolour_theme(r.p, r.session_id, r.t["police"], old),
        None,
    ),
    (
        "delete",
        lambda r: svc.delete_theme(r.p, r.session_id, r.t["police"]),
        lambda r, x: svc.restore_themes(r.p, r.session_id, (x.id,)),
        None,
    ),
    (
        "move in",
        lambda r: svc.move_notes(r.p, r.session_id, [r.notes[0], r.notes[7]], r.t["school"]),
        lambda r, prev: svc.place_notes(r.p, r.session_id, prev),
        None,
    ),
    (
        "move out",
        lambda r: svc.move_notes(r.p, r.session_id, [r.notes[2]], None),
        lambda r, prev: svc.place_notes(r.p, r.session_id, prev),
        None,
    ),
    (
        "merge",
        lambda r: svc.merge_themes(r.p, r.session_id, [r.t["apps"], r.t["police"]], r.t["school"]),
        lambda r, x: svc.restore_themes(r.p, r.session_id, x.theme_ids),
        None,
    ),
    (
        "split",
        lambda r: svc.split_theme(r.p, r.session_id, r.t["police"], [r.notes[3]], "Reporting"),
        lambda r, x: svc.remove_themes(r.p, r.session_id, x.theme_ids, x.previous),
        lambda r, x: svc.restore_themes(r.p, r.session_id, x.theme_ids),
    ),
    (
        "accept",
        lambda r: svc.accept_suggestions(
            r.p,
            r.session_id,
            [
                Proposal("Talk", (r.notes[6], r.notes[7])),
                Proposal("Mixed", (r.notes[5], r.notes[0])),
            ],
        ),
        lambda r, x: svc.remove_themes(r.p, r.session_id, x.theme_ids, x.previous),
        lambda r, x: svc.restore_themes(r.p, r.session_id, x.theme_ids),
    ),
    (
        "reorder",
        lambda r: svc.move_theme(r.p, r.session_id, r.t["school"], 0),
        lambda r, old: svc.move_theme(r.p, r.session_id, r.t["school"], old),
        None,
    ),
]


@pytest.mark.parametrize(("name", "do", "undo", "redo"), STEPS, ids=[s[0] for s in STEPS])
def test_each_action_changes_the_board_and_its_undo_and_redo_are_exact(room, name, do, undo, redo):
    room.t = _prepared(room)
    before = room.board()
    result = do(room)
    after = room.board()
    assert after != before, f"{name} changed nothing"
    _one_place_each(after)
    undo(room, result)
    assert room.board() == before
    (redo or (lambda r, _x: do(r)))(room, result)
    assert room.board() == after
    undo(room, result)
    assert room.board() == before


def test_undoing_many_random_actions_in_reverse_restores_the_first_board(room):
    rng = random.Random(5)
    first = room.board()
    undos: list[Callable[[], object]] = []
    names = iter(f"Theme {i}" for i in range(1000))
    for _ in range(60):
        b = room.board()
        _one_place_each(b)
        themes = [t.id for t in b.themes]
        notes = rng.sample(room.notes, rng.randint(1, 3))
        choice = rng.choice(["create", "move", "out", "delete", "merge", "split"])
        if choice == "create" or not themes:
            made = svc.create_theme(room.p, room.session_id, next(names), "", notes)
            undos.append(
                lambda m=made: svc.remove_themes(room.p, room.session_id, m.theme_ids, m.previous)
            )
        elif choice in ("move", "out"):
            target = rng.choice(themes) if choice == "move" else None
            prev = svc.move_notes(room.p, room.session_id, notes, target)
            undos.append(lambda prev=prev: svc.place_notes(room.p, room.session_id, prev))
        elif choice == "delete":
            gone = svc.delete_theme(room.p, room.session_id, rng.choice(themes))
            undos.append(lambda g=gone: svc.restore_themes(room.p, room.session_id, (g.id,)))
        elif choice == "merge" and len(themes) > 1:
            into, *others = rng.sample(themes, rng.randint(2, len(themes)))
            merged = svc.merge_themes(room.p, room.session_id, [into, *others], into)
            undos.append(lambda m=merged: svc.restore_themes(room.p, room.session_id, m.theme_ids))
        elif choice == "split":
            full = [t for t in b.themes if t.note_ids]
            if not full:
                continue
            theme = rng.choice(full)
            part = theme.note_ids[: rng.randint(1, len(theme.note_ids))]
            made = svc.split_theme(room.p, room.session_id, theme.id, part, next(names))
            undos.append(
                lambda m=made: svc.remove_themes(room.p, room.session_id, m.theme_ids, m.previous)
            )
        else:
            continue
        undos[-1].board_after = room.board()  # type: ignore[attr-defined]
    assert len(undos) > 40 and len(room.board().themes) > 1
    for undo in reversed(undos):
        assert room.board() == undo.board_after  # type: ignore[attr-defined]
        undo()
        _one_place_each(room.board())
    assert room.board() == first


def test_a_note_put_into_a_theme_leaves_the_theme_it_was_in(room):
    apps = room.theme("Apps", 0, 1)
    police = room.theme("Police", 2)
    prev = svc.move_notes(room.p, room.session_id, [room.notes[0]], police)
    assert prev == {room.notes[0]: apps}
    b = room.board()
    assert b.theme(apps).note_ids == (room.notes[1],)
    assert b.theme(police).note_ids == (room.notes[0], room.notes[2])
    again = svc.create_theme(room.p, room.session_id, "New", "", [room.notes[0]])
    assert again.previous == {room.notes[0]: police}
    _one_place_each(room.board())


def test_deleting_a_theme_keeps_its_notes_and_restoring_brings_both_back(room):
    apps = room.theme("Apps", 0, 1)
    gone = svc.delete_theme(room.p, room.session_id, apps)
    assert gone.name == "Apps" and gone.note_ids == (room.notes[0], room.notes[1])
    b = room.board()
    assert b.theme(apps) is None
    assert set(b.unthemed) == set(room.notes), "the notes are still on the board"
    assert [n.text for n in moderation.list_wall(room.p, room.brainstorms[0].id)] == TEXTS[0::2]
    svc.restore_theme(room.p, room.session_id, apps)
    assert room.board().theme(apps).note_ids == (room.notes[0], room.notes[1])


def test_merging_and_undoing_splits_each_theme_back_with_its_own_notes(room):
    a, b, c = room.theme("A", 0), room.theme("B", 1, 2), room.theme("C", 3)
    merged = svc.merge_themes(room.p, room.session_id, [a, b, c], c)
    assert merged.into_id == c and merged.theme_ids == (a, b)
    board = room.board()
    assert [t.id for t in board.themes] == [c]
    assert set(board.theme(c).note_ids) == set(room.notes[:4])
    svc.restore_themes(room.p, room.session_id, merged.theme_ids)
    board = room.board()
    assert [board.theme(t).note_ids for t in (a, b, c)] == [
        (room.notes[0],),
        (room.notes[1], room.notes[2]),
        (room.notes[3],),
    ]


def test_splitting_moves_the_chosen_notes_into_a_new_theme(room):
    police = room.theme("Police", 2, 3, 4)
    made = svc.split_theme(room.p, room.session_id, police, [room.notes[4]], "Schools", "Mint")
    b = room.board()
    new = b.theme(made.theme_ids[0])
    assert (new.name, new.colour, new.note_ids) == ("Schools", "#84DCC6", (room.notes[4],))
    assert b.theme(police).note_ids == (room.notes[2], room.notes[3])


# ---------------------------------------------------------------- suggestions accepted


def test_accepting_suggestions_creates_themes_of_the_unthemed_notes_only(room):
    apps = room.theme("Apps", 0)
    made = svc.accept_suggestions(
        room.p,
        room.session_id,
        [
            Proposal("Apps", (room.notes[0], room.notes[1])),  # note 0 is themed: left alone
            Proposal("Police", (room.notes[2], room.notes[1], room.notes[3])),  # 1 went first
            Proposal("Nothing left", (room.notes[0],)),  # nothing unthemed: not created
        ],
    )
    b = room.board()
    assert [b.theme(t).name for t in made.theme_ids] == ["Apps (2)", "Police"]
    assert b.theme(made.theme_ids[0]).note_ids == (room.notes[1],)
    assert b.theme(made.theme_ids[1]).note_ids == (room.notes[2], room.notes[3])
    assert b.theme(apps).note_ids == (room.notes[0],)
    assert len({b.theme(t).colour for t in (apps, *made.theme_ids)}) == 3, "different colours"
    _one_place_each(b)


def test_the_facilitator_may_take_themed_notes_into_an_accepted_theme(room):
    apps = room.theme("Apps", 0, 1)
    made = svc.accept_suggestions(
        room.p, room.session_id, [Proposal("Parents", (room.notes[0],))], take_themed=True
    )
    assert made.previous == {room.notes[0]: apps}
    assert room.board().theme_of(room.notes[0]) == made.theme_ids[0]


def test_accepting_only_themed_notes_is_refused_and_changes_nothing(room):
    room.theme("Apps", 0, 1)
    before = room.board()
    with pytest.raises(DomainError, match="all in themes already"):
        svc.accept_suggestions(room.p, room.session_id, [Proposal("X", (room.notes[0],))])
    assert room.board() == before


# ---------------------------------------------------------------- refusals


def _other_session_note(room: Room) -> str:
    other = Room(room.p)
    return other.notes[0]


REFUSALS: list[tuple[str, Callable[[Room], object], type[Exception], str]] = [
    ("empty name", lambda r: svc.create_theme(r.p, r.session_id, "   "), DomainError, "empty"),
    ("long name", lambda r: svc.create_theme(r.p, r.session_id, "x" * 81), DomainError, "limit"),
    (
        "taken name",
        lambda r: svc.create_theme(r.p, r.session_id, "apps"),
        DomainError,
        "already a theme called",
    ),
    (
        "rename to taken",
        lambda r: svc.rename_theme(r.p, r.session_id, r.t["police"], "APPS"),
        DomainError,
        "already",
    ),
    (
        "bad colour",
        lambda r: svc.recolour_theme(r.p, r.session_id, r.t["apps"], "reddish"),
        DomainError,
        "Coral, Sky",
    ),
    (
        "short hex",
        lambda r: svc.create_theme(r.p, r.session_id, "New", "#fff"),
        DomainError,
        "six hexadecimal",
    ),
    (
        "note of another session",
        lambda r: svc.move_notes(r.p, r.session_id, [_other_session_note(r)], r.t["apps"]),
        NotFoundError,
        "no longer on the board",
    ),
    (
        "unknown theme",
        lambda r: svc.move_notes(r.p, r.session_id, [r.notes[5]], "nope"),
        NotFoundError,
        "theme is no longer",
    ),
    (
        "deleted theme",
        lambda r: (
            svc.delete_theme(r.p, r.session_id, r.t["police"]),
            svc.rename_theme(r.p, r.session_id, r.t["police"], "Back"),
        ),
        NotFoundError,
        "theme is no longer",
    ),
    (
        "nothing to move",
        lambda r: svc.move_notes(r.p, r.session_id, [], r.t["apps"]),
        DomainError,
        "at least one note",
    ),
    (
        "merge one theme",
        lambda r: svc.merge_themes(r.p, r.session_id, [r.t["apps"]], r.t["apps"]),
        DomainError,
        "at least two",
    ),
    (
        "split notes of another theme",
        lambda r: svc.split_theme(r.p, r.session_id, r.t["apps"], [r.notes[2]], "Bits"),
        DomainError,
        "Only notes in “Apps”",
    ),
    (
        "hidden note",
        lambda r: (
            moderation.hide(r.p, r.notes[6]),
            svc.move_notes(r.p, r.session_id, [r.notes[6]], r.t["apps"]),
        ),
        NotFoundError,
        "hidden or taken back",
    ),
]


@pytest.mark.parametrize(("name", "act", "error", "words"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refused_actions_say_why_and_change_nothing(room, name, act, error, words):
    room.t = {"apps": room.theme("Apps", 0, 1), "police": room.theme("Police", 2)}
    before = room.board()
    with pytest.raises(error, match=words):
        act(room)
    after = room.board()
    if name not in ("deleted theme", "hidden note"):  # these changed the board on purpose first
        assert after == before


def test_a_theme_of_another_session_cannot_be_used_on_this_board(room):
    other = Room(room.p)
    theirs = other.theme("Theirs", 0)
    with pytest.raises(NotFoundError):
        svc.rename_theme(room.p, room.session_id, theirs, "Mine")
    with pytest.raises(NotFoundError):
        svc.move_notes(room.p, room.session_id, [room.notes[0]], theirs)


def test_colours_come_from_the_palette_by_name_or_as_hex():
    assert svc.clean_colour(" sky ") == "#8ECAE6"
    assert svc.clean_colour("#a1b2c3") == "#A1B2C3"
    assert svc.colour_name("#8ecae6") == "Sky"
    assert svc.colour_name("#A1B2C3") == "#A1B2C3"


@pytest.mark.parametrize(("name", "colour"), PALETTE)
def test_black_text_is_easy_to_read_on_every_palette_colour(name, colour):
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    assert (luminance + 0.05) / 0.05 >= 7, name


def test_each_change_is_announced_for_the_session_after_commit(room):
    seen: list[object] = []
    room.p.bus.subscribe(seen.append)
    tid = room.theme("Apps", 0)
    svc.rename_theme(room.p, room.session_id, tid, "Apps and games")
    assert seen == [
        Changed(Topic.CONTENT, room.session_id, tid),
        Changed(Topic.CONTENT, room.session_id, tid),
    ]


# ---------------------------------------------------------------- suggestions (real model)


@pytest.fixture(scope="module")
def engine() -> suggestions.ThemeEngine:
    engine = suggestions.ThemeEngine(suggestions.ThemeModel())
    suggestions.load_model(engine)
    return engine


def test_suggestions_cover_only_the_notes_not_yet_in_a_theme(room, engine):
    room.theme("Police", 2, 3)
    found = suggestions.suggest_for_board(room.board(), engine)
    covered = [n for s in found for n in s.note_ids]
    assert sorted(covered) == sorted(set(room.notes) - {room.notes[2], room.notes[3]})
    assert all(s.label for s in found)
    proposal = found[0].proposal()
    assert proposal.name == found[0].label and proposal.note_ids == found[0].note_ids


@pytest.mark.parametrize(
    ("label", "name"), [("  ", "Suggested theme"), ("x" * 90, "x" * 80), ("apps", "apps")]
)
def test_a_suggestion_becomes_a_proposal_with_a_usable_name(label, name):
    proposal = suggestions.BoardSuggestion(label, ("a", "b"), ()).proposal()
    assert (proposal.name, proposal.note_ids) == (name, ("a", "b"))


def test_notes_like_these_are_unthemed_notes_most_like_the_anchors(room, engine):
    room.theme("Talk", 6)
    similar = suggestions.similar_notes(room.board(), [room.notes[2]], top=3, engine=engine)
    assert similar[0] == room.notes[3], "the other police note is the closest"
    assert room.notes[2] not in similar and room.notes[6] not in similar
    assert suggestions.similar_notes(room.board(), [], engine=engine) == ()


def test_a_missing_model_is_a_model_error_for_people(tmp_path: Path):
    broken = suggestions.ThemeEngine(suggestions.ThemeModel(tmp_path / "nowhere"))
    with pytest.raises(suggestions.ModelError):
        suggestions.load_model(broken)


def test_status_of_notes_is_untouched_by_every_board_action(room):
    tid = room.theme("Apps", 0, 1)
    svc.delete_theme(room.p, room.session_id, tid)
    wall = moderation.list_wall(room.p, room.brainstorms[0].id)
    assert all(n.status is NoteStatus.SHOWN for n in wall)
    assert sorted(n.text for n in wall) == sorted(TEXTS[0::2])


@pytest.mark.parametrize(
    ("moving", "into"), [((0, 3, 7), "b"), ((1,), "a"), ((1, 2), None), ((5,), "b")]
)
def test_a_board_moved_in_memory_is_the_board_the_move_stores(room, moving, into):
    """What a console draws at once while a move is on its way is what is then stored."""
    themes = {"a": room.theme("A", 1, 2), "b": room.theme("B", 5, 6)}
    ids = [room.notes[i] for i in moving]
    theme_id = themes[into] if into else None
    drawn = room.board().moved(ids, theme_id)
    svc.move_notes(room.p, room.session_id, ids, theme_id)
    stored = room.board()
    assert [(t.id, t.note_ids) for t in drawn.themes] == [(t.id, t.note_ids) for t in stored.themes]
    assert drawn.unthemed == stored.unthemed


def test_moving_in_memory_into_a_theme_not_on_the_board_changes_nothing(room):
    b = room.board()
    assert b.moved([room.notes[0]], "no-such-theme") is b
