"""Research data as CSV files (a folder or one .zip) and as one JSON document, with a
codebook describing every file and every column.

Pure: it takes a `Dataset` (plain rows built by services/datasets.py) and writes files.
Every table's columns are declared once, here (`TABLES`), with their type and meaning;
the CSV headers, the JSON keys and the codebook all come from those declarations, so the
codebook cannot miss a column. A row with a column the declaration lacks is refused.

Choices, documented for researchers in the codebook and docs/exports.md:
- CSV is UTF-8 with a byte-order mark (so Excel on Windows reads "8–12" and "’" right;
  pandas, R and LibreOffice read it too), comma-separated, quoted where needed (RFC 4180),
  CRLF line ends. Booleans are `true`/`false`; a missing value is an empty cell.
- A text cell starting with = + - @, a tab or a carriage return gets a leading apostrophe
  in CSV, so no spreadsheet runs it as a formula. JSON keeps every value as written.
"""

from __future__ import annotations

import csv
import io
import json
import os
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from workshop_app.core.redaction import REMOVED

Cell = str | int | float | bool | None
Row = Mapping[str, Cell]

FORMAT = "common-ground-data"
FORMAT_VERSION = 2
CSV_ENCODING = "utf-8-sig"  # UTF-8 with a byte-order mark
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: str  # id, text, integer, boolean, timestamp, date, or one of a list of codes
    description: str


@dataclass(frozen=True, slots=True)
class Table:
    name: str  # the file is <name>.csv; the JSON key is <name>
    description: str
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _c(name: str, type_: str, description: str) -> Column:
    return Column(name, type_, description)


_SESSION_ID = _c("session_id", "id", "The session (sessions.csv).")
_ACTIVITY_ID = _c("activity_id", "id", "The activity of the session (activities.csv).")
_ACTIVITY_TITLE = _c("activity_title", "text", "The activity's title, as on the agenda.")
_GROUP_ID = _c(
    "group_id",
    "id",
    "The stakeholder group the person chose when joining; empty when they chose none "
    "(and for paper notes typed in without a group).",
)
_GROUP_NAME = _c("group_name", "text", "The group's name; “No group chosen” when empty.")
_CREATED = _c("created_at", "timestamp", "When it was made: ISO 8601, UTC.")

TABLES: tuple[Table, ...] = (
    Table(
        "sessions",
        "One row per workshop session in this export.",
        (
            _c("session_id", "id", "A stable identifier of the session (a random UUID)."),
            _c("title", "text", "The session's title."),
            _c("date", "date", "The day it took place (YYYY-MM-DD); empty if not set."),
            _c("venue", "text", "Where it took place."),
            _c("state", "planned | live | closed", "Whether it has taken place."),
            _c(
                "moderation",
                "show_at_once | approve_first",
                "Whether notes went up at once or waited for the facilitator's approval.",
            ),
            _CREATED,
        ),
    ),
    Table(
        "groups",
        "One row per stakeholder group in each session, with how many people took part: "
        "the denominators for every count by group. No row describes a person.",
        (
            _SESSION_ID,
            _GROUP_ID,
            _GROUP_NAME,
            _c(
                "group_kind",
                "child | parent | practitioner | community | other | (empty)",
                "What kind of group it is; empty for people who chose no group.",
            ),
            _c(
                "participants",
                "integer",
                "How many people joined the session in this group (phones; people who "
                "wrote on paper are not counted).",
            ),
        ),
    ),
    Table(
        "activities",
        "One row per activity on each session's agenda, in agenda order.",
        (
            _SESSION_ID,
            _c("activity_id", "id", "A stable identifier of the activity."),
            _c("position", "integer", "Its place on the agenda, from 0."),
            _c(
                "kind",
                "info | brainstorm | cluster | vote | rate | draft",
                "What people did: read, wrote notes, sorted them into themes, voted with "
                "dots, rated statements, or drafted standards.",
            ),
            _c("title", "text", "The activity's title."),
            _c("prompt", "text", "The question or instruction shown to adults."),
            _c("child_prompt", "text", "The child-friendly wording shown to children's groups."),
            _c("state", "pending | open | closed | revealed", "Where the activity got to."),
            _c(
                "consensus_round",
                "integer",
                "For a rating activity that is a consensus round of the project: its round "
                "number (1, 2, … in session date order, then agenda order, across the whole "
                "project); empty for any other activity.",
            ),
        ),
    ),
    Table(
        "notes",
        "One row per note (sticky note) written in a brainstorm. Notes taken back by their "
        "writer are left out. Text is export-ready: words the privacy review removed read "
        f"“{REMOVED}”.",
        (
            _c("note_id", "id", "A stable identifier of the note (a random UUID)."),
            _SESSION_ID,
            _ACTIVITY_ID,
            _ACTIVITY_TITLE,
            _GROUP_ID,
            _GROUP_NAME,
            _c(
                "text",
                "text",
                f"What was written, as it stands now (typos fixed by the facilitator), with "
                f"“{REMOVED}” in place of personal details removed in the privacy review.",
            ),
            _c(
                "status",
                "shown | hidden | pending",
                "shown: on the wall; hidden: hidden by the facilitator (kept, and left out of "
                "the Word summary; filter on this column to do the same); pending: never "
                "approved.",
            ),
            _c(
                "quotable",
                "boolean",
                "true when the Word documents may quote the note: the one rule they follow "
                "(shown on the wall). Hidden and never-approved notes are counted there, "
                "never quoted; filter on this column to quote as they do.",
            ),
            _c(
                "source",
                "phone | facilitator",
                "phone: sent by a participant; facilitator: a paper note typed in.",
            ),
            _c("edited", "boolean", "true when the text differs from what was first written."),
            _c(
                "duplicate_of",
                "id",
                "The note this one says the same as (marked by the facilitator); empty if none.",
            ),
            _CREATED,
        ),
    ),
    Table(
        "themes",
        "One row per theme the notes were sorted into.",
        (
            _c("theme_id", "id", "A stable identifier of the theme (a random UUID)."),
            _SESSION_ID,
            _ACTIVITY_ID,
            _ACTIVITY_TITLE,
            _c("name", "text", "The theme's name, as the facilitator gave it."),
            _c("position", "integer", "Its place on the theme board, from 0."),
            _c("note_count", "integer", "How many of the notes in notes.csv it holds."),
            _c(
                "carried_from",
                "ids",
                "Themes of earlier sessions this one was carried forward from, space-separated "
                "theme ids; empty if none.",
            ),
            _CREATED,
        ),
    ),
    Table(
        "theme_notes",
        "Which notes are in which theme: one row per (theme, note) pair.",
        (
            _c("theme_id", "id", "The theme (themes.csv)."),
            _c("note_id", "id", "The note (notes.csv)."),
        ),
    ),
    Table(
        "votes",
        "Dot votes, added up per item and stakeholder group: one row per (vote activity, "
        "item, group) with at least one dot. Individual ballots are not exported.",
        (
            _SESSION_ID,
            _ACTIVITY_ID,
            _ACTIVITY_TITLE,
            _c("target_type", "theme | note | (empty)", "What was voted on; empty if it is gone."),
            _c("target_id", "id", "The theme (themes.csv) or note (notes.csv) voted on."),
            _c(
                "target_text",
                "text",
                "The theme's name or the note's export-ready text; empty for an item no "
                "longer stored or a note left out of this export.",
            ),
            _GROUP_ID,
            _GROUP_NAME,
            _c(
                "dots",
                "integer",
                "Dots placed on the item by people in the group; “fewer than N” when fewer "
                "than N of the group voted (small-cell suppression, see rules).",
            ),
            _c(
                "voters",
                "integer",
                "How many people in the group placed at least one dot on it; “fewer than N” "
                "as for dots.",
            ),
        ),
    ),
    Table(
        "vote_rules",
        "One row per dot vote: its rules and how many people took part.",
        (
            _SESSION_ID,
            _ACTIVITY_ID,
            _ACTIVITY_TITLE,
            _c("state", "pending | open | closed | revealed", "Where the vote got to."),
            _c("vote_on", "themes | notes", "What people voted on."),
            _c(
                "dots_per_person",
                "integer",
                "How many dots each person had. When set automatically, the number the app "
                "gives for the items there are at export time (see dots_rule).",
            ),
            _c(
                "dots_rule",
                "set | automatic",
                "set: the facilitator chose the number of dots; automatic: the app chose it "
                "from the number of items.",
            ),
            _c(
                "most_per_item",
                "integer",
                "The most dots one person could put on one item; empty for no limit.",
            ),
            _c("items", "integer", "How many items could be voted on, at export time."),
            _c(
                "joined",
                "integer",
                "People who had joined the session on a phone: those who could vote. People in "
                "the room without a phone are not known to the app.",
            ),
            _c("voters", "integer", "People who placed at least one dot."),
            _c("dots", "integer", "Dots placed in all."),
        ),
    ),
    Table(
        "vote_turnout",
        "Turnout of each dot vote by stakeholder group: one row per (vote, group) invited to "
        "the session or with someone who joined.",
        (
            _SESSION_ID,
            _ACTIVITY_ID,
            _ACTIVITY_TITLE,
            _GROUP_ID,
            _GROUP_NAME,
            _c("joined", "integer", "People of the group who had joined the session on a phone."),
            _c(
                "voters",
                "integer",
                "People of the group who placed at least one dot; “fewer than N” when fewer "
                "than N did (small-cell suppression, see rules).",
            ),
            _c("dots", "integer", "Dots placed by people of the group; “fewer than N” as above."),
        ),
    ),
    Table(
        "standards",
        "One row per draft quality standard (the statements rated in consensus rounds).",
        (
            _c("standard_id", "id", "A stable identifier of the standard (a random UUID)."),
            _c("position", "integer", "Its place in the framework, from 0."),
            _c("title", "text", "The standard's title."),
            _c("statement", "text", "The statement, as it stands now."),
            _c("rationale", "text", "Why it matters."),
            _c("level", "expected | developmental", "The level of the standard."),
            _c("version", "integer", "The statement's current version (1 for the first)."),
            _c(
                "child_wording",
                "text",
                "The statement in children's words, shown to children's groups instead of the "
                "statement when they rate it; empty when there is none (children see the "
                "statement). Not versioned: this is the wording now.",
            ),
            _c(
                "external_references",
                "text",
                "The external guidance and evidence the standard cites, one per line, as the "
                "facilitator wrote them; empty when it cites none.",
            ),
        ),
    ),
    Table(
        "standard_versions",
        "Every version of each standard's wording: a statement people have rated gets a new "
        "version when it is reworded, so ratings.csv can be joined to the exact words rated.",
        (
            _c("standard_id", "id", "The standard (standards.csv)."),
            _c("version", "integer", "The version (1 for the first)."),
            _c("title", "text", "The title in this version."),
            _c("statement", "text", "The statement in this version: the words people rated."),
            _c("rationale", "text", "The rationale in this version."),
            _c("current", "boolean", "true for the version in force now."),
            _c("created_at", "timestamp", "When this version was made: ISO 8601, UTC."),
        ),
    ),
    Table(
        "measures",
        "The measures of each standard as a table: one row per measure.",
        (
            _c("standard_id", "id", "The standard (standards.csv)."),
            _c("standard_title", "text", "The standard's title."),
            _c("position", "integer", "The measure's place among the standard's measures, from 0."),
            _c(
                "measure_type",
                "structure | process | outcome",
                "Donabedian's kind of measure: what is in place, what is done, what results.",
            ),
            _c("description", "text", "What is measured."),
            _c("numerator", "text", "The numerator, in words; empty if not given."),
            _c("denominator", "text", "The denominator, in words; empty if not given."),
            _c("data_source", "text", "Where the data come from; empty if not given."),
        ),
    ),
    Table(
        "standard_sources",
        "Where each standard came from: one row per theme or note it is linked to.",
        (
            _c("standard_id", "id", "The standard (standards.csv)."),
            _c("source_type", "theme | note", "What it is linked to."),
            _c(
                "source_id",
                "id",
                "The theme or note; it may belong to a session outside this export.",
            ),
        ),
    ),
    Table(
        "ratings",
        "Ratings of statements, counted per value and stakeholder group: one row per "
        "(rating activity, statement, version, group, scale, value) with at least one rater. "
        "Individual ballots are not exported.",
        (
            _SESSION_ID,
            _ACTIVITY_ID,
            _ACTIVITY_TITLE,
            _c("standard_id", "id", "The statement rated (standards.csv)."),
            _c("standard_title", "text", "The standard's title."),
            _c(
                "version",
                "integer",
                "The version of the statement that was rated; empty for ratings recorded "
                "before versions were kept.",
            ),
            _c(
                "consensus_round",
                "integer",
                "The consensus round (activities.csv); empty when the rating activity is not "
                "a consensus round.",
            ),
            _GROUP_ID,
            _GROUP_NAME,
            _c(
                "scale",
                "nine_point | smiley",
                "How people rated: 1-9, or five faces (children), mapped onto 1-9.",
            ),
            _c("raw_value", "integer", "What people chose on that scale (1-9, or 1-5 faces)."),
            _c("value", "integer", "The rating on the 1-9 scale used for consensus."),
            _c(
                "raters",
                "integer",
                "How many people in the group gave this rating. A group with fewer than N "
                "raters of the statement in the activity has one row per version instead, "
                "with no scale or value and “fewer than N” here (small-cell suppression, "
                "see rules).",
            ),
        ),
    ),
    Table(
        "theme_suggestions",
        "The theme-suggestion audit: one row per note in notes.csv, with what the app's "
        "theme suggestions proposed for it and what the facilitator decided, so a report can "
        "say how much the tool shaped the themes. Suggestions shown before this audit was "
        "kept (files from before version 6 of the project file) are not known: their notes "
        "read not_suggested.",
        (
            _c("note_id", "id", "The note (notes.csv)."),
            _SESSION_ID,
            _c(
                "decision",
                "accepted | changed | rejected | not_suggested",
                "accepted: a suggested theme holding the note was accepted and the note is "
                "still in it (renamed or not); changed: it was accepted but the facilitator "
                "later moved the note out, or merged or deleted the theme; rejected: "
                "suggestions named the note but none that took it in was accepted (rejected, "
                "closed, left, or the accept undone); not_suggested: no suggestion named it.",
            ),
            _c(
                "proposed_theme",
                "text",
                "The engine's label for the suggested theme that counts (the accepted one, "
                "else the latest shown); empty when not suggested. Made of the notes' words: "
                f"words removed in the privacy review read “{REMOVED}”.",
            ),
            _c("proposed_keywords", "text", "The engine's words for that theme, ';'-separated."),
            _c(
                "times_proposed",
                "integer",
                "How many times shown suggestions named the note (suggestions can be asked "
                "for again).",
            ),
            _c(
                "accepted_theme_id",
                "id",
                "The theme (themes.csv) the suggestion became when accepted; empty otherwise.",
            ),
            _c(
                "final_theme_id",
                "id",
                "The theme the note is in now (themes.csv); empty when it is in none.",
            ),
            _c("final_theme_name", "text", "That theme's name, as the facilitator gave it."),
            _c(
                "renamed",
                "boolean",
                "For an accepted suggestion: true when the theme's name now differs from the "
                "engine's label (the facilitator named it). Empty otherwise.",
            ),
            _c("proposed_at", "timestamp", "When that suggestion was shown: ISO 8601, UTC."),
        ),
    ),
    Table(
        "survey_questions",
        "One row per question of each evaluation survey (a survey activity), in order.",
        (
            _SESSION_ID,
            _ACTIVITY_ID,
            _ACTIVITY_TITLE,
            _c("question_id", "id", "The question."),
            _c("number", "integer", "Its number in the survey, from 1."),
            _c(
                "kind",
                "smiley | agree | yes_no | choice | text",
                "How it is answered: five faces, five points from strongly disagree to strongly "
                "agree, yes or no, one answer from a list, or in the person's own words.",
            ),
            _c("text", "text", "The question as adults read it."),
            _c("child_text", "text", "The question in children's words; empty when none."),
            _c(
                "answers",
                "text",
                "The answers offered, in order and separated by “ | ”: answer_number 1 is the "
                "first. Empty for a written answer.",
            ),
            _c("required", "boolean", "Whether people had to answer it."),
            _c("answered", "integer", "How many people answered it."),
            _c("we_did", "text", "What was done about it, as written for “you said, we did”."),
        ),
    ),
    Table(
        "survey_answers",
        "Answers to the surveys' closed questions, counted per answer and stakeholder group: "
        "one row per (question, group, answer) with at least one person. Individual answers "
        "are not exported. Written answers are notes: see survey_written.csv and notes.csv.",
        (
            _SESSION_ID,
            _ACTIVITY_ID,
            _c("question_id", "id", "The question (survey_questions.csv)."),
            _c("number", "integer", "The question's number in the survey."),
            _GROUP_ID,
            _GROUP_NAME,
            _c("answer_number", "integer", "The answer chosen: 1 is the first one offered."),
            _c("answer", "text", "The answer's words (adults' wording)."),
            _c(
                "people",
                "integer",
                "How many people in the group chose it. A group with fewer than N people "
                "answering the question has one row instead, with no answer and “fewer than "
                "N” here (small-cell suppression, see rules).",
            ),
        ),
    ),
    Table(
        "survey_written",
        "Which note (notes.csv) holds each written answer to a survey question: one row per "
        "written answer exported in notes.csv.",
        (
            _c("note_id", "id", "The note holding the answer (notes.csv: its text and status)."),
            _c("question_id", "id", "The question it answers (survey_questions.csv)."),
            _SESSION_ID,
            _ACTIVITY_ID,
        ),
    ),
)
TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}

CODEBOOK_TABLE = Table(
    "codebook",
    "This codebook as a table: one row per column of every data file.",
    (
        _c("file", "text", "The data file (without .csv), or the JSON key of its table."),
        _c("column", "text", "The column's name."),
        _c("type", "text", "Its type, or the codes it can hold."),
        _c("description", "text", "What it means."),
    ),
)


@dataclass(frozen=True, slots=True)
class Dataset:
    """Everything one export holds, as plain rows keyed by the declared column names."""

    project_title: str
    scope: str  # in words: "Session: …" or "Whole project (n sessions)"
    session_id: str | None  # None: the whole project
    generated_at: datetime
    rules: str  # the consensus rules and the smiley mapping, in words
    tables: Mapping[str, Sequence[Row]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()  # about this export (hidden notes left out, …)

    def rows(self, table: str) -> Sequence[Row]:
        return self.tables.get(table, ())


# ---------------------------------------------------------------- the codebook

ABOUT = (
    "Participant identifiers are never exported. Each person who took part had a random "
    "identifier in the project file; no file here holds it, nor anything derived from it. "
    "Votes and ratings are added up per item and stakeholder group: individual ballots are "
    "not exported, because in a small group a person's pattern of answers could tell "
    "people who they are. groups.csv gives the number of people in each group.",
    "Identifiers of sessions, groups, activities, notes, themes and standards are random "
    "UUIDs (32 hexadecimal digits). They describe no one and stay the same across "
    "exports, so files from several exports of the same project can be joined.",
    "Before export, a privacy review lists notes that look like they hold personal details "
    "(email addresses, phone numbers, postcodes, web addresses, @handles, school names, "
    f"personal names). Words the facilitator chose to remove read “{REMOVED}” in every "
    "text column. The review is a help, not a guarantee: read the notes before publishing.",
    "Hidden notes (status hidden) are included, so that analyses can keep or drop them; "
    "the Word summary leaves them out and counts them. Notes taken back by their writer "
    "are never exported.",
    "CSV files are UTF-8 with a byte-order mark, comma-separated, quoted where needed "
    "(RFC 4180), with CRLF line ends. Booleans read true or false; an empty cell is a "
    "missing value. Timestamps are ISO 8601 in UTC.",
    "Spreadsheet safety: in the CSV files, a text cell that starts with =, +, -, @, a tab "
    "or a carriage return has an apostrophe (') added at its start, so that Excel, "
    "LibreOffice and Google Sheets show it as text instead of running it as a formula. "
    "Remove that apostrophe before analysing such text. The JSON file keeps every value "
    "exactly as written, with no apostrophe: a tool that turns it into a spreadsheet must "
    "take the same care.",
)


def codebook_rows(tables: Sequence[Table] | None = None) -> list[dict[str, Cell]]:
    """codebook.csv's rows: every column of `tables` (default: this export's)."""
    return [
        {"file": t.name, "column": c.name, "type": c.type, "description": c.description}
        for t in (TABLES if tables is None else tables)
        for c in t.columns
    ]


def table_markdown(table: Table, rows: int | None = None) -> list[str]:
    """A table's section of codebook.md: its file, description and columns."""
    count = "" if rows is None else f" ({rows} rows)"
    lines = [f"### {table.name}.csv{count}", "", table.description, ""]
    lines += ["| Column | Type | Meaning |", "| --- | --- | --- |"]
    lines += [f"| {c.name} | {_md(c.type)} | {_md(c.description)} |" for c in table.columns]
    return lines


def codebook_json(about: Sequence[str], tables: Sequence[Table]) -> dict[str, Any]:
    """The codebook as a JSON export carries it."""
    return {
        "about": list(about),
        "tables": [
            {
                "name": t.name,
                "description": t.description,
                "columns": [
                    {"name": c.name, "type": c.type, "description": c.description}
                    for c in t.columns
                ],
            }
            for t in tables
        ],
    }


def tables_json(tables: Sequence[Table], rows: Callable[[str], Sequence[Row]]) -> dict[str, Any]:
    """Every table's rows as JSON objects, in the codebook's column order."""
    return {
        t.name: [dict(zip(t.column_names, _ordered(t, r), strict=True)) for r in rows(t.name)]
        for t in tables
    }


def codebook_markdown(data: Dataset) -> str:
    lines = [
        f"# Codebook: {data.project_title}",
        "",
        f"- Exported: {data.generated_at.isoformat()} (UTC)",
        f"- Scope: {data.scope}",
        f"- Format: {FORMAT}, version {FORMAT_VERSION}",
        "",
        "## About these data",
        "",
    ]
    for paragraph in (*ABOUT, *data.notes):
        lines += [paragraph, ""]
    lines += ["## Consensus rules", "", data.rules, "", "## Files", ""]
    for t in TABLES:
        lines += [*table_markdown(t, len(data.rows(t.name))), ""]
    lines += table_markdown(CODEBOOK_TABLE)
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|")


# ---------------------------------------------------------------- CSV


def neutralise(value: Cell) -> Cell:
    """A text cell a spreadsheet would run as a formula, made plain text by a leading
    apostrophe; every other value as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    cell = neutralise(value)
    return str(cell)


def csv_text(table: Table, rows: Sequence[Row]) -> str:
    """One table as CSV text (without the byte-order mark: that is the encoding's)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.column_names)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in _ordered(table, row)])
    return out.getvalue()


def csv_files(data: Dataset) -> dict[str, bytes]:
    """Every file of a CSV export by name: the tables, codebook.csv and codebook.md."""
    files = {f"{t.name}.csv": csv_text(t, data.rows(t.name)).encode(CSV_ENCODING) for t in TABLES}
    files["codebook.csv"] = csv_text(CODEBOOK_TABLE, codebook_rows()).encode(CSV_ENCODING)
    files["codebook.md"] = codebook_markdown(data).encode("utf-8")
    return files


def write_csv_folder(data: Dataset, folder: Path) -> Path:
    """The CSV files and codebook in `folder` (made if needed; our files replaced)."""
    return write_files(folder, csv_files(data))


def write_csv_zip(data: Dataset, path: Path) -> Path:
    """The CSV files and codebook in one .zip file."""
    return write_zip(path, csv_files(data), data.generated_at)


def write_files(folder: Path, files: Mapping[str, bytes]) -> Path:
    """Files by name in `folder` (made if needed; files of those names replaced)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        _write_atomic(folder / name, content)
    return folder


def write_zip(path: Path, files: Mapping[str, bytes], when: datetime) -> Path:
    """Files by name in one .zip file, each dated `when`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, content)
    _write_atomic(path, buffer.getvalue())
    return path


# ---------------------------------------------------------------- JSON


def json_document(data: Dataset) -> dict[str, Any]:
    """One object: what the export is, the codebook, the rules, then every table."""
    doc: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "generated_at": data.generated_at.isoformat(),
        "project": data.project_title,
        "scope": {"session_id": data.session_id, "description": data.scope},
        "rules": data.rules,
        "codebook": codebook_json([*ABOUT, *data.notes], TABLES),
    }
    doc.update(tables_json(TABLES, data.rows))
    return doc


def json_text(data: Dataset) -> str:
    return json.dumps(json_document(data), ensure_ascii=False, indent=2) + "\n"


def write_json(data: Dataset, path: Path) -> Path:
    _write_atomic(path, json_text(data).encode("utf-8"))
    return path


# ---------------------------------------------------------------- helpers


def _ordered(table: Table, row: Row) -> list[Cell]:
    extra = set(row) - set(table.column_names)
    if extra:
        raise ValueError(f"{table.name}: columns not in the codebook: {sorted(extra)}")
    return [row.get(name) for name in table.column_names]


def _write_atomic(path: Path, content: bytes) -> None:
    """Write next to the target, then rename: a half-written file never has the name."""
    part = path.with_name(path.name + ".part")
    part.write_bytes(content)
    os.replace(part, path)
