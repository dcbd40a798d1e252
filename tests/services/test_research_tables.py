"""The research data tables added for analysis (issue 13): statement versions with their
wording, consensus round numbers, vote rules and turnout, and measures as a table, read
back from the CSV and JSON files of the demo project."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from workshop_app.services import consensus, datasets, standards
from workshop_app.services import project as project_service
from workshop_app.services.demo import write_demo
from workshop_app.services.project import open_project


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.cground"
    write_demo(path)
    return path


@pytest.fixture
def demo(demo_file, tmp_path):
    path = tmp_path / "demo.cground"
    shutil.copy(demo_file, path)
    with open_project(path) as p:
        yield p


def _files(p, out: Path) -> dict[str, list[dict[str, str]]]:
    datasets.write_csv(p, None, out)
    return {
        f.stem: list(csv.DictReader(io.StringIO(f.read_bytes().decode("utf-8-sig"), newline="")))
        for f in out.glob("*.csv")
    }


@pytest.fixture
def files(demo, tmp_path) -> dict[str, list[dict[str, str]]]:
    return _files(demo, tmp_path / "out")


def test_every_version_of_every_statement_is_there_with_its_wording(demo, files):
    rows = files["standard_versions"]
    for st in standards.list_standards(demo):
        mine = [r for r in rows if r["standard_id"] == st.id]
        stored = standards.versions(demo, st.id)
        assert [int(r["version"]) for r in mine] == [v.version for v in stored]
        assert [r["statement"] for r in mine] == [v.statement for v in stored]
        assert [r["current"] for r in mine] == [
            "true" if v.version == st.version else "false" for v in stored
        ]
    assert any(int(r["version"]) > 1 for r in rows), "the demo revises a statement"
    by_id = {r["standard_id"]: r for r in files["standards"]}
    for st in standards.list_standards(demo):
        assert by_id[st.id]["child_wording"] == (st.child_wording or "")


def test_each_rating_joins_to_the_exact_words_rated(files):
    wording = {(r["standard_id"], r["version"]): r["statement"] for r in files["standard_versions"]}
    rated = [r for r in files["ratings"] if r["version"]]
    assert rated
    assert all((r["standard_id"], r["version"]) in wording for r in rated)


def test_consensus_rounds_are_numbered_in_activities_and_ratings(demo, files):
    rounds = {r.activity_id: str(r.number) for r in consensus.rounds(demo)}
    assert rounds
    for a in files["activities"]:
        assert a["consensus_round"] == rounds.get(a["activity_id"], "")
    for r in files["ratings"]:
        assert r["consensus_round"] == rounds.get(r["activity_id"], "")


def test_measures_are_a_table_with_one_row_per_measure(demo, files):
    rows = files["measures"]
    for st in standards.list_standards(demo):
        mine = [r for r in rows if r["standard_id"] == st.id]
        assert [r["measure_type"] for r in mine] == [m.type.value for m in st.measures]
        assert [r["description"] for r in mine] == [m.description for m in st.measures]
        assert [r["numerator"] for r in mine] == [m.numerator for m in st.measures]
        assert [r["denominator"] for r in mine] == [m.denominator for m in st.measures]
        assert all(r["standard_title"] == st.title for r in mine)
    assert len(rows) == sum(len(st.measures) for st in standards.list_standards(demo))


def test_vote_rules_and_turnout_agree_with_the_votes(demo, tmp_path):
    # every group's figures shown (small-cell suppression off), so that they add up exactly
    project_service.update_settings(demo, min_cell_size=1)
    files = _files(demo, tmp_path / "unsuppressed")
    votes = [a for a in files["activities"] if a["kind"] == "vote"]
    rules = {r["activity_id"]: r for r in files["vote_rules"]}
    assert set(rules) == {a["activity_id"] for a in votes}
    dots = Counter[str]()
    dots_by_group = Counter[tuple[str, str]]()
    for v in files["votes"]:
        dots[v["activity_id"]] += int(v["dots"])
        dots_by_group[v["activity_id"], v["group_id"]] += int(v["dots"])
    for activity_id, r in rules.items():
        assert int(r["dots"]) == dots[activity_id]
        assert r["dots_rule"] in {"set", "automatic"} and int(r["dots_per_person"]) >= 1
        assert r["vote_on"] in {"themes", "notes"}
        turnout = [t for t in files["vote_turnout"] if t["activity_id"] == activity_id]
        assert sum(int(t["voters"]) for t in turnout) == int(r["voters"])
        assert sum(int(t["joined"]) for t in turnout) == int(r["joined"])
        assert int(r["voters"]) <= int(r["joined"])
        for t in turnout:
            assert int(t["dots"]) == dots_by_group[activity_id, t["group_id"]]
            assert int(t["voters"]) <= int(t["joined"])
            # no more dots than the rules allow each voter
            assert int(t["dots"]) <= int(t["voters"]) * int(r["dots_per_person"])
    assert any(int(r["voters"]) > 0 for r in rules.values())


def test_the_json_holds_the_same_new_tables(demo, tmp_path, files):
    datasets.write_json(demo, None, tmp_path / "data.json")
    doc = json.loads((tmp_path / "data.json").read_text(encoding="utf-8"))
    assert doc["format_version"] == 2
    for name in ("standard_versions", "measures", "vote_rules", "vote_turnout"):
        assert len(doc[name]) == len(files[name]) > 0, name
    assert len(doc["theme_suggestions"]) == len(doc["notes"])


def test_the_demo_shows_how_much_the_suggestions_shaped_its_themes(files):
    """The demo keeps a showing of suggestions per themed session (services/demo.py)."""
    rows = files["theme_suggestions"]
    decisions = Counter(r["decision"] for r in rows)
    assert set(decisions) == {"accepted", "changed", "rejected", "not_suggested"}
    assert decisions["accepted"] > decisions["rejected"] > decisions["changed"] > 0
    in_theme = {r["note_id"]: r["theme_id"] for r in files["theme_notes"]}
    for r in rows:
        assert r["final_theme_id"] == in_theme.get(r["note_id"], "")
        if r["decision"] == "accepted":
            assert r["accepted_theme_id"] == r["final_theme_id"] and r["renamed"] == "true"
        elif r["decision"] == "changed":
            assert r["accepted_theme_id"] not in ("", r["final_theme_id"])
        elif r["decision"] == "rejected":
            assert r["proposed_theme"] and not r["accepted_theme_id"]
        else:
            assert not r["proposed_theme"] and r["times_proposed"] == "0"


def test_small_groups_turnout_reads_fewer_than_n_and_the_totals_stay(demo, tmp_path):
    """Small-cell suppression (core/cells.py) reaches vote_turnout.csv; vote_rules.csv holds
    every voter together, which is never withheld."""
    project_service.update_settings(demo, min_cell_size=1)
    exact = _files(demo, tmp_path / "exact")
    project_service.update_settings(demo, min_cell_size=1000)
    withheld = _files(demo, tmp_path / "withheld")
    assert withheld["vote_rules"] == exact["vote_rules"]
    for t in withheld["vote_turnout"]:
        assert t["voters"] in ("0", "fewer than 1000")
        assert t["dots"] in ("0", "fewer than 1000")
