"""What File → Export… can write: each kind's label, file ending and scope."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


class ExportKind(Enum):
    SUMMARY = "summary"
    FRAMEWORK = "framework"
    CSV = "csv"
    JSON = "json"
    QDPX = "qdpx"
    SERVICE_REPORTS = "service_reports"
    COMPARISON = "comparison"
    PILOT_CSV = "pilot_csv"
    PILOT_JSON = "pilot_json"
    EVALUATION = "evaluation"
    YOU_SAID = "you_said"


@dataclass(frozen=True, slots=True)
class _Kind:
    label: str
    suffix: str  # of the suggested file ("" for a folder)
    name: str  # in the suggested file name
    per_session: bool  # a session must be chosen
    whole_project: bool  # "the whole project" may be chosen


KINDS = {
    ExportKind.SUMMARY: _Kind("Session summary (Word)", ".docx", "session summary", True, False),
    ExportKind.FRAMEWORK: _Kind(
        "Standards framework (Word), for the whole project",
        ".docx",
        "standards framework",
        False,
        True,
    ),
    ExportKind.CSV: _Kind("Data: CSV files with a codebook", ".zip", "data", False, True),
    ExportKind.JSON: _Kind("Data: one JSON file with a codebook", ".json", "data", False, True),
    ExportKind.QDPX: _Kind(
        "Notes for QualCoder, NVivo, ATLAS.ti, MAXQDA (REFI-QDA .qdpx)",
        ".qdpx",
        "notes",
        False,
        True,
    ),
    ExportKind.SERVICE_REPORTS: _Kind(
        "Self-assessment reports, one per service (Word, into a folder)",
        "",
        "self-assessment reports",
        False,
        True,
    ),
    ExportKind.COMPARISON: _Kind(
        "Self-assessments compared across services and areas (Word)",
        ".docx",
        "self-assessment comparison",
        False,
        True,
    ),
    ExportKind.PILOT_CSV: _Kind(
        "Self-assessment data: CSV files with a codebook", ".zip", "self-assessments", False, True
    ),
    ExportKind.PILOT_JSON: _Kind(
        "Self-assessment data: one JSON file with a codebook",
        ".json",
        "self-assessments",
        False,
        True,
    ),
    ExportKind.EVALUATION: _Kind(
        "Evaluation survey report (Word)", ".docx", "evaluation report", True, False
    ),
    ExportKind.YOU_SAID: _Kind(
        "“You said, we did” for the young people (Word, one page)",
        ".docx",
        "you said we did",
        True,
        False,
    ),
}
DATA_KINDS = frozenset({ExportKind.CSV, ExportKind.JSON})
# The pilot's exports: the settled answers of the self-assessments, no participant notes
PILOT_KINDS = frozenset(
    {ExportKind.SERVICE_REPORTS, ExportKind.COMPARISON, ExportKind.PILOT_CSV, ExportKind.PILOT_JSON}
)
PROJECT_KINDS = PILOT_KINDS | {ExportKind.FRAMEWORK}  # always of the whole project
ZIP_KINDS = frozenset({ExportKind.CSV, ExportKind.PILOT_CSV})
# An evaluation survey's documents: "Of" lists the project's surveys
SURVEY_KINDS = frozenset({ExportKind.EVALUATION, ExportKind.YOU_SAID})
WHOLE_PROJECT = "The whole project"


def file_stem(title: str) -> str:
    """A file name from a title, without the characters Windows or macOS refuse."""
    stem = re.sub(r'[<>:"/\\|?*\x00-\x1f]+', " ", title)
    stem = re.sub(r"\s+", " ", stem).strip(" .")[:80].strip(" .")
    return stem or "export"
