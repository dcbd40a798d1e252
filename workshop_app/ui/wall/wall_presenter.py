"""What the note wall knows and decides, without a widget: the session and brainstorm shown
(the one picked, else the live one), which moderation actions apply to the chosen notes,
what a batch may do with flagged notes and notes held back on arrival, and every change as
one undoable service call.

The view (`ui/wall/note_wall.NoteWall`) shows the notes, asks the facilitator (a typo's fix,
the note a duplicate is of, a safeguarding follow-up, a flagged note on the screen, a held
note released) and hands the answers here. `perform` is `ui/common/commands.Actions`' (off
the GUI thread).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from workshop_app.core.model import (
    Activity,
    ActivityKind,
    ModerationMode,
    Note,
    NoteStatus,
    Session,
    SessionState,
)
from workshop_app.services import moderation
from workshop_app.services import sessions as session_service
from workshop_app.services.project import OpenProject
from workshop_app.ui.common.commands import ErrorSink, Op, refused_op
from workshop_app.ui.wall.note_model import Counts

#: `perform(text, do, undo, redo=None)`: one undoable change, off the GUI thread (an `Op`).
Perform = Callable[..., Op[Any]]

# The activities whose notes the wall shows: brainstorms, and surveys' written answers.
NOTE_KINDS = frozenset({ActivityKind.BRAINSTORM, ActivityKind.SURVEY})

MODE_WORDS = {
    ModerationMode.APPROVE_FIRST: ("Approve first: new notes wait for you before anyone sees them"),
    ModerationMode.SHOW_AT_ONCE: "Show at once: new notes go up on the projector as they arrive",
}


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def held_back(n: int) -> str:
    """Why flagged notes stayed off the screen when a batch was approved."""
    notes = "1 flagged note stays" if n == 1 else f"{n} flagged notes stay"
    return (
        f"{notes} waiting, off the screen: approve a flagged note on its own if you are sure "
        "it should be shown."
    )


def kept_back(flagged: int, held: int) -> str:
    """Why notes stayed off the screen when a batch was approved: `flagged` ones, and `held`
    ones held back on arrival (not flagged); "" when none."""
    if not held:
        return held_back(flagged) if flagged else ""
    if not flagged:
        notes = "1 note" if held == 1 else f"{held} notes"
        stay = "stays" if held == 1 else "stay"
        return (
            f"{notes} held back on arrival {stay} waiting, off the screen: release a held note "
            "on its own (Release to the screen…) if you are sure it should be shown."
        )
    return (
        f"{plural(flagged, 'flagged note')} and {plural(held, 'note')} held back on arrival "
        "stay waiting, off the screen: look at each on its own if you are sure it should be "
        "shown."
    )


def counts_words(c: Counts) -> str:
    parts = [f"{c.waiting} waiting", f"{c.shown} shown", f"{c.hidden} hidden"]
    parts.append(f"{c.flagged} flagged")
    if c.held:
        parts.append(f"{c.held} held back")
    if c.duplicates:
        parts.append(plural(c.duplicates, "duplicate"))
    return " · ".join(parts)


@dataclass(frozen=True, slots=True)
class WallActions:
    """What the moderation actions say and whether they apply to the chosen notes."""

    approve_text: str = "Approve"
    hide_text: str = "Hide"
    duplicate_text: str = "Mark as duplicate of…"
    flag_text: str = "Flag for safeguarding follow-up…"
    approve: bool = False
    release: bool = False  # one note held back on arrival, to release to the screen
    hide: bool = False
    unhide: bool = False
    waiting: bool = False
    fix: bool = False
    history: bool = False
    duplicate: bool = False
    not_duplicate: bool = False
    flag: bool = False
    unflag: bool = False


def wall_actions(chosen: Sequence[Note], notes_on_wall: int) -> WallActions:
    """The rule: a note taken back by its writer (kept in view because it is flagged or held
    back) can only have its safeguarding follow-up changed; its history stays readable. A
    note held back on arrival is released one at a time."""
    one_chosen = len(chosen) == 1
    notes = [n for n in chosen if not n.withdrawn]
    statuses = {n.status for n in notes}
    n = len(notes)
    noun = "" if n <= 1 else f" {n} notes"
    flagged = one_chosen and chosen[0].flagged
    return WallActions(
        approve_text=f"Approve{noun}",
        hide_text=f"Hide{noun}",
        duplicate_text="Mark as duplicates (of the oldest)" if n > 1 else "Mark as duplicate of…",
        flag_text=(
            "Change safeguarding follow-up…" if flagged else "Flag for safeguarding follow-up…"
        ),
        approve=bool(statuses - {NoteStatus.SHOWN}),
        release=one_chosen and chosen[0].held and not chosen[0].withdrawn,
        hide=bool(statuses - {NoteStatus.HIDDEN}),
        unhide=NoteStatus.HIDDEN in statuses,
        waiting=bool(statuses - {NoteStatus.PENDING}),
        fix=n == 1,
        history=one_chosen,
        duplicate=n >= 1 and notes_on_wall > 1,
        not_duplicate=any(x.duplicate_of for x in notes),
        # A held note taken back (a disclosure taken back is the case to follow up) can
        # still be flagged, as a flagged one can have its follow-up changed.
        flag=one_chosen and (flagged or chosen[0].held or not chosen[0].withdrawn),
        unflag=flagged,
    )


@dataclass(frozen=True, slots=True)
class StatusPlan:
    """What setting a status on chosen notes does: `ids` change in one step; a single
    flagged note to show is `confirm`ed first, a single note held back on arrival is
    `release`d (asked first, its flag too); `held` flagged notes and `on_hold` notes held
    back on arrival (not flagged) stay off the screen."""

    ids: tuple[str, ...] = ()
    confirm: Note | None = None
    held: int = 0
    release: Note | None = None
    on_hold: int = 0


def status_plan(notes: Sequence[Note], status: NoteStatus) -> StatusPlan:
    """A flagged note goes on the screen one at a time, confirmed, and a note held back on
    arrival one at a time, released (the service refuses either in any batch, undo or
    redo). Notes taken back have nothing to moderate."""
    notes = [n for n in notes if not n.withdrawn]
    if status is not NoteStatus.SHOWN:
        return StatusPlan(tuple(n.id for n in notes if n.status is not status))
    kept = [n for n in notes if (n.flagged or n.held) and n.status is not status]
    if len(notes) == 1 and kept:
        note = kept[0]
        return StatusPlan(release=note) if note.held else StatusPlan(confirm=note)
    flagged = sum(1 for n in kept if n.flagged)  # both flagged and held: counted as flagged
    off = {n.id for n in kept}
    shown = tuple(n.id for n in notes if n.status is not status and n.id not in off)
    return StatusPlan(shown, None, flagged, None, len(kept) - flagged)


@dataclass(frozen=True, slots=True)
class DuplicatePlan:
    """Mark `dups` as duplicates of `of`, under `text`."""

    dups: tuple[str, ...]
    of: str
    text: str


def duplicate_plan(notes: Sequence[Note], chosen_of: str | None = None) -> DuplicatePlan | None:
    """One note: a duplicate of the note the facilitator chose (`chosen_of`). Several: all
    but the oldest are duplicates of the oldest."""
    if not notes:
        return None
    if len(notes) == 1:
        if chosen_of is None:
            return None
        return DuplicatePlan((notes[0].id,), chosen_of, "Mark as duplicate")
    dups = tuple(n.id for n in notes[1:])
    return DuplicatePlan(dups, notes[0].id, f"Mark {len(dups)} notes as duplicates")


class WallPresenter:
    """One session's note wall: which brainstorm it shows, and its moderation."""

    def __init__(self, project: OpenProject):
        self.project = project
        self.session: Session | None = None
        self.session_id: str | None = None
        self.activities: list[Activity] = []
        self.activity_id: str | None = None
        self.followed: str | None = None  # the live activity the window follows
        self.picked: str | None = None  # chosen in the wall's own chooser
        self.captured = 0
        self.capture_group: str | None = None

    # ------------------------------------------------------------------ which brainstorm

    def show_session(self, session_id: str | None) -> None:
        if session_id != self.session_id:
            self.session_id = session_id
            self.picked = None
            self.activity_id = None

    def forget(self) -> None:
        self.session = None
        self.activities = []

    def live_activity(self) -> str | None:
        s = self.session
        return s.current_activity_id if s is not None and s.state is SessionState.LIVE else None

    def read_session(self) -> str | None:
        """Read the session and its activities with notes: its brainstorms and its surveys
        (whose written answers are notes, read and moderated here: decision 026); the one
        to show (None: none)."""
        sid = self.session_id
        if sid is None:
            self.forget()
            return None
        self.session = session_service.get_session(self.project, sid)
        self.activities = [
            a for a in session_service.list_activities(self.project, sid) if a.kind in NOTE_KINDS
        ]
        ids = {a.id for a in self.activities}
        if self.picked not in ids:
            self.picked = None
        return next(
            (
                i
                for i in (self.picked, self.followed, self.live_activity(), self.activity_id)
                if i is not None and i in ids
            ),
            self.activities[0].id if self.activities else None,
        )

    def chooser_items(self) -> list[tuple[str, str]]:
        """The chooser's entries (words, activity id); the live one marked."""
        live = self.live_activity()
        return [
            (
                f"{'▶ ' if a.id == live else ''}{a.position + 1}. {a.title}"
                f"{' (written answers)' if a.kind is ActivityKind.SURVEY else ''}"
                f"{' (on phones now)' if a.id == live else ''}",
                a.id,
            )
            for a in self.activities
        ]

    def follow(self, activity_id: str | None) -> bool:
        """The live activity moved on: True when the wall should show it (it is a
        brainstorm of this session and the facilitator did not pick another one)."""
        if activity_id == self.followed:
            return False
        self.followed = activity_id
        return self.picked is None and any(a.id == activity_id for a in self.activities)

    def pick(self, chosen: str | None) -> None:
        """Chosen in the wall's chooser; choosing the live activity again means: follow the
        live activity again."""
        live = self.session.current_activity_id if self.session else None
        self.picked = None if chosen in (self.followed, live) else chosen

    def takes_paper_notes(self) -> bool:
        """Paper notes go into a brainstorm (a survey's notes are its written answers)."""
        shown = next((a for a in self.activities if a.id == self.activity_id), None)
        return shown is not None and shown.kind is ActivityKind.BRAINSTORM

    def moderated(self) -> bool:
        return self.session is not None and self.session.moderation is ModerationMode.APPROVE_FIRST

    # ------------------------------------------------------------------ changes

    def set_status(
        self, perform: Perform, ids: Sequence[str], status: NoteStatus, verb: str
    ) -> Op[Any]:
        p, ids = self.project, list(ids)
        return perform(
            f"{verb} note" if len(ids) == 1 else f"{verb} {len(ids)} notes",
            lambda: moderation.set_status_many(p, ids, status),
            lambda before: moderation.set_statuses(p, before),
        )

    def show_flagged(self, perform: Perform, note_id: str, verb: str) -> Op[Any]:
        """Put one flagged note on the screen, confirmed."""
        p = self.project
        return perform(
            f"{verb} flagged note",
            lambda: moderation.set_status(p, note_id, NoteStatus.SHOWN, flagged_confirmed=True),
            lambda before: moderation.set_statuses(p, {note_id: before.status}),
            # Redo is a batch: it never puts a flagged note back on the screen unasked.
            lambda _before: moderation.set_statuses(p, {note_id: NoteStatus.SHOWN}),
        )

    def release(self, perform: Perform, note: Note) -> Op[Any]:
        """Release one note held back on arrival to the screen (the facilitator has read it
        and its reasons; a flag on it was covered by the same question)."""
        p, note_id, flagged = self.project, note.id, note.flagged
        return perform(
            "Release held note to the screen",
            lambda: moderation.release(p, note_id, flagged_confirmed=flagged),
            lambda before: moderation.hold_again(p, note_id, before),
            # Redo is a batch: it never releases a held note again unasked.
            lambda _before: moderation.set_statuses(p, {note_id: NoteStatus.SHOWN}),
        )

    def approve_all_waiting(self, perform: Perform) -> Op[moderation.KeptWaiting]:
        """Approve every waiting note but the flagged ones and those held back on arrival;
        the `Op`'s result is how many of each stay waiting."""
        activity_id, p = self.activity_id, self.project
        if activity_id is None:
            return refused_op()
        op: Op[Any] = perform(
            "Approve all waiting notes",
            lambda: moderation.approve_all_waiting(p, activity_id),
            lambda before: moderation.set_statuses(p, before),
            lambda before: moderation.set_statuses(p, dict.fromkeys(before, NoteStatus.SHOWN)),
        )
        return op.map(lambda _before: moderation.kept_waiting(p, activity_id))

    def correct(self, perform: Perform, note_id: str, text: str) -> Op[Any]:
        p = self.project
        op: Op[Any] = perform(
            "Fix typo",
            lambda: moderation.correct_text(p, note_id, text),
            lambda before: moderation.correct_text(p, note_id, before.text),
            lambda _before: moderation.correct_text(p, note_id, text),
        )
        return op

    def mark_duplicates(self, perform: Perform, plan: DuplicatePlan) -> Op[Any]:
        p, dups, of = self.project, list(plan.dups), plan.of
        return perform(
            plan.text,
            lambda: moderation.mark_duplicates(p, dups, of),
            lambda before: moderation.restore_duplicates(p, before),
        )

    def not_duplicates(self, perform: Perform, notes: Sequence[Note]) -> Op[Any]:
        dups = [n.id for n in notes if n.duplicate_of is not None]
        if not dups:
            return refused_op()
        p = self.project
        op: Op[Any] = perform(
            "Not a duplicate" if len(dups) == 1 else f"{len(dups)} notes not duplicates",
            lambda: moderation.mark_duplicates(p, dups, None),
            lambda before: moderation.restore_duplicates(p, before),
        )
        return op

    def flag(self, perform: Perform, note: Note, follow_up: str, *, hide: bool = False) -> Op[Any]:
        """Flag (or change the follow-up), and hide the note too when asked: one step."""
        p = self.project
        hiding = hide and note.status is not NoteStatus.HIDDEN and not note.withdrawn

        def do() -> tuple[moderation.FlagState, NoteStatus]:
            before = moderation.set_flag(p, note.id, True, follow_up)
            status = moderation.hide(p, note.id).status if hiding else note.status
            return before, status

        def undo(done: tuple[moderation.FlagState, NoteStatus]) -> None:
            before, status = done
            moderation.restore_flag(p, note.id, before)  # the flag first: then it may show
            if hiding:
                # A batch of one: if the note is still flagged it stays off the screen.
                moderation.set_statuses(p, {note.id: status})

        text = "Change safeguarding follow-up" if note.flagged else "Flag for safeguarding"
        op: Op[Any] = perform(f"{text} and hide" if hiding else text, do, undo, lambda _d: do())
        return op

    def remove_flag(self, perform: Perform, note_id: str) -> Op[Any]:
        p = self.project
        return perform(
            "Remove safeguarding flag",
            lambda: moderation.set_flag(p, note_id, False),
            lambda before: moderation.restore_flag(p, note_id, before),
        )

    def capture(self, perform: Perform, text: str, errors: ErrorSink) -> Op[Any]:
        """Take a typed paper note (one undo step); a refusal goes to `errors`."""
        activity_id, p, group = self.activity_id, self.project, self.capture_group
        assert activity_id is not None

        def taken(_note: Note) -> None:
            self.captured += 1

        op: Op[Any] = perform(
            "Type in paper note",
            lambda: moderation.capture_paper_note(p, activity_id, text, group),
            lambda note: moderation.remove_paper_note(p, note.id),
            redo=lambda note: moderation.restore_paper_note(p, note.id),
            errors=errors,
        )
        return op.then(taken)

    def capture_words(self) -> str:
        n = self.captured
        return f"{plural(n, 'paper note')} typed in" if n else "No paper notes typed in yet"
