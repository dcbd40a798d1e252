"""The second look's reading of labelled notes on whatever processor runs this script, to
compare processors (decision 032): the note vectors (saved as .npy) and, for each note, how
many of its 3 nearest labelled notes are possible disclosures (printed as JSON).

    .venv/bin/python scripts/second_look_on_cpu.py OUT.npy [--notes N] FILE.tsv ...
    # the same on an emulated AVX2-only processor (no AVX-512, no VNNI), Debian's qemu-user:
    qemu-x86_64 -cpu Haswell .venv/bin/python scripts/second_look_on_cpu.py OUT.npy FILE.tsv

Then compare the two runs' counts (they must be equal) and their vectors.
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

from benchmarks.safeguarding import read_notes  # noqa: E402
from workshop_app.themes import ThemeEngine, ThemeModel  # noqa: E402
from workshop_app.themes.disclosure import DisclosureCheck  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="where the vectors go (.npy)")
    parser.add_argument("files", type=Path, nargs="+", help="labelled notes (.tsv)")
    parser.add_argument("--notes", type=int, help="only the first N notes")
    args = parser.parse_args()
    rows = [(label, note) for f in args.files for label, _kind, note in read_notes(f)]
    rows = rows[: args.notes]
    engine = ThemeEngine(ThemeModel())
    engine.model.load()
    check = DisclosureCheck.load()
    started = time.perf_counter()
    vectors = np.asarray(engine.encode([text for _, text in rows]), dtype=np.float32)
    seconds = time.perf_counter() - started
    np.save(args.out, vectors)
    counts = check.neighbours(vectors)
    print(
        json.dumps(
            {
                "notes": len(rows),
                "encode_seconds": round(seconds, 1),
                "disclosure_neighbours": [int(c) for c in counts],
                "labels": [label for label, _ in rows],
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
