"""Moderating the note wall: approve, hide, correct, flag, mark duplicates, and type in
paper sticky notes. The facilitator's actions; never reachable over HTTP.

Nothing here deletes what a participant wrote: hiding keeps the note, a correction keeps
the original text and every step of its history, a duplicate keeps both notes.

Each action returns what it changed from, so the console can undo it exactly; the batch
actions (approve or hide many, mark duplicates) change every note in one transaction.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from workshop_app.core.errors import DomainError, FlaggedNoteError, HeldNoteError, NotFoundError
from workshop_app.core.ids import new_id, utc_now
from workshop_app.core.model import (
    ActivityKind,
    Note,
    NoteEdit,
    NoteSource,
    NoteStatus,
)
from workshop_app.core.participation import HELP_MESSAGE_MAX, clean_note
from workshop_app.core.safeguarding import hold_labels
from workshop_app.core.validate import clean_text
from workshop_app.services.events import Changed, Reviewed, Topic
from workshop_app.services.project import OpenProject
from workshop_app.storage import contributions as contrib
from workshop_app.storage import moderation as repo
from workshop_app.storage import participation as notes_repo
from workshop_app.storage import projects as project_repo
from workshop_app.storage import sessions as session_repo
from workshop_app.storage.writer import Tx


def list_wall(p: OpenProject, activity_id: str) -> list[Note]:
    """Every note of an activity the console shows: pending, shown and hidden, and those
    taken back by their writer after being flagged (a scared child taking back a
    disclosure is exactly the case to keep in view), marked `withdrawn`."""
    return contrib.list_wall_notes(p.store.reader(), activity_id)


class WallReader:
    """`list_wall` for a wall that reads the same activity again after every change: rows
    that did not change reuse their Note (storage.contributions.NoteRows)."""

    def __init__(self, p: OpenProject) -> None:
        self._p = p
        self._rows = contrib.NoteRows()

    def read(self, activity_id: str) -> list[Note]:
        return self._rows.read(self._p.store.reader(), activity_id)


def history(p: OpenProject, note_id: str) -> list[NoteEdit]:
    return repo.note_history(p.store.reader(), note_id)


def group_names(p: OpenProject) -> dict[str, str]:
    """The name of every stakeholder group a note may carry (removed groups too)."""
    return repo.group_names(p.store.reader())


def set_status(
    p: OpenProject,
    note_id: str,
    status: NoteStatus,
    *,
    flagged_confirmed: bool = False,
    release: bool = False,
) -> Note:
    """Approve (shown), hide, or put back to pending; returns the note as it was before.

    A note flagged for safeguarding follow-up goes on the screen only when the facilitator
    has confirmed it for this one note (`flagged_confirmed`): otherwise FlaggedNoteError. A
    note held back on arrival goes on the screen only when the facilitator releases it
    (`release`, which also ends the hold): otherwise HeldNoteError. `hold_again` undoes it.
    """

    def job(tx: Tx) -> Note:
        note = _note(tx, note_id)
        showing = status is NoteStatus.SHOWN
        if showing and note.held and not release:
            raise HeldNoteError(
                f"This note was held back when it arrived ({held_words(note)}). Release it "
                "on its own if you are sure it should go on the screen."
            )
        if showing and note.flagged and not flagged_confirmed:
            raise FlaggedNoteError(
                "This note is flagged for safeguarding follow-up. Confirm before putting it "
                "on the screen."
            )
        if showing and note.held:
            repo.set_hold(tx.db, note.id, None)
        if note.status is not status:
            repo.set_status(tx.db, note.id, status, utc_now())
        if note.status is not status or (showing and note.held):
            _emit(tx, note)
        return note

    return p.store.write_now(job)


def release(p: OpenProject, note_id: str, *, flagged_confirmed: bool = False) -> Note:
    """The facilitator has seen a note held back on arrival and lets it go on the screen
    (one note at a time, never in a batch); returns the note as it was (`hold_again`)."""
    return set_status(
        p, note_id, NoteStatus.SHOWN, flagged_confirmed=flagged_confirmed, release=True
    )


def hold_again(p: OpenProject, note_id: str, before: Note) -> Note:
    """Undo a release: the note's status and hold exactly as `before` (its hold's time
    included); returns the note as it was."""

    def job(tx: Tx) -> Note:
        note = _note(tx, note_id, taken_back_ok=True)
        repo.set_hold(tx.db, note.id, before.held_at)
        if note.status is not before.status:
            repo.set_status(tx.db, note.id, before.status, utc_now())
        _emit(tx, note)
        return note

    return p.store.write_now(job)


def held_note(p: OpenProject, note_id: str) -> Note | None:
    """The note if it is held back now and still waits for the facilitator (else None)."""
    note = notes_repo.get_note(p.store.reader(), note_id)
    if note is None or not note.held or note.status is not NoteStatus.PENDING:
        return None
    return note


def held_line(note: Note) -> str:
    """A held note on one line, for a terminal (`workshop-app serve` has no console): its
    reasons and its words, with every control character left out."""
    words = " / ".join(line for line in note.text.splitlines() if line.strip())
    words = "".join(ch for ch in words if unicodedata.category(ch) != "Cc")
    return (
        f"NOTE HELD BACK at {note.created_at.astimezone():%H:%M} ({held_words(note)}): "
        f"“{words}”. Open the project in Common Ground to release, hide or flag it."
    )


def held_words(note: Note) -> str:
    """Why a note is held, in the facilitator's words ("Possible disclosure: a threat")."""
    return "; ".join(hold_labels(note.hold_reasons)) or "a reason this version does not know"


def approve(p: OpenProject, note_id: str, *, flagged_confirmed: bool = False) -> Note:
    return set_status(p, note_id, NoteStatus.SHOWN, flagged_confirmed=flagged_confirmed)


def hide(p: OpenProject, note_id: str) -> Note:
    return set_status(p, note_id, NoteStatus.HIDDEN)


def set_status_many(
    p: OpenProject, note_ids: Iterable[str], status: NoteStatus
) -> dict[str, NoteStatus]:
    """Approve or hide several notes at once; returns the status each changed note had."""
    return set_statuses(p, dict.fromkeys(note_ids, status))


def set_statuses(p: OpenProject, statuses: Mapping[str, NoteStatus]) -> dict[str, NoteStatus]:
    """Give each note its own status in one transaction (how a batch is undone).

    Notes taken back by their writer meanwhile are left alone, and so are notes flagged for
    safeguarding follow-up or held back on arrival that would go on the screen: a batch, an
    undo or a redo never projects one (only a confirmed single approval or a release does).
    Returns the status each changed note had before. Refused only when none of the notes is
    still there.
    """
    wanted = dict(statuses)

    def job(tx: Tx) -> dict[str, NoteStatus]:
        notes = _live_notes(tx, wanted)
        before = {
            i: n.status
            for i, n in notes.items()
            if n.status is not wanted[i] and not (_kept_off(n) and wanted[i] is NoteStatus.SHOWN)
        }
        if before:
            repo.set_statuses(tx.db, {i: wanted[i] for i in before}, utc_now())
            _emit_batch(tx, [notes[i] for i in before])
        return before

    return p.store.write_now(job)


def approve_all_waiting(p: OpenProject, activity_id: str) -> dict[str, NoteStatus]:
    """Approve every note of an activity still waiting, except those flagged for
    safeguarding follow-up or held back on arrival (they stay waiting: `kept_waiting`
    counts them); returns the ids approved (all were pending)."""

    def job(tx: Tx) -> dict[str, NoteStatus]:
        pending = [
            n for n in contrib.list_notes(tx.db, activity_id) if n.status is NoteStatus.PENDING
        ]
        waiting = [n for n in pending if not _kept_off(n)]
        if not waiting:
            if pending:
                raise DomainError(
                    "The only notes waiting are held back or flagged for safeguarding "
                    "follow-up: look at each and release or approve it on its own if you are "
                    "sure it should go on the screen."
                )
            raise DomainError("No notes are waiting for approval.")
        repo.set_statuses(
            tx.db, dict.fromkeys((n.id for n in waiting), NoteStatus.SHOWN), utc_now()
        )
        _emit_batch(tx, waiting)
        return {n.id: n.status for n in waiting}

    return p.store.write_now(job)


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


@dataclass(frozen=True, slots=True)
class KeptWaiting:
    """Notes of an activity that 'approve all' leaves waiting: flagged for follow-up, and
    held back on arrival (a note both flagged and held counts as flagged)."""

    flagged: int
    held: int

    @property
    def total(self) -> int:
        return self.flagged + self.held


def kept_waiting(p: OpenProject, activity_id: str) -> KeptWaiting:
    pending = [
        n
        for n in contrib.list_notes(p.store.reader(), activity_id)
        if n.status is NoteStatus.PENDING
    ]
    flagged = sum(1 for n in pending if n.flagged)
    return KeptWaiting(flagged, sum(1 for n in pending if n.held and not n.flagged))


@dataclass(frozen=True, slots=True)
class HeldCount:
    """Notes of a session held back on arrival that wait for the facilitator."""

    waiting: int
    disclosures: int  # of which held for a possible disclosure or distress


def held_count(p: OpenProject, session_id: str) -> HeldCount:
    return HeldCount(*contrib.count_held(p.store.reader(), session_id))


def flagged_count(p: OpenProject, session_id: str) -> int:
    """Notes of a session flagged for safeguarding follow-up, taken back ones included."""
    return contrib.count_flagged(p.store.reader(), session_id)


def flag(p: OpenProject, note_id: str, flagged: bool, follow_up: str = "") -> Note:
    """Flag a note for safeguarding follow-up (console only), or clear the flag."""
    follow_up = clean_text(follow_up, "The follow-up note", HELP_MESSAGE_MAX, required=False)

    def job(tx: Tx) -> Note:
        note = _note(tx, note_id)
        repo.set_flag(tx.db, note.id, utc_now() if flagged else None, follow_up if flagged else "")
        _emit(tx, note)
        return note

    return p.store.write_now(job)


@dataclass(frozen=True, slots=True)
class FlagState:
    """A note's safeguarding flag as stored: when it was set (None: not flagged) and the
    facilitator's private follow-up note."""

    flagged_at: datetime | None
    note: str

    @property
    def flagged(self) -> bool:
        return self.flagged_at is not None


def set_flag(p: OpenProject, note_id: str, flagged: bool, follow_up: str = "") -> FlagState:
    """Flag (or change the follow-up note of a flag), or clear the flag; returns the flag as
    it was, for `restore_flag`."""
    follow_up = clean_text(follow_up, "The follow-up note", HELP_MESSAGE_MAX, required=False)

    def job(tx: Tx) -> FlagState:
        note = _note(tx, note_id, taken_back_ok=True)
        before = FlagState(*repo.get_flag(tx.db, note.id))
        if flagged:
            when = before.flagged_at or utc_now()  # changing the note keeps the time
            repo.set_flag(tx.db, note.id, when, follow_up)
        else:
            repo.set_flag(tx.db, note.id, None, "")
        _emit(tx, note)
        return before

    return p.store.write_now(job)


def restore_flag(p: OpenProject, note_id: str, state: FlagState) -> FlagState:
    """Put a note's flag back exactly as it was (its time included); returns the flag before."""

    def job(tx: Tx) -> FlagState:
        note = _note(tx, note_id, taken_back_ok=True)
        before = FlagState(*repo.get_flag(tx.db, note.id))
        repo.set_flag(tx.db, note.id, state.flagged_at, state.note if state.flagged_at else "")
        _emit(tx, note)
        return before

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


def mark_duplicates(
    p: OpenProject, note_ids: Iterable[str], of_note_id: str | None
) -> dict[str, str | None]:
    """Mark several notes as saying the same as one other note (None: not duplicates).

    Like `mark_duplicate`, each points at the first note of the set, never along a chain:
    the note they repeat is left out if it is among them, and notes that repeated one of
    them now point at the first note too. Returns what each changed note was a duplicate
    of before, for `restore_duplicates`.
    """
    ids = [i for i in dict.fromkeys(note_ids) if i != of_note_id]
    if not ids:
        raise DomainError("A note cannot be a duplicate of itself.")

    def job(tx: Tx) -> dict[str, str | None]:
        notes = _live_notes(tx, ids)
        of: str | None = None
        if of_note_id is not None:
            other = _note(tx, of_note_id)
            if any(n.activity_id != other.activity_id for n in notes.values()):
                raise DomainError("Duplicates must be notes of the same activity.")
            of = other.duplicate_of or other.id
            notes.pop(of, None)  # the first of the set is among them: it stays the first
            for n in contrib.list_notes(tx.db, other.activity_id):
                if n.duplicate_of in notes and n.id != of:
                    notes.setdefault(n.id, n)  # it repeated one of them: no chains
        before = {i: n.duplicate_of for i, n in notes.items() if n.duplicate_of != of}
        if before:
            repo.set_duplicates(tx.db, dict.fromkeys(before, of))
            _emit_batch(tx, [notes[i] for i in before])
        return before

    return p.store.write_now(job)


def restore_duplicates(
    p: OpenProject, duplicate_of: Mapping[str, str | None]
) -> dict[str, str | None]:
    """Set what each note is a duplicate of exactly as given (how a marking is undone);
    returns what each changed note was a duplicate of before."""
    wanted = dict(duplicate_of)

    def job(tx: Tx) -> dict[str, str | None]:
        notes = _live_notes(tx, wanted)
        before = {i: n.duplicate_of for i, n in notes.items() if n.duplicate_of != wanted[i]}
        if before:
            repo.set_duplicates(tx.db, {i: wanted[i] for i in before})
            _emit_batch(tx, [notes[i] for i in before])
        return before

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


def remove_paper_note(p: OpenProject, note_id: str) -> Note:
    """Take a typed-in paper note off the wall again (how its capture is undone).

    The row stays, marked as taken back; `restore_paper_note` brings it back. A phone
    note is its writer's to take back, never the facilitator's: hide it instead.
    """

    def job(tx: Tx) -> Note:
        note = _note(tx, note_id)
        if note.source is not NoteSource.FACILITATOR:
            raise DomainError(
                "Only notes typed in here can be taken off the wall; hide it instead."
            )
        now = utc_now()
        repo.set_withdrawn(tx.db, note.id, now, now)
        _emit(tx, note)
        return note

    return p.store.write_now(job)


def restore_paper_note(p: OpenProject, note_id: str) -> Note:
    """Bring back a typed-in paper note taken off the wall; returns it as it is now."""

    def job(tx: Tx) -> Note:
        note = notes_repo.get_note(tx.db, note_id)
        if note is None or note.source is not NoteSource.FACILITATOR:
            raise NotFoundError("That paper note is no longer there.")
        if note.withdrawn:
            repo.set_withdrawn(tx.db, note.id, None, utc_now())
            _emit(tx, note)
        restored = notes_repo.get_note(tx.db, note_id)
        assert restored is not None
        return restored

    return p.store.write_now(job)


def _kept_off(note: Note) -> bool:
    """Never put on the screen by a batch, an undo or a redo: flagged, or held back."""
    return note.flagged or note.held


def _live_notes(tx: Tx, note_ids: Iterable[str]) -> dict[str, Note]:
    """The notes still on the wall among these ids; refused when none of them is."""
    notes = {i: n for i, n in repo.get_notes(tx.db, note_ids).items() if not n.withdrawn}
    if not notes:
        raise NotFoundError("Those notes are no longer there (they may have been taken back).")
    return notes


def _emit_batch(tx: Tx, notes: list[Note]) -> None:
    """One event per session for a batch (the note's id when there is only one)."""
    by_activity: dict[str, list[Note]] = {}
    for n in notes:
        by_activity.setdefault(n.activity_id, []).append(n)
    sessions: dict[str, list[Note]] = {}
    for activity_id, group in by_activity.items():
        sid = session_repo.get_activity(tx.db, activity_id, include_deleted=True).session_id
        sessions.setdefault(sid, []).extend(group)
    for sid, group in sessions.items():
        tx.emit(
            Changed(Topic.CONTENT, session_id=sid, item_id=group[0].id if len(group) == 1 else None)
        )
        _tell_writers(tx, sid, group)


def _note(tx: Tx, note_id: str, *, taken_back_ok: bool = False) -> Note:
    note = notes_repo.get_note(tx.db, note_id)
    if note is None or (note.withdrawn and not taken_back_ok):
        raise NotFoundError("That note is no longer there (it may have been taken back).")
    return note


def _emit(tx: Tx, note: Note) -> None:
    activity = session_repo.get_activity(tx.db, note.activity_id, include_deleted=True)
    tx.emit(Changed(Topic.CONTENT, session_id=activity.session_id, item_id=note.id))
    _tell_writers(tx, activity.session_id, [note])


def _tell_writers(tx: Tx, session_id: str, notes: Iterable[Note]) -> None:
    """The phones that wrote these notes re-read them (see `events.Reviewed`)."""
    writers = frozenset(n.participant_id for n in notes if n.participant_id is not None)
    if writers:
        tx.emit(Reviewed(session_id, writers))
