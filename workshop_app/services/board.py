"""The facilitator's theme board: a session's notes grouped into themes.

A board belongs to a session. Its themes live on the session's cluster activity (else on
its last brainstorm); its notes are the notes of the session's brainstorm activities
that can be themed: not hidden by the facilitator, not taken back by their writer.

**A note sits in at most one theme on a board**, like a paper sticky note that is in
one place on the wall. Every action here keeps that true: putting a note into a theme
takes it out of the theme it was in.

Every action is one transaction and returns what its undo needs:

===================  ==========================  =========================================
action               returns                     undo (redo)
===================  ==========================  =========================================
create_theme         Created                     remove_themes (restore_themes)
rename_theme         the old name                rename_theme with it
recolour_theme       the old colour              recolour_theme with it
delete_theme         the theme as it was         restore_theme (delete_theme)
move_notes           the notes' old places       place_notes with them
place_proposed       the notes' old places       place_notes with them
merge_themes         Merged                      restore_themes(merged.theme_ids)
split_theme          Created                     remove_themes (restore_themes)
accept_suggestions   Created                     remove_themes (restore_themes)
move_theme           the old index               move_theme back
===================  ==========================  =========================================

Deleting is soft: a deleted theme keeps the list of its notes, so restoring it puts the
theme *and* its notes back (taking them out of any theme they went to meanwhile). No
note is ever deleted or changed by the board.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property

from workshop_app.core.errors import DomainError, FlaggedNoteError, NotFoundError
from workshop_app.core.ids import new_id, utc_now
from workshop_app.core.model import Activity, ActivityKind, Theme
from workshop_app.core.validate import clean_text
from workshop_app.services.events import Changed, Topic
from workshop_app.services.project import OpenProject
from workshop_app.storage import Database, contributions
from workshop_app.storage import board as repo
from workshop_app.storage import projects as project_repo
from workshop_app.storage import sessions as session_repo
from workshop_app.storage import suggestions as audit_repo
from workshop_app.storage.writer import Tx

THEME_NAME_MAX = 80

#: The board's colours: light enough for black text (contrast above 7:1 on each), and
#: different enough from one another. Any "#rrggbb" is accepted as well.
PALETTE: tuple[tuple[str, str], ...] = (
    ("Coral", "#F28482"),
    ("Sky", "#8ECAE6"),
    ("Sunflower", "#F7D06B"),
    ("Mint", "#84DCC6"),
    ("Leaf", "#A7C957"),
    ("Lavender", "#C3A6E0"),
    ("Apricot", "#F4A261"),
    ("Pebble", "#CFD4DA"),
)
_HEX = re.compile(r"#[0-9A-Fa-f]{6}")

NO_BOARD = (
    "This session has no brainstorm or cluster activity, so there are no notes to theme. "
    "Add a brainstorm (sticky notes) or a “Cluster into themes” activity to its agenda."
)

#: Where notes are: note id -> theme id, or None for "not yet in a theme".
Placement = dict[str, str | None]


@dataclass(frozen=True, slots=True)
class BoardNote:
    id: str
    text: str
    group_name: str  # the writer's stakeholder group ("" when none)
    activity_id: str
    waiting: bool = False  # not approved yet: never on the projector until it is
    flagged: bool = False  # flagged for safeguarding follow-up (console only)
    created_at: str = ""  # when it was written: a theme lists its notes oldest first
    held: bool = False  # held back on arrival (console only): off the projector until released


@dataclass(frozen=True, slots=True)
class BoardTheme:
    id: str
    name: str
    colour: str
    position: int
    note_ids: tuple[str, ...]  # the board's notes in it, oldest first


@dataclass(frozen=True)
class Board:
    session_id: str
    activity_id: str | None  # where the themes live; None: no board (see `explanation`)
    themes: tuple[BoardTheme, ...] = ()  # in board order
    notes: tuple[BoardNote, ...] = ()  # every note that can be themed, in agenda order
    explanation: str = ""

    @cached_property
    def places(self) -> Mapping[str, str]:
        """note id -> the theme it is in (unthemed notes are absent)."""
        return {n: t.id for t in self.themes for n in t.note_ids}

    @cached_property
    def unthemed(self) -> tuple[str, ...]:
        places = self.places
        return tuple(n.id for n in self.notes if n.id not in places)

    @cached_property
    def _notes(self) -> Mapping[str, BoardNote]:
        return {n.id: n for n in self.notes}

    @cached_property
    def _themes(self) -> Mapping[str, BoardTheme]:
        return {t.id: t for t in self.themes}

    def note(self, note_id: str) -> BoardNote | None:
        return self._notes.get(note_id)

    def theme(self, theme_id: str) -> BoardTheme | None:
        return self._themes.get(theme_id)

    def theme_of(self, note_id: str) -> str | None:
        return self.places.get(note_id)

    def moved(self, note_ids: Collection[str], theme_id: str | None) -> Board:
        """This board with `note_ids` taken out of their themes and put in `theme_id`
        (None: in none), as `move_notes` would store it: what a view shows at once while
        the change is on its way. An unknown theme changes nothing."""
        if theme_id is not None and theme_id not in self._themes:
            return self
        moving = set(note_ids) & set(self._notes)
        notes = self._notes

        def oldest_first(note_id: str) -> tuple[str, str]:
            n = notes.get(note_id)
            return (n.created_at if n is not None else "", note_id)

        themes = []
        for t in self.themes:
            kept = [n for n in t.note_ids if n not in moving]
            if t.id == theme_id:
                kept = sorted({*kept, *moving}, key=oldest_first)
            themes.append(replace(t, note_ids=tuple(kept)))
        return replace(self, themes=tuple(themes))


@dataclass(frozen=True, slots=True)
class Created:
    """Themes an action created, and where their notes were before."""

    theme_ids: tuple[str, ...]
    previous: Placement


@dataclass(frozen=True, slots=True)
class Merged:
    into_id: str
    theme_ids: tuple[str, ...]  # merged into `into_id` (now deleted; restore splits back)


@dataclass(frozen=True, slots=True)
class Proposal:
    """A theme the facilitator may accept (from the suggestions, or their own)."""

    name: str
    note_ids: tuple[str, ...]
    colour: str = ""  # "" : the next palette colour
    # the suggestion it came from, as kept for the audit (services/suggestions.record_shown);
    # "" : the facilitator's own, or not kept
    suggestion_id: str = ""


# ---------------------------------------------------------------- reading


def board_activity(activities: Sequence[Activity]) -> Activity | None:
    """The session's cluster activity, else its last brainstorm, else None."""
    cluster = next((a for a in activities if a.kind is ActivityKind.CLUSTER), None)
    if cluster is not None:
        return cluster
    return next((a for a in reversed(activities) if a.kind is ActivityKind.BRAINSTORM), None)


def board_activity_id(p: OpenProject, session_id: str) -> str | None:
    activity = board_activity(session_repo.list_activities(p.store.reader(), session_id))
    return None if activity is None else activity.id


def board(p: OpenProject, session_id: str) -> Board:
    """The session's board as it is in the file now."""
    return _read(p.store.reader(), session_id)


def _read(db: Database, session_id: str) -> Board:
    session_repo.get_session(db, session_id)  # NotFoundError for a wrong or deleted session
    activities = session_repo.list_activities(db, session_id)
    activity = board_activity(activities)
    if activity is None:
        return Board(session_id, None, explanation=NO_BOARD)
    groups = {g.id: g.name for g in project_repo.list_groups(db)}
    notes = tuple(
        BoardNote(
            note_id,
            text,
            groups.get(group_id or "", ""),
            activity_id,
            waiting,
            flagged,
            created,
            held,
        )
        for note_id, text, group_id, activity_id, waiting, flagged, created, held in (
            repo.board_notes(db, session_id)
        )
    )
    on_board = {n.id for n in notes}
    seen: set[str] = set()
    themes = []
    for t in contributions.list_themes(db, activity.id):
        mine = tuple(n for n in t.note_ids if n in on_board and n not in seen)
        seen.update(mine)
        themes.append(BoardTheme(t.id, t.name, t.colour, t.position, mine))
    return Board(session_id, activity.id, tuple(themes), notes)


def colour_name(colour: str) -> str:
    """The palette name of a colour ("Sky"), or the colour itself ("#123456")."""
    return next((name for name, hex_ in PALETTE if hex_.lower() == colour.lower()), colour)


def clean_colour(value: str) -> str:
    """A palette name or "#rrggbb" as "#RRGGBB"; DomainError otherwise."""
    value = value.strip()
    for name, hex_ in PALETTE:
        if value.casefold() == name.casefold():
            return hex_
    if _HEX.fullmatch(value):
        return value.upper()
    names = ", ".join(name for name, _ in PALETTE)
    raise DomainError(
        f"“{value[:40]}” is not a colour the board knows. Choose one of {names}, "
        "or give one as # and six hexadecimal digits, like #8ECAE6."
    )


def clean_theme_name(name: str) -> str:
    return clean_text(name, "The theme name", THEME_NAME_MAX, required=True)


# ---------------------------------------------------------------- actions


def create_theme(
    p: OpenProject, session_id: str, name: str, colour: str = "", note_ids: Sequence[str] = ()
) -> Created:
    """A new theme holding `note_ids` (taken out of any theme they were in)."""
    name = clean_theme_name(name)
    colour = clean_colour(colour) if colour.strip() else ""

    def job(tx: Tx) -> Created:
        b = _board_for_change(tx, session_id)
        _check_name_free(b, name)
        notes = _board_notes(b, note_ids)
        previous: Placement = {n: b.theme_of(n) for n in notes}
        theme_id = _insert(tx, b, name, colour or _next_colour(b), notes)
        _emit(tx, session_id, theme_id)
        return Created((theme_id,), previous)

    return p.store.write_now(job)


def rename_theme(p: OpenProject, session_id: str, theme_id: str, name: str) -> str:
    """Give a theme a new name; returns the old one."""
    name = clean_theme_name(name)

    def job(tx: Tx) -> str:
        b = _board_for_change(tx, session_id)
        old = _board_theme(b, theme_id)
        if name != old.name:
            _check_name_free(b, name, except_id=theme_id)
            repo.rename_theme(tx.db, theme_id, name)
            _emit(tx, session_id, theme_id)
        return old.name

    return p.store.write_now(job)


def recolour_theme(p: OpenProject, session_id: str, theme_id: str, colour: str) -> str:
    """Give a theme a new colour (palette name or #rrggbb); returns the old one."""
    colour = clean_colour(colour)

    def job(tx: Tx) -> str:
        old = _board_theme(_board_for_change(tx, session_id), theme_id)
        if colour != old.colour:
            repo.set_theme_colour(tx.db, theme_id, colour)
            _emit(tx, session_id, theme_id)
        return old.colour

    return p.store.write_now(job)


def delete_theme(p: OpenProject, session_id: str, theme_id: str) -> BoardTheme:
    """Take a theme off the board; its notes become unthemed. Returns it as it was.

    The theme keeps the list of its notes: `restore_themes` brings both back.
    """

    def job(tx: Tx) -> BoardTheme:
        theme = _board_theme(_board_for_change(tx, session_id), theme_id)
        repo.set_theme_deleted(tx.db, theme_id, utc_now())
        _emit(tx, session_id, theme_id)
        return theme

    return p.store.write_now(job)


def restore_themes(p: OpenProject, session_id: str, theme_ids: Sequence[str]) -> None:
    """Put deleted themes back with their notes (taken out of the themes they went to)."""

    def job(tx: Tx) -> None:
        b = _board_for_change(tx, session_id)
        for theme_id in theme_ids:
            theme = _own_theme(tx, b, theme_id, include_deleted=True)
            repo.set_theme_deleted(tx.db, theme_id, None)
            repo.unplace(tx.db, theme.activity_id, theme.note_ids, keep=theme_id)
        audit_repo.set_undone(tx.db, theme_ids, None)  # a redone accept counts again
        _emit(tx, session_id, theme_ids[0] if len(theme_ids) == 1 else None)

    p.store.write_now(job)


def restore_theme(p: OpenProject, session_id: str, theme_id: str) -> None:
    """Put one deleted theme back with its notes (the undo of delete_theme)."""
    restore_themes(p, session_id, (theme_id,))


def remove_themes(
    p: OpenProject, session_id: str, theme_ids: Sequence[str], placement: Mapping[str, str | None]
) -> None:
    """Take themes off the board and put their notes where `placement` says.

    The undo of creating them (create_theme, split_theme, accept_suggestions), given
    the `previous` placement those returned.
    """

    def job(tx: Tx) -> None:
        b = _board_for_change(tx, session_id)
        for theme_id in theme_ids:
            _board_theme(b, theme_id)
        now = utc_now()
        for theme_id in theme_ids:
            repo.set_theme_deleted(tx.db, theme_id, now)
        audit_repo.set_undone(tx.db, theme_ids, now)  # an undone accept was not accepted
        _place(tx, _read(tx.db, session_id), placement)
        _emit(tx, session_id, None)

    p.store.write_now(job)


def move_notes(
    p: OpenProject, session_id: str, note_ids: Sequence[str], theme_id: str | None
) -> Placement:
    """Put notes into a theme (None: out of any theme). Returns where they were."""

    def job(tx: Tx) -> Placement:
        b = _board_for_change(tx, session_id)
        notes = _board_notes(b, note_ids)
        if not notes:
            raise DomainError("Choose at least one note to move.")
        if theme_id is not None:
            _board_theme(b, theme_id)
        previous: Placement = {n: b.theme_of(n) for n in notes}
        _place(tx, b, dict.fromkeys(notes, theme_id))
        _emit(tx, session_id, theme_id)
        return previous

    return p.store.write_now(job)


def place_proposed(
    p: OpenProject,
    session_id: str,
    placement: Mapping[str, str],
    *,
    flagged_confirmed: Collection[str] = (),
) -> Placement:
    """Put notes not yet in a theme into the themes proposed for them (guided sorting,
    services/placement.py): one step, however many notes. Returns where they were.

    Notes no longer on the board, or put in a theme meanwhile, are left where they are.
    A note flagged for safeguarding follow-up goes into a theme only when the facilitator
    confirmed it for that one note (`flagged_confirmed`); otherwise it is left out, and
    when nothing else was to move, FlaggedNoteError says why. So a bulk accept, a redo
    and a single click obey the same rule.
    """

    def job(tx: Tx) -> Placement:
        b = _board_for_change(tx, session_id)
        moving: dict[str, str | None] = {}
        held = 0
        for note_id, theme_id in placement.items():
            note = b.note(note_id)
            if note is None or b.theme_of(note_id) is not None:
                continue
            if note.flagged and note_id not in flagged_confirmed:
                held += 1
                continue
            _board_theme(b, theme_id)
            moving[note_id] = theme_id
        if not moving:
            if held:
                raise FlaggedNoteError(
                    "This note is flagged for safeguarding follow-up. Accept its proposal "
                    "on its own and confirm it to put it in a theme."
                )
            raise DomainError(
                "These notes are in themes already (or no longer on the board), so nothing "
                "was changed."
            )
        _place(tx, b, moving)
        themes = set(moving.values())
        _emit(tx, session_id, themes.pop() if len(themes) == 1 else None)
        return dict.fromkeys(moving, None)

    return p.store.write_now(job)


def place_notes(p: OpenProject, session_id: str, placement: Mapping[str, str | None]) -> Placement:
    """Put each note where `placement` says (the undo of move_notes). Returns the old places.

    Notes that have left the board since (hidden, taken back) are placed all the same,
    so that they are where they were if they come back.
    """

    def job(tx: Tx) -> Placement:
        b = _board_for_change(tx, session_id)
        previous: Placement = {n: b.theme_of(n) for n in placement}
        _place(tx, b, placement)
        _emit(tx, session_id, None)
        return previous

    return p.store.write_now(job)


def merge_themes(p: OpenProject, session_id: str, theme_ids: Sequence[str], into_id: str) -> Merged:
    """Move every note of `theme_ids` into `into_id` and take those themes off the board.

    Undo with `restore_themes(merged.theme_ids)`: each theme comes back with its notes.
    """

    def job(tx: Tx) -> Merged:
        b = _board_for_change(tx, session_id)
        into = _board_theme(b, into_id)
        others = tuple(dict.fromkeys(t for t in theme_ids if t != into.id))
        if not others:
            raise DomainError("Choose at least two themes to merge.")
        now = utc_now()
        for theme_id in others:
            theme = _own_theme(tx, b, theme_id)
            repo.unplace(tx.db, theme.activity_id, theme.note_ids, keep=theme_id)
            repo.add_notes(tx.db, into.id, theme.note_ids)
            repo.set_theme_deleted(tx.db, theme_id, now)
        _emit(tx, session_id, into.id)
        return Merged(into.id, others)

    return p.store.write_now(job)


def split_theme(
    p: OpenProject,
    session_id: str,
    theme_id: str,
    note_ids: Sequence[str],
    new_name: str,
    colour: str = "",
) -> Created:
    """Move some notes of a theme into a new theme of their own."""
    new_name = clean_theme_name(new_name)
    colour = clean_colour(colour) if colour.strip() else ""

    def job(tx: Tx) -> Created:
        b = _board_for_change(tx, session_id)
        theme = _board_theme(b, theme_id)
        notes = _board_notes(b, note_ids)
        if not notes:
            raise DomainError("Choose the notes to split out of the theme.")
        if any(b.theme_of(n) != theme.id for n in notes):
            raise DomainError(f"Only notes in “{theme.name}” can be split out of it.")
        _check_name_free(b, new_name)
        new = _insert(tx, b, new_name, colour or _next_colour(b), notes)
        _emit(tx, session_id, new)
        return Created((new,), dict.fromkeys(notes, theme.id))

    return p.store.write_now(job)


def accept_suggestions(
    p: OpenProject, session_id: str, proposals: Sequence[Proposal], *, take_themed: bool = False
) -> Created:
    """Create several themes at once (one undo step).

    Only notes still on the board and not yet in a theme are moved, unless `take_themed`
    (the facilitator chose those notes themselves). A note named by two proposals goes
    to the first. A name already on the board gets a number: “Safety (2)”.
    """
    cleaned = [(clean_theme_name(x.name), x) for x in proposals]

    def job(tx: Tx) -> Created:
        b = _board_for_change(tx, session_id)
        taken: set[str] = set()
        names = {t.name.casefold() for t in b.themes}
        created: list[str] = []
        previous: Placement = {}
        colours_used = [t.colour for t in b.themes]
        now = utc_now()
        for name, proposal in cleaned:
            notes = [
                n
                for n in dict.fromkeys(proposal.note_ids)
                if b.note(n) is not None
                and n not in taken
                and (take_themed or b.theme_of(n) is None)
            ]
            if not notes:
                continue
            unique = numbered(name, names)
            names.add(unique.casefold())
            colour = (
                clean_colour(proposal.colour)
                if proposal.colour.strip()
                else _least_used(colours_used)
            )
            colours_used.append(colour)
            previous.update({n: b.theme_of(n) for n in notes})
            taken.update(notes)
            created.append(_insert(tx, b, unique, colour, notes))
            if proposal.suggestion_id and (
                audit_repo.suggestion_activity(tx.db, proposal.suggestion_id) == b.activity_id
            ):
                audit_repo.mark_accepted(tx.db, proposal.suggestion_id, created[-1], notes, now)
        if not created:
            raise DomainError(
                "The notes of these suggestions are all in themes already (or no longer on "
                "the board), so nothing was changed."
            )
        _emit(tx, session_id, created[0] if len(created) == 1 else None)
        return Created(tuple(created), previous)

    return p.store.write_now(job)


def move_theme(p: OpenProject, session_id: str, theme_id: str, index: int) -> int:
    """Move a theme to `index` in the board's order; returns its old index."""

    def job(tx: Tx) -> int:
        b = _board_for_change(tx, session_id)
        theme = _board_theme(b, theme_id)
        order = [t.id for t in b.themes]
        old = order.index(theme.id)
        order.remove(theme.id)
        order.insert(max(0, min(index, len(order))), theme.id)
        if order.index(theme.id) != old:
            for position, tid in enumerate(order):
                repo.set_theme_position(tx.db, tid, position)
            _emit(tx, session_id, theme_id)
        return old

    return p.store.write_now(job)


# ---------------------------------------------------------------- helpers


def _board_for_change(tx: Tx, session_id: str) -> Board:
    b = _read(tx.db, session_id)
    if b.activity_id is None:
        raise DomainError(NO_BOARD)
    return b


def _board_theme(b: Board, theme_id: str) -> BoardTheme:
    theme = b.theme(theme_id)
    if theme is None:
        raise NotFoundError("That theme is no longer on the board (it may have been deleted).")
    return theme


def _own_theme(tx: Tx, b: Board, theme_id: str, *, include_deleted: bool = False) -> Theme:
    """The stored theme with all its membership rows; it must belong to this board."""
    theme = repo.get_theme(tx.db, theme_id, include_deleted=include_deleted)
    if theme.activity_id != b.activity_id:
        raise NotFoundError("That theme belongs to another board.")
    return theme


def _board_notes(b: Board, note_ids: Iterable[str]) -> list[str]:
    notes = list(dict.fromkeys(note_ids))
    if any(b.note(n) is None for n in notes):
        raise NotFoundError(
            "A note is no longer on the board (it may have been hidden or taken back)."
        )
    return notes


def _check_name_free(b: Board, name: str, except_id: str = "") -> None:
    if any(t.name.casefold() == name.casefold() and t.id != except_id for t in b.themes):
        raise DomainError(f"There is already a theme called “{name}” on this board.")


def numbered(name: str, taken: set[str]) -> str:
    """`name`, or "name (2)", "name (3)"… when a theme of that name (any case) is taken."""
    if name.casefold() not in taken:
        return name
    n = 2
    while f"{name} ({n})".casefold() in taken:
        n += 1
    return f"{name} ({n})"


def _least_used(used: Sequence[str]) -> str:
    counts = {hex_: 0 for _, hex_ in PALETTE}
    for colour in used:
        if colour.upper() in counts:
            counts[colour.upper()] += 1
    return min(counts, key=lambda c: counts[c])  # ties: palette order


def _next_colour(b: Board) -> str:
    return _least_used([t.colour for t in b.themes])


def _insert(tx: Tx, b: Board, name: str, colour: str, notes: Sequence[str]) -> str:
    assert b.activity_id is not None
    theme_id = new_id()
    repo.unplace(tx.db, b.activity_id, notes)
    contributions.insert_theme(
        tx.db,
        Theme(
            id=theme_id,
            activity_id=b.activity_id,
            name=name,
            colour=colour,
            position=repo.next_position(tx.db, b.activity_id),
            note_ids=tuple(notes),
            created_at=utc_now(),
        ),
    )
    return theme_id


def _place(tx: Tx, b: Board, placement: Mapping[str, str | None]) -> None:
    assert b.activity_id is not None
    by_theme: dict[str | None, list[str]] = {}
    for note_id, theme_id in placement.items():
        by_theme.setdefault(theme_id, []).append(note_id)
    for theme_id in by_theme:
        if theme_id is not None:
            _board_theme(b, theme_id)
    for theme_id, notes in by_theme.items():
        repo.unplace(tx.db, b.activity_id, notes, keep=theme_id or "")
        if theme_id is not None:
            repo.add_notes(tx.db, theme_id, notes)


def _emit(tx: Tx, session_id: str, item_id: str | None) -> None:
    tx.emit(Changed(Topic.CONTENT, session_id=session_id, item_id=item_id))
