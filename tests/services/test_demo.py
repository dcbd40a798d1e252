"""The demo project: believable, consistent, anonymous, and built from the shipped plans."""

from __future__ import annotations

import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from workshop_app.core.consensus import Verdict, classify
from workshop_app.core.model import ActivityKind, GroupKind
from workshop_app.infra.paths import resources_dir, shipped_plans_dir
from workshop_app.services import demo_content as content
from workshop_app.services.demo import DemoSummary, write_demo
from workshop_app.services.info import describe
from workshop_app.services.plans import load_plan
from workshop_app.services.project import get_settings, open_project
from workshop_app.services.sessions import list_activities, list_sessions
from workshop_app.storage.errors import ProjectExistsError

ALL_NOTES = [n for s in content.SESSIONS for b in s["brainstorms"] for n in b["notes"]] + [
    w for q in content.EVALUATION["questions"] for w in q.get("written", ())
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.cground"
    write_demo(path)
    return path


def test_the_demo_content_is_consistent() -> None:
    group_keys = {g["key"] for g in content.GROUPS}
    session_keys = {s["key"] for s in content.SESSIONS}
    for s in content.SESSIONS:
        themes = {t["name"] for t in s["themes"]}
        assert set(s["groups"]) <= group_keys
        assert set(s["theme_priority"]) <= themes
        for b in s["brainstorms"]:
            for n in b["notes"]:
                assert n["group"] in s["groups"], n
                assert n["theme"] is None or n["theme"] in themes, n
    for st in content.STANDARDS:
        for key, theme in st["sources"]:
            assert key in session_keys
            assert theme in {
                t["name"] for t in next(s for s in content.SESSIONS if s["key"] == key)["themes"]
            }


@pytest.mark.parametrize(
    "pattern",
    [
        r"[\w.+-]+@[\w-]+\.[\w.]+",
        r"\b0\d{3}\s?\d{3}\s?\d{4}\b",
        r"\b07\d{9}\b",
        r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b",
        r"https?://",
    ],
)
def test_demo_notes_contain_no_personal_details(pattern: str) -> None:
    for n in ALL_NOTES:
        assert not re.search(pattern, n["text"]), n["text"]


# What the demo held when its content was Python dicts in services/demo_content.py (issue 15,
# point 3 moved it to resources/demo/*.json): the files must build the same project. Issue 16
# added the pilot's session (resources/demo/pilot.json): 1 session, 3 self-assessment
# activities and the 7 team members who gave views on phones; and the youth evaluation
# (resources/demo/evaluation.json): 1 session, 21 participants, 8 written answers, 2 activities.
DEMO_COUNTS = {
    "sessions": 10,
    "groups": 4,
    "participants": 182,
    "notes": 168,
    "themes": 36,
    "votes": 175,
    "standards": 6,
    "ratings": 294,
    "activities": 59,
    "help_requests": 0,
}


def test_the_demo_content_is_read_from_the_shipped_json_files() -> None:
    root = content.demo_dir()
    assert root == resources_dir() / "demo"
    files = sorted((root / "sessions").glob("*.json"))
    assert [f.name for f in files] == [
        f"{i:02d}-{s['key']}.json" for i, s in enumerate(content.SESSIONS, 1)
    ]
    dates = [s["date"] for s in content.SESSIONS]
    assert dates == sorted(dates)
    for st in content.STANDARDS:
        assert all(isinstance(pair, tuple) and len(pair) == 2 for pair in st["sources"])
        assert isinstance(st.get("references", ()), tuple)


def test_the_demo_built_from_the_files_has_the_same_counts_as_before(tmp_path: Path) -> None:
    summary = write_demo(tmp_path / "demo.cground")
    assert summary == DemoSummary(
        **{k: v for k, v in DEMO_COUNTS.items() if k not in ("activities", "help_requests")}
    )
    with open_project(tmp_path / "demo.cground") as p:
        described = describe(p)
    assert described["counts"] == DEMO_COUNTS
    assert len(described["sessions"]) == DEMO_COUNTS["sessions"]
    assert len(described["groups"]) == DEMO_COUNTS["groups"]


def test_the_demo_has_the_required_breadth(demo: Path) -> None:
    with open_project(demo) as p:
        sessions = list_sessions(p)
        assert len(sessions) >= 3
        kinds = {k for g in content.GROUPS for k in [GroupKind(g["kind"])]}
        assert {GroupKind.CHILD, GroupKind.PARENT, GroupKind.PRACTITIONER} <= kinds
        for s in sessions:
            if not s.plan_id:  # the pilot's and the youth evaluation's are built by hand
                assert s.title in (
                    "Pilot: self-assessment with three services",
                    "Youth panel evaluation: how was taking part?",
                )
                continue
            plan = load_plan(shipped_plans_dir() / f"{s.plan_id}.toml")
            assert [a.title for a in list_activities(p, s.id)] == [a.title for a in plan.activities]
    assert len(ALL_NOTES) >= 80


def test_every_note_lands_in_a_brainstorm_or_survey_and_themes_hold_only_their_sessions_notes(
    demo: Path,
) -> None:
    conn = sqlite3.connect(demo)
    kinds = {
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT a.kind FROM notes n JOIN activities a ON a.id = n.activity_id"
        )
    }
    # (the youth evaluation's written answers are notes of its survey)
    assert kinds == {ActivityKind.BRAINSTORM.value, ActivityKind.SURVEY.value}
    cross = conn.execute(
        "SELECT count(*) FROM theme_notes tn JOIN themes t ON t.id = tn.theme_id "
        "JOIN activities ta ON ta.id = t.activity_id JOIN notes n ON n.id = tn.note_id "
        "JOIN activities na ON na.id = n.activity_id WHERE ta.session_id != na.session_id"
    ).fetchone()[0]
    assert cross == 0
    assert conn.execute("SELECT count(*) FROM notes").fetchone()[0] == len(ALL_NOTES)
    conn.close()


def test_votes_respect_each_activitys_budget_and_cap(demo: Path) -> None:
    conn = sqlite3.connect(demo)
    rows = conn.execute(
        "SELECT v.participant_id, a.settings, sum(v.dots), max(v.dots) FROM votes v "
        "JOIN activities a ON a.id = v.activity_id GROUP BY v.activity_id, v.participant_id"
    ).fetchall()
    assert rows
    import json

    for _, settings, total, biggest in rows:
        s = json.loads(settings)
        assert biggest <= s.get("per_item_cap", 99)
        if "vote_budget" in s:
            assert total <= s["vote_budget"]
    conn.close()


def test_children_rated_on_the_smiley_scale_and_standards_reach_different_verdicts(
    demo: Path,
) -> None:
    conn = sqlite3.connect(demo)
    scales = dict(
        conn.execute(
            "SELECT g.kind, group_concat(DISTINCT r.scale) FROM ratings r "
            "JOIN participants p ON p.id = r.participant_id "
            "JOIN stakeholder_groups g ON g.id = p.group_id GROUP BY g.kind"
        ).fetchall()
    )
    assert scales["child"] == "smiley"
    assert scales["parent"] == "nine_point"
    by_standard: dict[str, list[int]] = {}
    for sid, value in conn.execute("SELECT standard_id, value FROM ratings"):
        by_standard.setdefault(sid, []).append(value)
    conn.close()
    with open_project(demo) as p:
        rules = get_settings(p).consensus_rules
    verdicts = {classify(v, rules) for v in by_standard.values()}
    assert Verdict.IN in verdicts and len(verdicts) >= 2


def test_the_demo_is_not_written_over_an_existing_file(demo: Path) -> None:
    with pytest.raises(ProjectExistsError):
        write_demo(demo)


def test_the_demo_is_ready_for_a_second_consensus_round(demo: Path) -> None:
    from workshop_app.core.model import ActivityKind
    from workshop_app.services import consensus, sessions, standards
    from workshop_app.services.project import open_project

    with open_project(demo) as p:
        rounds = consensus.rounds(p)
        assert len(rounds) == 2
        second = sessions.get_activity(p, rounds[1].activity_id)
        assert second.kind is ActivityKind.RATE
        assert second.settings.feedback_from == rounds[0].activity_id, "round 2 shows round 1"
        first = consensus.round_results(p, rounds[0].activity_id)
        assert first.statements and all(s.version == 1 for s in first.statements)
        revised = [s for s in standards.list_standards(p) if s.version == 2]
        assert len(revised) == 1
        old, new = standards.versions(p, revised[0].id)
        assert old.statement != new.statement == revised[0].statement


def test_every_demo_standard_has_a_child_wording_in_short_plain_words(demo: Path) -> None:
    from workshop_app.services import standards

    with open_project(demo) as p:
        listed = standards.list_standards(p)
    assert listed and all(s.child_wording for s in listed)
    for s in listed:
        assert s.child_wording != s.statement
        assert s.child_wording and len(s.child_wording.split()) <= 30, s.title
        assert "you" in s.child_wording.lower().split(), s.title  # spoken to the child


def test_the_demo_dates_each_wording_between_its_workshops_and_today(demo: Path) -> None:
    """Issue 13: a version was dated before the workshops it came from, and another after
    the date of the document it appeared in. Now every statement is worded after the last
    workshop it came from (at the drafting workshop), the revision falls between the two
    rounds, and no wording is dated after today, so no document written today predates it."""
    from workshop_app.services import consensus, sessions, standards
    from workshop_app.services.project import open_project

    with open_project(demo) as p:
        days = {s.title: s.date for s in sessions.list_sessions(p)}
        by_key = {s["key"]: days[s["title"]] for s in content.SESSIONS}
        first_round, second_round = (r.session_date for r in consensus.rounds(p))
        assert first_round is not None and second_round is not None
        for spec, st in zip(content.STANDARDS, standards.list_standards(p), strict=True):
            came_from = max(by_key[key] for key, _theme in spec["sources"])
            first, *later = standards.versions(p, st.id)
            assert came_from <= by_key["standards-drafting"] == first.created_at.date()
            assert first.created_at.date() < first_round, st.title
            for v in later:
                assert first_round < v.created_at.date() < second_round, st.title
            for v in (first, *later):
                assert v.created_at.date() <= date.today(), st.title


def test_two_demos_made_with_different_seeds_share_no_id(demo: Path, tmp_path: Path) -> None:
    """Two laptops' demos merge as two projects: no row of one may carry another's id (the
    suggestion audit's ids included); the same seed makes the same ids again."""

    def ids(path: Path) -> set[str]:
        with sqlite3.connect(path) as db:
            tables = [
                t
                for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                if "id" in {c[1] for c in db.execute(f"PRAGMA table_info({t})")}
            ]
            return {f"{t}:{i}" for t in tables for (i,) in db.execute(f"SELECT id FROM {t}") if i}

    other, again = tmp_path / "other.cground", tmp_path / "again.cground"
    write_demo(other, seed=7)
    write_demo(again)
    ours = ids(demo)
    assert any(i.startswith("theme_suggestions:") for i in ours)
    assert ours == ids(again), "the same seed, the same ids"
    shared = {i for i in ours & ids(other) if not i.startswith("project:")}
    assert shared == set()


def test_the_demo_pilot_has_three_services_in_two_areas_all_settled(demo: Path) -> None:
    from workshop_app.services import pilot
    from workshop_app.services.assessment import name_warnings

    with open_project(demo) as p:
        described = describe(p)
        assert len(described["areas"]) == 2
        assert [s["kind"] for s in described["services"]] == ["police", "school", "youth"]
        assert [(a["settled"], a["statements"]) for a in described["self_assessments"]] == [
            (6, 6)
        ] * 3
        hard = [h.title for h in pilot.comparison_report(p).hardness() if h.hard]
        assert hard == ["Joined-up pathway with feedback", "Help to report on apps and games"]
        for row in pilot.assessment_rows(p):
            report = pilot.service_report(p, row.assessment.activity_id)
            # the framework as it stood after round 2: the revised statement's wording
            assert report.framework_taken.date() == report.session_date
            for r in report.rows:
                assert r.settled is not None and not name_warnings(r.settled.actions)
