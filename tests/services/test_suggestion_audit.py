"""The theme-suggestion audit: what the board's suggestions proposed for each note and what
the facilitator did with them, kept in the project file (schema v6) and read back from
the research data export (theme_suggestions.csv)."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.services.test_board import Room
from workshop_app.core.redaction import REMOVED, Decision, DetailKind
from workshop_app.core.suggestion_audit import (
    AuditDecision,
    ProposalRecord,
    audit_note,
    redact_label,
    removed_words,
)
from workshop_app.services import board as svc
from workshop_app.services import datasets, privacy, suggestions
from workshop_app.services.suggestions import BoardSuggestion

# Room's notes: 0-1 parents and apps, 2-3 police, 4-5 training, 6-7 a trusted adult.


@pytest.fixture
def room(project) -> Room:
    return Room(project)


def _shown(room: Room, *groups: tuple[str, tuple[int, ...]]) -> tuple[BoardSuggestion, ...]:
    """Suggestions as the engine would give them (label, notes), shown on the board."""
    found = [
        BoardSuggestion(label, tuple(room.notes[i] for i in notes), tuple(label.split()))
        for label, notes in groups
    ]
    return suggestions.record_shown(room.p, room.board(), found)


def _audit(room: Room, tmp_path: Path) -> dict[str, dict[str, str]]:
    """theme_suggestions.csv of the session, read back from the written file, by note."""
    out = tmp_path / "out"
    datasets.write_csv(room.p, room.session_id, out)
    text = (out / "theme_suggestions.csv").read_bytes().decode("utf-8-sig")
    return {r["note_id"]: r for r in csv.DictReader(io.StringIO(text, newline=""))}


def test_showing_suggestions_keeps_what_was_proposed_in_the_file(room):
    shown = _shown(room, ("police reply report", (2, 3)), ("trusted adult", (6, 7)))
    assert all(s.suggestion_id for s in shown)
    conn = sqlite3.connect(room.p.path)
    rows = conn.execute(
        "SELECT label, keywords, theme_id, position FROM theme_suggestions ORDER BY position"
    ).fetchall()
    notes = conn.execute("SELECT count(*), sum(taken) FROM theme_suggestion_notes").fetchone()
    conn.close()
    assert rows == [
        ("police reply report", '["police", "reply", "report"]', None, 0),
        ("trusted adult", '["trusted", "adult"]', None, 1),
    ]
    assert notes == (4, 0)


def test_each_note_reads_accepted_changed_rejected_or_not_suggested(room, tmp_path):
    shown = _shown(room, ("police reply report", (2, 3)), ("trusted adult", (6, 7)))
    made = svc.accept_suggestions(room.p, room.session_id, [shown[0].proposal()])
    police = made.theme_ids[0]
    svc.rename_theme(room.p, room.session_id, police, "Police responses")
    training = room.theme("Training", 4, 5)
    svc.move_notes(room.p, room.session_id, [room.notes[3]], training)  # out of the accepted
    room.theme("Someone to tell", 6)  # the facilitator's own theme for a rejected proposal

    audit = _audit(room, tmp_path)

    assert len(audit) == len(room.notes)  # one row per exported note
    kept = audit[room.notes[2]]
    assert kept["decision"] == "accepted"
    assert kept["proposed_theme"] == "police reply report"
    assert kept["proposed_keywords"] == "police; reply; report"
    assert kept["accepted_theme_id"] == kept["final_theme_id"] == police
    assert kept["final_theme_name"] == "Police responses"
    assert kept["renamed"] == "true" and kept["times_proposed"] == "1"
    moved = audit[room.notes[3]]
    assert moved["decision"] == "changed"
    assert moved["accepted_theme_id"] == police and moved["final_theme_id"] == training
    assert moved["renamed"] == ""
    rejected = audit[room.notes[6]]
    assert rejected["decision"] == "rejected" and rejected["proposed_theme"] == "trusted adult"
    assert rejected["accepted_theme_id"] == "" and rejected["final_theme_name"] == "Someone to tell"
    assert audit[room.notes[7]]["decision"] == "rejected"
    assert audit[room.notes[7]]["final_theme_id"] == ""
    for i in (0, 1, 4, 5):
        row = audit[room.notes[i]]
        assert row["decision"] == "not_suggested" and row["proposed_theme"] == ""
        assert row["times_proposed"] == "0"
    assert audit[room.notes[4]]["final_theme_name"] == "Training"


def test_an_undone_accept_is_not_an_accept_and_redoing_it_is(room, tmp_path):
    shown = _shown(room, ("trusted adult", (6, 7)))
    made = svc.accept_suggestions(room.p, room.session_id, [shown[0].proposal()])
    svc.remove_themes(room.p, room.session_id, made.theme_ids, made.previous)  # undo
    assert _audit(room, tmp_path)[room.notes[6]]["decision"] == "rejected"

    svc.restore_themes(room.p, room.session_id, made.theme_ids)  # redo
    row = _audit(room, tmp_path)[room.notes[6]]
    assert row["decision"] == "accepted" and row["renamed"] == "false"


def test_deleting_an_accepted_theme_later_counts_as_changed(room, tmp_path):
    shown = _shown(room, ("trusted adult", (6, 7)))
    made = svc.accept_suggestions(room.p, room.session_id, [shown[0].proposal()])
    svc.delete_theme(room.p, room.session_id, made.theme_ids[0])
    assert _audit(room, tmp_path)[room.notes[6]]["decision"] == "changed"


def test_a_note_already_in_a_theme_is_not_taken_by_an_accepted_suggestion(room, tmp_path):
    own = room.theme("Someone to tell", 7)
    shown = _shown(room, ("trusted adult", (6, 7)))
    svc.accept_suggestions(room.p, room.session_id, [shown[0].proposal()])
    audit = _audit(room, tmp_path)
    assert audit[room.notes[6]]["decision"] == "accepted"
    assert audit[room.notes[7]]["decision"] == "rejected"  # it stayed where it was
    assert audit[room.notes[7]]["final_theme_id"] == own


def test_the_accepted_suggestion_counts_when_a_note_was_proposed_several_times(room, tmp_path):
    _shown(room, ("adult safe", (6, 7)))  # shown, then asked for again
    again = _shown(room, ("trusted adult", (6, 7)))
    svc.accept_suggestions(room.p, room.session_id, [again[0].proposal()])
    _shown(room, ("kids tell", (6,)))  # a later showing, not accepted
    row = _audit(room, tmp_path)[room.notes[6]]
    assert row["decision"] == "accepted" and row["proposed_theme"] == "trusted adult"
    assert row["times_proposed"] == "3"


def test_a_suggestion_not_kept_for_the_audit_still_makes_a_theme(room, tmp_path):
    found = BoardSuggestion("trusted adult", (room.notes[6],), ("trusted",))
    made = svc.accept_suggestions(room.p, room.session_id, [found.proposal()])
    assert made.theme_ids
    assert _audit(room, tmp_path)[room.notes[6]]["decision"] == "not_suggested"


def test_words_removed_in_the_privacy_review_are_removed_from_proposed_labels(room, tmp_path):
    # note 1: "my dad has no idea what Snapchat is"
    shown = _shown(room, ("snapchat dad idea", (0, 1)))
    privacy.decide(room.p, room.notes[1], "Snapchat", DetailKind.NAME, Decision.REMOVE)
    svc.accept_suggestions(room.p, room.session_id, [shown[0].proposal()])
    audit = _audit(room, tmp_path)
    for i in (0, 1):  # the label of note 0's suggestion is made of note 1's words too
        assert audit[room.notes[i]]["proposed_theme"] == f"{REMOVED} dad idea"
        assert audit[room.notes[i]]["proposed_keywords"] == f"{REMOVED}; dad; idea"


def test_words_deleted_from_the_project_are_deleted_from_stored_labels(room):
    _shown(room, ("snapchat dad idea", (0, 1)))
    privacy.delete_original(room.p, room.notes[1], "Snapchat")
    conn = sqlite3.connect(room.p.path)
    rows = conn.execute("SELECT label, keywords FROM theme_suggestions").fetchall()
    conn.close()
    assert rows == [(f"{REMOVED} dad idea", f'["{REMOVED}", "dad", "idea"]')]


def test_suggestions_for_a_board_without_an_activity_are_not_kept(project):
    b = svc.Board("no-session", None)
    found = (BoardSuggestion("x y", ("n",), ("x",)),)
    assert suggestions.record_shown(project, b, found) == found


@pytest.mark.parametrize(
    ("records", "final", "decision"),
    [
        ((), None, AuditDecision.NOT_SUGGESTED),
        ((("s1", "t1", True, True),), "t1", AuditDecision.ACCEPTED),
        ((("s1", "t1", True, True),), "t2", AuditDecision.CHANGED),
        ((("s1", "t1", True, True),), None, AuditDecision.CHANGED),
        ((("s1", None, False, False),), "t9", AuditDecision.REJECTED),
        ((("s1", "t1", False, True),), "t1", AuditDecision.REJECTED),  # undone
        ((("s1", "t1", True, False),), "t1", AuditDecision.REJECTED),  # not taken in
        ((("s1", "t1", True, True), ("s2", None, False, False)), "t1", AuditDecision.ACCEPTED),
    ],
)
def test_the_audit_rule(records, final, decision):
    proposals = [ProposalRecord(s, "label", (), t, a, k) for s, t, a, k in records]
    assert audit_note(proposals, final).decision is decision


def test_label_words_holding_a_removed_word_are_removed_whatever_their_case():
    gone = removed_words(["Jo Bloggs", "jo.bloggs@example.com"])
    assert redact_label("jo's bloggs online safety", gone, "[x]") == "[x] [x] online safety"
    assert redact_label("online safety", frozenset(), "[x]") == "online safety"


_WORDS = st.lists(st.text(st.characters(categories=("L", "N", "P")), min_size=1, max_size=8))


@given(label=_WORDS, fragments=_WORDS)
def test_no_part_of_a_removed_fragment_survives_in_a_label(label, fragments):
    gone = removed_words(fragments)
    cleaned = redact_label(" ".join(label), gone, "[x]")
    survivors = removed_words(w for w in cleaned.split(" ") if w != "[x]")
    assert not survivors & gone
    assert len(cleaned.split(" ")) == len(" ".join(label).split(" "))
