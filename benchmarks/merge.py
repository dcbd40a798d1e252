"""Merge benchmark: a 5,000-note project brought into another of the same size.

    .venv/bin/python benchmarks/merge.py [--notes N] [--out FILE]

Each laptop's project is the demo (its own seed: every id differs, as on two laptops)
filled up to N notes (default 5,000) in its brainstorms, half of them placed in themes,
each with a kept 768-dimension vector (as the theme model keeps them). The merge is timed
as a facilitator meets it: reading the source (a private copy, checked and read), the dry
run, and the merge itself (one writer job); then a second merge of the same source (adds
nothing). Memory: the process's peak resident size, and the Python heap's peak during the
merge (tracemalloc, in a second run so it does not slow the timed one). The target is
≤ 10 s for reading and merging. Prints one JSON object (written to --out, default
benchmarks/results/merge.json) whose ``machine`` record names the processor.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._machine import describe, short  # noqa: E402
from workshop_app.core.ids import new_id, utc_now  # noqa: E402
from workshop_app.core.model import Note, NoteSource, NoteStatus  # noqa: E402
from workshop_app.services import merge  # noqa: E402
from workshop_app.services.demo import write_demo  # noqa: E402
from workshop_app.services.project import open_project  # noqa: E402
from workshop_app.storage import board as board_repo  # noqa: E402
from workshop_app.storage import contributions, vectors  # noqa: E402
from workshop_app.storage.merge import sha256_of  # noqa: E402
from workshop_app.storage.rows import query  # noqa: E402
from workshop_app.storage.writer import Tx  # noqa: E402

DIMENSION = 768
TARGET_S = 10.0
WORDS = [
    "apps",
    "change",
    "fast",
    "parents",
    "need",
    "simple",
    "guides",
    "children",
    "want",
    "adults",
    "who",
    "listen",
    "school",
    "online",
    "games",
    "chat",
    "strangers",
    "report",
    "block",
    "trusted",
    "adult",
    "police",
    "helpline",
    "privacy",
    "settings",
    "photos",
    "shared",
    "without",
    "asking",
    "worried",
    "scared",
    "tell",
    "someone",
    "youth",
    "club",
    "workers",
    "training",
]


def build(path: Path, seed: int, notes: int) -> dict[str, int]:
    """The demo for `seed`, filled up to `notes` notes with themes and kept vectors."""
    write_demo(path, seed=seed)
    rng = random.Random(seed)
    with open_project(path) as p:

        def fill(tx: Tx) -> dict[str, int]:
            db = tx.db
            brainstorms = [
                r["id"] for r in query(db, "SELECT id FROM activities WHERE kind = 'brainstorm'")
            ]
            themes = [(r["id"], r["activity_id"]) for r in query(db, "SELECT * FROM themes")]
            have = int(db.execute("SELECT count(*) FROM notes").fetchone()[0])
            now = utc_now()
            new = []
            for i in range(max(0, notes - have)):
                text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 14)))
                when = now - timedelta(seconds=i)
                note = Note(
                    new_id(), rng.choice(brainstorms), None, None, f"{text} {i}",
                    f"{text} {i}", NoteSource.FACILITATOR, NoteStatus.SHOWN, None, when, when,
                )  # fmt: skip
                contributions.insert_note(db, note)
                new.append(note)
            for note in new[::2]:
                theme = rng.choice(themes)
                board_repo.add_notes(db, theme[0], [note.id])
            all_notes = [(r["id"], r["text"]) for r in query(db, "SELECT id, text FROM notes")]
            kept = vectors.put_vectors(
                db,
                (
                    vectors.NewVector(nid, text, DIMENSION, rng.randbytes(4 * DIMENSION))
                    for nid, text in all_notes
                ),
                "benchmark-model",
                now,
            )
            return {"notes": len(all_notes), "vectors": kept}

        return p.store.write(fill).result(600)


def run(target: Path, source: Path, *, trace: bool) -> dict[str, float]:
    if trace:
        tracemalloc.start()
    t0 = time.perf_counter()
    src = merge.read_source(source, target)
    t1 = time.perf_counter()
    with open_project(target) as p:
        [preview] = merge.preview(p, [src])
        t2 = time.perf_counter()
        [done] = merge.merge(p, [src])
        t3 = time.perf_counter()
        [again] = merge.merge(p, [merge.read_source(source, target)])
        t4 = time.perf_counter()
    out = {
        "read_source_s": round(t1 - t0, 3),
        "dry_run_s": round(t2 - t1, 3),
        "merge_s": round(t3 - t2, 3),
        "read_and_merge_s": round((t1 - t0) + (t3 - t2), 3),
        "second_merge_s": round(t4 - t3, 3),
        "rows_brought": sum(done.plan.counts.values()),
        "notes_brought": done.plan.counts.get("notes", 0),
        "vectors_brought": done.plan.counts.get("note_vectors", 0),
        "second_merge_rows": sum(again.plan.counts.values()),
        "dry_run_rows": sum(preview.plan.counts.values()),
    }
    if trace:
        out["python_heap_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=5000)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/merge.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        d = Path(folder)
        target, source = d / "laptop a.cground", d / "laptop b.cground"
        t0 = time.perf_counter()
        built = {"target": build(target, 1, args.notes), "source": build(source, 2, args.notes)}
        build_s = time.perf_counter() - t0
        pristine = d / "pristine.cground"
        shutil.copy(target, pristine)
        digest = sha256_of(source)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        timed = run(target, source, trace=False)
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        shutil.copy(pristine, target)
        traced = run(target, source, trace=True)
        sizes = {"target_mb": round(pristine.stat().st_size / 2**20, 1),
                 "source_mb": round(source.stat().st_size / 2**20, 1)}  # fmt: skip
        unchanged = sha256_of(source) == digest
    machine = describe()
    result = {
        "machine": machine,
        "machine_short": short(machine),
        "notes_each": args.notes,
        "projects": built,
        "files": sizes,
        "build_s": round(build_s, 1),
        "timings": timed,
        "target_s": TARGET_S,
        "met": timed["read_and_merge_s"] <= TARGET_S,
        "peak_rss_mb": round(rss_after / 1024, 1),
        "peak_rss_growth_during_merge_mb": round((rss_after - rss_before) / 1024, 1),
        "python_heap_peak_mb": traced["python_heap_peak_mb"],
        "source_unchanged": unchanged,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
