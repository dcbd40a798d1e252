"""Guided sorting: where the notes not yet in a theme could go, from the themes' names and
the notes the facilitator has already placed (issue 14, point 4).

Pure numpy over unit vectors. Each theme's prototype is its name's vector and its placed
notes' vectors together (the name counts as one more example); every unplaced note is
scored against every prototype, and the scores become a confidence with a softmax whose
temperature was calibrated on the workshop notes (docs/themes.md). Proposals only: the
caller shows them; nothing is moved here.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from workshop_app.themes.cluster import Matrix, normalise

#: Softmax temperature over cosine similarities (calibrated, docs/themes.md).
TEMPERATURE = 0.05
#: Below this confidence a proposal is "not sure" (calibrated, docs/themes.md).
SURE = 0.5
#: The weight of a theme's name against one placed note.
NAME_WEIGHT = 1.0


def prototypes(
    x: Matrix, name_vectors: Matrix, placed: dict[int, int], k: int
) -> tuple[Matrix, npt.NDArray[np.bool_]]:
    """One unit vector per theme from its name and placed notes; and which themes have any."""
    sums = NAME_WEIGHT * name_vectors.astype(np.float64)
    for note, theme in placed.items():
        sums[theme] += x[note]
    known = np.linalg.norm(sums, axis=1) > 1e-9
    return normalise(sums.astype(np.float32)), known


def place(
    x: Matrix, name_vectors: Matrix, placed: dict[int, int], todo: list[int]
) -> list[tuple[int, int | None, int, float]]:
    """(note, theme or None, best guess, confidence) for each note in ``todo``."""
    k = name_vectors.shape[0]
    protos, known = prototypes(x, name_vectors, placed, k)
    sims = x[todo] @ protos.T
    sims[:, ~known] = -np.inf
    z = (sims - sims.max(axis=1, keepdims=True)) / TEMPERATURE
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    out = []
    for row, note in enumerate(todo):
        guess = int(p[row].argmax())
        confidence = float(p[row, guess])
        out.append((note, guess if confidence >= SURE else None, guess, round(confidence, 4)))
    return out
