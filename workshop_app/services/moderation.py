"""Moderating the note wall: approve, hide, correct, flag, mark duplicates, and type in
paper sticky notes. The facilitator's actions; never reachable over HTTP.

Nothing here deletes what a participant wrote: hiding keeps the note, a correction keeps
the original text and every step of its history, a duplicate keeps both notes.
"""

from __future__ import annotations

from workshop_app.core.errors import DomainError, NotFoundError
from workshop_app.core.ids import new_id, utc_now
from workshop_app.core.model import (
    ActivityKind,
    Note,
    NoteEdit,
    NoteSource,
    NoteStatus,
)
from workshop_app.core.participation import HELP_MESSAGE_MAX, clean_note
from workshop_app.core.validate import clean_text
from workshop_app.services.events import Changed, Topic
from workshop_app.services.project import OpenProject
from workshop_app.storage import contributions as contrib
from workshop_app.storage import moderation as repo
from workshop_app.storage import participation as notes_repo
from workshop_app.storage import projects as project_repo
from workshop_app.storage import sessions as session_repo
from workshop_app.storage.writer import Tx


def list_wall(p: OpenProject, activity_id: str) -> list[Note]:
    """Every note of an activity the console shows: pending, shown and hidden (not withdrawn)."""
    return contrib.list_notes(p.store.reader(), activity_id)


def history(p: OpenProject, note_id: str) -> list[NoteEdit]:
    return repo.note_history(p.store.reader(), note_id)


def set_status(p: OpenProject, note_id: str, status: NoteStatus) -> Note:
    """Approve (shown), hide, or put back to pending; returns the note as it was before."""

    def job(tx: Tx) -> Note:
        note = _note(tx, note_id)
        if note.status is not status:
            repo.set_status(tx.db, note.id, status, utc_now())
            _emit(tx, note)
        return note

    return p.store.write_now(job)


def approve(p: OpenProject, note_id: str) -> Note:
    return set_status(p, note_id, NoteStatus.SHOWN)


def hide(p: OpenProject, note_id: str) -> Note:
    return set_status(p, note_id, NoteStatus.HIDDEN)


def correct_text(p: OpenProject, note_id: str, text: str) -> Note:
    """Fix a typo. The original text and each step stay in the note's history."""
    text = clean_note(text)

    def job(tx: Tx) -> Note:
        note = _note(tx, note_id)
        if text != note.text:
            notes_repo.edit_note_text(tx.db, note.id, note.text, text, "facilitator", utc_now())
            _emit(tx, note)
        return note

    return p.store.write_now(job)


def flag(p: OpenProject, note_id: str, flagged: bool, follow_up: str = "") -> Note:
    """Flag a note for safeguarding follow-up (console only), or clear the flag."""
    follow_up = clean_text(follow_up, "The follow-up note", HELP_MESSAGE_MAX, required=False)

    def job(tx: Tx) -> Note:
        note = _note(tx, note_id)
        repo.set_flag(tx.db, note.id, utc_now() if flagged else None, follow_up if flagged else "")
        _emit(tx, note)
        return note

    return p.store.write_now(job)


def mark_duplicate(p: OpenProject, note_id: str, of_note_id: str | None) -> Note:
    """Mark a note as saying the same as another of the same activity (None: not a duplicate)."""

    def job(tx: Tx) -> Note:
        note = _note(tx, note_id)
        if of_note_id is not None:
            other = _note(tx, of_note_id)
            if other.id == note.id:
                raise DomainError("A note cannot be a duplicate of itself.")
            if other.activity_id != note.activity_id:
                raise DomainError("Duplicates must be notes of the same activity.")
            of = other.duplicate_of or other.id  # the first of the set, never a chain
        else:
            of = None
        repo.set_duplicate_of(tx.db, note.id, of)
        _emit(tx, note)
        return note

    return p.store.write_now(job)


def capture_paper_note(
    p: OpenProject, activity_id: str, text: str, group_id: str | None = None
) -> Note:
    """A paper sticky note typed in by the facilitator: shown at once, in the chosen group."""
    text = clean_note(text)

    def job(tx: Tx) -> Note:
        activity = session_repo.get_activity(tx.db, activity_id)
        if activity.kind is not ActivityKind.BRAINSTORM:
            raise DomainError("Notes go into a brainstorm activity.")
        if group_id is not None:
            project_repo.get_group(tx.db, group_id)
        now = utc_now()
        note = Note(
            id=new_id(),
            activity_id=activity.id,
            participant_id=None,
            group_id=group_id,
            text=text,
            original_text=text,
            source=NoteSource.FACILITATOR,
            status=NoteStatus.SHOWN,
            idempotency_key=None,
            created_at=now,
            updated_at=now,
        )
        contrib.insert_note(tx.db, note)
        tx.emit(Changed(Topic.CONTENT, session_id=activity.session_id, item_id=note.id))
        return note

    return p.store.write_now(job)


def _note(tx: Tx, note_id: str) -> Note:
    note = notes_repo.get_note(tx.db, note_id)
    if note is None or note.withdrawn:
        raise NotFoundError("That note is no longer there (it may have been taken back).")
    return note


def _emit(tx: Tx, note: Note) -> None:
    activity = session_repo.get_activity(tx.db, note.activity_id, include_deleted=True)
    tx.emit(Changed(Topic.CONTENT, session_id=activity.session_id, item_id=note.id))
