from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from workshop_app.cli import main


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]):
    """Run the command line in-process; returns (exit status, stdout, stderr)."""

    def _run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def run_process(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m workshop_app` as a real process (exit codes, no tracebacks)."""
    return subprocess.run(
        [sys.executable, "-m", "workshop_app", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        check=False,
    )
