"""Would a classifier on the note vectors hold disclosures the phrase rules were never shown?

    .venv/bin/python benchmarks/safeguarding_vectors.py [--out FILE]

Evidence for the next step of issue 17 (docs/safeguarding.md), not a shipped feature. The
labelled notes of ``tests/core/data/`` come from two authors: the tuning and held-out files
(the rules' author) and the fresh file (another author, written before reading the rules).
Every note is encoded with the app's own theme model (`ThemeEngine.encode`, unit vectors); a
class-weighted logistic regression (disclosure against everything else, plain numpy gradient
descent, L2 strength C) is trained on the first author's notes only and scored on the other
author's, and on the 160 realistic workshop notes of ``../shared/benchmarks/workshop-notes``
(all ordinary for this purpose: a few are first-person accounts, see docs/safeguarding.md). For
each C and threshold: disclosures held, ordinary and personal notes held. A nearest-centroid
score is reported beside it. Prints and writes one JSON object (--out, default
benchmarks/results/safeguarding_vectors.json) with the machine record (int8 kernels differ
between AVX2 and AVX-512 machines, so scores near a threshold can differ between them).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._machine import describe, short  # noqa: E402
from benchmarks.safeguarding import FILES, read_notes  # noqa: E402
from workshop_app.themes.engine import ThemeEngine  # noqa: E402

WORKSHOP = ROOT.parent / "shared" / "benchmarks" / "workshop-notes" / "preparatory.tsv"
C_VALUES = (1.0, 10.0, 100.0)
THRESHOLDS = (0.4, 0.5, 0.6, 0.7)


def logistic(
    x: np.ndarray, y: np.ndarray, c: float, epochs: int = 2000
) -> tuple[np.ndarray, float]:
    """Class-weighted logistic regression by full-batch gradient descent (deterministic)."""
    w, b = np.zeros(x.shape[1]), 0.0
    positive = y.mean()
    weight = np.where(y == 1, 0.5 / positive, 0.5 / (1 - positive))
    for _ in range(epochs):
        p = 1 / (1 + np.exp(-(x @ w + b)))
        g = (p - y) * weight
        w -= x.T @ g / len(y) + w / (c * len(y))
        b -= g.mean()
    return w, b


def _over(scores: np.ndarray, threshold: float) -> int:
    return int((scores > threshold).sum())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    out = args.out or ROOT / "benchmarks" / "results" / "safeguarding_vectors.json"
    first = read_notes(FILES["tuning"]) + read_notes(FILES["heldout"])
    other = read_notes(FILES["fresh"])
    workshop = [line.split("\t")[1] for line in WORKSHOP.read_text().splitlines() if line.strip()]
    engine = ThemeEngine()
    started = time.perf_counter()
    x_first = np.asarray(engine.encode([n for _l, _k, n in first]), dtype=np.float64)
    x_other = np.asarray(engine.encode([n for _l, _k, n in other]), dtype=np.float64)
    x_work = np.asarray(engine.encode(workshop), dtype=np.float64)
    encoded_s = time.perf_counter() - started
    y_first = np.array([1.0 if label == "disclosure" else 0.0 for label, _k, _n in first])
    labels = np.array([label for label, _k, _n in other])

    def held(scores: np.ndarray, threshold: float) -> dict[str, str]:
        return {
            label: f"{_over(scores[labels == label], threshold)}/{int((labels == label).sum())}"
            for label in ("disclosure", "ordinary", "personal")
        }

    runs = []
    for c in C_VALUES:
        w, b = logistic(x_first, y_first, c)
        other_scores = 1 / (1 + np.exp(-(x_other @ w + b)))
        work_scores = 1 / (1 + np.exp(-(x_work @ w + b)))
        for threshold in THRESHOLDS:
            runs.append(
                {
                    "C": c,
                    "threshold": threshold,
                    "other_author": held(other_scores, threshold),
                    "workshop_notes_held": f"{_over(work_scores, threshold)}/{len(workshop)}",
                }
            )
    toward = x_first[y_first == 1].mean(0) - x_first[y_first == 0].mean(0)
    centroid = []
    for threshold in (0.0, 0.02, 0.05):
        centroid.append(
            {
                "margin": threshold,
                "other_author": held(x_other @ toward, threshold),
                "workshop_notes_held": f"{_over(x_work @ toward, threshold)}/{len(workshop)}",
            }
        )
    machine = describe()
    result = {
        "machine": machine,
        "machine_short": short(machine),
        "model": engine.identity,
        "trained_on": {"tuning + heldout (first author)": len(first)},
        "scored_on": {"fresh (other author)": len(other), "workshop notes": len(workshop)},
        "encode_seconds": round(encoded_s, 1),
        "logistic_regression": runs,
        "nearest_centroid": centroid,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
