"""Carrying priorities forward: the themes of a project's earlier sessions, with the dots
they got overall and from each stakeholder group, brought onto a later session's board.

Preparatory workshops (one group at a time) end with dot votes on their themes; a joint
workshop starts from those priorities, compared by group side by side. A theme brought in
is a new theme on the later board, named like the original (or one theme for several
originals, when the facilitator combines them), and it remembers where it came from
(`theme_origins`): the sessions and groups behind it, however many times it is carried.

Everything is read in a fixed number of queries over the whole project.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from workshop_app.core.cells import suppressed
from workshop_app.core.consensus import NO_GROUP
from workshop_app.core.errors import DomainError, NotFoundError
from workshop_app.core.ids import new_id, utc_now
from workshop_app.core.model import Theme
from workshop_app.core.ranking import ranked
from workshop_app.core.settings import settings_from_mapping
from workshop_app.services import board as board_service
from workshop_app.services.events import Changed, Topic
from workshop_app.services.project import OpenProject
from workshop_app.storage import Database, contributions
from workshop_app.storage import board as board_repo
from workshop_app.storage import carry as repo
from workshop_app.storage import projects as project_repo
from workshop_app.storage import results as results_repo
from workshop_app.storage import sessions as session_repo
from workshop_app.storage.rows import parse_day
from workshop_app.storage.writer import Tx

NOT_SAID = NO_GROUP  # people who chose no stakeholder group (core: the same words everywhere)
NO_EARLIER = (
    "There are no earlier sessions with themes to bring in. Priorities come from the "
    "themes of sessions dated before this one."
)


@dataclass(frozen=True, slots=True)
class GroupColumn:
    """A stakeholder group in the comparison (None: people who chose no group)."""

    id: str | None
    name: str


@dataclass(frozen=True, slots=True)
class SessionRef:
    id: str
    title: str
    date: date | None


@dataclass(frozen=True, slots=True)
class ThemeOrigins:
    """Where a theme came from: the sessions and stakeholder groups behind it."""

    theme_id: str
    sessions: tuple[SessionRef, ...] = ()  # oldest first
    groups: tuple[str, ...] = ()  # group names, in the project's order

    @property
    def carried(self) -> bool:
        return bool(self.sessions)


@dataclass(frozen=True, slots=True)
class Priority:
    """A theme of an earlier session with its votes."""

    theme_id: str
    name: str
    colour: str
    session: SessionRef  # the session whose board it is on
    rank: int  # 1: the most dots on its session's board (ties share a rank)
    dots: int
    voters: int
    notes: int
    dots_by_group: Mapping[str | None, int] = field(default_factory=dict)
    # the theme's dots as a share (0-1) of all the dots each group gave in that session,
    # exact (29 of 100 is 29/100, never the 0.28999… a float would round down to 28 %)
    share_by_group: Mapping[str | None, Fraction] = field(default_factory=dict)
    # how many of each group voted in that session (small-cell suppression: core.cells)
    voters_by_group: Mapping[str | None, int] = field(default_factory=dict)
    came_from: ThemeOrigins | None = None  # its own session and groups, and its origins'
    carried_as: tuple[str, ...] = ()  # themes on the target board brought in from it


@dataclass(frozen=True, slots=True)
class Priorities:
    session_id: str  # the session they would be brought into
    groups: tuple[GroupColumn, ...]  # the groups that voted, in the project's order
    items: tuple[Priority, ...]  # oldest session first, then most dots first
    board_activity_id: str | None  # where they would go (None: the target has no board)
    explanation: str = ""  # why nothing can be brought in ("" when something can)
    min_cell: int = 1  # a group's figures from fewer voters than this are withheld

    def withheld(self, item: Priority, group_id: str | None) -> bool:
        """Whether this group's figures for this theme's session are withheld (core.cells)."""
        return suppressed(item.voters_by_group.get(group_id, 0), self.min_cell)

    def item(self, theme_id: str) -> Priority | None:
        return next((i for i in self.items if i.theme_id == theme_id), None)


@dataclass(frozen=True, slots=True)
class Carried:
    """Themes `carry_forward` created (undo: `undo_carry`, redo: `redo_carry`)."""

    session_id: str
    theme_ids: tuple[str, ...]


# ---------------------------------------------------------------- reading


def priorities(p: OpenProject, target_session_id: str) -> Priorities:
    """The themes of the sessions before `target_session_id` (by date) with their votes
    overall and by stakeholder group, and where each came from."""
    return _Project(p.store.reader()).priorities(target_session_id)


def origins(p: OpenProject, theme_id: str) -> ThemeOrigins:
    """The sessions and groups a carried theme came from (empty for a theme that was
    not carried forward)."""
    return _Project(p.store.reader()).origins_of(theme_id)


def origins_on_board(p: OpenProject, session_id: str) -> dict[str, ThemeOrigins]:
    """`origins` of every carried theme on a session's board, by theme id."""
    project = _Project(p.store.reader())
    activity = project.board_activity(session_id)
    return {
        t.id: project.origins_of(t.id)
        for t in project.themes.values()
        if t.activity_id == activity and not t.deleted and t.id in project.origin_ids
    }


# ---------------------------------------------------------------- bringing in


def carry_forward(
    p: OpenProject,
    target_session_id: str,
    theme_ids: Sequence[str],
    *,
    combine: bool = False,
    name: str = "",
) -> Carried:
    """Bring themes of earlier sessions onto the target session's board (one step).

    Each becomes a new theme with the original's name and colour (a name already on the
    board gets a number); with `combine`, they become one theme called `name` (default:
    the first one's name) that remembers all of them. The new themes hold no notes: the
    notes stay in their own sessions.
    """
    wanted = list(dict.fromkeys(theme_ids))
    if not wanted:
        raise DomainError("Choose at least one theme to bring in.")
    combined_name = board_service.clean_theme_name(name) if combine and name.strip() else ""

    def job(tx: Tx) -> Carried:
        project = _Project(tx.db)
        pr = project.priorities(target_session_id)
        if pr.board_activity_id is None:
            raise DomainError(board_service.NO_BOARD)
        chosen = []
        for theme_id in wanted:
            item = pr.item(theme_id)
            if item is None:
                raise NotFoundError(
                    "That theme is no longer among the priorities of earlier sessions "
                    "(it may have been deleted)."
                )
            chosen.append(item)
        taken = {
            t.name.casefold()
            for t in project.themes.values()
            if t.activity_id == pr.board_activity_id and not t.deleted
        }
        plan: list[tuple[str, str, list[str]]]  # (name, colour, origins) of each new theme
        if combine and len(chosen) > 1:
            first = chosen[0]
            plan = [(combined_name or first.name, first.colour, [c.theme_id for c in chosen])]
        else:
            plan = [(c.name, c.colour, [c.theme_id]) for c in chosen]
        created = []
        for theme_name, colour, origin_ids in plan:
            unique = board_service.numbered(theme_name, taken)
            taken.add(unique.casefold())
            theme_id = new_id()
            contributions.insert_theme(
                tx.db,
                Theme(
                    id=theme_id,
                    activity_id=pr.board_activity_id,
                    name=unique,
                    colour=_colour(colour),
                    position=board_repo.next_position(tx.db, pr.board_activity_id),
                    note_ids=(),
                    created_at=utc_now(),
                ),
            )
            repo.insert_origins(tx.db, theme_id, origin_ids)
            created.append(theme_id)
        tx.emit(
            Changed(
                Topic.CONTENT,
                session_id=target_session_id,
                item_id=created[0] if len(created) == 1 else None,
            )
        )
        return Carried(target_session_id, tuple(created))

    return p.store.write_now(job)


def undo_carry(p: OpenProject, carried: Carried) -> None:
    """Take the themes brought in off the board again (soft, like deleting a theme)."""
    board_service.remove_themes(p, carried.session_id, carried.theme_ids, {})


def redo_carry(p: OpenProject, carried: Carried) -> None:
    """Put the themes brought in back on the board, as they were."""
    board_service.restore_themes(p, carried.session_id, carried.theme_ids)


# ---------------------------------------------------------------- the project, read once


class _Project:
    """Everything carrying forward needs, read in a fixed number of queries."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.sessions = {s.id: s for s in repo.sessions(db)}
        self.order = [s.id for s in self.sessions.values() if not s.deleted]
        self.themes = {t.id: t for t in repo.themes(db)}
        self.groups = results_repo.group_names(db)
        self.origin_ids: dict[str, list[str]] = {}
        for theme_id, origin_id in repo.origins(db):
            self.origin_ids.setdefault(theme_id, []).append(origin_id)
        self.note_groups: dict[str, dict[str | None, int]] = {}
        for r in repo.note_groups(db):
            self.note_groups.setdefault(r.theme_id, {})[r.group_id] = r.notes
        self.dots: dict[str, dict[str | None, tuple[int, int]]] = {}
        for d in repo.theme_dots(db):
            self.dots.setdefault(d.target_id, {})[d.group_id] = (d.dots, d.voters)
        given = repo.dots_given(db)
        self.given: dict[tuple[str, str | None], int] = {
            (g.session_id, g.group_id): g.dots for g in given
        }
        self.group_voters: dict[tuple[str, str | None], int] = {
            (g.session_id, g.group_id): g.voters for g in given
        }
        self.min_cell = settings_from_mapping(project_repo.get_settings(db)).min_cell_size
        by_session: dict[str, list[repo.ActivityRow]] = {}
        for a in repo.board_activities(db):
            by_session.setdefault(a.session_id, []).append(a)
        self.boards: dict[str, str] = {}
        for session_id, activities in by_session.items():
            cluster = next((a for a in activities if a.kind == "cluster"), None)
            brainstorms = [a for a in activities if a.kind == "brainstorm"]
            chosen = cluster or (brainstorms[-1] if brainstorms else None)
            if chosen is not None:
                self.boards[session_id] = chosen.id

    def board_activity(self, session_id: str) -> str | None:
        return self.boards.get(session_id)

    def ref(self, session_id: str) -> SessionRef:
        s = self.sessions[session_id]
        return SessionRef(s.id, s.title, parse_day(s.date))

    def _group_order(self, ids: Iterable[str | None]) -> tuple[str, ...]:
        known = sorted({g for g in ids if g in self.groups}, key=lambda g: self.groups[g][1])
        return tuple(self.groups[g][0] for g in known)

    def trace(self, theme_id: str, *, own: bool) -> ThemeOrigins:
        """The sessions and groups behind a theme: with `own`, its own session and the
        groups of its notes too; always those of the themes it was carried from."""
        sessions: set[str] = set()
        groups: set[str | None] = set()
        seen: set[str] = set()
        todo = [theme_id] if own else list(self.origin_ids.get(theme_id, ()))
        while todo:
            tid = todo.pop()
            if tid in seen or tid not in self.themes:
                continue
            seen.add(tid)
            sessions.add(self.themes[tid].session_id)
            groups.update(g for g, n in self.note_groups.get(tid, {}).items() if n)
            todo.extend(self.origin_ids.get(tid, ()))
        rank = {sid: i for i, sid in enumerate(self.sessions)}
        ordered = sorted((s for s in sessions if s in self.sessions), key=lambda s: rank[s])
        return ThemeOrigins(
            theme_id, tuple(self.ref(s) for s in ordered), self._group_order(groups)
        )

    def origins_of(self, theme_id: str) -> ThemeOrigins:
        if theme_id not in self.themes:
            raise NotFoundError("That theme is not in the project.")
        return self.trace(theme_id, own=False)

    def priorities(self, target_session_id: str) -> Priorities:
        session_repo.get_session(self.db, target_session_id)  # NotFoundError if not there
        target = self.sessions[target_session_id]
        earlier = self.order[: self.order.index(target_session_id)]
        if target.date is None:  # an undated session comes after every dated one
            earlier = [s for s in self.order if s != target_session_id and self.sessions[s].date]
        target_board = self.board_activity(target_session_id)
        carried_as: dict[str, list[str]] = {}
        for t in self.themes.values():
            if t.activity_id == target_board and not t.deleted:
                for origin in self.origin_ids.get(t.id, ()):
                    carried_as.setdefault(origin, []).append(t.id)
        items: list[Priority] = []
        voted: set[str | None] = set()
        for session_id in earlier:
            board = self.board_activity(session_id)
            themes = [t for t in self.themes.values() if t.activity_id == board and not t.deleted]
            rows = []
            for t in themes:
                by_group = self.dots.get(t.id, {})
                voted.update(g for g, (d, _v) in by_group.items() if d)
                rows.append((t, by_group, sum(d for d, _v in by_group.values())))
            for rank, (t, by_group, dots) in ranked(rows, lambda r: r[2]):  # board order ties
                items.append(
                    Priority(
                        theme_id=t.id,
                        name=t.name,
                        colour=t.colour,
                        session=self.ref(session_id),
                        rank=rank,
                        dots=dots,
                        voters=sum(v for _d, v in by_group.values()),
                        notes=sum(self.note_groups.get(t.id, {}).values()),
                        dots_by_group={g: d for g, (d, _v) in by_group.items()},
                        share_by_group={
                            g: Fraction(d, self.given[(session_id, g)])
                            for g, (d, _v) in by_group.items()
                            if self.given.get((session_id, g))
                        },
                        voters_by_group={
                            g: n for (s, g), n in self.group_voters.items() if s == session_id
                        },
                        came_from=self.trace(t.id, own=True),
                        carried_as=tuple(carried_as.get(t.id, ())),
                    )
                )
        columns = [
            GroupColumn(g, self.groups[g][0])
            for g in sorted((g for g in voted if g in self.groups), key=lambda g: self.groups[g][1])
        ]
        if None in voted:
            columns.append(GroupColumn(None, NOT_SAID))
        explanation = ""
        if target_board is None:
            explanation = board_service.NO_BOARD
        elif not items:
            explanation = NO_EARLIER
        return Priorities(
            target_session_id,
            tuple(columns),
            tuple(items),
            target_board,
            explanation,
            self.min_cell,
        )


def _colour(colour: str) -> str:
    try:
        return board_service.clean_colour(colour)
    except DomainError:
        return board_service.PALETTE[0][1]
