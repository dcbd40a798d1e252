"""Every command and every error path of `workshop-app`."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from tests.cli.conftest import run_process
from workshop_app import __version__
from workshop_app.cli import COMMANDS, _parser

REPO = Path(__file__).resolve().parents[2]


def test_version_prints_the_version_and_exits_zero() -> None:
    result = run_process("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"workshop-app {__version__}"


def test_demo_then_info_json_shows_sessions_groups_activities_and_counts(
    run, tmp_path: Path
) -> None:
    path = tmp_path / "demo.cground"
    code, out, err = run("demo", str(path))
    assert (code, err) == (0, "")
    assert str(path) in out and "notes" in out

    code, out, err = run("info", str(path), "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) >= {"project", "groups", "sessions", "counts"}
    assert len(data["sessions"]) >= 3
    assert len(data["groups"]) >= 3
    kinds = {g["kind"] for g in data["groups"]}
    assert {"child", "parent", "practitioner"} <= kinds
    counts = data["counts"]
    assert counts["notes"] >= 80
    assert counts["themes"] > 0 and counts["votes"] > 0
    assert counts["standards"] > 0 and counts["ratings"] > 0
    assert counts["sessions"] == len(data["sessions"])
    for s in data["sessions"]:
        assert {"id", "title", "state", "activities", "counts"} <= set(s)
        assert s["activities"], s["title"]
        for a in s["activities"]:
            assert {"id", "position", "kind", "state"} <= set(a)
    assert sum(s["counts"]["notes"] for s in data["sessions"]) == counts["notes"]
    groups_used = {g for s in data["sessions"] for g in s["groups"]}
    assert groups_used <= {g["id"] for g in data["groups"]}


def test_the_same_seed_gives_the_same_project(run, tmp_path: Path) -> None:
    outputs = []
    for name in ("a", "b"):
        run("demo", str(tmp_path / name), "--seed", "7")
        _, out, _ = run("info", str(tmp_path / f"{name}.cground"), "--json")
        outputs.append(json.loads(out))
    assert outputs[0] == outputs[1]  # ids, timestamps and counts included
    run("demo", str(tmp_path / "c"), "--seed", "8")
    _, out, _ = run("info", str(tmp_path / "c.cground"), "--json")
    assert json.loads(out)["project"]["id"] != outputs[0]["project"]["id"]


def test_the_demo_stores_no_identities(run, tmp_path: Path) -> None:
    path = tmp_path / "demo.cground"
    run("demo", str(path))
    conn = sqlite3.connect(path)
    columns = [r[1] for r in conn.execute("PRAGMA table_info(participants)")]
    assert columns == ["id", "session_id", "group_id", "created_at", "joined"]
    conn.close()


def test_info_prints_a_readable_summary(run, tmp_path: Path) -> None:
    run("demo", str(tmp_path / "d"))
    code, out, err = run("info", str(tmp_path / "d.cground"))
    assert code == 0 and err == ""
    assert re.search(r"Session [0-9a-f]{8}  ", out)
    assert "brainstorm" in out and "Totals:" in out


def test_demo_refuses_to_overwrite_without_force(run, tmp_path: Path) -> None:
    path = tmp_path / "d.cground"
    assert run("demo", str(path))[0] == 0
    code, _, err = run("demo", str(path))
    assert code == 1
    assert err == f"workshop-app: error: {path} already exists; use --force to replace it\n"
    assert run("demo", str(path), "--force")[0] == 0


def test_plans_lists_the_shipped_plans(run) -> None:
    code, out, _ = run("plans")
    assert code == 0
    assert "prep-children-8-12" in out and "consensus-round" in out


def test_plans_check_passes_on_the_shipped_folder(run) -> None:
    code, out, err = run("plans", "--check", str(REPO / "sessions"))
    assert code == 0, err
    assert out.count("ok  ") >= 8


def test_plans_check_reports_every_problem(run, tmp_path: Path) -> None:
    (tmp_path / "typo.toml").write_text(
        'format = 1\nid = "typo"\ntitle = "T"\n[[activities]]\nkind = "vote"\n'
        'titel = "V"\nminutes = 5\nprompt = "p"\nchild_prompt = "c"\nvote_on = "themes"\n'
        "per_item_cap = 2\n"
    )
    code, out, err = run("plans", "--check", str(tmp_path))
    assert code == 1
    assert (
        f"{tmp_path / 'typo.toml'}: activities[1].titel: unknown field (did you mean 'title'?)"
        in out
    )
    assert f"{tmp_path / 'typo.toml'}: activities[1].title: is missing" in out
    assert err.count("\n") == 1 and "2 problem(s) in 1 plan file(s)" in err


@pytest.mark.parametrize(
    ("make", "args", "message"),
    [
        (None, ["info", "{d}/missing.cground"], "There is no project file at"),
        (
            lambda d: (d / "x.cground").write_text("hello"),
            ["info", "{d}/x.cground"],
            "is not a Common Ground project (it is not a database file)",
        ),
        (None, ["info", "{d}"], "is a folder"),
        (None, ["plans", "--check", "{d}/nowhere"], "is not a folder"),
        (None, ["plans", "--check", "{d}"], "no plan files"),
        (None, ["demo", "{d}/no/such/folder/x.cground"], "does not exist"),
        (
            lambda d: (d / "dir.cground").mkdir(),
            ["demo", "{d}/dir.cground", "--force"],
            "is a folder",
        ),
    ],
)
def test_user_errors_exit_1_with_one_line_and_no_traceback(
    tmp_path: Path, make, args: list[str], message: str
) -> None:
    if make:
        make(tmp_path)
    result = run_process(*[a.format(d=tmp_path) for a in args])
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("workshop-app: error: ")
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_a_newer_project_file_is_refused_by_info(run, tmp_path: Path) -> None:
    path = tmp_path / "d.cground"
    run("demo", str(path))
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    code, _, err = run("info", str(path))
    assert code == 1 and "newer version of Common Ground" in err


@pytest.mark.parametrize(
    "args",
    [
        ["info"],
        ["demo"],
        ["info", "a", "--colour"],
        ["--frobnicate"],
        ["demo", "x", "--seed", "abc"],
    ],
)
def test_malformed_command_lines_exit_2_with_usage(args: list[str]) -> None:
    result = run_process(*args)
    assert result.returncode == 2
    assert "usage: workshop-app" in result.stderr
    assert "Traceback" not in result.stderr


def test_every_command_and_option_is_documented() -> None:
    doc = (REPO / "docs" / "cli.md").read_text()
    parser = _parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert set(sub.choices) == set(COMMANDS)  # type: ignore[union-attr]
    for name, command in sub.choices.items():  # type: ignore[union-attr]
        assert f"workshop-app {name}" in doc, name
        for action in command._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert option in doc, f"{name} {option}"
    assert "--version" in doc


def test_serve_stops_cleanly_on_sigterm_sent_the_moment_its_link_is_printed(
    run, tmp_path: Path
) -> None:
    """The link is printed only once stopping is set up: a supervisor (or a test) that stops
    the server as soon as it sees the link gets a clean stop, never a killed process."""
    import signal
    import subprocess
    import sys

    project = tmp_path / "demo.cground"
    assert run("demo", str(project))[0] == 0
    data = json.loads(run("info", str(project), "--json")[1])
    planned = next(s for s in data["sessions"] if s["state"] == "planned")
    proc = subprocess.Popen(
        [sys.executable, "-m", "workshop_app", "serve", str(project), "--session",
         planned["id"][:8], "--host", "127.0.0.1", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().startswith("http://127.0.0.1:")
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()  # reaped here, not left to the collector's Popen.__del__
    assert proc.returncode == 0, err
    assert "Stopped" in err


def test_serve_prints_the_join_url_first_serves_phones_and_stops_on_sigterm(
    run, tmp_path: Path
) -> None:
    import signal
    import subprocess
    import sys
    import urllib.request

    project = tmp_path / "demo.cground"
    assert run("demo", str(project))[0] == 0
    data = json.loads(run("info", str(project), "--json")[1])
    planned = next(s for s in data["sessions"] if s["state"] == "planned")
    proc = subprocess.Popen(
        [sys.executable, "-m", "workshop_app", "serve", str(project), "--session",
         planned["id"][:8], "--activity", "2", "--host", "127.0.0.1", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/j/[0-9A-Z]{10}", url), url
        assert "Which group are you in?" in urllib.request.urlopen(url, timeout=10).read().decode()
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()  # reaped here, not left to the collector's Popen.__del__
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "Stopped" in err
    after = json.loads(run("info", str(project), "--json")[1])
    served = next(s for s in after["sessions"] if s["id"] == planned["id"])
    assert served["state"] == "live"
    assert served["activities"][1]["state"] == "open"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--session", "zzzz"], "No session has an id starting with 'zzzz'"),
        (["--session", "{sid}", "--activity", "99"], "--activity must be 1 to"),
        (["--session", "{sid}", "--port", "70000"], "the port must be between 0 and 65535"),
        (["--session", "{sid}", "--host", "192.0.2.254"], "Could not listen on 192.0.2.254"),
    ],
)
def test_serve_user_errors_are_one_line(run, tmp_path: Path, extra: list[str], message: str):
    project = tmp_path / "demo.cground"
    run("demo", str(project))
    sid = json.loads(run("info", str(project), "--json")[1])["sessions"][0]["id"]
    done = run_process("serve", str(project), *[e.replace("{sid}", sid) for e in extra])
    assert done.returncode == 1, done.stderr
    assert message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_themes_suggests_groups_covering_every_note_of_the_activity(run, tmp_path: Path) -> None:
    project = tmp_path / "demo.cground"
    run("demo", str(project))
    data = json.loads(run("info", str(project), "--json")[1])
    session = data["sessions"][0]
    n = next(a["position"] for a in session["activities"] if a["kind"] == "brainstorm")
    code, out, err = run("themes", str(project), "--session", session["id"][:8],
                         "--activity", str(n), "--json")  # fmt: skip
    assert code == 0, err
    result = json.loads(out)
    grouped = [note for theme in result["themes"] for note in theme["notes"]]
    assert len(grouped) == result["notes"] > 0
    assert all(2 <= len(t["label"].split()) <= 5 for t in result["themes"])
    assert all(t["representative"] in t["notes"] for t in result["themes"])
    code, out, _ = run("themes", str(project), "--session", session["id"][:8],
                       "--activity", str(n), "--k", "2")  # fmt: skip
    assert code == 0 and out.startswith("2 suggested themes")


@pytest.mark.parametrize(
    ("extra", "message"),
    [(["--activity", "99"], "--activity must be 1 to"), (["--activity", "2", "--k", "0"], "--k")],
)
def test_themes_user_errors_are_one_line(run, tmp_path: Path, extra: list[str], message: str):
    project = tmp_path / "demo.cground"
    run("demo", str(project))
    sid = json.loads(run("info", str(project), "--json")[1])["sessions"][0]["id"]
    code, _, err = run("themes", str(project), "--session", sid, *extra)
    assert code == 1 and message in err and len(err.strip().splitlines()) == 1


def test_serve_prepares_the_look_s_model_before_its_link_is_printed(project: object) -> None:
    """`serve` imports the model's runtime and reads its tokenizer before it prints the link
    (both stop every thread for tens of milliseconds: the room's first phones would wait
    through them); the weights are left for the look's own thread as the server starts."""
    from workshop_app.cli import _second_look

    look = _second_look(project)  # type: ignore[arg-type]
    try:
        assert look.engine.model.prepared
        assert not look.engine.model.loaded
        assert not look.running  # started by `serve`, after this
    finally:
        look.stop()
