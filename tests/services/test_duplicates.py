"""Possible duplicates among a brainstorm's notes (services/duplicates.py), read from a real
project file; the model's part with the shipped model, and without it."""

from __future__ import annotations

import pytest

from workshop_app.core.model import ActivityKind, ActivityState, GroupKind
from workshop_app.infra.paths import shipped_plans_dir
from workshop_app.services import duplicates, groups, live, moderation, sessions, suggestions
from workshop_app.services import participation as phones
from workshop_app.services.plans import load_plan
from workshop_app.services.sessions import SessionDetails


@pytest.fixture(scope="module")
def engine() -> suggestions.ThemeEngine:
    engine = suggestions.ThemeEngine(suggestions.ThemeModel())
    suggestions.load_model(engine)
    return engine


@pytest.fixture
def room(project):
    """A live children's session, its first brainstorm open, one phone posting."""
    child = next(g for g in groups.list_groups(project) if g.kind is GroupKind.CHILD)
    plan = load_plan(shipped_plans_dir() / "prep-children-8-12.toml")
    s = sessions.create_session(project, SessionDetails("Club", group_ids=(child.id,)), plan)
    live.go_live(project, s.id)
    brainstorm = next(
        a for a in sessions.list_activities(project, s.id) if a.kind is ActivityKind.BRAINSTORM
    )
    live.set_activity_state(project, brainstorm.id, ActivityState.OPEN)
    who = phones.join(project, s.id, child.id).result()
    keys = iter(range(10_000))

    def post(text: str) -> str:
        key = f"dup-key-{next(keys):05d}"
        answer = phones.post_note(project, who.id, brainstorm.id, text, key).result()
        return str(answer.body["note"]["id"])

    return project, s, brainstorm, who, post


TEXTS = [
    "tell a teacher",  # 0
    "Parents don't understand TikTok",  # 1
    "tell the teacher!!",  # 2: the same as 0
    "I would tell my teacher",  # 3: the same as 0
    "parents dont understand tiktok 😩",  # 4: the same as 1
    "tell the police",  # 5
    "👍",  # 6
    "👍",  # 7
]


def _found(search: duplicates.DuplicateSearch, ids: list[str]) -> set[tuple[int, int]]:
    index = {n: i for i, n in enumerate(ids)}
    return {(index[g.original.id], index[r.id]) for g in search.groups for r in g.repeats}


def test_exact_repeats_are_found_without_the_model_and_say_so(room, tmp_path):
    project, _s, brainstorm, _who, post = room
    ids = [post(t) for t in TEXTS]
    broken = suggestions.ThemeEngine(suggestions.ThemeModel(tmp_path / "no-model-here"))
    found = duplicates.find_for_activity(project, brainstorm.id, broken)
    assert _found(found, ids) == {(0, 2), (0, 3), (1, 4)}
    assert not found.paraphrases and "theme model" in found.problem
    assert found.repeats == 3
    assert all(g.exact == {r.id for r in g.repeats} for g in found.groups)
    none = duplicates.find_for_activity(project, brainstorm.id, None)
    assert _found(none, ids) == _found(found, ids) and none.problem == ""


def test_paraphrases_are_found_with_the_model_and_never_different_answers(room, engine):
    project, _s, brainstorm, _who, post = room
    more = [
        "parents should check the apps their kids use",  # 8
        "parents need to check what apps their children use",  # 9: the same as 8 (cosine 0.94)
        "I'd go to the police",  # 10
        "I wouldn't go to the police",  # 11: the opposite of 10 (cosine 0.85)
    ]
    ids = [post(t) for t in [*TEXTS, *more]]
    found = duplicates.find_for_activity(project, brainstorm.id, engine)
    assert found.paraphrases and found.problem == ""
    assert _found(found, ids) == {(0, 2), (0, 3), (1, 4), (8, 9)}
    (paraphrase,) = [g for g in found.groups if g.original.id == ids[8]]
    assert paraphrase.exact == frozenset()


def test_hidden_taken_back_and_already_marked_notes_are_not_proposed(room):
    project, _s, brainstorm, who, post = room
    texts = ("tell a teacher", "Tell a teacher!", "tell a teacher.", "TELL A TEACHER")
    ids = [post(t) for t in texts]
    ids += [post("Block them"), post("block them!!")]
    moderation.hide(project, ids[1])
    phones.withdraw_note(project, who.id, ids[2], "dup-take-back").result()
    moderation.mark_duplicate(project, ids[5], ids[4])
    found = duplicates.find_for_activity(project, brainstorm.id)
    assert _found(found, ids) == {(0, 3)}


def test_a_dismissed_pair_is_not_proposed_again(room):
    project, _s, brainstorm, _who, post = room
    ids = [post(t) for t in ("tell a teacher", "tell the teacher!!", "Tell a teacher")]
    found = duplicates.find_for_activity(project, brainstorm.id, ignore=[(ids[0], ids[1])])
    assert _found(found, ids) == {(0, 2)}


def test_marking_a_proposal_makes_it_go_away_and_undoing_brings_it_back(room):
    project, _s, brainstorm, _who, post = room
    ids = [post(t) for t in ("tell a teacher", "tell the teacher!!")]
    (group,) = duplicates.find_for_activity(project, brainstorm.id).groups
    before = moderation.mark_duplicates(project, [n.id for n in group.repeats], group.original.id)
    assert duplicates.find_for_activity(project, brainstorm.id).groups == ()
    moderation.restore_duplicates(project, before)
    assert len(duplicates.find_for_activity(project, brainstorm.id).groups) == 1
    assert ids


def test_a_sessions_candidates_are_per_brainstorm(room):
    project, s, _brainstorm, _who, post = room
    post("tell a teacher")
    lists = duplicates.session_candidates(project, s.id)
    assert sum(len(notes) for notes in lists) == 1
