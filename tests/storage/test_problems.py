"""Trouble with the disk is told apart from bugs and from damaged files (storage/errors.py).

Real failures, not imitations: SQLite's max_page_count makes a genuine SQLITE_FULL; a child
process without root's privileges meets a real read-only file and folder; a small tmpfs in
a user namespace is a really full disk; another program's database keeps its write-ahead log.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from workshop_app.core.ids import new_id, utc_now
from workshop_app.core.model import GroupKind, StakeholderGroup
from workshop_app.services.project import create_project, open_project
from workshop_app.storage import projects as project_repo
from workshop_app.storage.errors import (
    DamagedProjectError,
    DiskFullError,
    FileBusyError,
    NotAProjectError,
    ReadOnlyError,
    StorageIOError,
    StorageProblem,
    classify,
    describe_os_error,
)
from workshop_app.storage.writer import Tx

REPO = Path(__file__).resolve().parents[2]


def _sqlite_error(sql: str, setup: str = "", uri: str = ":memory:") -> sqlite3.Error:
    conn = sqlite3.connect(uri, uri=uri.startswith("file:"))
    try:
        if setup:
            conn.executescript(setup)
        conn.execute(sql)
        conn.commit()
    except sqlite3.Error as e:
        return e
    finally:
        conn.close()
    raise AssertionError("no error")


def test_a_full_database_is_a_full_disk() -> None:
    e = _sqlite_error(
        "INSERT INTO t VALUES (randomblob(100000))",
        "CREATE TABLE t(x); PRAGMA max_page_count = 3;",
    )
    assert isinstance(classify(e, "p.cground"), DiskFullError)


def test_writing_a_read_only_database_is_read_only(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    sqlite3.connect(path).execute("CREATE TABLE t(x)").connection.close()
    e = _sqlite_error("INSERT INTO t VALUES (1)", uri=path.as_uri() + "?mode=ro")
    assert isinstance(classify(e, path), ReadOnlyError)


def test_a_file_that_is_not_a_database_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    e = _sqlite_error("SELECT * FROM sqlite_master", uri=path.as_uri())
    assert isinstance(classify(e, path), DamagedProjectError)


@pytest.mark.parametrize(
    "sql", ["SELECT * FROM no_such_table", "INSERT INTO t VALUES (1, 2, 3)", "SELEC 1"]
)
def test_a_programming_error_stays_a_bug(sql: str) -> None:
    e = _sqlite_error(sql, "CREATE TABLE t(x)")
    assert classify(e, "p.cground") is e


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        (errno.ENOSPC, DiskFullError),
        (errno.EROFS, ReadOnlyError),
        (errno.EACCES, ReadOnlyError),
        (errno.EIO, StorageIOError),
    ],
)
def test_os_errors_are_classified_by_errno(code: int, kind: type) -> None:
    problem = classify(OSError(code, os.strerror(code), "/x/y.docx"), "p.cground")
    assert isinstance(problem, kind) and isinstance(problem, StorageProblem)
    assert "[Errno" not in str(problem)


def test_other_os_errors_are_described_in_words() -> None:
    text = describe_os_error(FileNotFoundError(errno.ENOENT, "No such file", "/gone/x.docx"))
    assert text == "/gone/x.docx does not exist (was the folder moved or the drive taken out?)."
    assert isinstance(classify(FileExistsError(errno.EEXIST, "x"), "p"), FileExistsError)
    assert FileBusyError("p.cground").kind == "busy"


# ---------------------------------------------------------------- the writer


def _group(tx: Tx, name: str) -> None:
    project_repo.insert_group(
        tx.db, StakeholderGroup(new_id(), name, GroupKind.OTHER, False, 9, utc_now())
    )


def test_a_write_on_a_full_disk_is_a_disk_problem_and_loses_nothing(tmp_path: Path) -> None:
    p = create_project(tmp_path / "full.cground", "Full")
    try:
        p.store.write_now(lambda tx: _group(tx, "Before"))
        pages = p.store.write_now(lambda tx: tx.db.execute("PRAGMA page_count").fetchone()[0])
        p.store.write_now(lambda tx: tx.db.execute(f"PRAGMA max_page_count = {pages}"))
        with pytest.raises(DiskFullError, match="The disk is full"):
            p.store.write_now(lambda tx: _group(tx, "x" * 200_000))
        names = [g.name for g in project_repo.list_groups(p.store.reader())]
        assert "Before" in names and not any(n.startswith("xxx") for n in names)
        # Space again: the next write goes through, the writer is still alive.
        p.store.write_now(lambda tx: tx.db.execute("PRAGMA max_page_count = 1073741823"))
        p.store.write_now(lambda tx: _group(tx, "After"))
        assert "After" in [g.name for g in project_repo.list_groups(p.store.reader())]
    finally:
        p.close()


# ---------------------------------------------------------------- read-only files and folders


@pytest.fixture
def open_folder() -> Iterator[Path]:
    """A folder anyone can reach (pytest's own are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="cg-ro-"))
    folder.chmod(0o755)
    yield folder
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            os.chmod(os.path.join(root, name), 0o755)
    shutil.rmtree(folder, ignore_errors=True)


#: Root may write anything: run as root without the powers that override permissions.
NO_OVERRIDE = "-dac_override,-dac_read_search,-fowner"


def _without_root_powers(code: str) -> subprocess.CompletedProcess[str]:
    """Run Python code that must meet file permissions as a normal user would."""
    argv = [sys.executable, "-c", textwrap.dedent(code)]
    if os.geteuid() == 0:
        argv = ["setpriv", f"--inh-caps={NO_OVERRIDE}", f"--bounding-set={NO_OVERRIDE}", *argv]
    return subprocess.run(
        argv,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=120,
        check=False,
    )


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
@pytest.mark.parametrize("what", ["folder", "file"])
def test_a_read_only_project_is_said_to_be_read_only_not_damaged(
    open_folder: Path, what: str
) -> None:
    project = open_folder / "Riverside.cground"
    create_project(project, "Riverside").close()
    project.chmod(0o444)
    if what == "folder":
        open_folder.chmod(0o555)
    else:
        open_folder.chmod(0o777)
    result = _without_root_powers(
        f"""
        from pathlib import Path
        from workshop_app.services.project import open_project, update_project
        from workshop_app.storage.errors import ProjectFileError
        try:
            p = open_project(Path({str(project)!r}))
            update_project(p, "Changed", "")
        except ProjectFileError as e:
            print(type(e).__name__, "|", e)
        """
    )
    assert result.returncode == 0, result.stderr
    kind, _, message = result.stdout.partition(" | ")
    assert kind == "ReadOnlyError", result.stdout
    assert "cannot be written to" in message and "damaged" not in message


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_serving_a_read_only_project_is_a_clear_error_not_a_bug(open_folder: Path) -> None:
    project = open_folder / "Riverside.cground"
    p = create_project(project, "Riverside")
    from workshop_app.services import sessions

    sid = sessions.create_session(p, sessions.SessionDetails("Evening")).id
    p.close()
    project.chmod(0o444)
    open_folder.chmod(0o555)
    result = _without_root_powers(
        f"""
        import sys
        from workshop_app.cli import main
        sys.exit(main(["serve", {str(project)!r}, "--session", {sid!r}, "--port", "0"]))
        """
    )
    assert result.returncode == 1, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot be written to" in lines[0], result.stderr
    assert "bug" not in result.stderr


# ---------------------------------------------------------------- a really full disk


def can_mount_in_a_namespace() -> bool:
    if not sys.platform.startswith("linux") or shutil.which("unshare") is None:
        return False
    done = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
         "mount -t tmpfs -o size=1m tmpfs /mnt"],
        capture_output=True,
        check=False,
    )  # fmt: skip
    return done.returncode == 0


@pytest.mark.skipif(not can_mount_in_a_namespace(), reason="needs Linux user namespaces")
def test_a_project_on_a_full_disk_is_reported_as_a_full_disk(tmp_path: Path) -> None:
    source = tmp_path / "Riverside.cground"
    p = create_project(source, "Riverside")
    from workshop_app.services import sessions

    sid = sessions.create_session(p, sessions.SessionDetails("Evening")).id
    p.close()
    script = tmp_path / "full.sh"
    script.write_text(
        textwrap.dedent(
            f"""
            set -e
            mount -t tmpfs -o size=2m tmpfs {tmp_path}/disk
            cp {source} {tmp_path}/disk/
            dd if=/dev/zero of={tmp_path}/disk/filler bs=64k 2>/dev/null || true
            cd {REPO}
            {sys.executable} -m workshop_app serve {tmp_path}/disk/Riverside.cground \\
                --session {sid} --port 0 || echo "exit $?"
            """
        )
    )
    (tmp_path / "disk").mkdir()
    done = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "bash", str(script)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "exit 1" in done.stdout, (done.stdout, done.stderr)
    assert "The disk is full" in done.stderr, done.stderr
    assert "damaged" not in done.stderr and "bug" not in done.stderr


# ---------------------------------------------------------------- other programs' files


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_another_programs_database_with_a_pending_log_is_left_exactly_as_it_was(
    tmp_path: Path,
) -> None:
    original = tmp_path / "theirs.db"
    conn = sqlite3.connect(original)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("CREATE TABLE notes(x)")
    conn.executemany("INSERT INTO notes VALUES (?)", [(f"row {i}",) for i in range(200)])
    conn.commit()
    # Copy the file and its unfolded log while the other program still has them open.
    target = tmp_path / "copy.cground"
    shutil.copy(original, target)
    shutil.copy(original.with_name("theirs.db-wal"), target.with_name("copy.cground-wal"))
    conn.close()
    wal = target.with_name("copy.cground-wal")
    before = (_sha(target), _sha(wal))
    with pytest.raises(NotAProjectError, match="another program's database"):
        open_project(target)
    with pytest.raises(NotAProjectError):
        open_project(target, read_only=True)
    assert wal.exists(), "the write-ahead log was folded in and deleted"
    assert (_sha(target), _sha(wal)) == before
    assert not target.with_name("copy.cground-shm").exists()
