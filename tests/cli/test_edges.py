"""The command line at its edges: no screen, mistyped commands, closed pipes, exact K."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import run_process
from tests.storage.test_problems import can_mount_in_a_namespace
from workshop_app.core.model import ActivityKind
from workshop_app.screen import screen_problem
from workshop_app.services import moderation, sessions
from workshop_app.services.demo import write_demo
from workshop_app.services.project import create_project
from workshop_app.services.sessions import SessionDetails


def _env_without_screen(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    return {**env, **extra}


def _run(*args: str, env: dict[str, str], cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "workshop_app", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=cwd,
        check=False,
    )


# ---------------------------------------------------------------- no screen


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland only")
@pytest.mark.parametrize(
    ("extra", "why"),
    [
        ({}, "DISPLAY and WAYLAND_DISPLAY are not set"),
        ({"DISPLAY": ":917"}, "nothing answers on the display DISPLAY=:917"),
        ({"WAYLAND_DISPLAY": "wayland-917", "XDG_RUNTIME_DIR": "/nonexistent"}, "Wayland"),
    ],
)
def test_the_desktop_app_without_a_screen_says_so_in_one_line(
    extra: dict[str, str], why: str, tmp_path: Path
) -> None:
    done = _run(env=_env_without_screen(**extra), cwd=tmp_path)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert why in lines[0]
    assert "workshop-app serve" in lines[0] and "workshop-app export" in lines[0]
    assert "xcb" not in done.stderr and "Aborted" not in done.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="abstract sockets: Linux")
def test_a_display_that_answers_counts_as_a_screen() -> None:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind("\0/tmp/.X11-unix/X918")  # an abstract socket, as Xorg also listens on
        server.listen(1)
        assert screen_problem({"DISPLAY": ":918"}) is None
        assert screen_problem({"DISPLAY": ":918.0"}) is None
    assert screen_problem({"DISPLAY": ":918"}) is not None


@pytest.mark.parametrize(
    ("env", "platform", "expected"),
    [
        ({}, "win32", None),
        ({}, "darwin", None),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", None),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", "DISPLAY is not set"),
        ({"QT_QPA_PLATFORM": "wayland"}, "linux", "WAYLAND_DISPLAY is not set"),
        ({}, "linux", "DISPLAY and WAYLAND_DISPLAY are not set"),
    ],
)
def test_which_platforms_need_a_screen(
    env: dict[str, str], platform: str, expected: str | None
) -> None:
    problem = screen_problem(env, platform)
    assert problem == expected or (expected is not None and expected in (problem or ""))


# ---------------------------------------------------------------- mistyped commands


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["inof", "x.cground"], "unknown command 'inof' (did you mean 'info'?)"),
        (["frobnicate"], "unknown command 'frobnicate' (the commands are demo, info,"),
        (["exprot"], "did you mean 'export'?"),
        (["serv", "--session", "x"], "did you mean 'serve'?"),
    ],
)
def test_a_mistyped_command_is_named_with_the_nearest_one(
    args: list[str], expected: str, tmp_path: Path
) -> None:
    done = run_process(*args, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip() == f"workshop-app: error: {expected}" or expected in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and done.stdout == ""


def test_an_existing_file_with_a_command_like_name_is_a_project_to_open(tmp_path: Path) -> None:
    (tmp_path / "frobnicate").write_bytes(b"not a project")
    done = _run("frobnicate", env=_env_without_screen(), cwd=tmp_path)
    # It went to the desktop app, which needs a screen: not "unknown command".
    assert done.returncode == 1 and "unknown command" not in done.stderr
    assert "no screen found" in done.stderr


# ---------------------------------------------------------------- closed pipes


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.cground"
    write_demo(path)
    return path


@pytest.mark.parametrize("args", [["info", "{demo}"], ["info", "{demo}", "--json"], ["plans"]])
def test_a_reader_that_goes_away_ends_the_command_quietly(
    args: list[str], tmp_path: Path, demo_file: Path
) -> None:
    argv = [a.replace("{demo}", str(demo_file)) for a in args]
    with subprocess.Popen(
        [sys.executable, "-m", "workshop_app", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()  # as `| head -0` would, before the command has written anything
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=120) == 0
    assert err == ""


# ---------------------------------------------------------------- exactly K themes


@pytest.fixture
def eight_notes(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "eight.cground"
    p = create_project(path, "Eight", "")
    try:
        s = sessions.create_session(p, SessionDetails("Evening"))
        activity = sessions.add_activity(
            p, s.id, sessions.ActivityFields(ActivityKind.BRAINSTORM, "Ideas")
        )
        for text in (
            "mum doesn't get TikTok",
            "parents don't understand the apps we use",
            "my dad has no idea what Snapchat is",
            "grown-ups at home don't know how Instagram works",
            "the police take ages to reply to a report",
            "reporting abuse to the police feels pointless",
            "officers never follow up after you report something",
            "nobody from the police got back to us about the report",
        ):
            moderation.capture_paper_note(p, activity.id, text, None)
        return path, s.id
    finally:
        p.close()


@pytest.mark.parametrize("k", [2, 6, 7, 8])
def test_themes_k_gives_exactly_k_themes_when_there_are_k_notes(
    run, eight_notes: tuple[Path, str], k: int
) -> None:
    path, sid = eight_notes
    code, out, err = run(
        "themes", str(path), "--session", sid, "--activity", "1", "--k", str(k), "--json"
    )
    assert (code, err) == (0, "")
    assert len(json.loads(out)["themes"]) == k


def test_themes_k_above_the_number_of_notes_says_why_there_are_fewer(
    run, eight_notes: tuple[Path, str]
) -> None:
    path, sid = eight_notes
    code, out, err = run("themes", str(path), "--session", sid, "--activity", "1", "--k", "12")
    assert code == 0 and out.startswith("8 suggested themes")
    assert err.strip() == (
        "workshop-app: note: 12 themes were asked for, but there are only 8 notes: 8 suggested"
    )


# ---------------------------------------------------------------- serve: help reaches a person


def test_serve_prints_each_help_request_for_the_person_running_it(
    run, tmp_path: Path, demo_file: Path
) -> None:
    """`serve` has no console: a help request must reach whoever runs it, on the terminal."""
    import shutil
    import signal
    import urllib.parse
    import urllib.request

    project = tmp_path / "demo.cground"
    shutil.copy(demo_file, project)
    data = json.loads(run("info", str(project), "--json")[1])
    planned = next(s for s in data["sessions"] if s["state"] == "planned")
    with subprocess.Popen(
        [sys.executable, "-m", "workshop_app", "serve", str(project), "--session",
         planned["id"][:8], "--host", "127.0.0.1", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    ) as proc:  # fmt: skip
        try:
            assert proc.stdout is not None and proc.stderr is not None
            url = proc.stdout.readline().strip()
            form = urllib.parse.urlencode({"key": "serve-help-1", "message": "by the\ndoor"})
            page = urllib.request.urlopen(url + "/help", form.encode(), timeout=10).read()
            assert "Sent." in page.decode()
            lines = []
            for line in proc.stderr:  # the alert is printed as the request commits
                lines.append(line)
                if "HELP REQUEST" in line:
                    break
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=20)
        finally:
            if proc.poll() is None:
                proc.kill()
    alert = lines[-1]
    assert "HELP REQUEST" in alert and "“by the / door”" in alert and "has not joined" in alert


def test_serve_prints_each_note_held_back_on_arrival_and_nothing_for_an_ordinary_one(
    run, tmp_path: Path
) -> None:
    """A possible disclosure from a phone waits for the facilitator: with no console, the
    person running `serve` is told on the terminal, without the phone's control codes."""
    import http.cookiejar
    import signal
    import threading
    import urllib.parse
    import urllib.request

    from workshop_app.core.model import ModerationMode
    from workshop_app.infra.paths import shipped_plans_dir
    from workshop_app.services import sessions
    from workshop_app.services.plans import load_plan
    from workshop_app.services.project import create_project

    project = tmp_path / "drop-in.cground"
    with create_project(project, "Drop-in") as p:
        plan = load_plan(shipped_plans_dir() / "prep-parents-carers.toml")
        details = sessions.SessionDetails("Evening", moderation=ModerationMode.SHOW_AT_ONCE)
        sessions.create_session(p, details, plan)
    data = json.loads(run("info", str(project), "--json")[1])
    (planned,) = data["sessions"]
    brainstorm = next(a for a in planned["activities"] if a["kind"] == "brainstorm")
    phone = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    with subprocess.Popen(
        [sys.executable, "-m", "workshop_app", "serve", str(project), "--session",
         planned["id"][:8], "--activity", str(brainstorm["position"]),
         "--host", "127.0.0.1", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    ) as proc:  # fmt: skip
        try:
            assert proc.stdout is not None and proc.stderr is not None
            url = proc.stdout.readline().strip()
            phone.open(url + "/join", urllib.parse.urlencode({"group": "none"}).encode(), 10)
            for key, text in (
                ("serve-note-1", "more youth clubs please"),
                ("serve-note-2", "a man keeps asking me for pics\x9b[31m"),
            ):
                form = {"key": key, "activity": brainstorm["id"], "text": text}
                phone.open(url + "/notes", urllib.parse.urlencode(form).encode(), 10).read()
            lines = []
            stopper = threading.Timer(30, proc.send_signal, [signal.SIGTERM])  # never hang
            stopper.start()
            for line in proc.stderr:  # printed as the note commits
                lines.append(line)
                if "NOTE HELD BACK" in line:
                    break
            stopper.cancel()
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=20)
        finally:
            if proc.poll() is None:
                proc.kill()
    alert = lines[-1]
    assert alert.startswith("\aworkshop-app: NOTE HELD BACK at ")
    assert "Possible disclosure: someone asking for images" in alert
    assert "“a man keeps asking me for pics[31m”" in alert, "no control code reaches the terminal"
    assert not any("youth clubs" in line for line in lines)


# ---------------------------------------------------------------- one program per project


def test_a_second_serve_on_the_same_project_is_refused_and_reading_still_works(
    run, tmp_path: Path, demo_file: Path
) -> None:
    import shutil
    import signal

    project = tmp_path / "demo.cground"
    shutil.copy(demo_file, project)
    data = json.loads(run("info", str(project), "--json")[1])
    sid = next(s for s in data["sessions"] if s["state"] == "planned")["id"]
    argv = [sys.executable, "-m", "workshop_app", "serve", str(project), "--session", sid,
            "--host", "127.0.0.1", "--port", "0"]  # fmt: skip
    with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as first:
        try:
            assert first.stdout is not None and first.stdout.readline().startswith("http://")
            second = run_process(*argv[3:], cwd=tmp_path)
            assert second.returncode == 1
            lines = second.stderr.strip().splitlines()
            assert len(lines) == 1, second.stderr
            assert f"already open in workshop-app serve (process {first.pid}" in lines[0]
            # Researchers can still read the project while the room runs.
            code, out, err = run("info", str(project), "--json")
            assert code == 0 and json.loads(out)["counts"]["notes"] > 0, err
            code, _, err = run(
                "export", str(project), "--format", "json", "--out", str(tmp_path / "d.json")
            )
            assert code == 0, err
        finally:
            first.send_signal(signal.SIGTERM)
            first.wait(20)


@pytest.mark.skipif(not can_mount_in_a_namespace(), reason="needs Linux user namespaces")
def test_an_export_to_a_full_disk_is_described_in_words(tmp_path: Path, demo_file: Path) -> None:
    import textwrap

    script = tmp_path / "export.sh"
    (tmp_path / "disk").mkdir()
    script.write_text(
        textwrap.dedent(
            f"""
            mount -t tmpfs -o size=256k tmpfs {tmp_path}/disk
            dd if=/dev/zero of={tmp_path}/disk/filler bs=4k 2>/dev/null
            {sys.executable} -m workshop_app export {demo_file} --format json \\
                --out {tmp_path}/disk/data.json
            echo "exit $?"
            """
        )
    )
    done = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "bash", str(script)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert "exit 1" in done.stdout, (done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "The disk is full" in lines[0], done.stderr
    assert "[Errno" not in done.stderr
