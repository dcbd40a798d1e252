"""One program at a time writes a project file (storage/lock.py, decision 015)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from workshop_app.services.project import create_project, open_project, open_read_only_copy
from workshop_app.storage.errors import OpenedReadOnlyError, ProjectLockedError
from workshop_app.storage.lock import holder_of, lock_path_for

HOLD = """
import sys, time
from pathlib import Path
from workshop_app.services.project import open_project
p = open_project(Path(sys.argv[1]), program="workshop-app serve")
print("holding", flush=True)
time.sleep(600)
"""


@pytest.fixture
def path(tmp_path: Path) -> Path:
    target = tmp_path / "Riverside.cground"
    create_project(target, "Riverside").close()
    return target


@contextmanager
def held_elsewhere(path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the project open for writing."""
    with subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True
    ) as proc:
        try:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
            yield proc
        finally:
            if proc.poll() is None:
                proc.terminate()
            proc.wait(10)


def test_a_second_opener_in_this_process_is_refused_naming_the_first(path: Path) -> None:
    first = open_project(path, program="the Common Ground desktop app")
    try:
        with pytest.raises(ProjectLockedError) as refused:
            open_project(path, program="workshop-app serve")
        message = str(refused.value)
        assert "already open in the Common Ground desktop app" in message
        assert f"process {os.getpid()} on this computer" in message
        assert "Close it there first" in message
    finally:
        first.close()
    again = open_project(path)  # free once the first has closed
    again.close()


def test_another_process_holding_the_project_is_named(path: Path) -> None:
    with held_elsewhere(path) as proc:
        with pytest.raises(ProjectLockedError, match=rf"workshop-app serve \(process {proc.pid}"):
            open_project(path)
        assert "workshop-app serve" in (holder_of(path) or "")


def test_a_crashed_holder_leaves_no_lock_behind(path: Path) -> None:
    with held_elsewhere(path) as proc:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    p = open_project(path)  # the OS released the dead process's lock
    p.close()


def test_closing_removes_the_lock_file(path: Path) -> None:
    p = open_project(path)
    assert lock_path_for(path).exists()
    p.close()
    assert not lock_path_for(path).exists()
    assert holder_of(path) is None


def test_reading_commands_open_while_another_program_writes(path: Path) -> None:
    with held_elsewhere(path):
        reader = open_project(path, read_only=True)
        try:
            assert reader.read_only
            with pytest.raises(OpenedReadOnlyError):
                reader.store.write_now(lambda tx: None)
        finally:
            reader.close()


def test_a_read_only_copy_can_be_read_changes_nothing_and_goes_when_closed(path: Path) -> None:
    with held_elsewhere(path):
        copy = open_read_only_copy(path)
        try:
            assert copy.copy_of == path and copy.path != path and copy.read_only
            from workshop_app.services.project import get_project

            assert get_project(copy).title == "Riverside"
            with pytest.raises(OpenedReadOnlyError, match="read-only"):
                copy.store.write_now(lambda tx: None)
            folder = copy.path.parent
        finally:
            copy.close()
        assert not folder.exists()


def test_the_lock_is_released_when_opening_fails(tmp_path: Path) -> None:
    bad = tmp_path / "other.cground"
    import sqlite3

    sqlite3.connect(bad).execute("CREATE TABLE t(x)").connection.close()
    with pytest.raises(Exception, match="not a Common Ground project"):
        open_project(bad)
    assert not lock_path_for(bad).exists()
    assert holder_of(bad) is None


def test_a_held_lock_is_described_with_its_time(path: Path) -> None:
    p = open_project(path, program="the Common Ground desktop app")
    try:
        text = holder_of(path) or ""
        assert text.startswith("the Common Ground desktop app (process")
        assert re.search(r", since \d\d:\d\d\)$", text), text
    finally:
        p.close()
