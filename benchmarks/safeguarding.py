"""Safeguarding-check benchmark: what `core.safeguarding.check` holds back, and how fast.

    .venv/bin/python benchmarks/safeguarding.py [--out FILE] [--repeat N]

Data: ``tests/core/data/safeguarding_notes.tsv`` (the tuning set) and
``tests/core/data/safeguarding_heldout.tsv`` (written separately, not used for tuning), both
``label<TAB>kind<TAB>note``. For each file separately: recall per label (a ``disclosure`` note
counts when held for a possible disclosure, a ``personal`` note when held for a personal
detail) and per kind, whether the first disclosure reason has the labelled kind, and the
false-hold rate on ``ordinary`` notes (held for any reason), per kind of ordinary note. Time:
every note of both files checked --repeat times (default 20) after a warm-up, per-note
median, p99 and max in milliseconds; and notes of the longest length a phone may send (500
characters). Prints and writes one JSON object (--out, default
benchmarks/results/safeguarding.json) whose ``machine`` record names the processor.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._machine import describe, short  # noqa: E402
from workshop_app.core.participation import NOTE_MAX  # noqa: E402
from workshop_app.core.safeguarding import Check, Concern, check  # noqa: E402

DATA = ROOT / "tests" / "core" / "data"
FILES = {"tuning": DATA / "safeguarding_notes.tsv", "heldout": DATA / "safeguarding_heldout.tsv"}


def read_notes(path: Path) -> list[tuple[str, str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, kind, note = line.split("\t")
            rows.append((label, kind, note))
    return rows


def caught(label: str, result: Check) -> bool:
    if label == "personal":
        return result.personal_detail
    if label == "disclosure":
        return result.possible_disclosure
    return result.hold


def score(rows: list[tuple[str, str, str]]) -> dict[str, object]:
    total: Counter[str] = Counter()
    hit: Counter[str] = Counter()
    kind_total: Counter[tuple[str, str]] = Counter()
    kind_hit: Counter[tuple[str, str]] = Counter()
    same_kind = 0
    missed, false_holds = [], []
    for label, kind, note in rows:
        result = check(note)
        ok = caught(label, result)
        total[label] += 1
        kind_total[label, kind] += 1
        if label == "ordinary":
            hit[label] += result.hold
            kind_hit[label, kind] += result.hold
            if result.hold:
                false_holds.append({"note": note, "reasons": [r.label for r in result.reasons]})
            continue
        hit[label] += ok
        kind_hit[label, kind] += ok
        if not ok:
            missed.append({"label": label, "kind": kind, "note": note})
        if label == "disclosure":
            first = next(
                (r for r in result.reasons if r.concern is Concern.POSSIBLE_DISCLOSURE), None
            )
            same_kind += first is not None and first.kind.value == kind
    return {
        "notes": dict(total),
        "recall": {
            label: round(hit[label] / total[label], 3) for label in ("disclosure", "personal")
        },
        "false_hold_rate": round(hit["ordinary"] / total["ordinary"], 3),
        "recall_per_kind": {
            f"{label}/{kind}": f"{kind_hit[label, kind]}/{n}"
            for (label, kind), n in sorted(kind_total.items())
            if label != "ordinary"
        },
        "false_holds_per_kind": {
            f"ordinary/{kind}": f"{kind_hit[label, kind]}/{n}"
            for (label, kind), n in sorted(kind_total.items())
            if label == "ordinary"
        },
        "disclosure_first_reason_has_labelled_kind": round(same_kind / total["disclosure"], 3),
        "missed": missed,
        "false_holds": false_holds,
    }


def timing(notes: list[str], repeat: int) -> dict[str, float | int]:
    for note in notes:  # warm-up: compiled patterns, caches
        check(note)
    times = []
    for _ in range(repeat):
        for note in notes:
            start = time.perf_counter()
            check(note)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "checks": len(times),
        "median_ms": round(statistics.median(times), 4),
        "p99_ms": round(times[int(len(times) * 0.99)], 4),
        "max_ms": round(times[-1], 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/safeguarding.json")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    sets = {name: read_notes(path) for name, path in FILES.items()}
    notes = [note for rows in sets.values() for _l, _k, note in rows]
    longest = [(" ".join(notes[i:] + notes[:i]))[:NOTE_MAX] for i in range(0, len(notes), 5)]
    machine = describe()
    result = {
        "machine": machine,
        "machine_short": short(machine),
        **{name: score(rows) for name, rows in sets.items()},
        "time_per_note": timing(notes, args.repeat),
        f"time_per_{NOTE_MAX}_character_note": timing(longest, max(1, args.repeat // 4)),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
