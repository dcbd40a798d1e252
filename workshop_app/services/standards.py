"""The project's draft quality standards: reading them with their sources and versions,
and the facilitator's edits.

A standard is traceable to what people said: its **sources** are themes (from any
session's board) and single notes. `sources` and `sources_by_standard` give them with
the session and stakeholder groups they came from and the notes' text as stored; the
exports apply the privacy review's redactions afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from workshop_app.core.model import Standard, StandardVersion
from workshop_app.services.project import OpenProject
from workshop_app.storage import results as results_repo
from workshop_app.storage import standards as repo
from workshop_app.storage.rows import parse_day

# ---------------------------------------------------------------- reading


@dataclass(frozen=True, slots=True)
class SourceNote:
    """A note a standard came from (directly, or through one of its themes)."""

    id: str
    text: str  # as stored (exports apply the privacy review's redactions)
    group_name: str  # the writer's stakeholder group ("" when they chose none)
    session_id: str
    session_title: str
    session_date: date | None
    hidden: bool = False  # hidden by the facilitator on the note wall since


@dataclass(frozen=True, slots=True)
class SourceTheme:
    """A theme a standard came from, with its session and the notes in it."""

    id: str
    name: str
    session_id: str
    session_title: str
    session_date: date | None
    group_names: tuple[str, ...]  # the stakeholder groups of its notes, in the project's order
    notes: tuple[SourceNote, ...]  # oldest first; hidden ones marked (never taken-back ones)
    on_board: bool = True  # False: deleted from its board since (it is still a source)

    @property
    def note_texts(self) -> tuple[str, ...]:
        return tuple(n.text for n in self.notes)


@dataclass(frozen=True, slots=True)
class StandardSources:
    standard_id: str
    themes: tuple[SourceTheme, ...] = ()  # oldest session first, then board order
    notes: tuple[SourceNote, ...] = ()  # linked directly, oldest session first

    @property
    def empty(self) -> bool:
        return not self.themes and not self.notes

    @property
    def session_titles(self) -> tuple[str, ...]:
        """Every session the sources came from, oldest first, once each."""
        return tuple(
            dict.fromkeys(
                [t.session_title for t in self.themes] + [n.session_title for n in self.notes]
            )
        )

    @property
    def group_names(self) -> tuple[str, ...]:
        """Every stakeholder group the sources came from, once each."""
        names = [g for t in self.themes for g in t.group_names]
        names += [n.group_name for n in self.notes if n.group_name]
        return tuple(dict.fromkeys(names))


def list_standards(p: OpenProject) -> list[Standard]:
    """The project's standards (not deleted), in their order."""
    return repo.list_standards(p.store.reader())


def get_standard(p: OpenProject, standard_id: str) -> Standard:
    """One standard; NotFoundError if it is not (or no longer) in the project."""
    return repo.get_standard(p.store.reader(), standard_id)


def versions(p: OpenProject, standard_id: str) -> list[StandardVersion]:
    """Every version of a standard's wording, oldest first. Row N holds the wording of
    version N (title, statement, rationale): the last row is the current wording."""
    return repo.list_versions(p.store.reader(), standard_id)


def sources(p: OpenProject, standard_id: str) -> StandardSources:
    """The themes and notes one standard came from, with their sessions and groups."""
    db = p.store.reader()
    repo.get_standard(db, standard_id)  # NotFoundError for a wrong or deleted standard
    return _sources(
        db,
        repo.source_themes(db, standard_id),
        repo.source_theme_notes(db, standard_id),
        repo.source_notes(db, standard_id),
    ).get(standard_id, StandardSources(standard_id))


def sources_by_standard(p: OpenProject) -> dict[str, StandardSources]:
    """`sources` of every standard at once (a fixed number of queries), keyed by id."""
    db = p.store.reader()
    found = _sources(db, repo.source_themes(db), repo.source_theme_notes(db), repo.source_notes(db))
    return {s.id: found.get(s.id, StandardSources(s.id)) for s in repo.list_standards(db)}


def _sources(
    db: Any,
    theme_rows: Iterable[repo.SourceThemeRow],
    theme_note_rows: Iterable[repo.SourceNoteRow],
    note_rows: Iterable[repo.SourceNoteRow],
) -> dict[str, StandardSources]:
    groups = results_repo.group_names(db)

    def name(group_id: str | None) -> str:
        return groups[group_id][0] if group_id in groups else ""

    def order(group_ids: Iterable[str | None]) -> tuple[str, ...]:
        known = {g for g in group_ids if g in groups}
        return tuple(groups[g][0] for g in sorted(known, key=lambda g: groups[g][1]))

    def note(r: repo.SourceNoteRow) -> SourceNote:
        return SourceNote(
            r.note_id,
            r.text,
            name(r.group_id),
            r.session_id,
            r.session_title,
            parse_day(r.session_date),
            r.hidden,
        )

    in_theme: dict[str, list[repo.SourceNoteRow]] = {}
    for r in theme_note_rows:
        in_theme.setdefault(r.theme_id, []).append(r)
    themes: dict[str, list[SourceTheme]] = {}
    for t in theme_rows:
        rows = in_theme.get(t.theme_id, [])
        themes.setdefault(t.standard_id, []).append(
            SourceTheme(
                t.theme_id,
                t.name,
                t.session_id,
                t.session_title,
                parse_day(t.session_date),
                order(r.group_id for r in rows),
                tuple(note(r) for r in rows),
                on_board=not t.deleted,
            )
        )
    notes: dict[str, list[SourceNote]] = {}
    for r in note_rows:
        notes.setdefault(r.standard_id, []).append(note(r))
    return {
        sid: StandardSources(sid, tuple(themes.get(sid, ())), tuple(notes.get(sid, ())))
        for sid in themes.keys() | notes.keys()
    }
