"""The merge plan's rules, one by one, on rows written out by hand."""

from __future__ import annotations

import hashlib
from typing import Any

from workshop_app.core.merge import MERGE_EDITOR, REMOVED_THERE, derived_id, plan_merge

T0, T1, T2 = "2026-01-01T10:00:00+00:00", "2026-01-01T11:00:00+00:00", "2026-01-01T12:00:00+00:00"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def plan(source: dict[str, list[dict[str, Any]]], target: dict[str, list[dict[str, Any]]], **kw):
    return plan_merge(source, target, text_hash=sha, source_title="Area B", **kw)


def note(i: str, text: str, **kw: Any) -> dict[str, Any]:
    row = {
        "id": i,
        "activity_id": "act",
        "participant_id": None,
        "group_id": None,
        "text": text,
        "original_text": text,
        "idempotency_key": None,
        "flagged_at": None,
        "flag_note": "",
        "updated_at": T0,
    }
    return {**row, **kw}


def test_a_session_live_on_the_other_laptop_comes_across_closed() -> None:
    p = plan({"sessions": [{"id": "s", "state": "live"}]}, {})
    assert p.inserts["sessions"] == [{"id": "s", "state": "closed"}]


def test_a_note_edited_on_one_laptop_keeps_this_text_and_records_the_other() -> None:
    p = plan({"notes": [note("n", "theirs", updated_at=T2)]}, {"notes": [note("n", "ours")]})
    [edit] = p.inserts["note_edits"]
    assert edit == {
        "id": derived_id("merge-note-text", "n", "theirs"),
        "note_id": "n",
        "old_text": "theirs",
        "new_text": "ours",
        "edited_by": MERGE_EDITOR,
        "created_at": T2,
    }
    assert "notes" not in p.inserts and not p.updates
    again = plan(
        {"notes": [note("n", "theirs", updated_at=T2)]},
        {"notes": [note("n", "ours")], "note_edits": [edit]},
    )
    assert again.empty


def test_a_safeguarding_flag_stays_raised_from_when_it_was_first_raised() -> None:
    there = note("n", "x", flagged_at=T0, flag_note="call the lead")
    assert plan({"notes": [there]}, {"notes": [note("n", "x")]}).updates == [
        ("notes", "n", {"flagged_at": T0, "flag_note": "call the lead"})
    ]
    here = note("n", "x", flagged_at=T1, flag_note="ours")
    p = plan({"notes": [there]}, {"notes": [here]})
    assert p.updates == [("notes", "n", {"flagged_at": T0})]
    assert [k.what for k in p.kept] == ["a safeguarding follow-up note"]


def test_a_phone_retry_key_already_used_here_is_dropped_from_the_newcomer() -> None:
    p = plan(
        {"notes": [note("new", "x", idempotency_key="k")]},
        {"notes": [note("old", "y", idempotency_key="k")]},
    )
    assert p.inserts["notes"][0]["idempotency_key"] is None


def test_a_note_already_in_a_theme_of_the_board_here_stays_there() -> None:
    themes = [
        {"id": "ours", "activity_id": "board", "deleted_at": None, "name": "Ours"},
        {"id": "theirs", "activity_id": "board", "deleted_at": None, "name": "Theirs"},
    ]
    p = plan(
        {"themes": themes, "theme_notes": [{"theme_id": "theirs", "note_id": "n"}]},
        {"themes": themes[:1], "theme_notes": [{"theme_id": "ours", "note_id": "n"}]},
    )
    assert "theme_notes" not in p.inserts
    assert p.held_back["a note already in a theme here"] == 1


def test_a_participants_ballot_here_is_not_added_to() -> None:
    vote = {"activity_id": "v", "participant_id": "pp", "target_id": "t", "dots": 1}
    p = plan(
        {
            "votes": [
                {**vote, "id": "v2", "target_id": "u"},
                {**vote, "id": "v3", "participant_id": "q"},
            ]
        },
        {"votes": [{**vote, "id": "v1"}]},
    )
    assert [v["id"] for v in p.inserts["votes"]] == ["v3"]
    assert p.held_back["a participant's ballot already here"] == 1


def standard(i: str, statement: str, version: int = 1, position: int = 0) -> dict[str, Any]:
    return {
        "id": i,
        "title": "Trusted adult",
        "statement": statement,
        "rationale": "",
        "level": "expected",
        "measures": "[]",
        "audiences": "{}",
        "definitions": "{}",
        "child_wording": None,
        "external_references": "[]",
        "position": position,
        "version": version,
        "deleted_at": None,
    }


def version(i: str, n: int, statement: str) -> dict[str, Any]:
    return {"standard_id": i, "version": n, "title": "Trusted adult", "statement": statement,
            "rationale": ""}  # fmt: skip


def rating(i: str, v: int | None) -> dict[str, Any]:
    return {"id": i, "activity_id": "r", "participant_id": i, "standard_id": "s", "version": v}


def test_a_standard_edited_on_both_keeps_ours_and_brings_theirs_beside_with_its_ratings() -> None:
    source = {
        "standards": [standard("s", "Theirs", version=2)],
        "standard_versions": [version("s", 1, "Base"), version("s", 2, "Theirs")],
        "ratings": [rating("r1", 1), rating("r2", 2), rating("r3", None)],
    }
    target = {
        "standards": [standard("s", "Ours", version=2, position=3)],
        "standard_versions": [version("s", 1, "Base"), version("s", 2, "Ours")],
    }
    p = plan(source, target)
    [flag] = p.flagged
    [copy] = p.inserts["standards"]
    assert copy["id"] == flag.copy_id != "s" and copy["statement"] == "Theirs"
    assert copy["position"] == 3  # beside ours
    assert p.inserts["merged_standards"] == [
        {"standard_id": flag.copy_id, "original_id": "s", "settled_at": None}
    ]
    assert {(v["standard_id"], v["version"]) for v in p.inserts["standard_versions"]} == {
        (flag.copy_id, 1),
        (flag.copy_id, 2),
    }
    # a rating of the wording both share stays; one of their wording goes with it
    rated = {r["id"]: r["standard_id"] for r in p.inserts["ratings"]}
    assert rated == {"r1": "s", "r2": flag.copy_id, "r3": "s"}


def test_new_groups_and_standards_go_after_ours_and_a_taken_name_says_where_it_came_from() -> None:
    group = {"kind": "other", "child_friendly": 0, "deleted_at": None}
    p = plan(
        {
            "stakeholder_groups": [
                {**group, "id": "b1", "name": "Police", "kind": "practitioner", "position": 0},
                {**group, "id": "b2", "name": "Youth club", "position": 1},
            ],
            "standards": [standard("new", "New", position=0)],
        },
        {
            "stakeholder_groups": [{**group, "id": "a1", "name": "police", "position": 4}],
            "standards": [standard("s", "Ours", position=6)],
        },
    )
    assert [(g["name"], g["position"]) for g in p.inserts["stakeholder_groups"]] == [
        ("Police (from Area B)", 5),
        ("Youth club", 6),
    ]
    assert [(s["id"], s["position"]) for s in p.inserts["standards"]] == [("new", 7)]
    assert [(m.source.name, m.target.name) for m in p.offered] == [("Police", "police")]


def test_an_accepted_match_points_the_sources_rows_at_our_group() -> None:
    group = {"kind": "parent", "child_friendly": 0, "deleted_at": None, "position": 0}
    source = {
        "stakeholder_groups": [{**group, "id": "b", "name": "Parents & carers"}],
        "participants": [{"id": "pp", "session_id": "x", "group_id": "b"}],
        "notes": [note("n", "hello", group_id="b")],
    }
    target = {"stakeholder_groups": [{**group, "id": "a", "name": "Parents and carers"}]}
    apart = plan(source, target)
    assert apart.inserts["stakeholder_groups"][0]["id"] == "b"
    together = plan(source, target, accept=["b"])
    assert "stakeholder_groups" not in together.inserts
    assert together.inserts["participants"][0]["group_id"] == "a"
    assert together.inserts["notes"][0]["group_id"] == "a"


def test_a_kept_vector_comes_only_while_it_was_made_from_the_notes_text_here() -> None:
    vec = {"model": "m", "dimension": 1, "vector": b"\0\0\0\0", "created_at": T0}
    p = plan(
        {
            "notes": [note("n1", "new"), note("n2", "theirs")],
            "note_vectors": [
                {**vec, "note_id": "n1", "text_hash": sha("new")},
                {**vec, "note_id": "n2", "text_hash": sha("theirs")},
            ],
        },
        {"notes": [note("n2", "ours")]},
    )
    assert [v["note_id"] for v in p.inserts["note_vectors"]] == ["n1"]


def test_settings_that_differ_are_listed_and_ours_kept() -> None:
    p = plan(
        {"settings": [{"key": "a", "value": "1"}, {"key": "b", "value": "[1, 2]"}]},
        {"settings": [{"key": "a", "value": "2"}, {"key": "b", "value": "[1,2]"}]},
    )
    assert p.settings_differ == ["a"] and "settings" not in p.inserts


def test_words_removed_on_one_laptop_only_are_never_brought_back_and_are_pointed_out() -> None:
    here_removed = note("n", "Call [removed]", original_text="Call [removed]")
    there = note("n", "Call Sam", updated_at=T1)
    p = plan({"notes": [there], "note_edits": [
        {"id": "e", "note_id": "n", "old_text": "Cal Sam", "new_text": "Call Sam"}]},
        {"notes": [here_removed]})  # fmt: skip
    assert "note_edits" not in p.inserts
    assert p.held_back["words removed here for good"] == 2
    other_way = plan({"notes": [here_removed]}, {"notes": [there]})
    assert other_way.held_back[REMOVED_THERE] == 1
    [edit] = other_way.inserts["note_edits"]
    assert edit["new_text"] == "Call Sam"  # this project's text stays what it shows
