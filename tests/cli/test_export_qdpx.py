"""`workshop-app export … --format qdpx`: a REFI-QDA project from the command line, read
back by the independent reader of tests/export/test_qdpx.py, with clear refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import run_process
from tests.export.test_qdpx import read_qdpx

NOTES = ["Apps change so fast", "Who do I call at night?", "More training for staff"]


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str, str]:
    """A project with two sessions: one with three notes (two in a theme), one with none.
    No note looks like a personal detail, so nothing waits for the privacy review."""
    from workshop_app.core.model import ActivityKind
    from workshop_app.infra.paths import shipped_plans_dir
    from workshop_app.services import board, groups, moderation, sessions
    from workshop_app.services.plans import load_plan
    from workshop_app.services.project import create_project
    from workshop_app.services.sessions import SessionDetails

    path = tmp_path_factory.mktemp("qdpx") / "room.cground"
    with create_project(path, "Room project", "Leeds") as p:
        parents = next(g for g in groups.list_groups(p) if g.name.startswith("Parents"))
        plan = load_plan(shipped_plans_dir() / "prep-parents-carers.toml")
        s = sessions.create_session(p, SessionDetails("Evening"), plan)
        brainstorm = next(
            a for a in sessions.list_activities(p, s.id) if a.kind is ActivityKind.BRAINSTORM
        )
        ids = [moderation.capture_paper_note(p, brainstorm.id, t, parents.id).id for t in NOTES]
        board.create_theme(p, s.id, "Keeping up", "", ids[:2])
        quiet = sessions.create_session(p, SessionDetails("Quiet morning"), plan)
    return path, s.id, quiet.id, parents.name


def test_a_session_as_a_refi_qda_project(run, room, tmp_path: Path) -> None:
    path, sid, _quiet, parents = room
    out = tmp_path / "evening.qdpx"
    code, stdout, stderr = run(
        "export", str(path), "--session", sid[:8], "--format", "qdpx", "--out", str(out)
    )
    assert code == 0, stderr
    assert str(out) in stdout and "qdpx" in stdout
    read = read_qdpx(out)
    assert list(read.sources) == ["Evening"]
    got = read.selections["Evening"]
    assert [x.text for x in got] == NOTES
    assert [x.codes for x in got] == [["Evening/Keeping up"], ["Evening/Keeping up"], []]
    assert read.cases == {parents: ("parent", [x.guid for x in got])}


def test_the_whole_project_including_a_session_without_notes(run, room, tmp_path: Path) -> None:
    path, _sid, _quiet, _parents = room
    out = tmp_path / "all.qdpx"
    code, _out, stderr = run("export", str(path), "--format", "qdpx", "--out", str(out))
    assert code == 0, stderr
    read = read_qdpx(out)
    assert set(read.sources) == {"Evening", "Quiet morning"}
    assert read.selections["Quiet morning"] == []


def test_a_session_without_notes_gives_a_valid_project(run, room, tmp_path: Path) -> None:
    path, _sid, quiet, _parents = room
    out = tmp_path / "quiet.qdpx"
    code, _out, stderr = run(
        "export", str(path), "--session", quiet, "--format", "qdpx", "--out", str(out)
    )
    assert code == 0, stderr
    assert read_qdpx(out).selections == {"Quiet morning": []}


@pytest.mark.parametrize(
    ("name", "message"),
    [("notes.zip", ".qdpx"), ("no/such/folder/x.qdpx", "does not exist")],
)
def test_refusals_are_one_clear_line(run, room, tmp_path: Path, name: str, message: str) -> None:
    path, sid, _quiet, _parents = room
    code, _out, stderr = run(
        "export", str(path), "--session", sid, "--format", "qdpx", "--out", str(tmp_path / name)
    )
    assert code == 1
    assert message in stderr and len(stderr.strip().splitlines()) == 1


def test_a_project_without_sessions_is_a_clear_refusal(run, tmp_path: Path) -> None:
    from workshop_app.services.project import create_project

    empty = tmp_path / "empty.cground"
    create_project(empty, "Empty", "").close()
    out = tmp_path / "none.qdpx"
    code, _out, stderr = run("export", str(empty), "--format", "qdpx", "--out", str(out))
    assert code == 1 and "no sessions yet" in stderr
    assert "Traceback" not in stderr and not out.exists()


def test_qdpx_export_runs_as_a_real_process(room, tmp_path: Path) -> None:
    path, _sid, _quiet, _parents = room
    out = tmp_path / "process.qdpx"
    done = run_process("export", str(path), "--format", "qdpx", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert len(read_qdpx(out).sources) == 2
