"""Encrypted project files on disk (issue 17, point 1): the bytes of the file, its
write-ahead log and its backups hold no note text; a wrong or missing passphrase, a
truncated and a tampered file are refused clearly and left unchanged; encrypting and
decrypting in place keep every row. Real files, real services, real SQLCipher."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import uuid
from pathlib import Path

import pytest

from workshop_app.core.model import ActivityKind, ActivityState, GroupKind
from workshop_app.infra.paths import shipped_plans_dir
from workshop_app.services import groups, live, merge, sessions
from workshop_app.services import participation as svc
from workshop_app.services.demo import write_demo
from workshop_app.services.plans import load_plan
from workshop_app.services.project import create_project, get_counts, open_project
from workshop_app.services.protection import (
    AlreadyEncryptedError,
    NotEncryptedError,
    decrypt_in_place,
    encrypt_in_place,
)
from workshop_app.services.sessions import SessionDetails
from workshop_app.storage.cipher import Key, open_connection
from workshop_app.storage.db import identify, is_encrypted, make_backup
from workshop_app.storage.encryption import table_counts
from workshop_app.storage.errors import (
    DamagedProjectError,
    NotAProjectError,
    PassphraseNeededError,
    ProjectFileError,
    WrongPassphraseError,
)

KEY = Key("correct horse battery staple")
FIXTURES = Path(__file__).parent / "fixtures"


def _notes() -> list[str]:
    """Note texts no file could hold by chance (fresh each run)."""
    return [f"secret note {uuid.uuid4().hex} about the bus stop" for _ in range(3)]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _post_notes(p, texts: list[str]) -> None:
    child = next(g for g in groups.list_groups(p) if g.kind is GroupKind.CHILD)
    plan = load_plan(shipped_plans_dir() / "prep-children-8-12.toml")
    s = sessions.create_session(p, SessionDetails("Club", group_ids=(child.id,)), plan)
    live.go_live(p, s.id)
    brainstorm = next(
        a for a in sessions.list_activities(p, s.id) if a.kind is ActivityKind.BRAINSTORM
    )
    live.set_activity_state(p, brainstorm.id, ActivityState.OPEN)
    who = svc.join(p, s.id, child.id).result()
    for n, text in enumerate(texts):
        svc.post_note(p, who.id, brainstorm.id, text, f"note-key-{n:04d}").result()


def _all_rows(path: Path, key: Key | None) -> dict[str, list[tuple[object, ...]]]:
    conn = open_connection(str(path), key)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {
            n: sorted(map(tuple, conn.execute(f'SELECT * FROM "{n}"')), key=repr) for n in names
        }
    finally:
        conn.close()


def test_an_encrypted_project_its_wal_and_its_backup_hold_no_note_text(tmp_path: Path) -> None:
    path = tmp_path / "club.cground"
    texts = _notes()
    p = create_project(path, "Club", key=KEY)
    try:
        assert p.encrypted
        _post_notes(p, texts)
        wal = path.with_name(path.name + "-wal")
        assert wal.exists() and wal.stat().st_size > 0  # the notes are (also) in the log
        raw = path.read_bytes() + wal.read_bytes()
        backup = tmp_path / "club.v9-backup.cground"
        make_backup(path, backup, KEY)
        assert get_counts(p).notes == 3
    finally:
        p.close()
    for text in texts:
        for needle in (text, text.split()[2]):  # the whole note and its unique word
            assert needle.encode() not in raw
            assert needle.encode() not in path.read_bytes()
            assert needle.encode() not in backup.read_bytes()
    assert b"SQLite format 3" not in path.read_bytes()[:16]
    assert is_encrypted(backup)
    reopened = open_project(backup, key=KEY, read_only=True)
    with reopened:
        assert get_counts(reopened).notes == 3


def test_every_connection_of_an_encrypted_project_is_configured_alike(tmp_path: Path) -> None:
    path = tmp_path / "a.cground"
    with create_project(path, "A", key=KEY) as p:
        reader = p.store.reader().conn
        assert reader.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert reader.execute("PRAGMA secure_delete").fetchone()[0] == 1
        assert reader.execute("PRAGMA cipher_version").fetchone()[0].startswith("4.")

        def modes(tx):
            conn = tx.db.conn
            return [
                conn.execute(f"PRAGMA {x}").fetchone()[0] for x in ("synchronous", "query_only")
            ]

        assert p.store.write_now(modes) == [2, 0]  # FULL, writable


def test_a_missing_or_wrong_passphrase_is_said_so_and_the_file_is_unchanged(
    tmp_path: Path,
) -> None:
    path = tmp_path / "a.cground"
    create_project(path, "A", key=KEY).close()
    before = _sha(path)
    with pytest.raises(PassphraseNeededError) as needed:
        open_project(path)
    with pytest.raises(WrongPassphraseError) as wrong:
        open_project(path, key=Key("Correct horse battery staple"))
    with pytest.raises(WrongPassphraseError):
        open_project(path, key=Key("x"), read_only=True)
    for err in (needed.value, wrong.value):
        assert "damaged" not in str(err).lower()
        assert KEY.passphrase not in str(err) and "staple" not in str(err)
    assert _sha(path) == before
    assert not path.with_name(path.name + "-wal").exists()
    assert not list(tmp_path.glob("*backup*"))


def test_the_passphrase_never_shows_in_repr_str_or_the_store(tmp_path: Path) -> None:
    key = Key("a passphrase with 'quotes' and \"more\"")
    assert "quotes" not in repr(key) and "quotes" not in str(key)
    with create_project(tmp_path / "q.cground", "Q", key=key) as p:
        assert "quotes" not in repr(p.store.key)
    with open_project(tmp_path / "q.cground", key=key) as p:  # quotes are escaped, not SQL
        assert p.encrypted
    with pytest.raises(ValueError, match="empty"):
        Key("")


def test_a_truncated_encrypted_file_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "a.cground"
    with create_project(path, "A", key=KEY) as p:
        _post_notes(p, _notes())
    size = path.stat().st_size
    assert size >= 3 * 4096
    cut = tmp_path / "cut.cground"
    cut.write_bytes(path.read_bytes()[: size - 4096])  # whole pages: opens, then fails checks
    odd = tmp_path / "odd.cground"
    odd.write_bytes(path.read_bytes()[: size - 1000])  # not whole pages: not a project
    for broken in (cut, odd):
        before = _sha(broken)
        with pytest.raises(ProjectFileError) as refused:
            open_project(broken, key=KEY)
        assert isinstance(refused.value, DamagedProjectError | NotAProjectError)
        assert broken.name in str(refused.value)
        assert _sha(broken) == before


def test_a_tampered_encrypted_file_is_refused_as_damaged_and_left_as_it_was(
    tmp_path: Path,
) -> None:
    path = tmp_path / "a.cground"
    with create_project(path, "A", key=KEY) as p:
        _post_notes(p, _notes())
    data = bytearray(path.read_bytes())
    data[2 * 4096 + 100] ^= 0xFF  # one bit pattern changed inside the third page
    path.write_bytes(bytes(data))
    before = _sha(path)
    with pytest.raises(DamagedProjectError) as refused:
        open_project(path, key=KEY)
    assert "damaged" in str(refused.value)
    assert _sha(path) == before


def test_a_file_that_is_not_a_project_is_still_not_asked_for_a_passphrase(tmp_path: Path) -> None:
    text = tmp_path / "notes.cground"
    text.write_text("just some text\n")
    with pytest.raises(NotAProjectError):
        identify(text)
    with pytest.raises(NotAProjectError):
        identify(text, key=KEY)


def test_a_plain_project_opens_as_before_whatever_passphrase_is_given(tmp_path: Path) -> None:
    path = tmp_path / "plain.cground"
    create_project(path, "Plain").close()
    with open_project(path, key=KEY) as p:
        assert not p.encrypted
    conn = sqlite3.connect(path)  # still an ordinary SQLite file
    assert conn.execute("SELECT title FROM project").fetchone()[0] == "Plain"
    conn.close()


def test_encrypting_and_decrypting_in_place_keep_every_row(tmp_path: Path) -> None:
    path = tmp_path / "demo.cground"
    write_demo(path)
    plain_rows = _all_rows(path, None)
    assert sum(len(r) for r in plain_rows.values()) > 500
    conn = sqlite3.connect(path)
    notes = [r[0] for r in conn.execute("SELECT text FROM notes WHERE length(text) > 30")]
    conn.close()
    assert notes

    encrypt_in_place(path, KEY)
    assert is_encrypted(path)
    assert _all_rows(path, KEY) == plain_rows
    raw = path.read_bytes()
    assert not any(n.encode() in raw for n in notes)
    assert not path.with_name(path.name + "-wal").exists() or not any(
        n.encode() in path.with_name(path.name + "-wal").read_bytes() for n in notes
    )
    assert sorted(os.listdir(tmp_path)) == ["demo.cground"]  # no copy or lock left behind
    with pytest.raises(AlreadyEncryptedError):
        encrypt_in_place(path, KEY)

    with pytest.raises(WrongPassphraseError):
        decrypt_in_place(path, Key("not it"))
    assert is_encrypted(path)
    decrypt_in_place(path, KEY)
    assert not is_encrypted(path)
    assert _all_rows(path, None) == plain_rows
    assert table_counts(path, None)["(version)"] == table_counts(path, None)["(version)"]
    with pytest.raises(NotEncryptedError):
        decrypt_in_place(path, KEY)


def test_encrypting_an_older_project_encrypts_the_backups_the_app_made(tmp_path: Path) -> None:
    path = tmp_path / "old.cground"
    shutil.copyfile(FIXTURES / "project-v1.cground", path)
    with open_project(path) as p:  # upgraded: a plain backup is written beside it
        assert p.store.backup is not None
        backup = p.store.backup
    assert not is_encrypted(backup)
    conn = sqlite3.connect(backup)
    titles = [r[0] for r in conn.execute("SELECT title FROM project")]
    conn.close()
    encrypt_in_place(path, KEY)
    assert is_encrypted(path) and is_encrypted(backup)
    for title in titles:
        assert title.encode() not in backup.read_bytes()
    with pytest.raises(PassphraseNeededError):
        identify(backup)
    with open_project(path, key=KEY, read_only=True) as p:
        assert p.encrypted


def test_merge_reads_an_encrypted_source_with_its_passphrase(tmp_path: Path) -> None:
    source = tmp_path / "laptop-b.cground"
    texts = _notes()
    with create_project(source, "Laptop B", key=KEY) as b:
        _post_notes(b, texts)
    before = _sha(source)
    with create_project(tmp_path / "a.cground", "A", key=Key("another one")) as a:
        with pytest.raises(PassphraseNeededError):
            merge.read_source(source, a.path)
        with pytest.raises(WrongPassphraseError):
            merge.read_source(source, a.path, Key("another one"))
        [done] = merge.merge(a, [merge.read_source(source, a.path, KEY)])
        assert done.plan
        assert get_counts(a).notes == 3
    assert _sha(source) == before
    assert not list(tmp_path.glob("*-merge-*"))
