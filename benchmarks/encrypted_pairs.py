"""Encrypted against plain under the LAN load, judged in alternating pairs (issue 17's target:
an encrypted project's durable writes/s >= 0.8 x a plain one's under `benchmarks/lan_load.py`).

    .venv/bin/python benchmarks/encrypted_pairs.py [--pairs N] [--quick] [--out FILE]

A shared two-core machine moves the LAN figures by a fifth from one run to the next, so one
plain run beside one encrypted run can show either answer. This runs `lan_load.py` on a plain
and then an encrypted project, N times, and reports each pair's ratio (encrypted / plain) for
the note and the vote phase, their medians, and the ratio of the totals; the target is judged
on the medians. Each run's own JSON is kept beside the summary
(benchmarks/results/lan_load_pairs/). Takes about 3 minutes a pair.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._machine import describe  # noqa: E402

TARGET = 0.8
PHASES = ("notes", "votes")


def run_once(encrypted: bool, out: Path, quick: bool) -> dict[str, Any]:
    cmd = [sys.executable, str(ROOT / "benchmarks" / "lan_load.py"), "--out", str(out)]
    cmd += ["--encrypted"] if encrypted else []
    cmd += ["--quick"] if quick else []
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return result


def figures(run: dict[str, Any]) -> dict[str, Any]:
    return {
        phase: {
            "durable_writes_per_s": run[phase]["durable_writes_per_s"],
            "server_cpu_ms_per_write": run[phase]["server_cpu_ms_per_write"]["process"],
            "writer_cpu_ms_per_write": run[phase]["server_cpu_ms_per_write"]["writer"],
            "writes_per_transaction": run[phase]["writes_per_transaction"],
        }
        for phase in PHASES
    }


def summarise(pairs: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for phase in PHASES:
        rate = [(p["plain"][phase], p["encrypted"][phase]) for p in pairs]
        ratios = [e["durable_writes_per_s"] / p["durable_writes_per_s"] for p, e in rate]
        totals = [
            sum(p[kind][phase]["durable_writes_per_s"] for p in pairs)
            for kind in ("plain", "encrypted")
        ]
        out[phase] = {
            "ratios": [round(r, 3) for r in ratios],
            "median_ratio": round(statistics.median(ratios), 3),
            "ratio_of_totals": round(totals[1] / totals[0], 3),
        }
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="lan_load's short smoke runs")
    parser.add_argument("--out", type=Path, help="default: benchmarks/results/")
    args = parser.parse_args()
    out = args.out or ROOT / "benchmarks" / "results" / "lan_load_encrypted_pairs.json"
    runs_dir = out.parent / "lan_load_pairs"
    runs_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    pairs: list[dict[str, Any]] = []
    for n in range(1, args.pairs + 1):
        pair: dict[str, Any] = {}
        for kind in ("plain", "encrypted"):
            run = run_once(kind == "encrypted", runs_dir / f"pair{n}-{kind}.json", args.quick)
            pair[kind] = figures(run)
        pairs.append(pair)
    summary = summarise(pairs)
    result = {
        "benchmark": "encrypted_pairs",
        "machine": describe(),
        "options": {"pairs": args.pairs, "quick": args.quick},
        "pairs": pairs,
        "summary": summary,
        "targets": {
            f"encrypted_{phase}_writes_at_least_{TARGET}_of_plain_median": {
                "value": summary[phase]["median_ratio"],
                "target": TARGET,
                "pass": summary[phase]["median_ratio"] >= TARGET,
            }
            for phase in PHASES
        },
        "total_seconds": round(time.monotonic() - started, 1),
    }
    result["meets_targets"] = all(t["pass"] for t in result["targets"].values())
    text = json.dumps(result, indent=2)
    out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
