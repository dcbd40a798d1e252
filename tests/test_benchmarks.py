"""The benchmarks still run against the code as it is (issue 15: an API change once broke
the console benchmark unnoticed, and the participant server's per-device limits the LAN
benchmark). Each runs once in its smallest configuration, in a process of its own, and
its JSON is checked for what it measures. Speed is judged by the benchmarks themselves
(docs/performance.md), never here: nothing below asserts a time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(script: str, *args: str, out: Path, timeout: int = 300) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *args, "--out", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(out.read_text(encoding="utf-8"))


def test_the_console_benchmark_runs_the_real_console(tmp_path: Path) -> None:
    result = _run(
        "console.py",
        *("--notes", "40", "--arrivals", "6", "--seconds", "1", "--runs", "1"),
        *("--drags", "2", "--no-keeper"),
        out=tmp_path / "console.json",
    )
    for tab in ("wall_on_screen", "board_on_screen"):
        arrivals = result["arrivals"][tab]
        assert arrivals["notes_never_shown"] == 0, tab
        assert arrivals["note_visible_after_2xx"]["n"] == 6, tab
    drag = result["drag"]
    assert drag["drop_to_redrawn"]["n"] == drag["drop_to_stored"]["n"] == 2
    assert set(result["checks"]) >= {"gui_stall_max_ms", "note_visible_max_ms"}
    # while the window served phones its collector froze survivors; ending collected them
    ended = result["end_of_serving"]
    assert ended["was_collecting_as_while_serving"] is True
    assert ended["full_collection_ms"] > 0


def test_the_lan_benchmark_joins_a_room_of_devices_and_loses_nothing(tmp_path: Path) -> None:
    result = _run("lan_load.py", "--quick", out=tmp_path / "lan.json", timeout=600)
    setup = result["setup"]
    assert setup["joined_over_http"] > 0
    assert set(setup["http_join_statuses"]) == {"303"}, "every phone's join was let in"
    for phase in ("notes", "votes"):
        assert result[phase]["durable_writes"] > 0, phase
    # a room's report says what its phones may send and what they did (not only the ceiling)
    for phase in ("room_notes", "room_votes"):
        room = result[phase]
        assert room["ceiling_per_s"] == room["phones"] * 5
        assert 0 < room["durable_writes_per_s"] <= room["sent_per_s"]
    # the simulated phones' own collector never paused them inside a measured phase
    for phase in ("ping", "room_notes", "notes", "votes", "room_votes", "fanout"):
        assert result[phase]["client_loop_lag"]["gc_collections"] == 0, phase
    assert result["client_memory_mib"]["hwm"] > 0
    targets = result["targets"]
    assert targets["acked_writes_lost"]["value"] == 0
    assert targets["vote_budget_violations"]["value"] == 0


def test_the_safeguarding_benchmark_scores_the_sets_the_second_look_and_the_write_path(
    tmp_path: Path,
) -> None:
    result = _run(
        "safeguarding.py",
        *("--repeat", "1", "--write-rounds", "1"),
        out=tmp_path / "safeguarding.json",
    )
    for name in ("tuning", "heldout"):
        assert set(result[name]["recall"]) == {"disclosure", "personal"}, name
    path = result["write_path"]
    assert path["posts_per_mode"] == sum(
        sum(result[n]["notes"].values()) for n in ("tuning", "heldout")
    )
    modes = {"with_check", "without_check", "with_check_and_look"}
    assert set(path["median_ms"]) == modes
    held = path["held"]
    assert held.get("without_check", 0) == 0, "nothing held when nothing checks"
    assert 0 < held["with_check"] <= held["with_check_and_look"] < path["posts_per_mode"]
    read = path["until_read"]
    assert read["notes"] > 0 and 0 < read["median_ms"] <= read["max_ms"]
    look = result["second_look"]
    for author in ("first", "second", "third"):
        judged = look[f"{author}_author_against_the_others"]
        assert set(judged["disclosures_held"]) == {"rules", "look", "either"}
    assert look["workshop_notes_held"]["notes"] == 160
    assert result["probe"]["recall"].keys() == {"disclosure"}
