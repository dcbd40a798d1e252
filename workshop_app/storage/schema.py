"""The schema, as numbered migration steps. `PRAGMA user_version` is the step reached.

Rules (docs/project-file.md): a step is never edited once released; a change is a new
step; each step runs in one transaction with its own test from a stored older file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlite_utils import Database

# PRAGMA application_id marks the file as ours: "CGRD" as a big-endian 32-bit integer.
APPLICATION_ID = int.from_bytes(b"CGRD", "big")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int  # user_version after this step
    description: str
    apply: Callable[[Database], None]


_V1 = """
CREATE TABLE project (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    locality TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL  -- JSON
) STRICT;

CREATE TABLE stakeholder_groups (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    child_friendly INTEGER NOT NULL CHECK (child_friendly IN (0, 1)),
    position INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    deleted_at TEXT
) STRICT;

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    date TEXT,
    venue TEXT NOT NULL DEFAULT '',
    plan_id TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    join_token TEXT NOT NULL,
    moderation TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
) STRICT;

CREATE TABLE session_groups (
    session_id TEXT NOT NULL REFERENCES sessions(id),
    group_id TEXT NOT NULL REFERENCES stakeholder_groups(id),
    PRIMARY KEY (session_id, group_id)
) STRICT;

CREATE TABLE activities (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    prompt TEXT NOT NULL DEFAULT '',
    child_prompt TEXT NOT NULL DEFAULT '',
    facilitator_notes TEXT NOT NULL DEFAULT '',
    settings TEXT NOT NULL DEFAULT '{}',  -- JSON
    state TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
) STRICT;
CREATE INDEX activities_by_session ON activities(session_id, position);

CREATE TABLE participants (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    group_id TEXT REFERENCES stakeholder_groups(id),
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX participants_by_session ON participants(session_id);

CREATE TABLE notes (
    id TEXT PRIMARY KEY,
    activity_id TEXT NOT NULL REFERENCES activities(id),
    participant_id TEXT REFERENCES participants(id),
    group_id TEXT REFERENCES stakeholder_groups(id),
    text TEXT NOT NULL,
    original_text TEXT NOT NULL,
    source TEXT NOT NULL,
    status TEXT NOT NULL,
    idempotency_key TEXT UNIQUE,
    withdrawn_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX notes_by_activity ON notes(activity_id, created_at);

CREATE TABLE note_edits (
    id TEXT PRIMARY KEY,
    note_id TEXT NOT NULL REFERENCES notes(id),
    old_text TEXT NOT NULL,
    new_text TEXT NOT NULL,
    edited_by TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE themes (
    id TEXT PRIMARY KEY,
    activity_id TEXT NOT NULL REFERENCES activities(id),
    name TEXT NOT NULL,
    colour TEXT NOT NULL,
    position INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    deleted_at TEXT
) STRICT;

CREATE TABLE theme_notes (
    theme_id TEXT NOT NULL REFERENCES themes(id),
    note_id TEXT NOT NULL REFERENCES notes(id),
    PRIMARY KEY (theme_id, note_id)
) STRICT;

CREATE TABLE votes (
    id TEXT PRIMARY KEY,
    activity_id TEXT NOT NULL REFERENCES activities(id),
    participant_id TEXT NOT NULL REFERENCES participants(id),
    target_id TEXT NOT NULL,
    dots INTEGER NOT NULL CHECK (dots > 0),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (activity_id, participant_id, target_id)
) STRICT;

CREATE TABLE standards (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    statement TEXT NOT NULL,
    rationale TEXT NOT NULL DEFAULT '',
    level TEXT NOT NULL,
    measures TEXT NOT NULL DEFAULT '[]',  -- JSON
    audiences TEXT NOT NULL DEFAULT '{}',  -- JSON
    definitions TEXT NOT NULL DEFAULT '{}',  -- JSON
    position INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
) STRICT;

CREATE TABLE standard_versions (
    standard_id TEXT NOT NULL REFERENCES standards(id),
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    statement TEXT NOT NULL,
    rationale TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (standard_id, version)
) STRICT;

CREATE TABLE standard_sources (
    standard_id TEXT NOT NULL REFERENCES standards(id),
    source_type TEXT NOT NULL CHECK (source_type IN ('theme', 'note')),
    source_id TEXT NOT NULL,
    PRIMARY KEY (standard_id, source_type, source_id)
) STRICT;

CREATE TABLE ratings (
    id TEXT PRIMARY KEY,
    activity_id TEXT NOT NULL REFERENCES activities(id),
    participant_id TEXT NOT NULL REFERENCES participants(id),
    standard_id TEXT NOT NULL REFERENCES standards(id),
    value INTEGER NOT NULL CHECK (value BETWEEN 1 AND 9),
    scale TEXT NOT NULL,
    raw_value INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (activity_id, participant_id, standard_id)
) STRICT;

CREATE TABLE help_requests (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    participant_id TEXT REFERENCES participants(id),
    message TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    acknowledged_at TEXT,
    follow_up TEXT NOT NULL DEFAULT ''
) STRICT;
"""


# v2 (issue 3): phones take part. The session remembers the activity on screen (so a
# restarted app resumes there); every phone submission's first answer is kept under its
# idempotency key, so a retry gets that answer again and never a second row.
_V2 = """
ALTER TABLE sessions ADD COLUMN current_activity_id TEXT;

-- 0: someone who only asked for help (not counted as taking part until they join).
ALTER TABLE participants ADD COLUMN joined INTEGER NOT NULL DEFAULT 1 CHECK (joined IN (0, 1));

CREATE TABLE submissions (
    participant_id TEXT NOT NULL REFERENCES participants(id),
    key TEXT NOT NULL,
    body TEXT NOT NULL,  -- JSON: the first answer
    created_at TEXT NOT NULL,
    PRIMARY KEY (participant_id, key)
) STRICT;

CREATE INDEX notes_by_participant ON notes(participant_id);
CREATE INDEX votes_by_activity ON votes(activity_id, participant_id);
CREATE INDEX ratings_by_activity ON ratings(activity_id, participant_id);
CREATE INDEX help_requests_by_session ON help_requests(session_id, created_at);
"""


# v3 (issue 5): moderation on the note wall. A note can be flagged for safeguarding
# follow-up (with the facilitator's private note) and marked as a duplicate of another.
_V3 = """
ALTER TABLE notes ADD COLUMN flagged_at TEXT;
ALTER TABLE notes ADD COLUMN flag_note TEXT NOT NULL DEFAULT '';
ALTER TABLE notes ADD COLUMN duplicate_of TEXT REFERENCES notes(id);
CREATE INDEX note_edits_by_note ON note_edits(note_id, created_at);
"""


# v4 (issue 6): standards, consensus rounds and exports.
# - A privacy review decides, for words in a note that look like personal details, whether
#   exports show them or "[removed]"; the note itself keeps what was written.
# - A theme carried forward into a later session remembers the themes it came from.
# - A rating remembers which version of the statement was rated (Delphi rounds revise them).
_V4 = """
CREATE TABLE redactions (
    id TEXT PRIMARY KEY,
    note_id TEXT NOT NULL REFERENCES notes(id),
    fragment TEXT NOT NULL,
    kind TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('remove', 'keep')),
    created_at TEXT NOT NULL,
    deleted_at TEXT
) STRICT;
CREATE INDEX redactions_by_note ON redactions(note_id);

CREATE TABLE theme_origins (
    theme_id TEXT NOT NULL REFERENCES themes(id),
    origin_theme_id TEXT NOT NULL REFERENCES themes(id),
    PRIMARY KEY (theme_id, origin_theme_id)
) STRICT;

ALTER TABLE ratings ADD COLUMN version INTEGER;
"""


# v5 (issue 12): a draft standard can have a child wording, shown instead of its statement
# to children's groups when they rate it (NULL: none, children see the statement).
_V5 = """
ALTER TABLE standards ADD COLUMN child_wording TEXT;
"""


# v6 (issue 13): the theme-suggestion audit. Each time the board shows suggested themes,
# what the engine proposed (its label, its words, which notes) is kept; accepting one
# records the theme it became and which of its notes went in. Undoing the accept marks it
# undone. Exports compare this with where each note ended up (docs/exports.md).
_V6 = """
CREATE TABLE theme_suggestions (
    id TEXT PRIMARY KEY,
    activity_id TEXT NOT NULL REFERENCES activities(id),  -- the board's activity
    run_id TEXT NOT NULL,  -- one showing of suggestions
    position INTEGER NOT NULL,  -- its place in the list shown
    label TEXT NOT NULL,
    keywords TEXT NOT NULL DEFAULT '[]',  -- JSON list
    theme_id TEXT REFERENCES themes(id),  -- the theme it became when accepted
    accepted_at TEXT,
    undone_at TEXT,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX theme_suggestions_by_activity ON theme_suggestions(activity_id, created_at);
CREATE INDEX theme_suggestions_by_theme ON theme_suggestions(theme_id);

CREATE TABLE theme_suggestion_notes (
    suggestion_id TEXT NOT NULL REFERENCES theme_suggestions(id),
    note_id TEXT NOT NULL REFERENCES notes(id),
    taken INTEGER NOT NULL DEFAULT 0 CHECK (taken IN (0, 1)),  -- moved into the theme
    PRIMARY KEY (suggestion_id, note_id)
) STRICT;
CREATE INDEX theme_suggestion_notes_by_note ON theme_suggestion_notes(note_id);
"""


# v7 (issue 13): a standard can cite external guidance and evidence (a JSON list of
# references, one string each), printed with its sources in the framework as a national
# quality standard does. Standards written before cite none.
_V7 = """
ALTER TABLE standards ADD COLUMN external_references TEXT NOT NULL DEFAULT '[]';
"""


# v8 (issue 14): each note's sentence vector, computed once in the background as it arrives
# (services/vectors.py), so theme suggestions only cluster. Derived data: it names the
# model that made it and a hash of the exact text it came from (an edited note's vector is
# stale and made again), goes with its note, is safe to drop, and is never exported.
_V8 = """
CREATE TABLE note_vectors (
    note_id TEXT PRIMARY KEY REFERENCES notes(id) ON DELETE CASCADE,
    model TEXT NOT NULL,  -- the theme engine's identity (model file and hash prefix)
    text_hash TEXT NOT NULL,  -- SHA-256 of the note's text when it was embedded
    dimension INTEGER NOT NULL CHECK (dimension > 0),
    vector BLOB NOT NULL CHECK (length(vector) = 4 * dimension),  -- float32, little-endian
    created_at TEXT NOT NULL
) STRICT;
"""


# v9 (issue 16): bringing another laptop's project in (a merge). Each merge is recorded
# (the source project's id and title, its file name without the folder, the SHA-256 of the
# file as read, when, and how many rows of each kind came across), with every row it
# brought; a standard edited on both laptops comes across as a second standard beside this
# project's, flagged for the facilitator until settled (docs/project-file.md, "Merging").
_V9 = """
CREATE TABLE merges (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL,  -- the project merged into (merges come along with their rows)
    source_project_id TEXT NOT NULL,
    source_title TEXT NOT NULL,
    source_file TEXT NOT NULL,  -- the file's name only, never its folder
    source_sha256 TEXT NOT NULL,
    source_version INTEGER NOT NULL,  -- the source file's schema version
    counts TEXT NOT NULL DEFAULT '{}',  -- JSON: rows that came across, by table
    details TEXT NOT NULL DEFAULT '{}',  -- JSON: groups matched, what was kept and why
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE merge_rows (
    merge_id TEXT NOT NULL REFERENCES merges(id),
    table_name TEXT NOT NULL,
    row_id TEXT NOT NULL,  -- the row's id, or its key's parts joined by '|'
    PRIMARY KEY (merge_id, table_name, row_id)
) STRICT;
CREATE INDEX merge_rows_by_row ON merge_rows(table_name, row_id);

CREATE TABLE merged_standards (
    standard_id TEXT PRIMARY KEY REFERENCES standards(id),  -- the other laptop's version
    original_id TEXT NOT NULL REFERENCES standards(id),  -- this project's, beside it
    merge_id TEXT NOT NULL REFERENCES merges(id),
    settled_at TEXT  -- when the facilitator said both may stay
) STRICT;
CREATE INDEX merged_standards_by_original ON merged_standards(original_id);
"""


# v10 (issue 16): self-assessment against the framework. The project names the areas and the
# services (organisations, never people) piloting the standards. A self-assessment activity
# belongs to one service and keeps the framework version it was set up with (each
# statement's id, version, wording and measures, decision 024), so later edits do not
# change what a service assessed. Each team member's view (participant_id) and the team's
# answer the facilitator settles (participant_id NULL) are rows of assessment_answers.
_V10 = """
CREATE TABLE areas (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    deleted_at TEXT
) STRICT;

CREATE TABLE services (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('police', 'social_care', 'school', 'health', 'youth',
                                       'voluntary', 'other')),
    area_id TEXT REFERENCES areas(id),
    position INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    deleted_at TEXT
) STRICT;

CREATE TABLE assessments (
    activity_id TEXT PRIMARY KEY REFERENCES activities(id),
    service_id TEXT NOT NULL REFERENCES services(id),
    framework TEXT NOT NULL,  -- JSON: the statements assessed, as they stood
    current_standard_id TEXT,  -- the statement on the projector while filled together
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE assessment_answers (
    id TEXT PRIMARY KEY,
    activity_id TEXT NOT NULL REFERENCES activities(id),
    standard_id TEXT NOT NULL REFERENCES standards(id),
    participant_id TEXT REFERENCES participants(id),  -- NULL: the team's settled answer
    status TEXT NOT NULL CHECK (status IN ('met', 'partly_met', 'not_met', 'not_applicable')),
    evidence TEXT NOT NULL DEFAULT '',
    measures TEXT NOT NULL DEFAULT '[]',  -- JSON: one {numerator, denominator, period} each
    actions TEXT NOT NULL DEFAULT '[]',  -- JSON: {what, who, by}
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
) STRICT;
CREATE UNIQUE INDEX assessment_views_one ON assessment_answers(activity_id, standard_id,
    participant_id) WHERE participant_id IS NOT NULL;
CREATE UNIQUE INDEX assessment_settled_one ON assessment_answers(activity_id, standard_id)
    WHERE participant_id IS NULL;
"""


# v11 (issue 16): the evaluation survey. A survey activity's questions (soft-deleted, so an
# undo brings one back with its answers) and each participant's answer to each question:
# a closed answer is the number of the choice; a free-text answer is a note of the survey
# activity (so moderation, flags, taking back and the privacy review apply to it), linked
# here. "we_did" is what was done about a question, for the "you said, we did" summary.
_V11 = """
CREATE TABLE survey_questions (
    id TEXT PRIMARY KEY,
    activity_id TEXT NOT NULL REFERENCES activities(id),
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,  -- smiley, agree, yes_no, choice, text
    text TEXT NOT NULL,
    child_text TEXT NOT NULL DEFAULT '',
    options TEXT NOT NULL DEFAULT '[]',  -- JSON list: a choice question's answers
    required INTEGER NOT NULL DEFAULT 0 CHECK (required IN (0, 1)),
    we_did TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
) STRICT;
CREATE INDEX survey_questions_by_activity ON survey_questions(activity_id, position);

CREATE TABLE survey_answers (
    question_id TEXT NOT NULL REFERENCES survey_questions(id),
    participant_id TEXT NOT NULL REFERENCES participants(id),
    choice INTEGER CHECK (choice IS NULL OR choice >= 1),  -- closed questions: 1 = the first
    note_id TEXT REFERENCES notes(id),  -- free text: the note that holds it
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (question_id, participant_id),
    CHECK ((choice IS NULL) != (note_id IS NULL))
) STRICT;
CREATE INDEX survey_answers_by_note ON survey_answers(note_id);
"""


# v12 (issue 17): notes held back on arrival. The arrival check (core/safeguarding.py) found
# a possible disclosure or a personal detail: the note waits for the facilitator in every
# moderation mode and never reaches the projector while `held_at` is set. Releasing it
# clears `held_at`; `hold_reasons` keeps why it was held (ReasonKind values, space-separated).
_V12 = """
ALTER TABLE notes ADD COLUMN held_at TEXT;
ALTER TABLE notes ADD COLUMN hold_reasons TEXT NOT NULL DEFAULT ''
"""

# v13 (issue 17): a phone's note, edit or written answer is stored `unread` when the arrival
# check's second look (services/arrival.py) runs, and the projector never shows it until the
# look has read its current text (then 0; a note it reads like a disclosure is held).
_V13 = """
ALTER TABLE notes ADD COLUMN unread INTEGER NOT NULL DEFAULT 0;
CREATE INDEX notes_unread ON notes(created_at) WHERE unread = 1
"""


def _run_script(db: Database, script: str) -> None:
    for statement in script.split(";\n"):
        if statement.strip():
            db.execute(statement)


def _v1(db: Database) -> None:
    _run_script(db, _V1)


def _v2(db: Database) -> None:
    _run_script(db, _V2)


def _v3(db: Database) -> None:
    _run_script(db, _V3)


def _v4(db: Database) -> None:
    _run_script(db, _V4)


def _v5(db: Database) -> None:
    _run_script(db, _V5)


def _v6(db: Database) -> None:
    _run_script(db, _V6)


def _v7(db: Database) -> None:
    _run_script(db, _V7)


def _v8(db: Database) -> None:
    _run_script(db, _V8)


def _v9(db: Database) -> None:
    _run_script(db, _V9)


def _v10(db: Database) -> None:
    _run_script(db, _V10)


def _v11(db: Database) -> None:
    _run_script(db, _V11)


def _v12(db: Database) -> None:
    _run_script(db, _V12)


def _v13(db: Database) -> None:
    _run_script(db, _V13)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "Initial schema: project, groups, sessions, activities, notes, themes, "
        "votes, standards, ratings, help requests",
        _v1,
    ),
    Migration(
        2,
        "Phones: the session's current activity, idempotent submissions, indexes",
        _v2,
    ),
    Migration(3, "Moderation: safeguarding flags and duplicates on notes", _v3),
    Migration(
        4,
        "Standards and exports: privacy review decisions, carried-forward themes, "
        "the statement version each rating was given to",
        _v4,
    ),
    Migration(5, "Standards: a child wording shown to children's groups", _v5),
    Migration(6, "Theme suggestions: what the engine proposed, for the audit in exports", _v6),
    Migration(7, "Standards: external references (source guidance and evidence)", _v7),
    Migration(8, "Theme suggestions: each note's vector, cached (derived, never exported)", _v8),
    Migration(
        9, "Merges: projects brought in from other laptops, and where each row came from", _v9
    ),
    Migration(10, "Self-assessment: areas, services, self-assessments and their answers", _v10),
    Migration(11, "Evaluation survey: questions and answers (free text as notes)", _v11),
    Migration(12, "Safeguarding: notes held back on arrival, and why", _v12),
    Migration(13, "Safeguarding: notes waiting for the arrival check's second look", _v13),
)

CURRENT_VERSION = MIGRATIONS[-1].version
