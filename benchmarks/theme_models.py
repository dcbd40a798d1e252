"""Theme models side by side (issue 14): today's MiniLM against MPNet, int8 weights in fp32.

    .venv/bin/python benchmarks/theme_models.py [--minilm FILE] [--mpnet FILE] [--mpnet-fp32 FILE]
        [--sample 2000] [--samples 3] [--cache DIR] [--speed-only] [--out FILE]

Each model is an ONNX export from ``scripts/export_model.py`` (``--model mpnet`` for MPNet)
with its ``tokenizer.json`` beside it; a model whose file is absent is skipped, and the JSON
says so. Vectors are computed here by a small generic encoder (the runtime's ``Embedder`` is
MiniLM-shaped: 384 dimensions, pads with id 0); for MiniLM it gives the runtime's vectors, and
the JSON records the largest difference. Measured, per model:

- grouping at the true k on ``../shared/benchmarks/workshop-notes/preparatory.tsv`` (all 160
  notes) and, as a regression guard, on stratified samples of every
  ``../shared/benchmarks/short-text/*.tsv`` (as ``benchmarks/themes.py`` samples): spherical
  k-means with 10 and 100 restarts, spectral clustering on a symmetric kNN cosine graph
  (k = 10 and 15 neighbours), today's engine at the true k (word view + smoothing + k-means)
  and spectral on the engine's view; NMI, ARI, Hungarian accuracy, mean over ``--samples``
  seeds;
- the same on the demo project's sorted notes (``resources/demo/sessions/*.json``,
  loaded by ``workshop_app/services/demo_content.py``),
  one set per session (22–26 notes, 5–7 themes), mean over the six sessions;
- placement on the workshop notes: names-only (each note to the nearest human theme name by
  cosine), 3-shot (3 labelled notes per theme, nearest centroid, the rest scored; 20 draws)
  and names + 3 shots;
- encode time per note (batch 1 and batch 32, workshop notes), model load time and peak
  memory in a fresh process, file size;
- batch independence: the same notes in another order, batch size, alone, or mixed with
  other notes; largest change of any component;
- fidelity: cosine to sentence-transformers' fp32 vectors of the 47 reference notes, where
  the export wrote them (``tests/themes/reference/`` for MiniLM, ``reference.fp32.npy``
  beside the MPNet export).

JSON to ``benchmarks/results/theme_models.json`` (``--out``), with the ``machine`` record.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._machine import describe, short  # noqa: E402
from benchmarks.themes import (  # noqa: E402
    DOMAIN,
    RUNTIME_DISTRIBUTIONS,
    SHARED,
    _dist_size,
    read_set,
    scores,
    stratified,
)
from workshop_app.themes.cluster import spherical_kmeans  # noqa: E402
from workshop_app.themes.embed import session_options  # noqa: E402
from workshop_app.themes.engine import RESTARTS as ENGINE_RESTARTS  # noqa: E402
from workshop_app.themes.features import cluster_view  # noqa: E402

MODELS = {
    "minilm-int8w": ROOT / "models" / "minilm-l6-v2.int8-weights.onnx",
    "mpnet-int8w": ROOT / "build" / "models-mpnet" / "mpnet-base-v2.int8-weights.onnx",
    "mpnet-fp32": ROOT / "build" / "models-mpnet" / "mpnet-base-v2.fp32.onnx",
}
#: sentence-transformers' max_seq_length for each model family.
MAX_TOKENS = {"minilm": 256, "mpnet": 384}
REFERENCE_NOTES = ROOT / "tests" / "themes" / "reference" / "notes.txt"
REFERENCE = {
    "minilm": ROOT / "tests" / "themes" / "reference" / "minilm-l6-v2.fp32.npy",
    "mpnet": Path("reference.fp32.npy"),  # beside the export
}
TARGETS = {
    "workshop_nmi_true_k": 0.50,
    "workshop_accuracy_true_k": 0.60,
    "names_only_accuracy": 0.60,
    "three_shot_accuracy": 0.65,
    "load_seconds": 1.5,
    "footprint_mb": 250,
}


# -- encoding -----------------------------------------------------------------------------


class Encoder:
    """Unit-length vectors from an ONNX sentence encoder (mean pooling, L2 norm in numpy).

    As the runtime does: int8 weights folded to fp32 at load, notes sorted by length and
    padded per batch (with the tokenizer's own pad id), truncated at the model's limit.
    """

    def __init__(self, path: Path, max_tokens: int, threads: int | None = None) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        tok = Tokenizer.from_file(str(path.parent / "tokenizer.json"))
        tok.enable_truncation(max_length=max_tokens)
        tok.no_padding()
        self.tokenizer = tok
        pad = tok.token_to_id("<pad>")
        self.pad_id = pad if pad is not None else (tok.token_to_id("[PAD]") or 0)
        self.session = onnxruntime.InferenceSession(
            str(path), sess_options=session_options(threads), providers=["CPUExecutionProvider"]
        )
        self.inputs = {i.name for i in self.session.get_inputs()}

    def encode(self, texts: Sequence[str], batch: int = 16, sort: bool = True) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(list(texts))
        lengths = np.array([len(e.ids) for e in encodings])
        order = np.argsort(-lengths, kind="stable") if sort else np.arange(len(texts))
        rows_out: dict[int, np.ndarray] = {}
        for start in range(0, len(order), batch):
            rows = order[start : start + batch]
            width = int(lengths[rows].max())
            ids = np.full((len(rows), width), self.pad_id, dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                n = len(encodings[i].ids)
                ids[r, :n] = encodings[i].ids
                mask[r, :n] = 1
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self.inputs:
                feeds["token_type_ids"] = np.zeros_like(ids)
            hidden = self.session.run(None, feeds)[0]
            w = mask[:, :, None].astype(np.float32)
            pooled = (hidden * w).sum(axis=1) / np.clip(w.sum(axis=1), 1e-9, None)
            pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            for r, i in enumerate(rows):
                rows_out[int(i)] = pooled[r]
        return np.stack([rows_out[i] for i in range(len(texts))]).astype(np.float32)


def family(name: str) -> str:
    return "mpnet" if name.startswith("mpnet") else "minilm"


def cached_vectors(
    enc: Encoder, key: str, texts: list[str], cache: Path | None
) -> tuple[np.ndarray, float]:
    """Vectors of ``texts`` (a note's vector depends on the note alone, so they may be cached
    and sliced), and the seconds it took to encode them (0 when read from the cache)."""
    digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]
    path = cache / f"{key}-{digest}.npy" if cache else None
    if path is not None and path.exists():
        return np.load(path), 0.0
    t = time.perf_counter()
    vectors = enc.encode(texts)
    seconds = time.perf_counter() - t
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, vectors)
    return vectors, seconds


# -- clustering ---------------------------------------------------------------------------


def spectral(x: np.ndarray, k: int, neighbours: int, seed: int) -> np.ndarray:
    """Normalised spectral clustering (Ng, Jordan & Weiss) on a symmetric kNN cosine graph:
    an edge (weight 1) where either note is among the other's ``neighbours`` nearest (at most
    a quarter of the notes, for small sets); the top-k eigenvectors of D^-1/2 A D^-1/2, rows
    normalised, spherical k-means (10 restarts)."""
    from scipy.linalg import eigh

    n = x.shape[0]
    neighbours = min(neighbours, max(3, n // 4))  # small sets (demo sessions: ~24 notes)
    sims = x @ x.T
    np.fill_diagonal(sims, -np.inf)
    nearest = np.argpartition(-sims, neighbours, axis=1)[:, :neighbours]
    a = np.zeros((n, n))
    a[np.repeat(np.arange(n), neighbours), nearest.ravel()] = 1.0
    a = np.maximum(a, a.T)
    d = 1.0 / np.sqrt(a.sum(axis=1))
    m = a * d[:, None] * d[None, :]
    _, vectors = eigh(m, subset_by_index=[n - k, n - 1])
    vectors /= np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)
    labels, _ = spherical_kmeans(
        vectors.astype(np.float32), k, rng=np.random.default_rng(seed), restarts=10
    )
    return labels


def engine_view(
    x: np.ndarray, texts: Sequence[str], seed: int, lexical: float | None = None
) -> np.ndarray:
    """What ``suggest_themes`` clusters: [embedding, 0.6 * LSA(TF-IDF)], neighbour-smoothed
    (``lexical`` replaces the 0.6)."""
    if lexical is None:
        return cluster_view(x, texts, seed=seed)
    return cluster_view(x, texts, seed=seed, lexical=lexical)


METHODS = {
    "kmeans-n_init10": lambda x, t, k, s: spherical_kmeans(
        x, k, rng=np.random.default_rng(s), restarts=10
    )[0],
    "kmeans-n_init100": lambda x, t, k, s: spherical_kmeans(
        x, k, rng=np.random.default_rng(s), restarts=100
    )[0],
    "spectral-knn10": lambda x, t, k, s: spectral(x, k, 10, s),
    "spectral-knn15": lambda x, t, k, s: spectral(x, k, 15, s),
    # Today's engine at a given k (word view + smoothing + 8 restarts), on this model's vectors.
    "engine": lambda x, t, k, s: spherical_kmeans(
        engine_view(x, t, s), k, rng=np.random.default_rng(s), restarts=ENGINE_RESTARTS
    )[0],
    "engine-view-spectral15": lambda x, t, k, s: spectral(engine_view(x, t, s), k, 15, s),
    # The same with the word view at half weight (0.3), and with none (smoothing only).
    "engine-lex0.3": lambda x, t, k, s: spherical_kmeans(
        engine_view(x, t, s, 0.3), k, rng=np.random.default_rng(s), restarts=ENGINE_RESTARTS
    )[0],
    "engine-lex0.3-spectral15": lambda x, t, k, s: spectral(engine_view(x, t, s, 0.3), k, 15, s),
    "smoothed-spectral15": lambda x, t, k, s: spectral(engine_view(x, t, s, 0.0), k, 15, s),
}


def _mean(rows: list[dict[str, float]]) -> dict[str, float]:
    return {key: round(statistics.fmean(r[key] for r in rows), 4) for key in rows[0]}


def quality(
    vectors: np.ndarray, texts: Sequence[str], labels: np.ndarray, samples: list[np.ndarray]
) -> dict:
    """``samples``: index arrays into ``vectors``; seed s clusters sample s."""
    per: dict[str, list[dict[str, float]]] = {m: [] for m in METHODS}
    for s, idx in enumerate(samples):
        x, truth = vectors[idx], labels[idx]
        sub = [texts[i] for i in idx]
        k = len(np.unique(truth))
        for name, method in METHODS.items():
            per[name].append(scores(truth, method(x, sub, k, s)))
    return {name: _mean(rows) for name, rows in per.items()}


# -- placement ----------------------------------------------------------------------------


def placement(vectors: np.ndarray, labels: np.ndarray, names: np.ndarray, draws: int) -> dict:
    """``names``: unit vectors of the human theme names, row c for label c."""
    names_only = float(np.mean((vectors @ names.T).argmax(axis=1) == labels))
    shot, both = [], []
    k = names.shape[0]
    for d in range(draws):
        rng = np.random.default_rng(500 + d)
        picked = np.concatenate(
            [rng.choice(np.flatnonzero(labels == c), 3, replace=False) for c in range(k)]
        )
        rest = np.setdiff1d(np.arange(len(labels)), picked)
        cents = np.stack([vectors[picked[labels[picked] == c]].mean(axis=0) for c in range(k)])
        with_names = cents * 3 + names  # the name counts as a fourth example
        for bucket, c in ((shot, cents), (both, with_names)):
            c = c / np.linalg.norm(c, axis=1, keepdims=True)
            bucket.append(float(np.mean((vectors[rest] @ c.T).argmax(axis=1) == labels[rest])))
    return {
        "names_only_accuracy": round(names_only, 4),
        "three_shot_accuracy": round(statistics.fmean(shot), 4),
        "three_shot_accuracy_sd": round(statistics.pstdev(shot), 4),
        "names_plus_three_shot_accuracy": round(statistics.fmean(both), 4),
        "draws": draws,
    }


def demo_sessions() -> list[tuple[str, list[str], np.ndarray, list[str]]]:
    """The demo project's sorted notes, one set per session: key, texts, labels, theme names."""
    from workshop_app.services.demo_content import SESSIONS

    out = []
    for session in SESSIONS:
        names = [t["name"] for t in session.get("themes", [])]
        notes = [n for b in session.get("brainstorms", []) for n in b["notes"] if n.get("theme")]
        if len(names) >= 2 and notes:
            labels = np.array([names.index(n["theme"]) for n in notes])
            out.append((session["key"], [n["text"] for n in notes], labels, names))
    return out


def demo_quality(enc: Encoder, samples: int) -> dict:
    """Grouping at the true k and names-only placement per demo session, then the mean."""
    per = {}
    for key, texts, labels, names in demo_sessions():
        vectors = enc.encode(texts)
        row = quality(vectors, texts, labels, [np.arange(len(texts))] * samples)
        name_vecs = enc.encode(names)
        row["names_only_accuracy"] = round(
            float(np.mean((vectors @ name_vecs.T).argmax(axis=1) == labels)), 4
        )
        row["notes"], row["k"] = len(texts), len(names)
        per[key] = row
    mean = {m: _mean([r[m] for r in per.values()]) for m in METHODS}
    mean["names_only_accuracy"] = round(
        statistics.fmean(r["names_only_accuracy"] for r in per.values()), 4
    )
    return {"sessions": per, "mean": mean}


# -- speed, memory, invariance ------------------------------------------------------------


def speed(enc: Encoder, texts: list[str], repeats: int) -> dict:
    ones, batched = [], []
    for _ in range(repeats):
        t = time.perf_counter()
        for text in texts:
            enc.encode([text], batch=1)
        ones.append(time.perf_counter() - t)
        t = time.perf_counter()
        enc.encode(texts, batch=32)
        batched.append(time.perf_counter() - t)
    n = len(texts)
    return {
        "notes": n,
        "repeats": repeats,
        "ms_per_note_batch1": round(1000 * min(ones) / n, 2),
        "ms_per_note_batch1_median": round(1000 * statistics.median(ones) / n, 2),
        "ms_per_note_batch32": round(1000 * min(batched) / n, 2),
        "ms_per_note_batch32_median": round(1000 * statistics.median(batched) / n, 2),
        "notes_per_s_batch1": round(n / min(ones), 1),
    }


def invariance(enc: Encoder, texts: list[str], others: list[str]) -> dict:
    base = enc.encode(texts, batch=16)
    rev = enc.encode(texts[::-1], batch=32, sort=False)[::-1]
    alone = np.stack([enc.encode([t], batch=1)[0] for t in texts])
    mixed = enc.encode(others[:100] + texts, batch=32, sort=False)[100:]
    return {
        "notes": len(texts),
        "max_abs_diff_reversed_batch32_unsorted": float(np.abs(base - rev).max()),
        "max_abs_diff_one_at_a_time": float(np.abs(base - alone).max()),
        "max_abs_diff_mixed_with_100_other_notes": float(np.abs(base - mixed).max()),
    }


def probe_notes() -> list[str]:
    lines = REFERENCE_NOTES.read_text(encoding="utf-8").splitlines()
    return [line.replace("\\n", "\n") for line in lines if not line.startswith("#")]


def fidelity(enc: Encoder, name: str, path: Path) -> dict | None:
    ref_path = REFERENCE[family(name)]
    ref_path = ref_path if ref_path.is_absolute() else path.parent / ref_path
    if not ref_path.exists():
        return None
    ref = np.load(ref_path)
    cos = np.sum(enc.encode(probe_notes()) * ref, axis=1)
    return {
        "reference": str(ref_path.relative_to(ROOT) if ref_path.is_relative_to(ROOT) else ref_path),
        "notes": len(cos),
        "min_cosine": round(float(cos.min()), 5),
        "median_cosine": round(float(np.median(cos)), 5),
    }


# Peak = VmHWM of the fresh process (ru_maxrss would inherit the parent's across fork + exec).
LOAD_PROBE = """
import sys, time
sys.path.insert(0, sys.argv[3])
from benchmarks.theme_models import Encoder
def rss(key='VmRSS'):
    for line in open('/proc/self/status'):
        if line.startswith(key):
            return int(line.split()[1]) / 1024
import numpy, onnxruntime, tokenizers
base = rss()
t = time.perf_counter()
enc = Encoder(__import__('pathlib').Path(sys.argv[1]), int(sys.argv[2]))
load = time.perf_counter() - t
after_load = rss()
notes = [l.split('\\t', 1)[1] for l in open(sys.argv[4], encoding='utf-8') if '\\t' in l][:32]
enc.encode(notes, batch=32)
print(load, base, after_load, rss('VmHWM'))
"""


def load_and_memory(path: Path, max_tokens: int, runs: int) -> dict:
    rows = []
    for _ in range(runs):
        out = subprocess.run(
            [
                sys.executable, "-c", LOAD_PROBE, str(path), str(max_tokens), str(ROOT),
                str(DOMAIN / "preparatory.tsv"),
            ],
            capture_output=True, text=True, check=True, cwd=ROOT,
        ).stdout.split()  # fmt: skip
        rows.append([float(v) for v in out])
    return {
        "runs": runs,
        "load_s": round(min(r[0] for r in rows), 3),
        "load_median_s": round(statistics.median(r[0] for r in rows), 3),
        "rss_after_imports_mb": round(statistics.median(r[1] for r in rows), 1),
        "rss_after_load_mb": round(statistics.median(r[2] for r in rows), 1),
        "peak_rss_after_32_notes_mb": round(max(r[3] for r in rows), 1),
        "added_by_model_and_first_batch_mb": round(max(r[3] - r[1] for r in rows), 1),
    }


def sizes(path: Path) -> dict:
    model_mb = path.stat().st_size / 1e6
    tok_mb = (path.parent / "tokenizer.json").stat().st_size / 1e6
    runtime = {d: round(_dist_size(d) / 1e6, 1) for d in RUNTIME_DISTRIBUTIONS}
    return {
        "model_mb": round(model_mb, 1),
        "tokenizer_mb": round(tok_mb, 1),
        "runtime_packages_mb": runtime,
        "footprint_mb": round(model_mb + tok_mb + sum(runtime.values()), 1),
    }


# -- main ---------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name, default in MODELS.items():
        parser.add_argument(
            f"--{name.replace('-int8w', '')}",
            type=Path,
            default=default,
            dest=name.replace("-", "_"),
            help=f"ONNX file (default {default.relative_to(ROOT)})",
        )
    parser.add_argument("--sample", type=int, default=2000, help="notes per short-text sample")
    parser.add_argument("--samples", type=int, default=3, help="samples (seeds) per set")
    parser.add_argument("--repeats", type=int, default=3, help="speed repeats")
    parser.add_argument("--cache", type=Path, default=None, help="folder to cache vectors")
    parser.add_argument("--skip", nargs="*", default=[], help="model names to leave out")
    parser.add_argument(
        "--domain-only",
        nargs="*",
        default=[],
        help="model names measured on the workshop notes and demo sessions only (no public sets)",
    )
    parser.add_argument(
        "--speed-only",
        action="store_true",
        help="only size, load, memory and encode speed (into theme_models_speed.json)",
    )
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    suffix = "_speed" if args.speed_only else ""
    out = args.out or ROOT / "benchmarks" / "results" / f"theme_models{suffix}.json"

    machine = describe()
    print(f"on {short(machine)}", file=sys.stderr)
    started = time.perf_counter()
    domain_texts, domain_labels = read_set(DOMAIN / "preparatory.tsv")
    theme_names = sorted({line.split("\t", 1)[0] for line in
                          (DOMAIN / "preparatory.tsv").read_text(encoding="utf-8").splitlines()
                          if "\t" in line})  # fmt: skip
    public = {p.stem: read_set(p) for p in sorted(SHARED.glob("*.tsv"))}
    public_samples = {
        name: [
            stratified(labels, args.sample, np.random.default_rng(s)) for s in range(args.samples)
        ]
        for name, (_, labels) in public.items()
    }

    result: dict = {
        "machine": machine,
        "settings": {
            "sample": args.sample,
            "samples": args.samples,
            "public_sets": {n: len(t) for n, (t, _) in public.items()},
            "workshop_notes": len(domain_texts),
            "methods": list(METHODS),
            "domain_only": args.domain_only,
        },
        "load_average_at_start": [round(v, 2) for v in os.getloadavg()],
        "models": {},
        "skipped": {},
        "targets": TARGETS,
    }
    for name in MODELS:
        path: Path = getattr(args, name.replace("-", "_"))
        if name in args.skip:
            result["skipped"][name] = "left out with --skip"
            continue
        if not path.exists():
            result["skipped"][name] = f"{path} not found (export it with scripts/export_model.py)"
            print(f"skipping {name}: {path} not found", file=sys.stderr)
            continue
        print(f"{name}: {path}", file=sys.stderr)
        max_tokens = MAX_TOKENS[family(name)]
        enc = Encoder(path, max_tokens)
        row: dict = {"file": str(path), "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
        row["size"] = sizes(path)
        row["load"] = load_and_memory(path, max_tokens, 3)
        row["speed_workshop_notes"] = speed(enc, domain_texts, args.repeats)
        if args.speed_only:
            result["models"][name] = row
            continue
        row["invariance"] = invariance(enc, domain_texts, public["stackoverflow"][0])
        row["fidelity"] = fidelity(enc, name, path)
        if name == "minilm-int8w":
            from workshop_app.themes import ThemeModel

            runtime = ThemeModel()
            runtime.load()
            row["max_abs_diff_vs_runtime_embedder"] = float(
                np.abs(runtime.encode(domain_texts) - enc.encode(domain_texts)).max()
            )
        vectors, _ = cached_vectors(enc, name, domain_texts, args.cache)
        all_samples = [np.arange(len(domain_texts))] * args.samples
        row["workshop_notes"] = quality(vectors, domain_texts, domain_labels, all_samples)
        names_vec = enc.encode(theme_names)
        row["workshop_notes"]["placement"] = placement(vectors, domain_labels, names_vec, 20)
        print(f"  workshop notes: {json.dumps(row['workshop_notes'])}", file=sys.stderr)
        row["demo_sessions"] = demo_quality(enc, args.samples)
        print(f"  demo sessions: {json.dumps(row['demo_sessions']['mean'])}", file=sys.stderr)
        for set_name, (texts, labels) in public.items():
            if name in args.domain_only:
                row[set_name] = None
                continue
            union = np.unique(np.concatenate(public_samples[set_name]))
            union_texts = [texts[i] for i in union]
            vecs, seconds = cached_vectors(enc, f"{name}-{set_name}", union_texts, args.cache)
            where = {int(i): j for j, i in enumerate(union)}
            local = [np.array([where[int(i)] for i in idx]) for idx in public_samples[set_name]]
            row[set_name] = quality(vecs, union_texts, labels[union], local)
            row[set_name]["encoded_notes"] = len(union)
            row[set_name]["encode_s"] = round(seconds, 1)
            print(f"  {set_name}: {json.dumps(row[set_name])}", file=sys.stderr)
        result["models"][name] = row
        _write(out, result, started)
    _write(out, result, started)
    if not args.speed_only:
        print(json.dumps(table(result), indent=2))
    return 0


def _write(out: Path, result: dict, started: float) -> None:
    result["wall_s"] = round(time.perf_counter() - started, 1)
    result["load_average_at_end"] = [round(v, 2) for v in os.getloadavg()]
    result["peak_rss_this_process_mb"] = round(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


def table(result: dict) -> dict:
    """The headline figures, one line per model."""
    rows = {}
    for name, r in result["models"].items():
        w = r["workshop_notes"]
        rows[name] = {
            "workshop NMI km10/km100/spec15": [
                w["kmeans-n_init10"]["nmi"], w["kmeans-n_init100"]["nmi"],
                w["spectral-knn15"]["nmi"],
            ],
            "workshop acc km100/spec15": [
                w["kmeans-n_init100"]["accuracy"], w["spectral-knn15"]["accuracy"],
            ],
            "demo NMI km100/spec15": [
                r["demo_sessions"]["mean"]["kmeans-n_init100"]["nmi"],
                r["demo_sessions"]["mean"]["spectral-knn15"]["nmi"],
            ],
            "names-only / 3-shot": [
                w["placement"]["names_only_accuracy"], w["placement"]["three_shot_accuracy"],
            ],
            **{
                f"{s} NMI km10/spec15": [
                    r[s]["kmeans-n_init10"]["nmi"], r[s]["spectral-knn15"]["nmi"],
                ]
                for s in result["settings"]["public_sets"] if r.get(s)
            },
            "ms/note b1/b32": [
                r["speed_workshop_notes"]["ms_per_note_batch1"],
                r["speed_workshop_notes"]["ms_per_note_batch32"],
            ],
            "load s": r["load"]["load_s"],
            "model MB": r["size"]["model_mb"],
            "peak RSS MB": r["load"]["peak_rss_after_32_notes_mb"],
        }  # fmt: skip
    return rows


if __name__ == "__main__":
    raise SystemExit(main())
