"""Notes in other languages: does `themes.language` hold back the notes the model cannot
read, and where would the model have put them if it did not?

    .venv/bin/python benchmarks/multilingual.py [--out FILE]

Data: ``tests/themes/data/multilingual.tsv`` (Polish, Romanian, Urdu, Arabic and English
workshop notes with faithful English translations, in the 8 themes of
``../shared/benchmarks/workshop-notes/preparatory.tsv``), plus the English notes of
``preparatory.tsv`` and ``tests/themes/data/duplicate_pairs.tsv`` for false flags.

1. Detection: per language, the share of notes ``language_of`` flags as not readable
   (recall) and names correctly; the share of English notes flagged (false flags).
2. Placement without holding back: each theme's centroid is the mean of its 20 English
   notes in ``preparatory.tsv``; each note goes to the nearest centroid (cosine). For every
   non-English note, placing the note itself is compared with placing its English
   translation and with the true theme. Also: how alike notes of one language are to each
   other whatever their theme, against English notes of different themes (what makes
   clustering group notes by language instead of by meaning).

The model is whichever ``ThemeEngine()`` loads (MiniLM or MPNet). One encode call for all
texts. Prints and writes one JSON object (--out, default
benchmarks/results/multilingual.json) whose ``machine`` record names the processor.
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
from workshop_app.themes import ThemeEngine  # noqa: E402
from workshop_app.themes.language import language_of  # noqa: E402

DATA = ROOT / "tests" / "themes" / "data" / "multilingual.tsv"
PAIRS = ROOT / "tests" / "themes" / "data" / "duplicate_pairs.tsv"
PREPARATORY = ROOT.parent / "shared" / "benchmarks" / "workshop-notes" / "preparatory.tsv"
FOREIGN = ("pl", "ro", "ur", "ar")


def read_multilingual(path: Path) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    tricky = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# tricky"):
            tricky = True
        if not line.strip() or line.startswith("#"):
            continue
        theme, language, note, english = line.split("\t")
        rows.append(
            {"theme": theme, "language": language, "note": note, "english": english,
             "tricky": tricky}
        )  # fmt: skip
    return rows


def read_preparatory(path: Path) -> list[tuple[str, str]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            theme, note = line.split("\t")
            out.append((theme, note))
    return out


def read_pair_notes(path: Path) -> list[str]:
    notes: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            _label, a, b = line.split("\t")
            notes += [a, b]
    return sorted(set(notes))


def detection(rows: list[dict[str, object]], extra_english: list[str]) -> dict[str, object]:
    out: dict[str, object] = {}
    for language in FOREIGN:
        notes = [str(r["note"]) for r in rows if r["language"] == language]
        results = [language_of(n) for n in notes]
        out[language] = {
            "notes": len(notes),
            "flagged": sum(not r.readable for r in results),
            "recall": round(sum(not r.readable for r in results) / len(notes), 3),
            "named_correctly": sum(r.code == language for r in results),
            "missed": [n for n, r in zip(notes, results, strict=True) if r.readable],
            "misnamed": [
                {"note": n, "code": r.code}
                for n, r in zip(notes, results, strict=True)
                if not r.readable and r.code != language
            ],
        }
        if language in ("pl", "ro"):
            plain = [n for n in notes if n.isascii()]
            out[language]["without_diacritics"] = {  # type: ignore[index]
                "notes": len(plain),
                "flagged": sum(not language_of(n).readable for n in plain),
            }
    english = {
        "multilingual.tsv (English)": [
            str(r["note"]) for r in rows if r["language"] == "en" and not r["tricky"]
        ],
        "multilingual.tsv (tricky English)": [str(r["note"]) for r in rows if r["tricky"]],
        "preparatory.tsv + duplicate_pairs.tsv": extra_english,
    }
    out["english_false_flags"] = {
        name: {
            "notes": len(notes),
            "flagged": [n for n in notes if not language_of(n).readable],
            "undetermined": sum(language_of(n).code == "und" for n in notes),
        }
        for name, notes in english.items()
    }
    return out


def speed(texts: list[str]) -> float:
    """Microseconds per note, best of 5 passes."""
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for text in texts:
            language_of(text)
        best = min(best, time.perf_counter() - start)
    return round(best / len(texts) * 1e6, 1)


def placement(
    rows: list[dict[str, object]], prep: list[tuple[str, str]], engine: ThemeEngine
) -> dict[str, object]:
    themes = sorted({t for t, _n in prep})
    foreign = [r for r in rows if r["language"] in FOREIGN]
    english_rows = [r for r in rows if r["language"] == "en" and not r["tricky"]]
    texts = (
        [n for _t, n in prep]
        + [str(r["note"]) for r in foreign]
        + [str(r["english"]) for r in foreign]
        + [str(r["note"]) for r in english_rows]
    )
    start = time.perf_counter()
    vectors = np.asarray(engine.model.encode(texts), dtype=np.float64)
    encode_seconds = time.perf_counter() - start
    n_prep, n_foreign = len(prep), len(foreign)
    prep_v = vectors[:n_prep]
    note_v = vectors[n_prep : n_prep + n_foreign]
    trans_v = vectors[n_prep + n_foreign : n_prep + 2 * n_foreign]
    english_v = vectors[n_prep + 2 * n_foreign :]
    centroids = np.stack(
        [prep_v[[i for i, (t, _n) in enumerate(prep) if t == theme]].mean(axis=0)
         for theme in themes]
    )  # fmt: skip
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)

    def nearest(v: np.ndarray) -> tuple[list[str], np.ndarray]:
        sims = v @ centroids.T
        return [themes[i] for i in sims.argmax(axis=1)], sims.max(axis=1)

    note_place, note_sim = nearest(note_v)
    trans_place, _ = nearest(trans_v)
    english_place, english_sim = nearest(english_v)
    per_language: dict[str, object] = {}
    for language in FOREIGN:
        idx = [i for i, r in enumerate(foreign) if r["language"] == language]
        same = note_v[idx] @ note_v[idx].T
        off_diagonal = same[~np.eye(len(idx), dtype=bool)]
        per_language[language] = {
            "notes": len(idx),
            "note_placed_in_true_theme": sum(note_place[i] == foreign[i]["theme"] for i in idx),
            "translation_placed_in_true_theme": sum(
                trans_place[i] == foreign[i]["theme"] for i in idx
            ),
            "note_placed_with_its_translation": sum(note_place[i] == trans_place[i] for i in idx),
            "note_accuracy": round(
                sum(note_place[i] == foreign[i]["theme"] for i in idx) / len(idx), 3
            ),
            "translation_accuracy": round(
                sum(trans_place[i] == foreign[i]["theme"] for i in idx) / len(idx), 3
            ),
            "theme_note_sent_to_most": max(
                themes, key=lambda t: sum(note_place[i] == t for i in idx)
            ),
            "mean_cosine_to_nearest_centroid": round(float(note_sim[idx].mean()), 3),
            "mean_cosine_note_to_its_translation": round(
                float(np.einsum("ij,ij->i", note_v[idx], trans_v[idx]).mean()), 3
            ),
            "mean_cosine_between_notes_of_this_language": round(float(off_diagonal.mean()), 3),
            "placements": [
                {
                    "note": foreign[i]["note"],
                    "theme": foreign[i]["theme"],
                    "note_placed": note_place[i],
                    "translation_placed": trans_place[i],
                }
                for i in idx
            ],
        }
    english_themes = [str(r["theme"]) for r in english_rows]
    different = np.array([[a != b for b in english_themes] for a in english_themes])
    english_pairs = english_v @ english_v.T
    return {
        "model": engine.model.identity,
        "texts_encoded": len(texts),
        "encode_seconds": round(encode_seconds, 2),
        "english_notes": {
            "notes": len(english_rows),
            "placed_in_true_theme": sum(
                p == t for p, t in zip(english_place, english_themes, strict=True)
            ),
            "accuracy": round(
                sum(p == t for p, t in zip(english_place, english_themes, strict=True))
                / len(english_rows),
                3,
            ),
            "mean_cosine_to_nearest_centroid": round(float(english_sim.mean()), 3),
            "mean_cosine_between_notes_of_different_themes": round(
                float(english_pairs[different].mean()), 3
            ),
        },
        "translations_all": {
            "notes": n_foreign,
            "accuracy": round(
                sum(trans_place[i] == foreign[i]["theme"] for i in range(n_foreign)) / n_foreign,
                3,
            ),
        },
        "per_language": per_language,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/multilingual.json")
    args = parser.parse_args()
    rows = read_multilingual(DATA)
    prep = read_preparatory(PREPARATORY)
    extra_english = [n for _t, n in prep] + read_pair_notes(PAIRS)
    found = detection(rows, extra_english)
    all_notes = [str(r["note"]) for r in rows] + extra_english
    placed = placement(rows, prep, ThemeEngine())
    machine = describe()
    result = {
        "machine": machine,
        "machine_short": short(machine),
        "detection": found,
        "detector_microseconds_per_note": speed(all_notes),
        "placement_without_holding_back": placed,
    }
    for language in FOREIGN:
        d = found[language]
        p = placed["per_language"][language]  # type: ignore[index]
        print(
            f"{language}: flagged {d['flagged']}/{d['notes']}, "  # type: ignore[index]
            f"placed right as written {p['note_placed_in_true_theme']}/{p['notes']}, "
            f"as translated {p['translation_placed_in_true_theme']}/{p['notes']}",
            file=sys.stderr,
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
