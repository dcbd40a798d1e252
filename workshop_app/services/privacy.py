"""The privacy review before an export: notes that look like they hold personal details,
the facilitator's decisions about them, and the export-ready texts those decisions give.

A decision never changes the note: the project keeps what was written, and exports show
"[removed]" in place of each fragment the facilitator chose to remove. Each decision can
be undone (`undo_decision`, a soft delete) and redone (`restore_decision`).

Only `delete_original`, the facilitator's explicit and warned choice, takes words out of
the project itself: from the note's text, its first-written text, every step of its
history and the answers kept for its writer's phone. That cannot be undone.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from workshop_app.core import redaction
from workshop_app.core.consensus import NO_GROUP
from workshop_app.core.errors import DomainError, NotFoundError
from workshop_app.core.ids import new_id, utc_now
from workshop_app.core.model import Note, NoteStatus
from workshop_app.core.redaction import Decision, DetailKind, Finding, Redaction
from workshop_app.core.report import PrivacyReview
from workshop_app.services.events import Changed, Topic
from workshop_app.services.project import OpenProject
from workshop_app.storage import moderation as moderation_repo
from workshop_app.storage import participation as notes_repo
from workshop_app.storage import privacy as repo
from workshop_app.storage import sessions as session_repo
from workshop_app.storage.privacy import ReviewNote, Scrubbed
from workshop_app.storage.writer import Tx

NOT_SAID = NO_GROUP  # people who chose no stakeholder group (core: the same words everywhere)


@dataclass(frozen=True, slots=True)
class NoteContext:
    """A note as the review shows it: its text now and where it was written."""

    note_id: str
    text: str
    status: NoteStatus
    session_id: str
    session_title: str
    activity_id: str
    activity_title: str
    group_name: str


@dataclass(frozen=True, slots=True)
class NoteFinding:
    """Words in a note that look like a personal detail, not decided about yet."""

    note: NoteContext
    finding: Finding

    @property
    def note_id(self) -> str:
        return self.note.note_id

    @property
    def kind(self) -> DetailKind:
        return self.finding.kind

    @property
    def fragment(self) -> str:
        return self.finding.fragment


@dataclass(frozen=True, slots=True)
class NoteDecision:
    """A decision in force, with the note it is about."""

    note: NoteContext
    redaction: Redaction


# ---------------------------------------------------------------- reading


def export_texts(p: OpenProject) -> dict[str, str]:
    """Every note's current text by note id, with 'remove' decisions applied ("[removed]")."""
    db = p.store.reader()
    removals = repo.removals(db)
    return {
        note_id: redaction.apply(text, removals.get(note_id, ()))
        for note_id, text in repo.note_texts(db).items()
    }


def review_summary(p: OpenProject, session_id: str | None = None) -> PrivacyReview:
    """What the privacy review has done for the notes of one session (or of every
    session), in counts: details removed, kept and not reviewed yet, by kind. What an
    export says about the review is computed from this, never assumed."""
    done = decisions(p, session_id)
    left = findings(p, session_id)
    order = list(DetailKind)
    # words taken out of the project itself leave "[removed]" in the stored text, and no
    # decision behind (delete_original drops it): each one counts as reviewed and removed
    stored = repo.review_notes(p.store.reader(), session_id)
    deleted = sum(n.text.count(redaction.REMOVED) for n in stored)

    def by_kind(kinds: list[DetailKind]) -> tuple[tuple[str, int], ...]:
        counted = Counter(kinds)
        return tuple((k.label, counted[k]) for k in order if counted[k])

    return PrivacyReview(
        scope="the notes of this session" if session_id else "the notes of every session",
        removed=sum(1 for d in done if d.redaction.decision is Decision.REMOVE),
        kept=sum(1 for d in done if d.redaction.decision is Decision.KEEP),
        unreviewed=len(left),
        kinds_reviewed=by_kind([d.redaction.kind for d in done]),
        kinds_unreviewed=by_kind([f.kind for f in left]),
        deleted=deleted,
    )


def findings(p: OpenProject, session_id: str | None = None) -> list[NoteFinding]:
    """Suspected personal details not decided about yet, in the notes of one session (or
    of every session): hidden notes too, since data exports include them. A fragment
    that occurs twice in a note is listed once (a decision covers every occurrence)."""
    db = p.store.reader()
    notes = repo.review_notes(db, session_id)
    decided = {
        (r.note_id, r.fragment) for r in repo.live_redactions(db, (n.note_id for n in notes))
    }
    names = moderation_repo.group_names(db)
    found: list[NoteFinding] = []
    for n in notes:
        seen: set[str] = set()
        for f in redaction.find_personal_details(n.text):
            if f.fragment in seen or (n.note_id, f.fragment) in decided:
                continue
            seen.add(f.fragment)
            found.append(NoteFinding(_context(n, names), f))
    return found


def decisions(p: OpenProject, session_id: str | None = None) -> list[NoteDecision]:
    """The decisions in force about the notes of one session (or of every session)."""
    db = p.store.reader()
    notes = {n.note_id: n for n in repo.review_notes(db, session_id)}
    names = moderation_repo.group_names(db)
    return [
        NoteDecision(_context(notes[r.note_id], names), r) for r in repo.live_redactions(db, notes)
    ]


def _context(n: ReviewNote, names: dict[str, str]) -> NoteContext:
    return NoteContext(
        note_id=n.note_id,
        text=n.text,
        status=n.status,
        session_id=n.session_id,
        session_title=n.session_title,
        activity_id=n.activity_id,
        activity_title=n.activity_title,
        group_name=names.get(n.group_id, "A removed group") if n.group_id else NOT_SAID,
    )


# ---------------------------------------------------------------- deciding


def decide(
    p: OpenProject, note_id: str, fragment: str, kind: DetailKind | str, decision: Decision | str
) -> str:
    """Remove `fragment` from exports of the note ('remove') or show it as written
    ('keep'); returns the decision's id (for `undo_decision`)."""
    kind = _kind(kind)
    decision = _decision(decision)
    if not fragment:
        raise DomainError("Choose the words to decide about.")

    def job(tx: Tx) -> str:
        note = _note(tx, note_id)
        if fragment not in note.text:
            raise NotFoundError("Those words are no longer in the note (it may have been edited).")
        if repo.live_redaction_for(tx.db, note.id, fragment) is not None:
            raise DomainError("Those words have already been decided about; undo that first.")
        r = Redaction(new_id(), note.id, fragment, kind, decision, utc_now())
        repo.insert_redaction(tx.db, r)
        _emit(tx, note.activity_id, note.id)
        return r.id

    return p.store.write_now(job)


def undo_decision(p: OpenProject, redaction_id: str) -> Redaction:
    """Take a decision back (kept, marked undone); returns it as it was."""

    def job(tx: Tx) -> Redaction:
        r = _redaction(tx, redaction_id)
        if r.deleted_at is None:
            repo.set_redaction_deleted(tx.db, r.id, utc_now())
            _emit_for_note(tx, r.note_id)
        return r

    return p.store.write_now(job)


def restore_decision(p: OpenProject, redaction_id: str) -> Redaction:
    """Put an undone decision back in force (redo); returns it as it was."""

    def job(tx: Tx) -> Redaction:
        r = _redaction(tx, redaction_id)
        if r.deleted_at is not None:
            other = repo.live_redaction_for(tx.db, r.note_id, r.fragment)
            if other is not None:
                raise DomainError("Those words have been decided about again since.")
            repo.set_redaction_deleted(tx.db, r.id, None)
            _emit_for_note(tx, r.note_id)
        return r

    return p.store.write_now(job)


def delete_original(p: OpenProject, note_id: str, fragment: str) -> Scrubbed:
    """Take `fragment` out of the project itself: the note's text, its first-written text,
    every step of its history and the answers kept for its writer's phone all get
    "[removed]" in its place. NOT undoable: the words are gone from this file (copies and
    backups of the file made earlier still hold them). Returns how many places changed."""
    if not fragment or fragment == redaction.REMOVED:
        raise DomainError("Choose the words to remove.")

    def job(tx: Tx) -> Scrubbed:
        note = notes_repo.get_note(tx.db, note_id)
        if note is None:
            raise NotFoundError("That note is no longer there.")
        done = repo.scrub_note(tx.db, note.id, fragment, redaction.REMOVED, utc_now())
        if not done.note and not done.edits:
            raise NotFoundError("Those words are no longer in the note.")
        _emit(tx, note.activity_id, note.id)
        tx.checkpoint_after_commit()  # no old copy of the page left in the -wal file
        return done

    return p.store.write_now(job)


def _kind(value: DetailKind | str) -> DetailKind:
    try:
        return DetailKind(value)
    except ValueError:
        raise DomainError(f"Unknown kind of personal detail: {value!r}.") from None


def _decision(value: Decision | str) -> Decision:
    try:
        return Decision(value)
    except ValueError:
        raise DomainError(f"A decision is 'remove' or 'keep', not {value!r}.") from None


def _note(tx: Tx, note_id: str) -> Note:
    note = notes_repo.get_note(tx.db, note_id)
    if note is None or note.withdrawn:
        raise NotFoundError("That note is no longer there (it may have been taken back).")
    return note


def _redaction(tx: Tx, redaction_id: str) -> Redaction:
    r = repo.get_redaction(tx.db, redaction_id)
    if r is None:
        raise NotFoundError(
            "That decision is no longer there (its words were removed from the project)."
        )
    return r


def _emit_for_note(tx: Tx, note_id: str) -> None:
    note = notes_repo.get_note(tx.db, note_id)
    if note is not None:
        _emit(tx, note.activity_id, note.id)


def _emit(tx: Tx, activity_id: str, note_id: str) -> None:
    activity = session_repo.get_activity(tx.db, activity_id, include_deleted=True)
    tx.emit(Changed(Topic.CONTENT, session_id=activity.session_id, item_id=note_id))
