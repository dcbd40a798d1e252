"""What a merge brings across: the plan, worked out from both projects' rows.

Pure: rows are plain dicts (column -> SQLite value) read by storage/merge.py, and the
plan says which rows to insert, which few to update (a safeguarding flag raised on the
other laptop) and what was kept and why. The rules per table are in core/merge_rules.py;
this module applies them. Nothing here deletes or overwrites a row of the target.

Rows the merge makes itself (the history row of a note edited on both laptops, the copy of
a standard edited on both) get ids derived from what they stand for, so merging the same
source again finds them present and adds nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from workshop_app.core.merge_names import GroupMatch, GroupName, normalise, propose_matches
from workshop_app.core.merge_rules import RULES, How, TableRule
from workshop_app.core.redaction import REMOVED

Row = dict[str, Any]
Tables = Mapping[str, Sequence[Row]]

#: What makes two versions of a standard the same standard (not when it was saved).
STANDARD_CONTENT = (
    "title",
    "statement",
    "rationale",
    "level",
    "measures",
    "audiences",
    "definitions",
    "child_wording",
    "external_references",
)
#: edited_by of the history row that keeps the other laptop's text of a note.
MERGE_EDITOR = "merge"
#: Why a removal is not brought: words the privacy review removed on the other laptop only.
REMOVED_THERE = "words removed for good on the other laptop (still here: review them)"


def derived_id(*parts: str) -> str:
    """A stable 32-hex-digit id for a row a merge makes (the same parts, the same id)."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def row_key(rule: TableRule, row: Row) -> str:
    """How merge_rows names a row: its id, or its key's parts joined by '|'."""
    return "|".join(str(row[c]) for c in rule.key)


@dataclass(frozen=True, slots=True)
class FlaggedStandard:
    copy_id: str  # the other laptop's version, brought beside
    original_id: str  # this project's
    title: str


@dataclass(frozen=True, slots=True)
class Kept:
    """A row both projects have, different in the source: this project's was kept."""

    table: str
    row_id: str
    what: str  # in words, for the dry run


@dataclass
class MergePlan:
    inserts: dict[str, list[Row]] = field(default_factory=dict)
    #: (table, id, column -> new value): only ever fills in what the target lacks
    updates: list[tuple[str, str, Row]] = field(default_factory=list)
    groups: list[GroupMatch] = field(default_factory=list)  # matched groups
    offered: list[GroupMatch] = field(default_factory=list)  # offered and not accepted
    flagged: list[FlaggedStandard] = field(default_factory=list)
    kept: list[Kept] = field(default_factory=list)
    held_back: Counter[str] = field(default_factory=Counter)  # reason -> rows
    settings_differ: list[str] = field(default_factory=list)
    #: areas and services named the same on both laptops: one organisation, in words
    same_named: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        """Rows that come across, by table (only tables with some)."""
        return {t: len(rows) for t, rows in self.inserts.items() if rows}

    @property
    def empty(self) -> bool:
        return not self.counts and not self.updates


def group_proposals(source: Tables, target: Tables) -> list[GroupMatch]:
    """The source's groups (not already here by id) that may be this project's groups."""
    have = {r["id"] for r in target.get("stakeholder_groups", ())}
    src = [_group_name(r) for r in source.get("stakeholder_groups", ()) if r["id"] not in have]
    tgt = [_group_name(r) for r in target.get("stakeholder_groups", ()) if not r["deleted_at"]]
    return propose_matches(src, tgt)


def _group_name(r: Row) -> GroupName:
    return GroupName(str(r["id"]), str(r["name"]), str(r["kind"]))


def plan_merge(
    source: Tables,
    target: Tables,
    *,
    accept: Iterable[str] = (),
    text_hash: Callable[[str], str],
    source_title: str = "",
    rules: Sequence[TableRule] = RULES,
) -> MergePlan:
    """The plan for bringing `source` into `target`. `accept` holds the ids of source
    groups whose offered match the facilitator accepted (exact matches need none).
    A new group whose name this project already uses (any case) is renamed
    "NAME (from SOURCE_TITLE)": a project's group names are unique."""
    plan = _Planner(source, target, set(accept), text_hash)
    plan.source_title = source_title or "the other project"
    for rule in rules:
        plan.table(rule)
    return plan.result


class _Planner:
    def __init__(
        self, source: Tables, target: Tables, accept: set[str], text_hash: Callable[[str], str]
    ):
        self.src = source
        self.tgt = target
        self.hash = text_hash
        self.source_title = "the other project"
        self.result = MergePlan()
        self.maps: dict[str, dict[str, str]] = defaultdict(dict)  # table -> source id -> id
        self.copies: dict[str, str] = {}  # source standard id -> its copy's id
        self.removed_here: set[str] = set()  # notes whose words were removed here for good
        self.after: dict[str, list[Row]] = {}  # table -> target rows plus those coming
        for m in group_proposals(source, target):
            if m.exact or m.source.id in accept:
                self.result.groups.append(m)
                self.maps["stakeholder_groups"][m.source.id] = m.target.id
            else:
                self.result.offered.append(m)

    # ------------------------------------------------------------------ each table

    def table(self, rule: TableRule) -> None:
        name = rule.table
        special = getattr(self, "_t_" + name, None)
        if rule.how is How.OWN:
            if name == "settings":
                self._t_settings()
            return
        if rule.how is How.SKIP:
            return
        if special is not None:
            special(rule)
        elif rule.how is How.ID:
            self._by_id(rule)
        else:
            self._by_key(rule)

    def _rows(self, rule: TableRule) -> list[Row]:
        """The source's rows with their references mapped."""
        out = []
        for r in self.src.get(rule.table, ()):
            row = dict(r)
            for column, table in rule.refs.items():
                value = row.get(column)
                if value is not None:
                    row[column] = self.maps[table].get(value, value)
            out.append(row)
        return out

    def _index(self, table: str) -> dict[str, Row]:
        return {r["id"]: r for r in self.tgt.get(table, ())}

    def _add(self, table: str, row: Row) -> None:
        self.result.inserts.setdefault(table, []).append(row)
        self.after.setdefault(table, list(self.tgt.get(table, ()))).append(row)

    def _all(self, table: str) -> list[Row]:
        return self.after.get(table) or list(self.tgt.get(table, ()))

    def _by_id(
        self, rule: TableRule, differs: Callable[[Row, Row], str | None] | None = None
    ) -> list[tuple[Row, Row]]:
        """Insert the rows the target lacks; return (source, target) pairs of the rest."""
        have = self._index(rule.table)
        both = []
        for row in self._rows(rule):
            here = have.get(row["id"])
            if here is None:
                self._add(rule.table, row)
                continue
            both.append((row, here))
            what = differs(row, here) if differs else _differs(row, here)
            if what:
                self.result.kept.append(Kept(rule.table, row["id"], what))
        return both

    def _by_key(self, rule: TableRule) -> None:
        have = {tuple(r[c] for c in rule.key) for r in self.tgt.get(rule.table, ())}
        for row in self._rows(rule):
            key = tuple(row[c] for c in rule.key)
            if key not in have:
                have.add(key)
                self._add(rule.table, row)

    # ------------------------------------------------------------------ special rules

    def _t_settings(self) -> None:
        mine = {r["key"]: r["value"] for r in self.tgt.get("settings", ())}
        self.result.settings_differ = sorted(
            r["key"]
            for r in self.src.get("settings", ())
            if r["key"] in mine and _json(r["value"]) != _json(mine[r["key"]])
        )

    def _t_stakeholder_groups(self, rule: TableRule) -> None:
        mapped = self.maps["stakeholder_groups"]
        top = _next_position(self.tgt.get("stakeholder_groups", ()))
        fresh = [r for r in self._rows(rule) if r["id"] not in mapped]
        have = self._index(rule.table)
        names = {
            str(r["name"]).casefold() for r in self.tgt.get(rule.table, ()) if not r["deleted_at"]
        }
        for n, row in enumerate(
            sorted((r for r in fresh if r["id"] not in have), key=lambda r: r["position"])
        ):
            name = str(row["name"])
            if not row["deleted_at"]:
                if name.casefold() in names:
                    name = f"{name} (from {self.source_title})"
                names.add(name.casefold())
            self._add(rule.table, {**row, "name": name, "position": top + n})
        for row in fresh:
            here = have.get(row["id"])
            if here is not None and row["name"] != here["name"]:
                self.result.kept.append(
                    Kept(rule.table, row["id"], f"group “{here['name']}” (there “{row['name']}”)")
                )

    def _t_sessions(self, rule: TableRule) -> None:
        have = self._index(rule.table)
        for row in self._rows(rule):
            if row["id"] in have:
                continue
            if row["state"] == "live":
                row = {**row, "state": "closed"}
            self._add(rule.table, row)

    def _t_notes(self, rule: TableRule) -> None:
        keys = {r["idempotency_key"] for r in self.tgt.get("notes", ()) if r["idempotency_key"]}
        have = self._index(rule.table)
        edits = self._index("note_edits")
        for row in self._rows(rule):
            here = have.get(row["id"])
            if here is None:
                if row["idempotency_key"] in keys:  # only for phone retries; never shared
                    row = {**row, "idempotency_key": None}
                self._add(rule.table, row)
                continue
            if _removed_here(here, row):
                self.removed_here.add(row["id"])
                if row["text"] != here["text"]:
                    self.result.held_back["words removed here for good"] += 1
            elif row["text"] != here["text"]:
                self.result.kept.append(Kept("notes", row["id"], "a note's text"))
                if _removed_here(row, here):  # the other way round: still here
                    self.result.held_back[REMOVED_THERE] += 1
                edit_id = derived_id("merge-note-text", row["id"], row["text"])
                if edit_id not in edits:  # else kept by an earlier merge
                    self._add(
                        "note_edits",
                        {
                            "id": edit_id,
                            "note_id": row["id"],
                            "old_text": row["text"],
                            "new_text": here["text"],
                            "edited_by": MERGE_EDITOR,
                            "created_at": max(row["updated_at"], here["updated_at"]),
                        },
                    )
            flag = _flag_update(row, here) | _hold_update(row, here)
            if flag:
                self.result.updates.append(("notes", row["id"], flag))
            if row["flag_note"] and here["flag_note"] and row["flag_note"] != here["flag_note"]:
                self.result.kept.append(Kept("notes", row["id"], "a safeguarding follow-up note"))

    def _t_note_edits(self, rule: TableRule) -> None:
        have = self._index(rule.table)
        for row in self._rows(rule):
            if row["id"] in have:
                continue
            if row["note_id"] in self.removed_here:
                self.result.held_back["words removed here for good"] += 1
                continue
            self._add(rule.table, row)

    def _t_themes(self, rule: TableRule) -> None:
        def differs(row: Row, here: Row) -> str | None:
            if row["name"] != here["name"]:
                return f"theme “{here['name']}” (there “{row['name']}”)"
            return None

        self._by_id(rule, differs)

    def _t_theme_notes(self, rule: TableRule) -> None:
        themes = {t["id"]: t for t in self._all("themes")}
        placed = set()
        for link in self.tgt.get(rule.table, ()):
            theme = themes.get(link["theme_id"])
            if theme is not None and not theme["deleted_at"]:
                placed.add((theme["activity_id"], link["note_id"]))
        have = {(r["theme_id"], r["note_id"]) for r in self.tgt.get(rule.table, ())}
        for row in self._rows(rule):
            key = (row["theme_id"], row["note_id"])
            if key in have:
                continue
            theme = themes.get(row["theme_id"])
            where = (theme["activity_id"] if theme else None, row["note_id"])
            if theme is not None and not theme["deleted_at"] and where in placed:
                self.result.held_back["a note already in a theme here"] += 1
                continue
            if theme is not None and not theme["deleted_at"]:
                placed.add(where)
            have.add(key)
            self._add(rule.table, row)

    def _t_standards(self, rule: TableRule) -> None:
        have = self._index(rule.table)
        top = _next_position(self.tgt.get("standards", ()))
        fresh = []
        for row in self._rows(rule):
            here = have.get(row["id"])
            if here is None:
                fresh.append(row)
            elif any(row[c] != here[c] for c in STANDARD_CONTENT):
                content = json.dumps([row[c] for c in STANDARD_CONTENT])
                copy_id = derived_id("merge-standard", row["id"], content)
                self.copies[row["id"]] = copy_id
                if copy_id in have:
                    continue  # brought by an earlier merge
                self._add(rule.table, {**row, "id": copy_id, "position": here["position"]})
                self._add(
                    "merged_standards",
                    {"standard_id": copy_id, "original_id": row["id"], "settled_at": None},
                )
                self.result.flagged.append(FlaggedStandard(copy_id, row["id"], here["title"]))
        for n, row in enumerate(sorted(fresh, key=lambda r: r["position"])):
            self._add(rule.table, {**row, "position": top + n})

    def _copied(self, rule: TableRule, column: str) -> None:
        """Link rows of standards: those of a standard brought beside this project's go
        with the copy; the rest by key."""
        have = {tuple(r[c] for c in rule.key) for r in self._all(rule.table)}
        for row in self._rows(rule):
            if row[column] in self.copies:
                row = {**row, column: self.copies[row[column]]}
            key = tuple(row[c] for c in rule.key)
            if key not in have:
                have.add(key)
                self._add(rule.table, row)

    def _t_standard_versions(self, rule: TableRule) -> None:
        self._copied(rule, "standard_id")

    def _t_standard_sources(self, rule: TableRule) -> None:
        self._copied(rule, "standard_id")

    def _t_votes(self, rule: TableRule) -> None:
        ballots = {(r["activity_id"], r["participant_id"]) for r in self.tgt.get("votes", ())}
        have = self._index(rule.table)
        for row in self._rows(rule):
            if row["id"] in have:
                continue
            if (row["activity_id"], row["participant_id"]) in ballots:
                self.result.held_back["a participant's ballot already here"] += 1
                continue
            self._add(rule.table, row)

    def _t_ratings(self, rule: TableRule) -> None:
        versions = {
            (v["standard_id"], v["version"]): (v["title"], v["statement"], v["rationale"])
            for v in self.tgt.get("standard_versions", ())
        }
        theirs = {
            (v["standard_id"], v["version"]): (v["title"], v["statement"], v["rationale"])
            for v in self.src.get("standard_versions", ())
        }
        have = self._index(rule.table)
        given = {
            (r["activity_id"], r["participant_id"], r["standard_id"]) for r in self._all("ratings")
        }
        for row in self._rows(rule):
            if row["id"] in have:
                continue
            sid, version = row["standard_id"], row["version"]
            if sid in self.copies and version is not None:
                wording = theirs.get((sid, version))
                if wording is None or versions.get((sid, version)) != wording:
                    row = {**row, "standard_id": self.copies[sid]}
            key = (row["activity_id"], row["participant_id"], row["standard_id"])
            if key in given:
                self.result.held_back["a participant's rating already here"] += 1
                continue
            given.add(key)
            self._add(rule.table, row)

    def _t_areas(self, rule: TableRule) -> None:
        self._same_named(rule, "Area", lambda r: (normalise(r["name"]),))

    def _t_services(self, rule: TableRule) -> None:
        # After the areas: a service's area is already mapped to this project's.
        self._same_named(rule, "Service", lambda r: (normalise(r["name"]), r["kind"], r["area_id"]))

    def _same_named(
        self, rule: TableRule, noun: str, key: Callable[[Row], tuple[str, ...]]
    ) -> None:
        """Areas and services are organisations, named in the project: one named the same
        (as spelling goes; a service of the same kind in the same area) on both laptops is
        the same one, and the other laptop's rows point to this project's."""
        here = {key(r): r for r in self.tgt.get(rule.table, ()) if not r["deleted_at"]}
        have = self._index(rule.table)
        top = _next_position(self.tgt.get(rule.table, ()))
        for row in self._rows(rule):
            if row["id"] in have:
                what = _differs(row, have[row["id"]])
                if what:
                    self.result.kept.append(Kept(rule.table, row["id"], what))
                continue
            same = None if row["deleted_at"] else here.get(key(row))
            if same is not None:
                self.maps[rule.table][row["id"]] = same["id"]
                self.result.same_named.append(
                    f"{noun} “{row['name']}” → “{same['name']}”: the same name, one {noun.lower()}"
                )
                continue
            row["position"] = top
            top += 1
            self._add(rule.table, row)

    def _t_assessments(self, rule: TableRule) -> None:
        """Keyed by their activity (a self-assessment has no id of its own)."""
        self._by_key(rule)

    def _t_assessment_answers(self, rule: TableRule) -> None:
        """One view per team member and statement, one settled answer per statement (the
        table's unique indexes): a copy of one self-assessment answered on both laptops
        keeps this project's."""
        have = self._index(rule.table)
        given = {
            (r["activity_id"], r["standard_id"], r["participant_id"]) for r in self._all(rule.table)
        }
        for row in self._rows(rule):
            if row["id"] in have:
                continue
            key = (row["activity_id"], row["standard_id"], row["participant_id"])
            if key in given:
                self.result.held_back["a self-assessment answer already here"] += 1
                continue
            given.add(key)
            self._add(rule.table, row)

    def _t_note_vectors(self, rule: TableRule) -> None:
        notes = {n["id"]: n for n in self._all("notes")}
        have = {r["note_id"] for r in self.tgt.get(rule.table, ())}
        for row in self.src.get(rule.table, ()):
            note = notes.get(row["note_id"])
            if row["note_id"] in have or note is None:
                continue
            if row["text_hash"] == self.hash(note["text"]):
                self._add(rule.table, dict(row))


def _removed_here(here: Row, there: Row) -> bool:
    """Words were removed from this project's note for good (privacy review) that the
    other laptop's still has: its texts must not bring them back."""
    return (REMOVED in here["text"] or REMOVED in here["original_text"]) and (
        here["text"] != there["text"] or here["original_text"] != there["original_text"]
    )


def _flag_update(there: Row, here: Row) -> Row:
    """A safeguarding flag raised on either laptop stays raised, from when it was first
    raised; this project's follow-up note is kept unless it has none."""
    if not there["flagged_at"]:
        return {}
    changes: Row = {}
    if not here["flagged_at"] or there["flagged_at"] < here["flagged_at"]:
        changes["flagged_at"] = there["flagged_at"]
    if there["flag_note"] and not here["flag_note"]:
        changes["flag_note"] = there["flag_note"]
    return changes


def _hold_update(there: Row, here: Row) -> Row:
    """A note held back on arrival on the other laptop stays held here (waiting, if it was
    shown) unless this project already decided about a hold of its own (a release here
    stands; issue 17)."""
    if there.get("held_at") and not here.get("held_at") and not here.get("hold_reasons"):
        held = {"held_at": there["held_at"], "hold_reasons": there["hold_reasons"]}
        return held | ({"status": "pending"} if here.get("status") == "shown" else {})
    return {}


def _differs(row: Row, here: Row) -> str | None:
    changed = sorted(c for c in row if c in here and row[c] != here[c] and c != "updated_at")
    return ", ".join(changed) if changed else None


def _next_position(rows: Iterable[Row]) -> int:
    return max((int(r["position"]) for r in rows), default=-1) + 1


def _json(value: str) -> object:
    try:
        return json.loads(value)
    except ValueError:
        return value
