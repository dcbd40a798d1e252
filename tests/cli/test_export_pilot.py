"""`workshop-app export --self-assessments / --comparison` and `info` for a pilot (issue 16)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import docx
import pytest

from tests.cli.conftest import run_process
from tests.pilot.builder import build_pilot, settle_all
from workshop_app.services.project import create_project


@pytest.fixture(scope="module")
def pilot_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pilot") / "pilot.cground"
    p = create_project(path, "Pilot project", "Two force areas")
    try:
        settle_all(build_pilot(p))
    finally:
        p.close()
    return path


def test_one_word_report_per_service_into_a_folder(run, pilot_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    code, stdout, stderr = run("export", str(pilot_file), "--self-assessments", "--out", str(out))
    assert code == 0, stderr
    assert "Wrote 3 self-assessment reports" in stdout
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "self-assessment-north-police-ocsea-team.docx",
        "self-assessment-riverside-academy.docx",
        "self-assessment-southside-youth-club.docx",
    ]
    first = docx.Document(str(out / names[0]))
    assert first.paragraphs[0].text == "Self-assessment: North Police OCSEA team"


def test_the_comparison_and_the_data(run, pilot_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "comparison.docx"
    code, stdout, stderr = run("export", str(pilot_file), "--comparison", "--out", str(out))
    assert code == 0, stderr and "comparison" in stdout
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "Statements most services find hard to meet" in text
    zipped = tmp_path / "pilot.zip"
    code, _, stderr = run(
        "export", str(pilot_file), "--self-assessments", "--format", "csv", "--out", str(zipped)
    )
    assert code == 0, stderr
    assert "codebook.md" in zipfile.ZipFile(zipped).namelist()
    js = tmp_path / "pilot.json"
    code, _, stderr = run(
        "export", str(pilot_file), "--self-assessments", "--format", "json", "--out", str(js)
    )
    assert code == 0, stderr
    data = json.loads(js.read_text(encoding="utf-8"))
    assert [c["hard_to_meet"] for c in data["comparison"]] == [False, True, False]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--comparison", "--format", "csv", "--out", "x.zip"], "Word only"),
        (["--comparison", "--out", "x.pdf"], "ends in .docx"),
        (["--self-assessments", "--out", "reports.docx"], "go into a folder"),
        (["--self-assessments", "--format", "qdpx", "--out", "x.qdpx"], "docx, csv or json"),
        (["--self-assessments", "--format", "json", "--out", "x.csv"], "ends in .json"),
        (["--self-assessments", "--agreed", "--out", "r"], "do not apply"),
    ],
)
def test_refusals_are_one_clear_line(
    run, pilot_file: Path, tmp_path: Path, args: list[str], words: str
) -> None:
    args = [a if not a.startswith(("x.", "r", "reports")) else str(tmp_path / a) for a in args]
    code, _, stderr = run("export", str(pilot_file), *args)
    assert code == 1 and words in stderr and len(stderr.strip().splitlines()) == 1


def test_an_existing_folder_is_kept_unless_forced(run, pilot_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    out.mkdir()
    code, _, stderr = run("export", str(pilot_file), "--self-assessments", "--out", str(out))
    assert code == 1 and "exists" in stderr
    code, _, stderr = run(
        "export", str(pilot_file), "--self-assessments", "--out", str(out), "--force"
    )
    assert code == 0, stderr


def test_no_self_assessment_is_a_clear_refusal(run, tmp_path: Path) -> None:
    path = tmp_path / "empty.cground"
    create_project(path, "Empty", "").close()
    code, _, stderr = run("export", str(path), "--self-assessments", "--out", str(tmp_path / "r"))
    assert code == 1 and "no self-assessment" in stderr


def test_info_lists_areas_services_and_their_self_assessments(pilot_file: Path) -> None:
    done = run_process("info", str(pilot_file))
    assert done.returncode == 0, done.stderr
    assert "Areas: North force area, South force area" in done.stdout
    assert "  Riverside Academy (school, North force area): self-assessment 3 of 3 settled" in (
        done.stdout
    )
    as_json = json.loads(run_process("info", str(pilot_file), "--json").stdout)
    assert [s["kind"] for s in as_json["services"]] == ["police", "school", "youth"]
    assert {a["settled"] for a in as_json["self_assessments"]} == {3}
