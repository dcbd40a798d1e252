"""Duplicate-note benchmark: precision and recall of `core.duplicates` on labelled pairs.

    .venv/bin/python benchmarks/duplicates.py [--out FILE] [PAIRS.tsv]

Data: ``tests/themes/data/duplicate_pairs.tsv`` (``same|related|unrelated<TAB>a<TAB>b``,
written by hand: children's spelling, punctuation and emoji, paraphrases, and notes of the
same theme that make a different point). A pair is predicted a duplicate when the second
note would join the first's group (`find_duplicates` on the two texts, with the shipped
model's cosine). Positives are the ``same`` pairs; ``related`` and ``unrelated`` pairs are
negatives. Prints a threshold sweep and one JSON object (written to --out, default
benchmarks/results/duplicates.json) whose ``machine`` record names the processor.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._machine import describe, short  # noqa: E402
from workshop_app.core.duplicates import PARAPHRASE_THRESHOLD, find_duplicates  # noqa: E402
from workshop_app.themes import ThemeEngine, ThemeModel  # noqa: E402

PAIRS = ROOT / "tests" / "themes" / "data" / "duplicate_pairs.tsv"
SWEEP = [round(0.60 + 0.025 * i, 3) for i in range(15)]


def read_pairs(path: Path) -> list[tuple[str, str, str]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, a, b = line.split("\t")
            out.append((label, a, b))
    return out


def score(
    pairs: list[tuple[str, str, str]], cosines: list[float], threshold: float
) -> dict[str, float | int]:
    tp = fp = fn = 0
    for (label, a, b), c in zip(pairs, cosines, strict=True):
        found = bool(find_duplicates([a, b], lambda _i, _j, c=c: c, threshold))
        same = label == "same"
        tp += found and same
        fp += found and not same
        fn += same and not found
    return {
        "threshold": threshold,
        "true_positives": tp,
        "false_positives": fp,
        "missed": fn,
        "precision": round(tp / (tp + fp), 3) if tp + fp else 1.0,
        "recall": round(tp / (tp + fn), 3) if tp + fn else 1.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pairs", nargs="?", type=Path, default=PAIRS)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/duplicates.json")
    args = parser.parse_args()
    pairs = read_pairs(args.pairs)
    engine = ThemeEngine(ThemeModel())
    cosines = [float(m[0, 1]) for m in (engine.cosines([a, b]) for _l, a, b in pairs)]
    sweep = [score(pairs, cosines, t) for t in SWEEP]
    for row in sweep:
        print(
            f"{row['threshold']:.3f}  precision {row['precision']:.3f}  "
            f"recall {row['recall']:.3f}  (fp {row['false_positives']}, missed {row['missed']})",
            file=sys.stderr,
        )
    exact_only = score(pairs, [0.0] * len(pairs), 2.0)
    negatives = sorted(
        ((c, a, b, lab) for (lab, a, b), c in zip(pairs, cosines, strict=True) if lab != "same"),
        reverse=True,
    )[:8]
    missed = sorted(
        (c, a, b)
        for (lab, a, b), c in zip(pairs, cosines, strict=True)
        if lab == "same" and not find_duplicates([a, b], lambda _i, _j, c=c: c)
    )
    machine = describe()
    result = {
        "machine": machine,
        "machine_short": short(machine),
        "pairs": {k: sum(1 for p in pairs if p[0] == k) for k in ("same", "related", "unrelated")},
        "chosen": score(pairs, cosines, PARAPHRASE_THRESHOLD),
        "exact_only": exact_only,
        "sweep": sweep,
        "closest_negatives": [
            {"cosine": round(c, 3), "a": a, "b": b, "label": lab} for c, a, b, lab in negatives
        ],
        "missed_at_chosen": [{"cosine": round(c, 3), "a": a, "b": b} for c, a, b in missed],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
