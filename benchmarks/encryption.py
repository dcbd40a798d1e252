"""Encryption benchmark: the cost of an encrypted project file (SQLCipher; decision 027).

    .venv/bin/python benchmarks/encryption.py [--writes N] [--notes N] [--out FILE]

Two figures, each measured on a plain and an encrypted file in turn (alternating rounds,
the best of three, so other programs on the machine skew both alike):
  - durable writes/s: N single-note commits through the real writer (WAL, synchronous
    FULL), each one a facilitator's typed-in note (services.moderation); target: the
    encrypted rate >= 0.8 x the plain rate (the full-server figure is
    `benchmarks/lan_load.py --encrypted` beside the plain run);
  - opening a project of 5,000 notes: open_project (identify, check, key derivation),
    the counts and every note of the wall read back; target <= 1.5 s encrypted.
Prints one JSON object (written to --out, default benchmarks/results/encryption.json).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._machine import describe  # noqa: E402
from workshop_app.core.model import ActivityKind  # noqa: E402
from workshop_app.infra.paths import shipped_plans_dir  # noqa: E402
from workshop_app.services import groups, moderation, sessions  # noqa: E402
from workshop_app.services.plans import load_plan  # noqa: E402
from workshop_app.services.project import create_project, get_counts, open_project  # noqa: E402
from workshop_app.services.protection import Key  # noqa: E402
from workshop_app.services.sessions import SessionDetails  # noqa: E402

KEY = Key("encryption benchmark passphrase")
WRITE_RATIO_TARGET = 0.8
OPEN_TARGET_S = 1.5


def _project(path: Path, key: Key | None) -> tuple[Any, str, str]:
    p = create_project(path, "Encryption benchmark", key=key)
    group = groups.list_groups(p)[2]
    plan = load_plan(shipped_plans_dir() / "prep-parents-carers.toml")
    s = sessions.create_session(p, SessionDetails("Evening", group_ids=(group.id,)), plan)
    brainstorm = next(
        a for a in sessions.list_activities(p, s.id) if a.kind is ActivityKind.BRAINSTORM
    )
    return p, brainstorm.id, group.id


def writes_per_s(folder: Path, key: Key | None, n: int, tag: str) -> float:
    p, activity, group = _project(folder / f"writes-{tag}.cground", key)
    with p:
        started = time.perf_counter()
        for i in range(n):
            moderation.capture_paper_note(p, activity, f"Note {i}: ask at the library", group)
        return n / (time.perf_counter() - started)


def open_seconds(folder: Path, key: Key | None, notes: int, tag: str) -> tuple[float, int]:
    path = folder / f"open-{tag}.cground"
    p, activity, group = _project(path, key)
    with p:
        for i in range(notes):
            moderation.capture_paper_note(p, activity, f"Note {i} about apps and chat", group)
    started = time.perf_counter()
    with open_project(path, key=key, read_only=True) as q:
        counted = get_counts(q).notes
        wall = moderation.list_wall(q, activity)
    seconds = time.perf_counter() - started
    assert counted == len(wall) == notes
    return seconds, counted


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writes", type=int, default=1500, help="commits per round")
    parser.add_argument("--notes", type=int, default=5000, help="notes in the opened project")
    parser.add_argument("--out", type=Path, help="default: benchmarks/results/encryption.json")
    args = parser.parse_args()
    out_path = args.out or ROOT / "benchmarks" / "results" / "encryption.json"
    rates: dict[str, list[float]] = {"plain": [], "encrypted": []}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for r in range(3):
            for tag, key in (("plain", None), ("encrypted", KEY)):
                rates[tag].append(writes_per_s(folder, key, args.writes, f"{tag}{r}"))
        opened = {
            tag: open_seconds(folder, key, args.notes, tag)
            for tag, key in (("plain", None), ("encrypted", KEY))
        }
    best = {tag: max(v) for tag, v in rates.items()}
    ratio = best["encrypted"] / best["plain"]
    result = {
        "benchmark": "encryption",
        "machine": describe(),
        "options": {"writes": args.writes, "notes": args.notes, "rounds": 3},
        "durable_writes_per_s": {t: [round(x) for x in v] for t, v in rates.items()},
        "durable_writes_per_s_best": {t: round(v) for t, v in best.items()},
        "encrypted_to_plain_write_ratio": round(ratio, 3),
        "open_5000_notes_s": {t: round(s, 3) for t, (s, _n) in opened.items()},
        "targets": {
            "encrypted_writes_at_least_0.8_of_plain": {
                "value": round(ratio, 3),
                "target": WRITE_RATIO_TARGET,
                "pass": ratio >= WRITE_RATIO_TARGET,
            },
            "open_encrypted_5000_notes_s": {
                "value": round(opened["encrypted"][0], 3),
                "target": OPEN_TARGET_S,
                "pass": opened["encrypted"][0] <= OPEN_TARGET_S,
            },
        },
    }
    result["meets_targets"] = all(t["pass"] for t in result["targets"].values())
    text = json.dumps(result, indent=2)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
