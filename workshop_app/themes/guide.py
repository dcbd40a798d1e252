"""Guided sorting: where the notes not yet in a theme could go, from the themes' names and
the notes the facilitator has already placed (issue 14, point 4).

Pure numpy over unit vectors. Each theme starts from its name's vector and its placed
notes' vectors (the name counts as one more example). The notes not yet placed then shape
the themes too, a few rounds of soft (seeded) k-means: each round every unplaced note is
shared among the themes by a softmax of its cosine to each, and each theme's vector becomes
its name + placed notes + its share of the unplaced notes. A name alone is a poor centre
("Listening without blame" is not how anyone words a note); the notes around it say what the
theme holds. The last round's softmax is the confidence, its temperature and the "not sure"
threshold calibrated on the workshop notes (docs/themes.md). Proposals only: the caller
shows them; nothing is moved here.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from workshop_app.themes.cluster import Matrix, normalise

#: Softmax temperature over cosine similarities while the themes take shape.
TEMPERATURE = 0.05
#: The last round's temperature: its softmax is the confidence, calibrated so that of the
#: proposals made with confidence c about c are right (docs/themes.md).
CONFIDENCE_TEMPERATURE = 0.08
#: Below this confidence a proposal is "not sure" (calibrated, docs/themes.md).
SURE = 0.4
#: The weight of a theme's name against one placed note.
NAME_WEIGHT = 1.0
#: A note whose cosine to its best theme (that theme's centre without the note's own share)
#: is below this fits no theme: "not sure" whatever the softmax says. The softmax only
#: compares themes, so a note about pizza would otherwise go "sure" to the least unlikely
#: one. Workshop notes placed right sit at 0.39 and above (1st percentile), off-topic notes
#: at 0.08-0.24 (docs/themes.md).
FIT_FLOOR = 0.25
#: Rounds of soft k-means over the unplaced notes, and the weight of their shares.
ROUNDS = 5
UNPLACED_WEIGHT = 1.0


Shares = npt.NDArray[np.float64]


def _shares(
    x: Matrix, protos: Matrix, known: npt.NDArray[np.bool_], temperature: float = TEMPERATURE
) -> Shares:
    sims = (x @ protos.T).astype(np.float64)
    sims[:, ~known] = -np.inf
    z = (sims - sims.max(axis=1, keepdims=True)) / temperature
    p = np.exp(z)
    out: Shares = p / p.sum(axis=1, keepdims=True)
    return out


def place(
    x: Matrix, name_vectors: Matrix, placed: dict[int, int], todo: list[int]
) -> list[tuple[int, int | None, int, float]]:
    """(note, theme or None, best guess, confidence) for each note in ``todo``."""
    seeds = NAME_WEIGHT * name_vectors.astype(np.float64)
    for note, theme in placed.items():
        seeds[theme] += x[note]
    known = np.linalg.norm(seeds, axis=1) > 1e-9  # a theme with neither name nor notes
    rest = x[todo]
    p = _shares(rest, normalise(seeds.astype(np.float32)), known)
    centres = seeds
    for last in range(ROUNDS):
        centres = seeds + UNPLACED_WEIGHT * (p.T @ rest.astype(np.float64))
        t = CONFIDENCE_TEMPERATURE if last == ROUNDS - 1 else TEMPERATURE
        p = _shares(rest, normalise(centres.astype(np.float32)), known, t)
    out = []
    for row, note in enumerate(todo):
        guess = int(p[row].argmax())
        confidence = float(p[row, guess])
        # How well the note fits its best theme without counting its own pull on it.
        own = centres[guess] - UNPLACED_WEIGHT * p[row, guess] * rest[row].astype(np.float64)
        fit = float(rest[row] @ own) / max(float(np.linalg.norm(own)), 1e-12)
        if fit < FIT_FLOOR:
            confidence = min(confidence, SURE - 0.01)
        out.append((note, guess if confidence >= SURE else None, guess, round(confidence, 4)))
    return out
