"""`workshop-app merge TARGET SOURCE...`: the real command line, in-process and as a process."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.cli.conftest import run_process
from workshop_app.services import groups
from workshop_app.services.project import create_project, open_project
from workshop_app.storage.merge import sha256_of
from workshop_app.storage.schema import CURRENT_VERSION


@pytest.fixture
def laptops(run, tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "area a.cground", tmp_path / "area b.cground"
    assert run("demo", str(a), "--seed", "21")[0] == 0
    assert run("demo", str(b), "--seed", "22")[0] == 0
    return a, b


def test_a_dry_run_lists_what_would_come_across_and_changes_nothing(run, laptops) -> None:
    a, b = laptops
    digest = sha256_of(a)
    code, out, err = run("merge", str(a), str(b), "--dry-run")
    assert code == 0, err
    notes = json.loads(run("info", str(b), "--json")[1])["counts"]["notes"]
    assert out.startswith("From area b.cground (")
    assert f"{notes} notes" in out.splitlines()[0]
    assert "“Parents and carers” → “Parents and carers”: the same name, one group." in out
    assert "Service “Riverside Academy” → “Riverside Academy”: the same name, one service." in out
    assert out.rstrip().endswith("Nothing was changed (a dry run).")
    assert sha256_of(a) == digest


def test_merge_brings_the_source_in_reports_counts_and_info_shows_it(run, laptops) -> None:
    a, b = laptops
    digest = sha256_of(b)
    before = json.loads(run("info", str(a), "--json")[1])["counts"]
    added = json.loads(run("info", str(b), "--json")[1])["counts"]
    code, out, err = run("merge", str(a), str(b))
    assert code == 0, err
    assert out.startswith(f"Brought in area b.cground: {added['sessions']} sessions, ")
    assert "Area “Northmoor Police force area” → “Northmoor Police force area”" in out
    after = json.loads(run("info", str(a), "--json")[1])
    for kind in ("sessions", "participants", "notes", "themes", "votes", "ratings", "standards"):
        assert after["counts"][kind] == before[kind] + added[kind], kind
    assert after["counts"]["groups"] == before["groups"]  # the same four, matched by name
    [record] = after["merges"]
    assert record["source_file"] == "area b.cground" and record["source_sha256"] == digest
    assert record["into_this_project"] is True
    assert sha256_of(b) == digest
    text = run("info", str(a))[1]
    assert "Merges:" in text and "area b.cground (“" in text
    code, out, _ = run("merge", str(a), str(b))
    assert code == 0 and out.startswith("Brought in area b.cground: nothing new.")
    assert len(json.loads(run("info", str(a), "--json")[1])["merges"]) == 2


def test_groups_spelled_differently_are_offered_and_matched_on_request(run, tmp_path) -> None:
    a, b = tmp_path / "a.cground", tmp_path / "b.cground"
    create_project(a, "A").close()
    with create_project(b, "B") as p:
        g = next(x for x in groups.list_groups(p) if x.name == "Practitioners")
        groups.update_group(p, g.id, name="practitioner", kind=g.kind, child_friendly=False)
    code, out, _ = run("merge", str(a), str(b), "--dry-run")
    assert code == 0
    assert "“practitioner” → “Practitioners”: spelled differently; offered for matching." in out
    assert "Add --match-groups to match the groups offered (nothing was changed)." in out
    c = tmp_path / "c.cground"
    shutil.copy(a, c)
    code, out, err = run("merge", str(c), str(b), "--match-groups")
    assert code == 0 and "Group “practitioner” → “Practitioners”: one group." in out
    code, out, err = run("merge", str(a), str(b), "--match-group", "practitioner=Nobody")
    assert code == 1
    assert "is not one of the matches offered (offered: practitioner=Practitioners)" in err
    code, out, err = run("merge", str(a), str(b), "--match-group", "practitioner=Practitioners")
    assert code == 0, err
    assert "Group “practitioner” → “Practitioners”: one group." in out
    names = [x["name"] for x in json.loads(run("info", str(a), "--json")[1])["groups"]]
    assert names.count("Practitioners") == 1 and "practitioner" not in names


def test_a_target_open_in_another_program_is_refused_and_left_alone(laptops) -> None:
    a, b = laptops
    with open_project(a, program="the Common Ground desktop app"):
        done = run_process("merge", str(a), str(b))
    assert done.returncode == 1
    assert "is already open in the Common Ground desktop app" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_a_source_open_in_another_program_can_be_merged_and_is_not_changed(laptops) -> None:
    a, b = laptops
    digest = sha256_of(b)
    with open_project(b, program="the Common Ground desktop app"):
        done = run_process("merge", str(a), str(b))
        assert done.returncode == 0, done.stderr
        assert sha256_of(b) == digest


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda d, a: d / "nowhere.cground", "There is no project file at"),
        (lambda d, a: a, "is the project being merged into"),
        (lambda d, a: _newer(d), "was saved by a newer version of Common Ground"),
    ],
)
def test_sources_that_cannot_be_merged_are_one_line_errors(laptops, tmp_path, make, words):
    a, _ = laptops
    digest = sha256_of(a)
    done = run_process("merge", str(a), str(make(tmp_path, a)))
    assert done.returncode == 1, done.stderr
    assert words in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert sha256_of(a) == digest


def _newer(folder: Path) -> Path:
    path = folder / "newer.cground"
    shutil.copy(Path(__file__).parents[1] / "storage" / "fixtures" / "project-v1.cground", path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {CURRENT_VERSION + 1}")
    conn.commit()
    conn.close()
    return path


def test_several_sources_in_one_command(run, laptops, tmp_path) -> None:
    a, b = laptops
    c = tmp_path / "area c.cground"
    assert run("demo", str(c), "--seed", "23")[0] == 0
    code, out, err = run("merge", str(a), str(b), str(c))
    assert code == 0, err
    lines = [x for x in out.splitlines() if x.startswith("Brought in")]
    assert [x.split(":")[0] for x in lines] == [
        "Brought in area b.cground",
        "Brought in area c.cground",
    ]
