"""Research data exports: CSV (a folder or one .zip) and JSON of sessions, groups,
activities, notes, themes, votes, standards and ratings, with a codebook
(export/tabular.py declares every column; docs/exports.md explains them for researchers).

Participant ids never leave this module: votes and ratings are read already added up per
item and stakeholder group (storage/datasets.py). Note texts are export-ready: the privacy
review's removals read "[removed]" (services/privacy.export_texts). Hidden notes are
included, marked `hidden`, unless the caller leaves them out.

Safe to call on a worker thread: it only reads, on that thread's own connection.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from workshop_app.core.cells import fewer_than, method_text, suppressed
from workshop_app.core.consensus import NO_GROUP, SMILEY_TO_NINE
from workshop_app.core.errors import DomainError
from workshop_app.core.ids import utc_now
from workshop_app.core.model import ActivityKind, NoteStatus, Session, Standard
from workshop_app.core.redaction import REMOVED
from workshop_app.core.report import may_quote
from workshop_app.core.suggestion_audit import (
    ProposalRecord,
    audit_note,
    redact_label,
    redact_word,
    removed_words,
)
from workshop_app.export import tabular
from workshop_app.export.tabular import Cell, Dataset
from workshop_app.services import consensus, privacy, results
from workshop_app.services.project import OpenProject, get_settings
from workshop_app.services.survey_data import survey_rows
from workshop_app.storage import Database
from workshop_app.storage import contributions as contrib
from workshop_app.storage import datasets as repo
from workshop_app.storage import privacy as privacy_repo
from workshop_app.storage import projects as project_repo
from workshop_app.storage import sessions as session_repo
from workshop_app.storage import standards as standard_repo
from workshop_app.storage import suggestions as audit_repo
from workshop_app.storage.datasets import GroupInfo

Row = dict[str, Cell]


@dataclass(frozen=True, slots=True)
class Written:
    """Where an export went and what it holds."""

    path: Path
    rows: dict[str, int]  # table name -> rows written


def write_csv(
    p: OpenProject, session_id: str | None, target: Path, *, include_hidden: bool = True
) -> Written:
    """CSV files and their codebook for one session (None: the whole project): into one
    .zip file when `target` ends in .zip, else into the folder `target` (made if needed)."""
    data = dataset(p, session_id, include_hidden=include_hidden)
    if target.suffix.lower() == ".zip":
        tabular.write_csv_zip(data, target)
    else:
        if target.exists() and not target.is_dir():
            raise DomainError(f"{target.name} is a file; choose a folder or a .zip file.")
        tabular.write_csv_folder(data, target)
    return Written(target, _counts(data))


def write_json(
    p: OpenProject, session_id: str | None, path: Path, *, include_hidden: bool = True
) -> Written:
    """One JSON document (tables, codebook, consensus rules, when it was made)."""
    data = dataset(p, session_id, include_hidden=include_hidden)
    tabular.write_json(data, path)
    return Written(path, _counts(data))


def _counts(data: Dataset) -> dict[str, int]:
    return {t.name: len(data.rows(t.name)) for t in tabular.TABLES}


def rules_text(p: OpenProject) -> str:
    """The consensus rules in force and how children's faces map onto 1-9, in words."""
    faces = ", ".join(f"{face} → {nine}" for face, nine in sorted(SMILEY_TO_NINE.items()))
    return (
        f"{consensus.project_rules(p).describe()} Ratings on the children's five-face scale "
        f"are mapped onto 1-9 before the rules are applied (face 1 is the unhappiest): {faces}. "
        f"{method_text(get_settings(p).min_cell_size)}"
    )


def dataset(p: OpenProject, session_id: str | None, *, include_hidden: bool = True) -> Dataset:
    """Everything a CSV or JSON export holds, as rows keyed by the codebook's columns."""
    db = p.store.reader()
    project = project_repo.get_project(db)
    if session_id is None:
        chosen = session_repo.list_sessions(db)
        scope = f"Whole project ({_plural(len(chosen), 'session')})"
    else:
        chosen = [session_repo.get_session(db, session_id)]
        scope = f"Session: {chosen[0].title}"
    groups = repo.all_groups(db)
    texts = privacy.export_texts(p)
    origins = repo.theme_origins(db)
    round_of = {r.activity_id: r.number for r in consensus.rounds(p)}
    t: dict[str, list[Row]] = {table.name: [] for table in tabular.TABLES}

    for s in chosen:
        t["sessions"].append(_session_row(s))
        t["groups"].extend(_group_rows(s, contrib.participant_counts_by_group(db, s.id), groups))
        exported: set[str] = set()
        for a in session_repo.list_activities(db, s.id):
            t["activities"].append(
                {
                    "session_id": s.id,
                    "activity_id": a.id,
                    "position": a.position,
                    "kind": a.kind.value,
                    "title": a.title,
                    "prompt": a.prompt,
                    "child_prompt": a.child_prompt,
                    "state": a.state.value,
                    "consensus_round": round_of.get(a.id),
                }
            )
            for n in contrib.list_notes(db, a.id):
                if n.status is NoteStatus.HIDDEN and not include_hidden:
                    continue
                exported.add(n.id)
                t["notes"].append(
                    {
                        "note_id": n.id,
                        "session_id": s.id,
                        "activity_id": a.id,
                        "activity_title": a.title,
                        "group_id": n.group_id,
                        "group_name": _group_name(groups, n.group_id),
                        "text": texts.get(n.id, n.text),
                        "status": n.status.value,
                        "quotable": may_quote(n.status, n.withdrawn),
                        "source": n.source.value,
                        "edited": n.text != n.original_text,
                        "duplicate_of": n.duplicate_of,
                        "created_at": n.created_at.isoformat(),
                    }
                )
        theme_of: dict[str, tuple[str, str]] = {}  # note -> (theme id, name): where it is now
        for a in session_repo.list_activities(db, s.id):
            for theme in contrib.list_themes(db, a.id):
                members = [i for i in theme.note_ids if i in exported]
                for i in members:
                    theme_of.setdefault(i, (theme.id, theme.name))
                t["themes"].append(
                    {
                        "theme_id": theme.id,
                        "session_id": s.id,
                        "activity_id": a.id,
                        "activity_title": a.title,
                        "name": theme.name,
                        "position": theme.position,
                        "note_count": len(members),
                        "carried_from": " ".join(origins.get(theme.id, ())),
                        "created_at": theme.created_at.isoformat(),
                    }
                )
                t["theme_notes"].extend({"theme_id": theme.id, "note_id": i} for i in members)
            if a.kind is ActivityKind.VOTE:
                t["votes"].extend(_vote_rows(db, s, a.id, a.title, groups, texts, exported))
                rules, turnout = _vote_rules_rows(p, s, a.id, a.title, a.state.value, groups)
                t["vote_rules"].append(rules)
                t["vote_turnout"].extend(turnout)
            elif a.kind is ActivityKind.RATE:
                t["ratings"].extend(_rating_rows(db, s, a.id, a.title, groups, round_of.get(a.id)))
            elif a.kind is ActivityKind.SURVEY:
                names = {g: _group_name(groups, g) for g in groups}
                rows = survey_rows(p, a, names, exported, get_settings(p).min_cell_size)
                for name, found in rows.items():
                    t[name].extend(found)
        session_notes = [str(r["note_id"]) for r in t["notes"] if r["session_id"] == s.id]
        t["theme_suggestions"].extend(_audit_rows(db, s.id, session_notes, theme_of))

    for st in standard_repo.list_standards(db):
        t["standards"].append(
            {
                "standard_id": st.id,
                "position": st.position,
                "title": st.title,
                "statement": st.statement,
                "rationale": st.rationale,
                "level": st.level.value,
                "version": st.version,
                "child_wording": st.child_wording or None,
                "external_references": "\n".join(st.references) or None,
            }
        )
        t["standard_versions"].extend(_version_rows(db, st))
        t["measures"].extend(
            {
                "standard_id": st.id,
                "standard_title": st.title,
                "position": i,
                "measure_type": m.type.value,
                "description": m.description,
                "numerator": m.numerator or None,
                "denominator": m.denominator or None,
                "data_source": m.data_source or None,
            }
            for i, m in enumerate(st.measures)
        )
        t["standard_sources"].extend(
            {"standard_id": st.id, "source_type": kind, "source_id": i}
            for kind, ids in (("theme", st.source_theme_ids), ("note", st.source_note_ids))
            for i in ids
        )

    _withhold_small_groups(t, get_settings(p).min_cell_size)
    notes: tuple[str, ...] = ()
    if not include_hidden:
        notes = (
            "In this export hidden notes were left out: notes.csv, theme_notes.csv and the "
            "note counts of themes.csv hold shown and pending notes only, and votes on a "
            "hidden note have an empty target_text.",
        )
    return Dataset(
        project_title=project.title,
        scope=scope,
        session_id=session_id,
        generated_at=utc_now(),
        rules=rules_text(p),
        tables=t,
        notes=notes,
    )


def _session_row(s: Session) -> Row:
    return {
        "session_id": s.id,
        "title": s.title,
        "date": s.date.isoformat() if s.date else None,
        "venue": s.venue,
        "state": s.state.value,
        "moderation": s.moderation.value,
        "created_at": s.created_at.isoformat(),
    }


def _group_rows(
    s: Session, joined: dict[str | None, int], groups: dict[str, GroupInfo]
) -> Iterable[Row]:
    ids = _ordered_groups(groups, [*s.group_ids, *joined])
    for gid in ids:
        yield {
            "session_id": s.id,
            "group_id": gid,
            "group_name": _group_name(groups, gid),
            "group_kind": groups[gid].kind.value if gid in groups else None,
            "participants": joined.get(gid, 0),
        }


def _vote_rows(
    db: Database,
    s: Session,
    activity_id: str,
    title: str,
    groups: dict[str, GroupInfo],
    texts: dict[str, str],
    exported: set[str],
) -> list[Row]:
    """Per item and group; items with the most dots first, groups in the project's order."""
    counts = repo.vote_counts(db, activity_id)
    totals: dict[str, int] = {}
    for v in counts:
        totals[v.target_id] = totals.get(v.target_id, 0) + v.dots
    rank = {tid: i for i, tid in enumerate(sorted(totals, key=lambda t: -totals[t]))}
    order = {g: i for i, g in enumerate(_ordered_groups(groups, (v.group_id for v in counts)))}
    rows: list[Row] = []
    for v in sorted(counts, key=lambda v: (rank[v.target_id], order[v.group_id])):
        if v.target_type == "theme":
            text = v.theme_name
        elif v.target_type == "note" and v.target_id in exported:
            text = texts.get(v.target_id)
        else:
            text = None  # gone, or a note left out of this export
        rows.append(
            {
                "session_id": s.id,
                "activity_id": activity_id,
                "activity_title": title,
                "target_type": v.target_type or None,
                "target_id": v.target_id,
                "target_text": text,
                "group_id": v.group_id,
                "group_name": _group_name(groups, v.group_id),
                "dots": v.dots,
                "voters": v.voters,
            }
        )
    return rows


def _vote_rules_rows(
    p: OpenProject,
    s: Session,
    activity_id: str,
    title: str,
    state: str,
    groups: dict[str, GroupInfo],
) -> tuple[Row, list[Row]]:
    """One vote's rules and turnout, overall and by group (counts of people, never who)."""
    rules = results.vote_rules(p, activity_id)
    turnout = results.turnout(p, activity_id)
    dots: dict[str | None, int] = {}
    for v in repo.vote_counts(p.store.reader(), activity_id):
        dots[v.group_id] = dots.get(v.group_id, 0) + v.dots
    head: Row = {"session_id": s.id, "activity_id": activity_id, "activity_title": title}
    by_group = [
        {
            **head,
            "group_id": g.group_id,
            "group_name": _group_name(groups, g.group_id),
            "joined": g.joined,
            "voters": g.took_part,
            "dots": dots.get(g.group_id, 0),
        }
        for g in turnout.groups
    ]
    return (
        {
            **head,
            "state": state,
            "vote_on": rules.vote_on.value,
            "dots_per_person": rules.budget,
            "dots_rule": "automatic" if rules.budget_set is None else "set",
            "most_per_item": rules.per_item_cap,
            "items": len(rules.items),
            "joined": turnout.joined,
            "voters": turnout.took_part,
            "dots": sum(dots.values()),
        },
        by_group,
    )


def _version_rows(db: Database, st: Standard) -> list[Row]:
    return [
        {
            "standard_id": st.id,
            "version": v.version,
            "title": v.title,
            "statement": v.statement,
            "rationale": v.rationale,
            "current": v.version == st.version,
            "created_at": v.created_at.isoformat(),
        }
        for v in standard_repo.list_versions(db, st.id)
    ]


def _audit_rows(
    db: Database, session_id: str, note_ids: list[str], theme_of: dict[str, tuple[str, str]]
) -> list[Row]:
    """The theme-suggestion audit of a session's exported notes (core/suggestion_audit.py).
    The engine's labels are made of notes' words: words the privacy review removed from
    any note of a suggestion are removed from its label and words too."""
    proposals = audit_repo.proposals_of_notes(db, note_ids)
    suggestion_ids = {x.suggestion_id for found in proposals.values() for x in found}
    members = audit_repo.members(db, suggestion_ids)
    removals = privacy_repo.removals(db)
    rows: list[Row] = []
    for note_id in note_ids:
        found = proposals.get(note_id, [])
        final = theme_of.get(note_id)
        audit = audit_note(
            [
                ProposalRecord(
                    x.suggestion_id, x.label, x.keywords, x.theme_id, x.accepted, x.taken
                )
                for x in found
            ],
            final[0] if final else None,
        )
        chosen = audit.proposal
        label: str | None = None
        keywords: str | None = None
        proposed_at: str | None = None
        renamed: bool | None = None
        if chosen is not None:
            gone = removed_words(
                f for n in members.get(chosen.suggestion_id, ()) for f in removals.get(n, ())
            )
            label = redact_label(chosen.label, gone, REMOVED)
            keywords = "; ".join(redact_word(w, gone, REMOVED) for w in chosen.keywords)
            proposed_at = next(
                x.created_at.isoformat() for x in found if x.suggestion_id == chosen.suggestion_id
            )
            if chosen.accepted and chosen.taken and final and final[0] == chosen.theme_id:
                renamed = final[1].strip().casefold() != chosen.label.strip().casefold()
        rows.append(
            {
                "note_id": note_id,
                "session_id": session_id,
                "decision": audit.decision.value,
                "proposed_theme": label,
                "proposed_keywords": keywords,
                "times_proposed": audit.times_proposed,
                "accepted_theme_id": chosen.theme_id if chosen and chosen.accepted else None,
                "final_theme_id": final[0] if final else None,
                "final_theme_name": final[1] if final else None,
                "renamed": renamed,
                "proposed_at": proposed_at,
            }
        )
    return rows


def _rating_rows(
    db: Database,
    s: Session,
    activity_id: str,
    title: str,
    groups: dict[str, GroupInfo],
    round_number: int | None,
) -> Iterable[Row]:
    counts = repo.rating_counts(db, activity_id)  # in the framework's order
    order = {g: i for i, g in enumerate(_ordered_groups(groups, (r.group_id for r in counts)))}
    statements = {sid: i for i, sid in enumerate(dict.fromkeys(r.standard_id for r in counts))}
    for r in sorted(
        counts,
        key=lambda r: (statements[r.standard_id], r.version or 0, order[r.group_id], r.value),
    ):
        yield {
            "session_id": s.id,
            "activity_id": activity_id,
            "activity_title": title,
            "standard_id": r.standard_id,
            "standard_title": r.title,
            "version": r.version,
            "consensus_round": round_number,
            "group_id": r.group_id,
            "group_name": _group_name(groups, r.group_id),
            "scale": r.scale.value,
            "raw_value": r.raw_value,
            "value": r.value,
            "raters": r.raters,
        }


def _group_name(groups: dict[str, GroupInfo], group_id: str | None) -> str:
    if group_id is None:
        return NO_GROUP
    found = groups.get(group_id)
    return found.name if found else "A removed group"


def _ordered_groups(groups: dict[str, GroupInfo], ids: Iterable[str | None]) -> list[str | None]:
    """Distinct group ids in the project's group order; "no group" last."""
    unique = list(dict.fromkeys(ids))
    named = sorted(
        (g for g in unique if g is not None),
        key=lambda g: (groups[g].position, groups[g].name) if g in groups else (10**6, g),
    )
    return [*named, *([None] if None in unique else [])]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _withhold_small_groups(t: dict[str, list[Row]], min_cell: int) -> None:
    """Small-cell suppression (core.cells), as on screen and in Word: a group's figures
    from fewer than `min_cell` people read "fewer than N". In votes.csv and
    vote_turnout.csv, a group with fewer voters in that vote; in ratings.csv, a group with
    fewer raters of that statement in that activity, whose rows (one per value) become one
    row per version with no value and "fewer than N" raters."""
    small = fewer_than(min_cell)
    voters = {(r["activity_id"], r["group_id"]): r["voters"] for r in t["vote_turnout"]}
    for r in t["vote_turnout"]:
        if isinstance(r["voters"], int) and suppressed(r["voters"], min_cell):
            r["voters"] = r["dots"] = small
    for r in t["votes"]:
        n = voters.get((r["activity_id"], r["group_id"]), 0)
        if isinstance(n, int) and suppressed(n, min_cell):
            r["dots"] = r["voters"] = small
    raters: dict[tuple[Cell, ...], int] = {}
    for r in t["ratings"]:
        key = (r["activity_id"], r["standard_id"], r["group_id"])
        raters[key] = raters.get(key, 0) + int(r["raters"] or 0)
    kept: list[Row] = []
    collapsed: set[tuple[Cell, Cell, Cell, Cell]] = set()
    for r in t["ratings"]:
        if not suppressed(raters[(r["activity_id"], r["standard_id"], r["group_id"])], min_cell):
            kept.append(r)
            continue
        row_key = (r["activity_id"], r["standard_id"], r["version"], r["group_id"])
        if row_key not in collapsed:
            collapsed.add(row_key)
            kept.append({**r, "scale": None, "raw_value": None, "value": None, "raters": small})
    t["ratings"] = kept
