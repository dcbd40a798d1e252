"""Self-assessments come across in a merge (issue 16): areas, services, self-assessments and
their answers keep their ids; a self-assessment answered on two laptops keeps this project's
answers (one view per member and statement, one settled answer per statement)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from tests.pilot.builder import build_pilot, settle_all
from workshop_app.core.assessment import AssessStatus
from workshop_app.services import areas, assessment, merge, pilot
from workshop_app.services.assessment import Draft
from workshop_app.services.demo import write_demo
from workshop_app.services.project import create_project, open_project

TABLES = ("areas", "services", "assessments", "assessment_answers")


def counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        conn.close()


def test_a_pilot_comes_across_and_merging_it_again_adds_nothing(tmp_path: Path) -> None:
    target, source = tmp_path / "area a.cground", tmp_path / "area b.cground"
    create_project(target, "Area A", "").close()
    p = create_project(source, "Area B", "")
    settle_all(build_pilot(p))
    p.close()
    brought = counts(source)
    with open_project(target) as p:
        [done] = merge.merge(p, [merge.read_source(source, target)])
        assert {t: done.plan.counts.get(t, 0) for t in TABLES} == brought
        assert [s.name for s in areas.list_services(p)] == [
            "North Police OCSEA team",
            "Riverside Academy",
            "Southside Youth Club",
        ]
        hard = [h.title for h in pilot.comparison_report(p).hardness() if h.hard]
        assert hard == ["Quick help"]
        [again] = merge.merge(p, [merge.read_source(source, target)])
        assert again.plan.empty
    assert counts(target) == brought


def test_a_self_assessment_answered_on_two_laptops_keeps_this_projects_answers(
    tmp_path: Path,
) -> None:
    a, b = tmp_path / "laptop a.cground", tmp_path / "laptop b.cground"
    p = create_project(a, "Pilot", "")
    built = build_pilot(p)
    activity = built.assessment(built.police)
    p.close()
    shutil.copy(a, b)
    with open_project(b) as p:
        assessment.settle(p, activity.id, built.s1, Draft(AssessStatus.NOT_MET.value, "There"))
        assessment.settle(p, activity.id, built.s2, Draft(AssessStatus.MET.value, "Only there"))
    with open_project(a) as p:
        assessment.settle(p, activity.id, built.s1, Draft(AssessStatus.MET.value, "Here"))
        [done] = merge.merge(p, [merge.read_source(b, a)])
        assert done.plan.counts.get("assessment_answers") == 1  # s2's, which a lacked
        state = assessment.assessment_state(p, activity.id)
        assert state is not None
        settled = {
            s.statement.title: (s.settled.status.value, s.settled.evidence)
            for s in state.statements
            if s.settled is not None
        }
        assert settled == {"Trusted adult": ("met", "Here"), "Quick help": ("met", "Only there")}


def test_areas_and_services_named_the_same_on_two_laptops_are_one(tmp_path: Path) -> None:
    """Two laptops' demos name the same two police force areas and three services: after
    the merge each is there once, and both laptops' self-assessments are of that one."""
    here, there = tmp_path / "here.cground", tmp_path / "there.cground"
    write_demo(here)
    write_demo(there, seed=11)
    with open_project(here) as p:
        before_areas = [a.name for a in areas.list_areas(p)]
        before_services = [s.name for s in areas.list_services(p)]
        [item] = merge.preview(p, [merge.read_source(there, here)])
        lines = merge.plan_lines(item)
        assert (
            "  Service “Riverside Academy” → “Riverside Academy”: the same name, one service."
            in lines
        )
        merge.merge(p, [merge.read_source(there, here)])
        assert [a.name for a in areas.list_areas(p)] == before_areas
        assert [s.name for s in areas.list_services(p)] == before_services
        [again] = merge.merge(p, [merge.read_source(there, here)])
        assert again.plan.empty
    with sqlite3.connect(f"file:{here}?mode=ro", uri=True) as conn:
        per_service = conn.execute(
            "SELECT count(*) FROM assessments GROUP BY service_id"
        ).fetchall()
    assert sorted(n for (n,) in per_service) == [2] * len(before_services)
