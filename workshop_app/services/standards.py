"""The project's draft quality standards: reading them with their sources and versions,
and the facilitator's edits.

A standard is traceable to what people said: its **sources** are themes (from any
session's board) and single notes. `sources` and `sources_by_standard` give them with
the session and stakeholder groups they came from and the notes' text as stored; the
exports apply the privacy review's redactions afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from workshop_app.core.errors import DomainError, NotFoundError
from workshop_app.core.ids import new_id, utc_now
from workshop_app.core.model import (
    Audience,
    Measure,
    MeasureType,
    NoteStatus,
    Standard,
    StandardLevel,
    StandardVersion,
)
from workshop_app.core.validate import TITLE_MAX, clean_text
from workshop_app.services.events import Changed, Topic
from workshop_app.services.project import OpenProject
from workshop_app.storage import Database
from workshop_app.storage import results as results_repo
from workshop_app.storage import standards as repo
from workshop_app.storage.rows import parse_day
from workshop_app.storage.writer import Tx

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
    status: NoteStatus = NoteStatus.SHOWN  # on the wall, hidden, or never approved


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
    withdrawn_notes: int = 0  # notes of it their writers took back since (counted only)

    @property
    def note_texts(self) -> tuple[str, ...]:
        return tuple(n.text for n in self.notes)


@dataclass(frozen=True, slots=True)
class StandardSources:
    standard_id: str
    themes: tuple[SourceTheme, ...] = ()  # oldest session first, then board order
    notes: tuple[SourceNote, ...] = ()  # linked directly, oldest session first
    withdrawn_notes: int = 0  # linked directly and taken back by their writers since

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
    db: Database,
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
            NoteStatus(r.status),
        )

    # A note taken back by its writer is never a source to show: only counted.
    in_theme: dict[str, list[repo.SourceNoteRow]] = {}
    taken_back: dict[str, int] = {}
    for r in theme_note_rows:
        if r.withdrawn:
            taken_back[r.theme_id] = taken_back.get(r.theme_id, 0) + 1
            continue
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
                withdrawn_notes=taken_back.get(t.theme_id, 0),
            )
        )
    notes: dict[str, list[SourceNote]] = {}
    withdrawn: dict[str, int] = {}
    for r in note_rows:
        if r.withdrawn:
            withdrawn[r.standard_id] = withdrawn.get(r.standard_id, 0) + 1
            continue
        notes.setdefault(r.standard_id, []).append(note(r))
    return {
        sid: StandardSources(
            sid,
            tuple(themes.get(sid, ())),
            tuple(notes.get(sid, ())),
            withdrawn.get(sid, 0),
        )
        for sid in themes.keys() | notes.keys() | withdrawn.keys()
    }


# ---------------------------------------------------------------- words for the fields

LEVEL_LABELS = {
    StandardLevel.EXPECTED: "Expected",
    StandardLevel.DEVELOPMENTAL: "Developmental",
}
MEASURE_LABELS = {
    MeasureType.STRUCTURE: "Structure",
    MeasureType.PROCESS: "Process",
    MeasureType.OUTCOME: "Outcome",
}
#: The audiences a standard speaks to, in the order a framework lists them.
AUDIENCE_LABELS = {
    Audience.COMMISSIONERS: "Commissioners",
    Audience.POLICE: "Police",
    Audience.SOCIAL_CARE: "Social care",
    Audience.EDUCATION: "Education",
    Audience.HEALTH: "Health",
    Audience.YOUTH_VOLUNTARY: "Youth and voluntary sector",
    Audience.PARENTS_CARERS: "Parents and carers",
    Audience.CHILDREN_YOUNG_PEOPLE: "Children and young people",
}

STATEMENT_MAX = 600
RATIONALE_MAX = 4000
MEASURE_TEXT_MAX = 500
AUDIENCE_TEXT_MAX = 1500
TERM_MAX = 100
MEANING_MAX = 1000
MEASURES_MAX = 20
DEFINITIONS_MAX = 50
REFERENCE_MAX = 500
REFERENCES_MAX = 30


# ---------------------------------------------------------------- editing


@dataclass(frozen=True)
class StandardFields:
    """What the facilitator edits in a standard (everything but its order and sources)."""

    title: str
    statement: str
    rationale: str = ""
    level: StandardLevel = StandardLevel.EXPECTED
    measures: tuple[Measure, ...] = ()
    audiences: Mapping[Audience, str] = field(default_factory=dict)
    definitions: Mapping[str, str] = field(default_factory=dict)
    child_wording: str = ""  # the statement for children's groups ("": they see the statement)
    references: tuple[str, ...] = ()  # external guidance and evidence it cites, one each

    @classmethod
    def of(cls, s: Standard) -> StandardFields:
        return cls(
            s.title,
            s.statement,
            s.rationale,
            s.level,
            s.measures,
            dict(s.audiences),
            dict(s.definitions),
            s.child_wording or "",
            tuple(s.references),
        )

    @property
    def wording(self) -> tuple[str, str, str]:
        """What a version keeps: title, statement and rationale."""
        return (self.title, self.statement, self.rationale)


@dataclass(frozen=True, slots=True)
class Edit:
    """What `update_standard` changed, for `revert_edit` (undo)."""

    before: Standard
    after: Standard
    new_version: bool  # the wording changed after people had rated it: a new version
    amended: StandardVersion | None = None  # the version row as it was, when reworded


@dataclass(frozen=True, slots=True)
class Links:
    """Sources a link or unlink actually changed (those already so are left out)."""

    standard_id: str
    theme_ids: tuple[str, ...] = ()
    note_ids: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.theme_ids or self.note_ids)


def clean_fields(f: StandardFields) -> StandardFields:
    """The fields trimmed and checked; DomainError with a message for people otherwise.

    Empty measures, audience texts and definitions are dropped; a half-filled one is
    refused with the reason.
    """
    title = clean_text(f.title, "The standard's title", TITLE_MAX, required=True)
    statement = clean_text(f.statement, "The statement", STATEMENT_MAX, required=True)
    child_wording = clean_text(f.child_wording, "The child wording", STATEMENT_MAX, required=False)
    rationale = clean_text(f.rationale, "The rationale", RATIONALE_MAX, required=False)
    try:
        level = StandardLevel(f.level)
    except ValueError:
        raise DomainError("The level must be expected or developmental.") from None
    measures = []
    for n, m in enumerate(f.measures, start=1):
        what = f"Measure {n}"
        texts = [
            clean_text(v, f"{what}: {name}", MEASURE_TEXT_MAX, required=False)
            for v, name in (
                (m.description, "what is counted"),
                (m.numerator, "the numerator"),
                (m.denominator, "the denominator"),
                (m.data_source, "the data source"),
            )
        ]
        if not any(texts):
            continue
        try:
            kind = MeasureType(m.type)
        except ValueError:
            raise DomainError(f"{what} must be a structure, process or outcome measure.") from None
        if not texts[0]:
            raise DomainError(f"{what} needs a description of what is counted.")
        measures.append(Measure(kind, *texts))
    if len(measures) > MEASURES_MAX:
        raise DomainError(f"A standard can have at most {MEASURES_MAX} measures.")
    audiences: dict[Audience, str] = {}
    for key, text in f.audiences.items():
        try:
            audience = Audience(key)
        except ValueError:
            raise DomainError(f"“{str(key)[:40]}” is not one of the audiences.") from None
        label = AUDIENCE_LABELS[audience]
        text = clean_text(
            text, f"What it means for {label.lower()}", AUDIENCE_TEXT_MAX, required=False
        )
        if text:
            audiences[audience] = text
    definitions: dict[str, str] = {}
    for term, meaning in f.definitions.items():
        term = clean_text(term, "A defined term", TERM_MAX, required=False)
        meaning = clean_text(meaning, f"The meaning of “{term}”", MEANING_MAX, required=False)
        if not term and not meaning:
            continue
        if not term:
            raise DomainError("A definition needs the term it defines.")
        if not meaning:
            raise DomainError(f"Give the meaning of “{term}”.")
        if term.casefold() in (t.casefold() for t in definitions):
            raise DomainError(f"“{term}” is defined twice.")
        definitions[term] = meaning
    if len(definitions) > DEFINITIONS_MAX:
        raise DomainError(f"A standard can have at most {DEFINITIONS_MAX} definitions.")
    ordered = {a: audiences[a] for a in Audience if a in audiences}
    references: list[str] = []
    for ref in f.references:
        ref = clean_text(ref, "A reference", REFERENCE_MAX, required=False)
        if ref and ref.casefold() not in (r.casefold() for r in references):
            references.append(ref)
    if len(references) > REFERENCES_MAX:
        raise DomainError(f"A standard can cite at most {REFERENCES_MAX} references.")
    return StandardFields(
        title,
        statement,
        rationale,
        level,
        tuple(measures),
        ordered,
        definitions,
        child_wording,
        tuple(references),
    )


def create_standard(
    p: OpenProject, fields: StandardFields, sources: Links | None = None
) -> Standard:
    """A new standard at the end of the list (version 1), with its first sources if given.

    Undo with `delete_standard`, redo with `restore_standard`.
    """
    f = clean_fields(fields)

    def job(tx: Tx) -> Standard:
        now = utc_now()
        theme_ids: tuple[str, ...] = ()
        note_ids: tuple[str, ...] = ()
        if sources is not None:
            theme_ids, note_ids = _check_sources(tx, sources.theme_ids, sources.note_ids)
        s = Standard(
            id=new_id(),
            title=f.title,
            statement=f.statement,
            rationale=f.rationale,
            level=f.level,
            measures=f.measures,
            audiences=dict(f.audiences),
            definitions=dict(f.definitions),
            position=repo.next_position(tx.db),
            version=1,
            source_theme_ids=theme_ids,
            source_note_ids=note_ids,
            created_at=now,
            updated_at=now,
            child_wording=f.child_wording or None,
            references=f.references,
        )
        repo.insert_standard(tx.db, s)
        _emit(tx, s.id)
        return repo.get_standard(tx.db, s.id)

    return p.store.write_now(job)


def update_standard(p: OpenProject, standard_id: str, fields: StandardFields) -> Edit:
    """Change a standard's fields; returns what `revert_edit` needs.

    **Versions.** Version N's row in `versions` holds the wording (title, statement,
    rationale) of version N. Rewording a version nobody has rated yet changes that row;
    rewording one that people have rated starts version N+1 (the rated wording stays as
    it was in row N), so each consensus round's ratings keep the wording they were given
    to. Other fields (level, measures, audiences, definitions, references and the child
    wording) never make a version: the child wording says the statement in children's words, as the
    audience texts say what it means for each audience; a version marks a change in what
    is being agreed, and would tell every group that the statement changed when it had not
    (docs/decisions/017-child-wording.md).
    """
    f = clean_fields(fields)

    def job(tx: Tx) -> Edit:
        before = repo.get_standard(tx.db, standard_id)
        if StandardFields.of(before) == f:
            return Edit(before, before, new_version=False)
        now = utc_now()
        reworded = StandardFields.of(before).wording != f.wording
        current = repo.get_version(tx.db, before.id, before.version)
        new_version = reworded and (
            current is None or _rated(tx, before.id, before.version, current)
        )
        after = replace(
            before,
            title=f.title,
            statement=f.statement,
            rationale=f.rationale,
            level=f.level,
            measures=f.measures,
            audiences=dict(f.audiences),
            definitions=dict(f.definitions),
            child_wording=f.child_wording or None,
            references=f.references,
            version=before.version + 1 if new_version else before.version,
            updated_at=now,
        )
        repo.update_standard(tx.db, after)
        amended = None
        wording = StandardVersion(after.id, after.version, *f.wording, now)
        if new_version:
            repo.insert_version(tx.db, wording)
        elif reworded and current is not None:
            amended = current
            repo.update_version(tx.db, replace(wording, created_at=current.created_at))
        _emit(tx, after.id)
        return Edit(before, after, new_version, amended)

    return p.store.write_now(job)


def revert_edit(p: OpenProject, edit: Edit) -> None:
    """Put a standard back as it was before `update_standard` (undo), versions included.

    Refused when people have rated the new version since: their ratings belong to it.
    """

    def job(tx: Tx) -> None:
        if edit.after == edit.before:
            return
        now_ = repo.get_standard(tx.db, edit.after.id)
        if edit.new_version:
            version = repo.get_version(tx.db, edit.after.id, edit.after.version)
            if version is not None and _rated(tx, edit.after.id, edit.after.version, version):
                raise DomainError(
                    f"People have rated version {edit.after.version} of “{now_.title}” since, "
                    "so its wording stays in the project's history."
                )
            repo.delete_version(tx.db, edit.after.id, edit.after.version)
        elif edit.amended is not None:
            repo.update_version(tx.db, edit.amended)
        repo.update_standard(tx.db, edit.before)
        _emit(tx, edit.after.id)

    p.store.write_now(job)


def move_standard(p: OpenProject, standard_id: str, index: int) -> int:
    """Move a standard to `index` in the list; returns its old index (undo: move back)."""

    def job(tx: Tx) -> int:
        order = [s.id for s in repo.list_standards(tx.db)]
        if standard_id not in order:
            raise NotFoundError("That standard is no longer in the project.")
        old = order.index(standard_id)
        order.remove(standard_id)
        order.insert(max(0, min(index, len(order))), standard_id)
        if order.index(standard_id) != old:
            repo.set_positions(tx.db, order)
            _emit(tx, standard_id)
        return old

    return p.store.write_now(job)


def delete_standard(p: OpenProject, standard_id: str) -> Standard:
    """Take a standard out of the list (soft: its versions, sources and ratings stay).
    Returns it as it was; `restore_standard` brings it back."""

    def job(tx: Tx) -> Standard:
        s = repo.get_standard(tx.db, standard_id)
        repo.set_deleted(tx.db, standard_id, utc_now())
        _emit(tx, standard_id)
        return s

    return p.store.write_now(job)


def restore_standard(p: OpenProject, standard_id: str) -> None:
    """Bring a deleted standard back where it was, with everything it had."""

    def job(tx: Tx) -> None:
        repo.get_standard(tx.db, standard_id, include_deleted=True)
        repo.set_deleted(tx.db, standard_id, None)
        _emit(tx, standard_id)

    p.store.write_now(job)


def link_sources(
    p: OpenProject,
    standard_id: str,
    theme_ids: Sequence[str] = (),
    note_ids: Sequence[str] = (),
) -> Links:
    """Link themes and notes to a standard as its sources; returns the links added
    (undo: `unlink_sources` with them). Refused when none would be new."""

    def job(tx: Tx) -> Links:
        s = repo.get_standard(tx.db, standard_id)
        themes, notes = _check_sources(tx, theme_ids, note_ids)
        added = Links(
            s.id,
            tuple(t for t in themes if t not in s.source_theme_ids),
            tuple(n for n in notes if n not in s.source_note_ids),
        )
        if not added:
            raise DomainError(f"These are sources of “{s.title}” already.")
        repo.add_sources(tx.db, s.id, "theme", added.theme_ids)
        repo.add_sources(tx.db, s.id, "note", added.note_ids)
        _emit(tx, s.id)
        return added

    return p.store.write_now(job)


def unlink_sources(
    p: OpenProject,
    standard_id: str,
    theme_ids: Sequence[str] = (),
    note_ids: Sequence[str] = (),
) -> Links:
    """Remove sources from a standard (the themes and notes themselves stay); returns the
    links removed (undo: `restore_links`)."""

    def job(tx: Tx) -> Links:
        s = repo.get_standard(tx.db, standard_id)
        removed = Links(
            s.id,
            tuple(t for t in dict.fromkeys(theme_ids) if t in s.source_theme_ids),
            tuple(n for n in dict.fromkeys(note_ids) if n in s.source_note_ids),
        )
        if removed:
            repo.remove_sources(tx.db, s.id, "theme", removed.theme_ids)
            repo.remove_sources(tx.db, s.id, "note", removed.note_ids)
            _emit(tx, s.id)
        return removed

    return p.store.write_now(job)


def restore_links(p: OpenProject, links: Links) -> None:
    """Put back links that `unlink_sources` removed, even to themes deleted since."""

    def job(tx: Tx) -> None:
        repo.get_standard(tx.db, links.standard_id)
        repo.add_sources(tx.db, links.standard_id, "theme", links.theme_ids)
        repo.add_sources(tx.db, links.standard_id, "note", links.note_ids)
        _emit(tx, links.standard_id)

    p.store.write_now(job)


# ---------------------------------------------------------------- choosing sources


@dataclass(frozen=True, slots=True)
class ThemeChoice:
    id: str
    name: str
    session_id: str
    session_title: str
    session_date: date | None
    group_names: tuple[str, ...]
    notes: int


@dataclass(frozen=True, slots=True)
class NoteChoice:
    id: str
    text: str
    group_name: str
    session_id: str
    session_title: str
    session_date: date | None


@dataclass(frozen=True, slots=True)
class SourceChoices:
    """Everything that can be linked to a standard: every session's themes and notes."""

    themes: tuple[ThemeChoice, ...]
    notes: tuple[NoteChoice, ...]


def source_choices(p: OpenProject) -> SourceChoices:
    """Every theme on any session's board and every note (not hidden, not taken back),
    oldest session first, with the session and stakeholder groups."""
    db = p.store.reader()
    groups = results_repo.group_names(db)

    def names(ids: Iterable[str | None]) -> tuple[str, ...]:
        known = sorted({g for g in ids if g in groups}, key=lambda g: groups[g][1])
        return tuple(groups[g][0] for g in known)

    return SourceChoices(
        tuple(
            ThemeChoice(
                r.theme_id,
                r.name,
                r.session_id,
                r.session_title,
                parse_day(r.session_date),
                names(r.group_ids),
                r.notes,
            )
            for r in repo.theme_choices(db)
        ),
        tuple(
            NoteChoice(
                r.note_id,
                r.text,
                groups[r.group_id][0] if r.group_id in groups else "",
                r.session_id,
                r.session_title,
                parse_day(r.session_date),
            )
            for r in repo.note_choices(db)
        ),
    )


# ---------------------------------------------------------------- helpers


def _check_sources(
    tx: Tx, theme_ids: Sequence[str], note_ids: Sequence[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    themes = tuple(dict.fromkeys(theme_ids))
    notes = tuple(dict.fromkeys(note_ids))
    if set(themes) - repo.live_theme_ids(tx.db, themes):
        raise NotFoundError("A theme is no longer on its board (it may have been deleted).")
    if set(notes) - repo.live_note_ids(tx.db, notes):
        raise NotFoundError(
            "A note is no longer in the project (its writer may have taken it back)."
        )
    return themes, notes


def _rated(tx: Tx, standard_id: str, version: int, row: StandardVersion) -> bool:
    first = min(v.version for v in repo.list_versions(tx.db, standard_id))
    return repo.version_rated(
        tx.db, standard_id, version, None if version == first else row.created_at
    )


def _emit(tx: Tx, standard_id: str) -> None:
    tx.emit(Changed(Topic.CONTENT, item_id=standard_id))
