"""Which second look on the note vectors holds most disclosures of an author it never saw?

    .venv/bin/python benchmarks/safeguarding_vectors.py [--out FILE]

The evidence for decision 032 (docs/safeguarding.md). The labelled notes of ``tests/core/data/``
come from three authors (the tuning and held-out files; the fresh file; the third file), each
written before its author saw the others' notes or the rules. Every note is encoded with the
app's own theme model (`ThemeEngine.encode`, unit vectors). For each author in turn, a second
look is made from the *other* authors' notes only and judged on this author's: a class-weighted
logistic regression (plain numpy gradient descent, L2 strength C, several thresholds) and a
nearest-neighbour vote (at least V of the K nearest labelled notes are disclosures, as shipped in
``themes/disclosure.py``). Reported per candidate and pooled over the three authors: disclosures
held, ordinary notes held (false holds), personal notes held; and the 160 realistic workshop
notes of ``../shared/benchmarks/workshop-notes`` (in no reference; a few are first-person
accounts) held by a look made of all three authors. Prints and writes one JSON object (--out,
default benchmarks/results/safeguarding_vectors.json) with the machine record.
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
from benchmarks.safeguarding import AUTHORS, FILES, WORKSHOP, read_notes  # noqa: E402
from workshop_app.themes.disclosure import DisclosureCheck  # noqa: E402
from workshop_app.themes.engine import ThemeEngine  # noqa: E402

LOGISTIC = [(c, t) for c in (1.0, 10.0, 100.0) for t in (0.4, 0.5, 0.6, 0.7)]
NEIGHBOURS = [(3, 2), (5, 3), (5, 4), (7, 4), (9, 5)]
LABELS = ("disclosure", "ordinary", "personal")


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    out = args.out or ROOT / "benchmarks" / "results" / "safeguarding_vectors.json"
    rows = {a: [r for n in names for r in read_notes(FILES[n])] for a, names in AUTHORS.items()}
    workshop = [line.split("\t")[1] for line in WORKSHOP.read_text().splitlines() if line.strip()]
    engine = ThemeEngine()
    started = time.perf_counter()
    x = {a: np.asarray(engine.encode([n for *_r, n in r]), np.float64) for a, r in rows.items()}
    x_work = np.asarray(engine.encode(workshop), np.float64)
    encoded_s = time.perf_counter() - started
    labels = {a: np.array([r[0] for r in rs]) for a, rs in rows.items()}
    y = {a: (labels[a] == "disclosure").astype(float) for a in rows}

    def judged(flag: object) -> dict[str, object]:
        """`flag(x_train, y_train, x_test) -> bool array`, for each author left out."""
        per_author, pooled = {}, {label: [0, 0] for label in LABELS}
        for held in rows:
            others = [a for a in rows if a != held]
            xs, ys = np.vstack([x[a] for a in others]), np.concatenate([y[a] for a in others])
            flags = np.asarray(flag(xs, ys, x[held]))  # type: ignore[operator]
            counts = {}
            for label in LABELS:
                mine = labels[held] == label
                counts[label] = f"{int(flags[mine].sum())}/{int(mine.sum())}"
                pooled[label][0] += int(flags[mine].sum())
                pooled[label][1] += int(mine.sum())
            per_author[held] = counts
        xs, ys = np.vstack(list(x.values())), np.concatenate(list(y.values()))
        work = int(np.asarray(flag(xs, ys, x_work)).sum())  # type: ignore[operator]
        return {
            "pooled": {k: f"{h}/{n} = {h / n:.3f}" for k, (h, n) in pooled.items()},
            "per_author_left_out": per_author,
            "workshop_notes_held": f"{work}/{len(workshop)}",
        }

    def by_logistic(c: float, threshold: float) -> object:
        def flag(xs: np.ndarray, ys: np.ndarray, xt: np.ndarray) -> np.ndarray:
            w, b = logistic(xs, ys, c)
            return np.asarray(1 / (1 + np.exp(-(xt @ w + b))) > threshold)

        return flag

    def by_neighbours(k: int, votes: int) -> object:
        def flag(xs: np.ndarray, ys: np.ndarray, xt: np.ndarray) -> np.ndarray:
            check = DisclosureCheck(engine.identity, xs.astype(np.float32), ys > 0, k, votes)
            return np.array(check.reads_like(xt.astype(np.float32)))

        return flag

    result = {
        "machine": (machine := describe()),
        "machine_short": short(machine),
        "model": engine.identity,
        "authors": {a: len(r) for a, r in rows.items()},
        "encode_seconds": round(encoded_s, 1),
        "logistic_regression": [
            {"C": c, "threshold": t, **judged(by_logistic(c, t))} for c, t in LOGISTIC
        ],
        "nearest_neighbours": [
            {"k": k, "votes": v, **judged(by_neighbours(k, v))} for k, v in NEIGHBOURS
        ],
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
