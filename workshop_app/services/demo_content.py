"""The fictional content of the demo project written by `workshop-app demo`.

Everything here is invented: the borough of Riverside, its venues, the workshops, the
anonymous sticky notes and the draft standards. Nothing comes from a real workshop, person,
school or service. The notes are written to sound like the groups who would write them
(children, young people, parents and carers, practitioners) and deliberately paraphrase one
another across groups, so that theme suggestions have something to find. Nothing is graphic
and nothing is a disclosure; the focus is prevention and good services.

The content lives as JSON under `resources/demo/` (bundled by `build.spec`): `project.json`
(PROJECT and GROUPS), `sessions/NN-<key>.json` (one file per session; the number keeps the date
order) and `standards.json` (STANDARDS and ROUND_TWO_REVISION). This module reads it once, on
import, into the same structures the Python dicts used to hold (each standard's `sources`
a list of (session key, theme name) tuples, its `references` a tuple);
`workshop_app.services.demo` turns it into a project, with seeded participants, votes and
consensus ratings.

Shapes:

- PROJECT: title and locality.
- GROUPS: stakeholder groups; `kind` is one of child, parent, practitioner, community, other.
- SESSIONS: in date order. Each brainstorm entry fills the session plan's brainstorm activities
  in order; a note's `theme` names one of that session's themes, or None for unsorted.
  `theme_priority` (1-10) weights the seeded dot votes.
- STANDARDS: draft standards with NICE-style measures, what each means for every audience,
  the statement in children's words (`child_wording`, shown to children's groups), the
  (session key, theme name) pairs it came from, and how adults (`support`) and children
  (`child_support`) should rate it in the consensus round.
- EVALUATION (`evaluation.json`): the youth panel's evaluation session after the last
  round: its survey questions, how many in each group chose each answer, the written
  answers, and what was done about each question (services/demo_survey.py).
- ROUND_TWO_REVISION: between the consensus rounds the statement that round 1 rated lowest
  ("Help to report on apps and games") was reworded; round 2 rates the new wording and shows
  people round 1's results.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from workshop_app.infra.paths import resources_dir


def demo_dir() -> Path:
    return resources_dir() / "demo"


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _standard(raw: dict[str, Any]) -> dict[str, Any]:
    """JSON has no tuples: give back the (session key, theme name) pairs and references."""
    standard = dict(raw)
    if "sources" in standard:
        standard["sources"] = [tuple(pair) for pair in standard["sources"]]
    if "references" in standard:
        standard["references"] = tuple(standard["references"])
    return standard


def load_sessions(root: Path) -> list[dict[str, Any]]:
    """The sessions in file-name order (`01-...json`, `02-...json`: the date order)."""
    return [_read(path) for path in sorted((root / "sessions").glob("*.json"))]


_root = demo_dir()
_project = _read(_root / "project.json")
_standards = _read(_root / "standards.json")

PROJECT: dict[str, str] = _project["project"]
GROUPS: list[dict[str, Any]] = _project["groups"]
SESSIONS: list[dict[str, Any]] = load_sessions(_root)
ROUND_TWO_REVISION: dict[str, Any] = _standards["round_two_revision"]
STANDARDS: list[dict[str, Any]] = [_standard(s) for s in _standards["standards"]]
EVALUATION: dict[str, Any] = _read(_root / "evaluation.json")
