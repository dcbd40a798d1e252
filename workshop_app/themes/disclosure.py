"""The arrival check's second look: does a note read like a possible disclosure?

A note's sentence vector is compared with the vectors of the labelled notes of
``tests/core/data/safeguarding_*.tsv`` (ordinary notes, personal details and possible
disclosures, written by three authors): when at least `votes` of its `k` nearest labelled
notes are possible disclosures, it reads like one (decision 032: on notes by an author left
out of the reference, this nearest-neighbour vote held more disclosures at fewer false holds
than a logistic regression on the same vectors). ``scripts/train_disclosure_check.py`` writes
the reference, ``models/disclosure-check.npz``, beside the model whose vectors it holds. The
phrase rules (core/safeguarding.py) stay the first check and the only one for personal
details. Pure numpy: the vectors come from :class:`ThemeEngine.encode`.

The model computes in fp32 on every processor (decision 013), so a note's vector, and so its
neighbours, are the same on an AVX2 laptop and an AVX-512 one.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from workshop_app.themes.embed import Matrix
from workshop_app.themes.errors import ModelError
from workshop_app.themes.model import default_model_dir

#: The reference's file, in the model's folder (models/ in the source tree and the bundle).
CHECK_FILE = "disclosure-check.npz"
#: What the file says it is (a file of another kind, or a later format, is refused).
FORMAT = "common-ground-disclosure-check/1"


@dataclass(frozen=True)
class DisclosureCheck:
    """Labelled notes' unit vectors (`vectors`, one row each) and whether each is a possible
    disclosure (`disclosure`); `model` names the model that made them (ThemeEngine.identity).
    A note reads like a possible disclosure when at least `votes` of its `k` nearest are."""

    model: str
    vectors: Matrix
    disclosure: np.ndarray
    k: int = 3
    votes: int = 2
    about: str = "{}"  # how the reference was made, as JSON (for people reading the file)

    def __post_init__(self) -> None:
        rows = self.vectors.shape[0] if self.vectors.ndim == 2 else 0
        if rows < self.k or self.disclosure.shape != (rows,):
            raise ModelError("The disclosure check's reference notes do not match their labels.")
        if not 1 <= self.votes <= self.k:
            raise ModelError("The disclosure check's vote is not usable.")

    @classmethod
    def load(cls, model_dir: Path | None = None) -> DisclosureCheck:
        """Read the shipped reference; ModelError (a message for people) when it is missing
        or not one this version reads."""
        path = (model_dir if model_dir is not None else default_model_dir()) / CHECK_FILE
        try:
            # (opened here: numpy leaves its own handle open when the file is no zip)
            with path.open("rb") as f:
                data = np.load(f, allow_pickle=False)
                if not isinstance(data, np.lib.npyio.NpzFile):
                    raise ValueError("not an archive of arrays")
                meta = json.loads(str(data["meta"]))
                if meta.get("format") != FORMAT:
                    raise ValueError(f"format {meta.get('format')!r}")
                vectors = np.asarray(data["vectors"], dtype=np.float32)
                disclosure = np.asarray(data["disclosure"], dtype=bool)
                return cls(
                    str(meta["model"]),
                    vectors,
                    disclosure,
                    int(meta["k"]),
                    int(meta["votes"]),
                    json.dumps(meta.get("about", {})),
                )
        except FileNotFoundError:
            raise ModelError(f"The disclosure check's file is missing: {path}") from None
        except (OSError, EOFError, KeyError, TypeError, ValueError, zipfile.BadZipFile) as exc:
            raise ModelError(f"The disclosure check's file cannot be read: {path}: {exc}") from None

    def save(self, path: Path, **about: Any) -> None:
        """Write the reference (vectors as float16: a tenth of a cosine's thousandth)."""
        meta = {"format": FORMAT, "model": self.model, "k": self.k, "votes": self.votes}
        meta["about"] = about
        with path.open("wb") as f:
            np.savez_compressed(
                f,
                meta=np.array(json.dumps(meta)),
                vectors=self.vectors.astype(np.float16),
                disclosure=self.disclosure.astype(bool),
            )

    def check_model(self, identity: str) -> None:
        """ModelError unless the vectors come from the model the reference was made with."""
        if identity != self.model:
            raise ModelError(
                f"The disclosure check was made with {self.model}, not {identity}: "
                "make it again (scripts/train_disclosure_check.py)."
            )

    def neighbours(self, vectors: Matrix) -> np.ndarray:
        """For each row (a note's unit vector), how many of its `k` nearest labelled notes
        are possible disclosures (ties broken by the reference's order: deterministic)."""
        rows = np.asarray(vectors, dtype=np.float32).reshape(-1, self.vectors.shape[1])
        similarity = rows @ self.vectors.T
        nearest = np.argsort(-similarity, axis=1, kind="stable")[:, : self.k]
        counts: np.ndarray = self.disclosure[nearest].sum(axis=1)
        return counts

    def reads_like(self, vectors: Matrix) -> list[bool]:
        """Whether each row reads like a possible disclosure."""
        return [bool(n >= self.votes) for n in self.neighbours(vectors)]


__all__ = ["CHECK_FILE", "FORMAT", "DisclosureCheck"]
