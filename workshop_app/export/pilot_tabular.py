"""The pilot's self-assessments as CSV files (a folder or one .zip) and one JSON document,
with a codebook (issue 16).

The same choices as export/tabular.py, whose helpers write the cells: UTF-8 with a
byte-order mark, RFC 4180, formula-like text neutralised in CSV and kept as written in
JSON, every column declared once here with its type and meaning. Team members' own views
are never exported one by one: only how many were given and whether they differed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from workshop_app.core.assessment import AssessStatus, ServiceKind, hard_rule_text
from workshop_app.core.shares import ROUNDING_METHOD
from workshop_app.export import tabular
from workshop_app.export.tabular import (
    CODEBOOK_TABLE,
    CSV_ENCODING,
    Column,
    Row,
    Table,
    _write_atomic,
    csv_text,
)

FORMAT = "common-ground-pilot"
FORMAT_VERSION = 1

_STATUSES = " | ".join(s.value for s in AssessStatus)
_KINDS = " | ".join(k.value for k in ServiceKind)


def _c(name: str, type_: str, description: str) -> Column:
    return Column(name, type_, description)


_ACTIVITY = _c("activity_id", "id", "The self-assessment (self_assessments.csv).")
_SERVICE = _c("service_id", "id", "The service (services.csv).")
_STANDARD = _c("standard_id", "id", "The statement (standard_id of the framework export).")

TABLES: tuple[Table, ...] = (
    Table(
        "areas",
        "The areas named in the project (a police force area, a local authority...).",
        (_c("area_id", "id", "The area."), _c("name", "text", "Its name.")),
    ),
    Table(
        "services",
        "The services taking part: organisations, never people.",
        (
            _SERVICE,
            _c("name", "text", "The service's name."),
            _c("kind", _KINDS, "What kind of service it is."),
            _c("area_id", "id", "Its area (areas.csv); empty when none was named."),
            _c("area_name", "text", "The area's name."),
        ),
    ),
    Table(
        "self_assessments",
        "Each self-assessment: one service's team, in one workshop activity.",
        (
            _ACTIVITY,
            _SERVICE,
            _c("service_name", "text", "The service's name."),
            _c("session_title", "text", "The workshop session."),
            _c("session_date", "date", "Its date (YYYY-MM-DD); empty when none was set."),
            _c("activity_title", "text", "The activity's title, as on the agenda."),
            _c("framework_taken_at", "timestamp", "When the framework version was taken."),
            _c("statements", "integer", "How many statements it assessed."),
            _c("settled", "integer", "How many of them have a settled answer."),
            _c("members", "integer", "Team members who gave views on their phones."),
        ),
    ),
    Table(
        "answers",
        "The team's settled answer to each statement of each self-assessment (statements "
        "without one have status empty).",
        (
            _ACTIVITY,
            _SERVICE,
            _STANDARD,
            _c("version", "integer", "The statement's version that was assessed."),
            _c("title", "text", "The statement's title in that version."),
            _c("status", _STATUSES, "The settled answer; empty when not settled."),
            _c("evidence", "text", "The evidence, as settled."),
            _c("views", "integer", "Team members' views given on phones for this statement."),
            _c("views_differ", "boolean", "Whether those views gave more than one status."),
            _c("settled_at", "timestamp", "When the answer was last settled."),
        ),
    ),
    Table(
        "measures",
        "Each measure of each assessed statement, with the service's values.",
        (
            _ACTIVITY,
            _SERVICE,
            _STANDARD,
            _c("measure", "integer", "The measure's number within the statement (1, 2, ...)."),
            _c("description", "text", "What the measure is."),
            _c("numerator_definition", "text", "What the numerator counts."),
            _c("denominator_definition", "text", "What the denominator counts."),
            _c("numerator", "integer", "The service's numerator; empty when not given."),
            _c("denominator", "integer", "The service's denominator; empty when not given."),
            _c(
                "percent", "integer", "numerator / denominator as a whole percentage, rounded down."
            ),
            _c("period", "text", "The period the values cover, as typed."),
        ),
    ),
    Table(
        "actions",
        "The action plans: what will be done, by whom (a role) and by when.",
        (
            _ACTIVITY,
            _SERVICE,
            _STANDARD,
            _c("what", "text", "What will be done."),
            _c("who", "text", "Who will do it: a role in the service."),
            _c("by", "date", "By when (YYYY-MM-DD); empty when no date was set."),
        ),
    ),
    Table(
        "comparison",
        "Each statement across services, against the rule for statements hard to meet.",
        (
            _STANDARD,
            _c("title", "text", "The statement's title."),
            _c(
                "services_assessed",
                "integer",
                "Services with a settled answer other than not applicable.",
            ),
            _c("not_fully_met", "integer", "Of those, how many settled partly met or not met."),
            _c(
                "hard_to_meet",
                "boolean",
                "Whether the statement meets the rule (see the codebook).",
            ),
        ),
    ),
)

ABOUT = (
    "Services are organisations; no person is named. Team members' views given on phones "
    "are not exported one by one: each answer says how many views were given and whether "
    "they differed. The settled answer is the one the facilitator settled with the team.",
    "Identifiers are random UUIDs (32 hexadecimal digits); the same in every export of the "
    "project, so files can be joined with the standards framework's exports.",
    "A self-assessment keeps the framework version it was set up with: each answer names "
    "the statement's version and its title in that version.",
    ROUNDING_METHOD,
    "CSV files are UTF-8 with a byte-order mark, comma-separated, quoted where needed (RFC "
    "4180), CRLF line ends; true/false for booleans; an empty cell is a missing value. A "
    "text cell starting with =, +, -, @, a tab or a carriage return has an apostrophe (') "
    "added in CSV so no spreadsheet runs it as a formula; JSON keeps every value as written.",
)


@dataclass(frozen=True, slots=True)
class PilotData:
    project_title: str
    generated_at: datetime
    tables: Mapping[str, Sequence[Row]] = field(default_factory=dict)

    def rows(self, table: str) -> Sequence[Row]:
        return self.tables.get(table, ())


def codebook_rows() -> Sequence[Row]:
    return tabular.codebook_rows(TABLES)


def codebook_markdown(data: PilotData) -> str:
    lines = [
        f"# Codebook: self-assessments of {data.project_title}",
        "",
        f"- Exported: {data.generated_at.isoformat()} (UTC)",
        f"- Format: {FORMAT}, version {FORMAT_VERSION}",
        "",
        "## About these data",
        "",
    ]
    for paragraph in ABOUT:
        lines += [paragraph, ""]
    lines += ["## Statements hard to meet", "", hard_rule_text(), "", "## Files", ""]
    for t in TABLES:
        lines += [*tabular.table_markdown(t, len(data.rows(t.name))), ""]
    lines += [*tabular.table_markdown(CODEBOOK_TABLE), ""]
    return "\n".join(lines)


def csv_files(data: PilotData) -> dict[str, bytes]:
    files = {f"{t.name}.csv": csv_text(t, data.rows(t.name)).encode(CSV_ENCODING) for t in TABLES}
    files["codebook.csv"] = csv_text(CODEBOOK_TABLE, codebook_rows()).encode(CSV_ENCODING)
    files["codebook.md"] = codebook_markdown(data).encode("utf-8")
    return files


def write_csv(data: PilotData, path: Path) -> Path:
    """A .zip path: one archive; any other path: a folder of files."""
    files = csv_files(data)
    if path.suffix.lower() == ".zip":
        return tabular.write_zip(path, files, data.generated_at)
    return tabular.write_files(path, files)


def json_document(data: PilotData) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "generated_at": data.generated_at.isoformat(),
        "project": data.project_title,
        "hard_to_meet_rule": hard_rule_text(),
        "codebook": tabular.codebook_json(ABOUT, TABLES),
    }
    doc.update(tabular.tables_json(TABLES, data.rows))
    return doc


def write_json(data: PilotData, path: Path) -> Path:
    text = json.dumps(json_document(data), ensure_ascii=False, indent=2) + "\n"
    _write_atomic(path, text.encode("utf-8"))
    return path
