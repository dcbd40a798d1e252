"""A project's runtime (runtime/project.py): going live, ending and going live again with
the real server; the address as data; the ordered shutdown, and one engine per process."""

from __future__ import annotations

import logging
import threading
import urllib.error
from pathlib import Path

import pytest

from tests.runtime.helpers import ours, phone_get, project_with_notes
from workshop_app.core.model import ActivityKind, ActivityState, SessionState
from workshop_app.runtime import AppRuntime, note_vector_keeper, participant_server, second_look
from workshop_app.services import live, sessions, suggestions
from workshop_app.services import participation as phones
from workshop_app.services.project import open_project
from workshop_app.storage import vectors as vector_repo

JOIN_PAGE = "Which group are you in?"


@pytest.fixture
def made(tmp_path: Path) -> tuple[Path, list[str]]:
    return project_with_notes(tmp_path)


def test_going_live_ending_and_going_live_again_serves_phones_each_time(made) -> None:
    path, (first, second) = made
    app = AppRuntime(participant_server)
    runtime = app.open(open_project(path))
    try:
        assert not app.serving()
        runtime.go_live(first)
        assert not app.serving(), "live, but no server yet"
        link = runtime.serve("127.0.0.1", 0)
        assert link is not None and link.session_id == first
        assert app.serving()  # the GUI thread's collector works as while serving (033)
        assert JOIN_PAGE in phone_get(link.url)
        runtime.end_live()
        assert runtime.server is None and runtime.live_session_id is None
        assert not app.serving()
        assert sessions.get_session(runtime.project, first).state is SessionState.CLOSED
        with pytest.raises(urllib.error.URLError):
            phone_get(link.url)
        runtime.go_live(second)
        again = runtime.serve("127.0.0.1", 0)
        assert again is not None and again.session_id == second
        assert JOIN_PAGE in phone_get(again.url)
    finally:
        runtime.close()


def test_the_port_is_data_from_the_bound_server_not_read_back_from_a_link(made) -> None:
    path, (first, _) = made
    runtime = AppRuntime(participant_server).open(open_project(path))
    try:
        runtime.go_live(first)
        link = runtime.serve("127.0.0.1", 0)
        assert link is not None and runtime.server is not None
        assert runtime.server.address is not None
        assert link.port == runtime.server.address.port > 0
        token = sessions.get_session(runtime.project, first).join_token
        assert link.url == f"http://127.0.0.1:{link.port}/j/{token}"
        assert link.code == runtime.server.join_code(first)
        rotated = runtime.rotate_link("127.0.0.1")
        assert rotated is not None and rotated.port == link.port and rotated.url != link.url
    finally:
        runtime.close()


def test_without_a_live_session_or_a_server_there_is_nothing_to_serve(made) -> None:
    path, (first, _) = made
    no_server = AppRuntime().open(open_project(path))
    try:
        assert no_server.serve("127.0.0.1", 0) is None  # not live
        no_server.go_live(first)
        assert no_server.serve("127.0.0.1", 0) is None and no_server.server is None
        assert no_server.resume_live() is None  # no server to resume with
        assert no_server.rotate_link("127.0.0.1") is None
    finally:
        no_server.close()


def test_a_session_left_live_is_resumed_by_the_next_runtime(made) -> None:
    path, (first, _) = made
    root = AppRuntime(participant_server)
    runtime = root.open(open_project(path))
    runtime.go_live(first)
    assert runtime.serve("127.0.0.1", 0) is not None
    runtime.close()  # as when the window closes: the session stays live
    again = root.open(open_project(path))
    try:
        assert again.resume_live() == first
        link = again.serve("127.0.0.1", 0)
        assert link is not None and JOIN_PAGE in phone_get(link.url)
    finally:
        again.close()


def test_close_stops_the_keeper_then_the_server_then_the_views_then_the_project(
    made, engine
) -> None:
    path, (first, _) = made
    before = set(threading.enumerate())
    root = AppRuntime(participant_server, note_vector_keeper, engine, look_factory=second_look)
    runtime = root.open(open_project(path))
    keeper = runtime.start_keeper(lambda done, total: None, lambda why: None)
    assert keeper is not None and keeper.running
    assert runtime.look is not None and runtime.look.running, "reads notes left unread"
    runtime.go_live(first)
    link = runtime.serve("127.0.0.1", 0)
    assert link is not None and runtime.server is not None
    server, look = runtime.server, runtime.look
    assert look is not None and server.look is look, "the server reads notes with the look"
    seen: list[tuple[str, bool, bool, int]] = []

    def view_stops(name: str) -> None:
        # A view's workers stop with the keeper and the server stopped, the project open.
        open_sessions = len(sessions.list_sessions(runtime.project))
        seen.append((name, keeper.running, server.running, open_sessions))

    runtime.on_close(lambda: view_stops("refresher"))
    runtime.on_close(lambda: view_stops("board"))
    runtime.close()
    assert seen == [("refresher", False, False, 2), ("board", False, False, 2)]
    assert not look.running, "the second look stopped with the server"
    assert runtime.closed and runtime.server is None
    assert ours(before) == [], "no keeper, server or writer thread left"
    with pytest.raises(urllib.error.URLError):
        phone_get(link.url)
    with open_project(path) as reopened:  # the writer closed and the lock released
        assert sessions.get_session(reopened, first).state is SessionState.LIVE
    runtime.close()  # once only: a second close does nothing


def test_the_runtime_s_keeper_leaves_new_notes_to_its_look_which_keeps_their_vectors(
    made, engine
) -> None:
    """As the desktop app runs them: one encoding per note from a phone (the look's), not
    one by the look and another by the keeper."""
    path, (first, _) = made
    root = AppRuntime(participant_server, note_vector_keeper, engine, look_factory=second_look)
    runtime = root.open(open_project(path))
    try:
        keeper = runtime.start_keeper(lambda done, total: None, lambda why: None)
        look = runtime.look
        assert keeper is not None and look is not None and runtime.look_reads()
        assert keeper.wait_idle(120)  # the paper notes: the keeper's
        paper = keeper.embedded
        p = runtime.project
        runtime.go_live(first)
        brainstorm = next(
            a for a in sessions.list_activities(p, first) if a.kind is ActivityKind.BRAINSTORM
        )
        live.set_activity_state(p, brainstorm.id, ActivityState.OPEN)
        who = phones.join(p, first, None).result(10)
        for i in range(5):
            phones.post_note(
                p, who.id, brainstorm.id, f"phone note {i}", f"runtime-key-{i}", look=look
            ).result(10)
        look.notify()
        assert look.wait_idle(60)
        keeper.notify()
        assert keeper.wait_idle(60)
        assert look.read_count == 5
        assert keeper.embedded == paper, "the phones' notes were the look's to encode"
        todo = vector_repo.backlog(p.store.reader(), engine.identity)
        assert todo.missing == [] and todo.total == paper + 5
    finally:
        runtime.close()
    assert not runtime.look_reads(), "a stopped look reads nothing"


def test_a_step_that_fails_is_logged_and_the_project_still_closes(made, caplog) -> None:
    path, _ = made
    runtime = AppRuntime().open(open_project(path))
    later: list[str] = []

    def broken() -> None:
        raise RuntimeError("a view that cannot stop")

    runtime.on_close(broken)
    runtime.on_close(lambda: later.append("ran"))
    with caplog.at_level(logging.ERROR):
        runtime.close()
    assert later == ["ran"]
    assert any("a view's workers" in r.getMessage() for r in caplog.records)
    with open_project(path):
        pass  # closed: it opens again


def test_every_project_gets_the_one_engine_and_the_root_closes_what_is_left(
    tmp_path: Path,
) -> None:
    root = AppRuntime()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a_path, _ = project_with_notes(tmp_path / "a")
    b_path, _ = project_with_notes(tmp_path / "b")
    a, b = root.open(open_project(a_path)), root.open(open_project(b_path))
    assert a.engine is b.engine is root.engine
    assert isinstance(root.engine, suggestions.ThemeEngine)
    a.close()
    assert root.projects == [b]
    root.close()
    assert b.closed and root.projects == []


def test_the_desktop_runtime_reads_every_note_with_the_second_look() -> None:
    desktop = AppRuntime.for_desktop()
    assert desktop.look_factory is second_look
    assert desktop.server_factory is participant_server


WARM = """
import sys
from pathlib import Path
from workshop_app.runtime import AppRuntime
from workshop_app.services.project import create_project
assert "onnxruntime" not in sys.modules
app = AppRuntime.for_desktop()
runtime = app.open(create_project(Path(sys.argv[1]), "Warm", "Town"))
app.warming.join(120)
model = app.engine.model
print("onnxruntime" in sys.modules, model.prepared, model.loaded)
again = app.warming
runtime.close()
app.open(create_project(Path(sys.argv[2]), "Again", "Town")).close()
print(app.warming is again)
"""

QUICK_EXIT = """
import sys
from pathlib import Path
from workshop_app.runtime import AppRuntime
from workshop_app.services.project import create_project
app = AppRuntime.for_desktop()
app.open(create_project(Path(sys.argv[1]), "Quick", "Town"))
app.close()  # at once, as a window closed the moment it opened
print(app.warming.is_alive(), "onnxruntime" in sys.modules)
"""


def test_closing_at_once_waits_for_the_models_preparing_and_exits_cleanly(tmp_path: Path) -> None:
    import subprocess
    import sys

    for i in range(3):
        out = subprocess.run(
            [sys.executable, "-c", QUICK_EXIT, str(tmp_path / f"q{i}.cground")],
            capture_output=True, text=True, timeout=300,
            cwd=Path(__file__).resolve().parents[2],
        )  # fmt: skip
        assert out.returncode == 0, out.stderr
        assert out.stdout.split() == ["False", "True"]


def test_the_first_project_prepares_the_model_in_the_background(tmp_path: Path) -> None:
    """Importing its runtime and reading its tokenizer stop every thread for tens of
    milliseconds: that happens as a project opens, once per process, not when phones
    arrive; the weights are not loaded for it (decision 036)."""
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", WARM, str(tmp_path / "a.cground"), str(tmp_path / "b.cground")],
        capture_output=True, text=True, timeout=300, cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "True", "False", "True"]


def test_a_runtime_that_loads_no_model_imports_nothing(made) -> None:
    path, _ = made
    app = AppRuntime(participant_server)
    app.open(open_project(path)).close()
    assert app.warming is None
