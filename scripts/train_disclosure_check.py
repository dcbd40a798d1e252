"""Make the arrival check's disclosure reference: ``models/disclosure-check.npz``.

    .venv/bin/python scripts/train_disclosure_check.py [--k K] [--votes V] [--check]

Every labelled note of ``tests/core/data/safeguarding_*.tsv`` is encoded with the shipped
theme model and kept with its label (possible disclosure or not): the second look holds a
note when at least V of its K nearest labelled notes are possible disclosures
(``themes/disclosure.py``, decision 032). Before writing, each author's notes are checked
against a reference made of the other authors' notes only, and the table is printed: that,
not the fit on itself, is the evidence for K and V (``benchmarks/safeguarding_vectors.py``
compares it with a logistic regression). ``--check`` writes nothing and fails when the
shipped file was made from other notes, another model or another vote.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workshop_app.themes.disclosure import CHECK_FILE, DisclosureCheck  # noqa: E402
from workshop_app.themes.engine import ThemeEngine  # noqa: E402
from workshop_app.themes.errors import ModelError  # noqa: E402
from workshop_app.themes.model import default_model_dir  # noqa: E402

DATA = ROOT / "tests" / "core" / "data"
#: The labelled files by author: a reference is judged on an author it does not hold.
AUTHORS = {
    "first (tuning + held-out)": ("safeguarding_notes.tsv", "safeguarding_heldout.tsv"),
    "second (fresh)": ("safeguarding_fresh.tsv",),
    "third": ("safeguarding_third.tsv",),
}
K, VOTES = 3, 2


def read(name: str) -> list[tuple[str, str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, _kind, note = line.split("\t")
            rows.append((label, note))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--k", type=int, default=K)
    parser.add_argument("--votes", type=int, default=VOTES)
    parser.add_argument("--check", action="store_true", help="compare with the shipped file")
    args = parser.parse_args()
    files = [f for fs in AUTHORS.values() for f in fs]
    digest = hashlib.sha256(b"".join((DATA / f).read_bytes() for f in files)).hexdigest()
    engine = ThemeEngine()
    about = {
        "made_by": "scripts/train_disclosure_check.py",
        "notes": {f: len(read(f)) for f in files},
        "notes_sha256": digest,
    }
    target = default_model_dir() / CHECK_FILE
    if args.check:
        try:
            shipped = DisclosureCheck.load()
            same = (
                shipped.model == engine.identity
                and (shipped.k, shipped.votes) == (args.k, args.votes)
                and f'"notes_sha256": "{digest}"' in shipped.about
            )
        except ModelError as exc:
            print(exc)
            same = False
        print("the shipped disclosure check is " + ("up to date" if same else "OUT OF DATE"))
        return 0 if same else 1
    rows = {a: [r for f in fs for r in read(f)] for a, fs in AUTHORS.items()}
    x = {a: engine.encode([n for _l, n in r]) for a, r in rows.items()}
    y = {a: np.array([label == "disclosure" for label, _n in r]) for a, r in rows.items()}
    print(f"each author against the others' notes ({args.votes} of {args.k} nearest):")
    for held in rows:
        others = [a for a in rows if a != held]
        check = DisclosureCheck(
            engine.identity,
            np.vstack([x[a] for a in others]),
            np.concatenate([y[a] for a in others]),
            args.k,
            args.votes,
        )
        flagged = np.array(check.reads_like(x[held]))
        labels = np.array([label for label, _n in rows[held]])
        counts = {
            label: f"{int(flagged[labels == label].sum())}/{int((labels == label).sum())}"
            for label in ("disclosure", "ordinary", "personal")
        }
        print(f"  {held}: held {counts}")
    final = DisclosureCheck(
        engine.identity,
        np.vstack(list(x.values())),
        np.concatenate(list(y.values())),
        args.k,
        args.votes,
    )
    final.save(target, **about)
    print(f"wrote {target} ({final.vectors.shape[0]} labelled notes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
