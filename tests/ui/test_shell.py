"""The start screen, opening and creating projects, recent files, the demo."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt

from tests.ui.conftest import error_boxes, settle
from workshop_app.infra.paths import demo_project_path
from workshop_app.services import groups, project
from workshop_app.ui.project_window import ProjectWindow
from workshop_app.ui.start_window import StartWindow


def test_without_a_project_the_start_screen_lists_recent_files(shell, tmp_path, project_path):
    gone = tmp_path / "gone.cground"
    shell.recent.add(gone)
    shell.recent.add(project_path)
    first = shell.start(None)
    assert isinstance(first, StartWindow)
    texts = [first.recent.item(r).text() for r in range(first.recent.count())]
    assert texts[0].startswith("Riverside")
    assert "(moved or deleted)" in texts[1] and "(moved or deleted)" not in texts[0]


def test_choosing_a_recent_project_opens_it_and_closing_returns_to_start(
    shell, project_path, qtbot
):
    shell.recent.add(project_path)
    start = shell.start(None)
    start.recent_chosen.emit(project_path)
    assert len(shell.windows) == 1
    window = shell.windows[0]
    assert window.windowTitle() == "Riverside — Common Ground"
    assert shell.start_window is None, "the start screen closes once a project is open"
    window.close()
    assert shell.windows == []
    assert isinstance(shell.start_window, StartWindow)


def test_opening_the_same_file_twice_gives_the_same_window(shell, project_path):
    first = shell.open_path(project_path)
    again = shell.open_path(project_path.parent / "." / project_path.name)
    assert first is again and len(shell.windows) == 1


def test_a_file_that_is_not_a_project_gets_a_plain_error_and_no_window(shell, tmp_path):
    shell.show_start()
    bad = tmp_path / "<b>notes<i>.cground"
    bad.write_text("shopping list: milk, eggs")
    assert shell.open_path(bad) is None
    assert shell.windows == []
    (box,) = error_boxes()
    assert box.textFormat() is Qt.TextFormat.PlainText
    assert "<b>notes<i>.cground" in box.text()
    assert "not a Common Ground project" in box.text() or "not a" in box.text()


def test_a_missing_file_gets_a_plain_error(shell, tmp_path):
    assert shell.open_path(tmp_path / "nowhere.cground") is None
    (box,) = error_boxes()
    assert "nowhere.cground" in box.text()


def test_creating_a_project_writes_the_file_with_default_groups(shell, tmp_path):
    path = tmp_path / "new" / "Northfield"
    window = shell.create_project(path, "Northfield pilot", "Northfield")
    assert isinstance(window, ProjectWindow)
    assert window.project.path == (tmp_path / "new" / "Northfield.cground").resolve()
    assert project.get_project(window.project).title == "Northfield pilot"
    assert len(groups.list_groups(window.project)) == 4
    assert shell.recent.paths()[0] == window.project.path


def test_creating_over_an_existing_project_is_refused(shell, project_path):
    assert shell.create_project(project_path, "Again", "") is None
    (box,) = error_boxes()
    assert "already exists" in box.text()
    assert project_path.exists()


def test_a_blank_title_is_refused(shell, tmp_path):
    assert shell.create_project(tmp_path / "x.cground", "   ", "") is None
    assert not (tmp_path / "x.cground").exists()
    assert error_boxes()


def test_the_demo_is_written_once_and_opened(shell):
    window = shell.open_demo()
    assert window is not None
    assert demo_project_path().exists()
    assert window.sessions_list.count() >= 3
    stamp = demo_project_path().stat().st_mtime_ns
    window.close()
    again = shell.open_demo()
    assert again is not None
    assert demo_project_path().stat().st_mtime_ns >= stamp


def test_the_app_shows_its_first_window_and_quits_under_the_startup_probe(project_path):
    env = {**os.environ, "WORKSHOP_APP_STARTUP_PROBE": "1", "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "workshop_app", str(project_path)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "first-window-shown"
    assert "Traceback" not in done.stderr


def test_recent_list_keeps_ten_most_recent_first(shell, tmp_path):
    paths = [tmp_path / f"p{i}.cground" for i in range(12)]
    for p in paths:
        shell.recent.add(p)
    shell.recent.add(paths[3])
    listed = shell.recent.paths()
    assert len(listed) == 10
    assert listed[0] == Path(paths[3]).resolve()
    assert Path(paths[0]).resolve() not in listed


# ---------------------------------------------------------------- one program per project

HOLD = """
import sys, time
from pathlib import Path
from workshop_app.services.project import open_project
p = open_project(Path(sys.argv[1]), program="workshop-app serve")
print("holding", flush=True)
time.sleep(600)
"""


def test_a_project_open_elsewhere_is_named_and_can_be_looked_at_as_a_read_only_copy(
    shell, project_path, qtbot
):
    from PySide6.QtWidgets import QMessageBox

    from tests.ui.conftest import with_dialog

    with subprocess.Popen(
        [sys.executable, "-c", HOLD, str(project_path)], stdout=subprocess.PIPE, text=True
    ) as holder:
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
            asked: list[str] = []

            def copy(box: QMessageBox) -> None:
                asked.append(box.text())
                button = next(b for b in box.buttons() if "read-only copy" in b.text())
                button.click()

            window = with_dialog(lambda: shell.open_path(project_path), copy)
            assert isinstance(window, ProjectWindow)
            assert f"already open in workshop-app serve (process {holder.pid}" in asked[0]
            assert "read-only copy" in window.windowTitle()
            assert window.project.copy_of == project_path.resolve()
            # Nothing can be changed: the action is refused in plain words, the file untouched.
            window.undoable.perform(
                "Rename the project",
                lambda: project.update_project(window.project, "Changed", ""),
                lambda _r: None,
            )
            settle()
            boxes = error_boxes()
            assert boxes and "open read-only here" in boxes[-1].text()
            for box in boxes:
                box.close()
            copy_folder = window.project.path.parent
            window.close()
            assert not copy_folder.exists()
            assert project_path.resolve() not in shell.recent.paths()
        finally:
            holder.terminate()
            holder.wait(10)
    # Once the other program has gone, the project itself opens.
    again = shell.open_path(project_path)
    assert isinstance(again, ProjectWindow) and again.project.copy_of is None


def test_choosing_not_to_open_a_copy_opens_nothing(shell, project_path):
    from PySide6.QtWidgets import QMessageBox

    from tests.ui.conftest import with_dialog

    with subprocess.Popen(
        [sys.executable, "-c", HOLD, str(project_path)], stdout=subprocess.PIPE, text=True
    ) as holder:
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"

            def cancel(box: QMessageBox) -> None:
                box.button(QMessageBox.StandardButton.Cancel).click()

            assert with_dialog(lambda: shell.open_path(project_path), cancel) is None
            assert shell.windows == []
        finally:
            holder.terminate()
            holder.wait(10)
