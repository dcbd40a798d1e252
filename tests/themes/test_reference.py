"""The shipped model embeds like sentence-transformers in fp32, on every processor, and a
note's vector depends on the note alone (decision 013).

The reference vectors were written by sentence-transformers itself in fp32
(``python scripts/export_model.py --reference``), not by our runtime. Dynamically quantised
int8, which the app shipped before, fails both tests: on an AVX2-only processor its int8
kernels saturate (lowest cosine 0.952, median 0.992 over these notes on an AMD EPYC), and its
activation ranges were chosen per batch (components moved by up to 0.04 with the batch).
"""

from __future__ import annotations

import platform
from pathlib import Path

import numpy as np
import pytest

from workshop_app.themes import ThemeEngine

REFERENCE = Path(__file__).parent / "reference"
#: Every note's vector must be at least this close to sentence-transformers' fp32 vector
#: (MPNet's int8 weights computed in fp32 reach 0.9956 on the shortest notes, 0.9994 at the
#: median; MiniLM's reached 0.995 and 0.9995).
MIN_COSINE = 0.99
MIN_MEDIAN_COSINE = 0.999
#: The same note in another batch, order or padding width: only float rounding may differ.
SAME_VECTOR_TOLERANCE = 1e-5


def reference_notes() -> list[str]:
    lines = (REFERENCE / "notes.txt").read_text(encoding="utf-8").splitlines()
    return [line.replace("\\n", "\n") for line in lines if not line.startswith("#")]


def test_the_reference_vectors_belong_to_the_reference_notes() -> None:
    vectors = np.load(REFERENCE / "mpnet-base-v2.fp32.npy", allow_pickle=False)
    assert vectors.shape == (len(reference_notes()), 768)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_every_note_is_embedded_as_sentence_transformers_does_in_fp32(
    engine: ThemeEngine,
) -> None:
    notes = reference_notes()
    reference = np.load(REFERENCE / "mpnet-base-v2.fp32.npy", allow_pickle=False)
    cosines = np.sum(engine.model.encode(notes) * reference, axis=1)
    too_far = {notes[i][:40]: round(float(c), 4) for i, c in enumerate(cosines) if c < MIN_COSINE}
    where = f"{platform.machine()} {platform.processor()}".strip()
    assert not too_far, f"vectors differ from fp32 on this processor ({where}): {too_far}"
    assert float(np.median(cosines)) >= MIN_MEDIAN_COSINE, where


@pytest.mark.parametrize(
    "arrangement", ["reversed", "one at a time", "among other notes", "twice in one batch"]
)
def test_a_notes_vector_does_not_depend_on_the_other_notes_in_its_batch(
    engine: ThemeEngine, arrangement: str
) -> None:
    notes = reference_notes()
    alone = engine.model.encode(notes)
    if arrangement == "reversed":
        other = engine.model.encode(notes[::-1])[::-1]
    elif arrangement == "one at a time":
        other = np.vstack([engine.model.encode([n]) for n in notes])
    elif arrangement == "among other notes":
        rng = np.random.default_rng(7)
        fillers = [f"filler note number {i} about {w}" for i, w in enumerate(notes[:20])]
        mixed = [*notes, *fillers]
        order = rng.permutation(len(mixed))
        vectors = engine.model.encode([mixed[i] for i in order])
        other = vectors[np.argsort(order)][: len(notes)]
    else:
        other = engine.model.encode([*notes, *notes])[len(notes) :]
    assert float(np.abs(other - alone).max()) <= SAME_VECTOR_TOLERANCE
