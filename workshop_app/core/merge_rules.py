"""How each table of a project file is merged: one rule per table, declared once.

A merge brings another laptop's project into this one (docs/project-file.md, "Merging").
Every table of the schema has a rule here, and a test fails naming any table of a fresh
project file that has none: a new table is merged only once someone has decided how.

- ``ID``: rows are matched by their UUID primary key. A row this project lacks comes
  across as it is (its references mapped, see ``refs``); a row it already has is kept as
  it is here, never overwritten (what is done when the two differ is the table's
  ``rule``).
- ``KEY``: link rows without an id of their own, matched by ``key`` (after the ids in it
  are mapped): one this project lacks comes across, one it has stays.
- ``OWN``: this project's own, never brought (the project row, its settings).
- ``SKIP``: not brought at all (``rule`` says why).
- ``DERIVED``: computed from other rows; copied only while still true, else made again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class How(StrEnum):
    ID = "id"
    KEY = "key"
    OWN = "own"
    SKIP = "skip"
    DERIVED = "derived"


@dataclass(frozen=True, slots=True)
class TableRule:
    table: str
    how: How
    rule: str  # the rule in plain words (docs/project-file.md lists them)
    key: tuple[str, ...] = ("id",)
    #: column -> the table whose ids it holds, for columns whose ids a merge may map (a
    #: source group matched to one of this project's groups)
    refs: Mapping[str, str] = field(default_factory=dict)


_GROUP = {"group_id": "stakeholder_groups"}

#: Every table, parents before the rows that refer to them.
RULES: tuple[TableRule, ...] = (
    TableRule(
        "project",
        How.OWN,
        "this project's title, locality and id are kept; the "
        "source's id and title are recorded with the merge",
    ),
    TableRule(
        "settings",
        How.OWN,
        "this project's settings are kept; settings that differ "
        "in the source are listed in the dry run",
        key=("key",),
    ),
    TableRule(
        "stakeholder_groups",
        How.ID,
        "by id; a group spelled the same and of the same "
        "kind is this project's group, one spelled differently is offered for matching; "
        "a matched group's rows point to this project's group; a new group is put "
        "after this project's",
    ),
    TableRule(
        "sessions",
        How.ID,
        "by id; a session live on the other laptop comes across "
        "closed (its phones were served there; take it live here to carry on)",
    ),
    TableRule(
        "session_groups",
        How.KEY,
        "by session and (mapped) group",
        key=("session_id", "group_id"),
        refs=_GROUP,
    ),
    TableRule(
        "activities",
        How.ID,
        "by id; an activity both laptops have keeps this "
        "project's title, prompt, settings and state",
    ),
    TableRule(
        "participants",
        How.ID,
        "by id (random ids: the same id is the same phone in "
        "a copy of one project); the group is mapped",
        refs=_GROUP,
    ),
    TableRule(
        "notes",
        How.ID,
        "by id; a note whose text differs keeps this project's text "
        "and gains a history row with the other laptop's; a safeguarding flag raised "
        "on either laptop stays raised (from when it was first raised); a note held back "
        "on arrival there stays held unless this project decided on its hold; a note "
        "withdrawn or hidden here stays so",
        refs=_GROUP,
    ),
    TableRule(
        "note_edits",
        How.ID,
        "by id; not brought for a note whose words were removed for good here (privacy review)",
    ),
    TableRule(
        "themes",
        How.ID,
        "by id; a theme renamed on both laptops keeps this "
        "project's name (the other name is listed in the dry run)",
    ),
    TableRule(
        "theme_notes",
        How.KEY,
        "by theme and note; a note already in a theme of the same board here stays where it is",
        key=("theme_id", "note_id"),
    ),
    TableRule(
        "theme_origins",
        How.KEY,
        "by theme and the theme it was carried from",
        key=("theme_id", "origin_theme_id"),
    ),
    TableRule(
        "standards",
        How.ID,
        "by id; a standard edited on both laptops keeps this "
        "project's and gains the other laptop's beside it, flagged for the "
        "facilitator (merged_standards); a new standard is put after this project's",
    ),
    TableRule(
        "standard_versions",
        How.KEY,
        "by standard and version; the versions of a "
        "standard brought beside this project's go with it",
        key=("standard_id", "version"),
    ),
    TableRule(
        "standard_sources",
        How.KEY,
        "by standard, kind and source",
        key=("standard_id", "source_type", "source_id"),
    ),
    TableRule(
        "votes",
        How.ID,
        "by id; a participant's dots in an activity are one ballot: "
        "when this project has any of theirs there, the other laptop's are not added",
    ),
    TableRule(
        "ratings",
        How.ID,
        "by id; one rating per participant, activity and "
        "statement (this project's kept); a rating of a wording that exists only in "
        "the other laptop's version of an edited standard goes with that version",
    ),
    TableRule("help_requests", How.ID, "by id"),
    TableRule(
        "areas",
        How.ID,
        "by id; an area both laptops have keeps this project's name; an area named the same "
        "(as spelling goes) on both is one area: the other laptop's rows point to this one",
    ),
    TableRule(
        "services",
        How.ID,
        "by id; a service both laptops have keeps this project's name, kind and area; a "
        "service named the same (as spelling goes), of the same kind and in the same area "
        "on both is one service: the other laptop's self-assessments are of this one",
        refs={"area_id": "areas"},
    ),
    TableRule(
        "assessments",
        How.ID,
        "by self-assessment activity; one both laptops have keeps this project's service "
        "and framework version",
        key=("activity_id",),
        refs={"service_id": "services"},
    ),
    TableRule(
        "assessment_answers",
        How.ID,
        "by id; one team member's view, and one settled answer, per statement of a "
        "self-assessment: when this project has one, the other laptop's is not added",
    ),
    TableRule(
        "survey_questions",
        How.ID,
        "by id; a question both laptops have keeps this project's "
        "wording, answers to choose from and what was done about it",
    ),
    TableRule(
        "survey_answers",
        How.KEY,
        "by question and participant: one answer per person and "
        "question (this project's kept); a written answer's note comes with the notes",
        key=("question_id", "participant_id"),
    ),
    TableRule(
        "submissions",
        How.SKIP,
        "not brought: kept only so a phone's retry during a "
        "live session gets its first answer again, and phones never retry into a "
        "merged project",
        key=("participant_id", "key"),
    ),
    TableRule("redactions", How.ID, "by id (privacy review decisions)"),
    TableRule("theme_suggestions", How.ID, "by id (the suggestion audit)"),
    TableRule(
        "theme_suggestion_notes",
        How.KEY,
        "by suggestion and note",
        key=("suggestion_id", "note_id"),
    ),
    TableRule(
        "note_vectors",
        How.DERIVED,
        "copied when this project has no vector for the "
        "note and the vector was made from the note's text as it is here (same "
        "SHA-256); otherwise made again by the app",
        key=("note_id",),
    ),
    TableRule(
        "merges",
        How.ID,
        "by id: merges done on the other laptop come with it, so "
        "where each row came from is never lost",
    ),
    TableRule(
        "merge_rows", How.KEY, "by merge, table and row", key=("merge_id", "table_name", "row_id")
    ),
    TableRule(
        "merged_standards", How.KEY, "by the standard brought beside another", key=("standard_id",)
    ),
)

RULE_FOR: Mapping[str, TableRule] = {r.table: r for r in RULES}


def tables_without_rule(tables: set[str]) -> list[str]:
    """Tables of a project file that no rule covers (SQLite's own excluded)."""
    return sorted(t for t in tables if t not in RULE_FOR and not t.startswith("sqlite_"))
