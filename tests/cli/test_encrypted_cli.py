"""The command line with encrypted projects: --passphrase-file, WORKSHOP_APP_PASSPHRASE,
encrypt, decrypt and delete; a wrong or missing passphrase is one line and exit 1."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tests.cli.conftest import run_process
from workshop_app.services.project import create_project
from workshop_app.storage.cipher import Key
from workshop_app.storage.db import is_encrypted

PASSPHRASE = "violet kettle 77 harbour"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    file = tmp_path / "passphrase.txt"
    file.write_text(PASSPHRASE + "\n")
    return file


@pytest.fixture
def encrypted(tmp_path: Path) -> Path:
    path = tmp_path / "club.cground"
    create_project(path, "Youth club", key=Key(PASSPHRASE)).close()
    return path


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_info_reads_the_passphrase_from_a_file_or_the_environment(
    run, encrypted: Path, secret: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run("info", str(encrypted), "--passphrase-file", str(secret), "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["protection"]["encrypted"] is True
    assert data["project"]["title"] == "Youth club"
    monkeypatch.setenv("WORKSHOP_APP_PASSPHRASE", PASSPHRASE)
    code, out, err = run("info", str(encrypted))
    assert code == 0 and "File: encrypted (SQLCipher 4, AES-256); keep until" in out


@pytest.mark.parametrize("how", ["missing", "wrong", "empty file", "no file"])
def test_a_missing_or_wrong_passphrase_is_one_line_and_exit_1(
    encrypted: Path, tmp_path: Path, how: str
) -> None:
    before = _sha(encrypted)
    args = ["info", str(encrypted)]
    if how == "wrong":
        (tmp_path / "w.txt").write_text("violet kettle 78 harbour\n")
        args += ["--passphrase-file", str(tmp_path / "w.txt")]
    elif how == "empty file":
        (tmp_path / "e.txt").write_text("\n")
        args += ["--passphrase-file", str(tmp_path / "e.txt")]
    elif how == "no file":
        args += ["--passphrase-file", str(tmp_path / "nowhere.txt")]
    for command in ("info", "export"):
        extra = ["--standards", "--out", str(tmp_path / "f.docx")] if command == "export" else []
        done = run_process(command, *args[1:], *extra)
        assert done.returncode == 1, done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
        assert "damaged" not in lines[0] and PASSPHRASE not in lines[0]
        assert "passphrase" in lines[0]
    assert _sha(encrypted) == before


def test_a_plain_project_says_quietly_that_it_is_not_encrypted(run, tmp_path: Path) -> None:
    path = tmp_path / "plain.cground"
    create_project(path, "Plain").close()
    code, out, err = run("info", str(path))
    assert code == 0 and err == ""
    assert "File: not encrypted (anyone with a copy can read it; workshop-app encrypt PATH)" in out


def test_encrypt_decrypt_and_delete_from_the_command_line(
    run, tmp_path: Path, secret: Path
) -> None:
    path = tmp_path / "plain.cground"
    create_project(path, "Plain").close()
    assert run("encrypt", str(path))[0] == 1  # no passphrase given: nothing done
    assert not is_encrypted(path)
    code, out, _ = run("encrypt", str(path), "--passphrase-file", str(secret))
    assert code == 0 and is_encrypted(path) and "Encrypted" in out
    code, _, err = run("decrypt", str(path), "--passphrase-file", str(secret))
    assert code == 1 and "--yes" in err and is_encrypted(path)
    code, _, _ = run("decrypt", str(path), "--passphrase-file", str(secret), "--yes")
    assert code == 0 and not is_encrypted(path)
    code, _, err = run("delete", str(path))
    assert code == 1 and "--yes" in err and path.exists()
    code, out, _ = run("delete", str(path), "--yes")
    assert code == 0 and not path.exists() and "Deleted" in out
    assert list(tmp_path.iterdir()) == [secret]


def test_merge_takes_the_sources_passphrase(run, tmp_path: Path, secret: Path) -> None:
    target = tmp_path / "a.cground"
    create_project(target, "A").close()
    source = tmp_path / "b.cground"
    create_project(source, "B", key=Key(PASSPHRASE)).close()
    code, _, err = run("merge", str(target), str(source), "--dry-run")
    assert code == 1 and "passphrase" in err
    code, out, err = run(
        "merge", str(target), str(source), "--dry-run", "--source-passphrase-file", str(secret)
    )
    assert code == 0, err
    assert "B" in out
