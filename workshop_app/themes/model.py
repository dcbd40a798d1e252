"""Where the embedding model lives, how it is verified, and its lazy, thread-safe loader."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from workshop_app.themes.embed import Embedder, Matrix, load_tokenizer
from workshop_app.themes.errors import ModelError

if TYPE_CHECKING:
    from tokenizers import Tokenizer

#: The shipped model: all-mpnet-base-v2 exported by ``scripts/export_model.py --model mpnet``,
#: its weights stored as int8 and computed in fp32 (decisions 013 and 020). It ships as
#: ``MODEL_FILE.part0`` and ``.part1`` (no file over 100 MB); the hash is of the whole.
MODEL_FILE = "mpnet-base-v2.int8-weights.onnx"
MODEL_SHA256 = "2123fd15c4671a0dc68692abab87f7aad257d8ca3479f802eeea487b09602118"
TOKENIZER_FILE = "tokenizer.json"
TOKENIZER_SHA256 = "b8be2c30ba5dd723a6d5ee26d013da103d5408d92ddcb23747622f9e48f1d842"
#: Set to a folder holding the files above to use a model outside the source tree.
MODEL_DIR_ENV = "WORKSHOP_APP_MODEL_DIR"


def default_model_dir() -> Path:
    """``$WORKSHOP_APP_MODEL_DIR``, else ``models/`` in a frozen bundle or the source tree."""
    configured = os.environ.get(MODEL_DIR_ENV)
    if configured:
        return Path(configured)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "models"
    return Path(__file__).resolve().parents[2] / "models"


class ThemeModel:
    """The sentence-embedding model, loaded on first use or by an explicit :meth:`load`.

    Loading takes a fraction of a second to a second; call :meth:`load` from a worker
    thread to keep a GUI responsive. Safe to share between threads: loading happens once
    under a lock, and encoding is re-entrant.
    """

    def __init__(
        self,
        model_dir: Path | None = None,
        *,
        model_file: str = MODEL_FILE,
        model_sha256: str | None = MODEL_SHA256,
        tokenizer_sha256: str | None = TOKENIZER_SHA256,
        threads: int | None = None,
    ) -> None:
        self.model_dir = model_dir if model_dir is not None else default_model_dir()
        self.model_file = model_file
        self._model_sha256 = model_sha256
        self._tokenizer_sha256 = tokenizer_sha256
        self._threads = threads
        self._lock = threading.Lock()
        self._embedder: Embedder | None = None
        self._tokenizer: Tokenizer | None = None  # read ahead by `prepare`

    @property
    def identity(self) -> str:
        """Names the vectors this model makes: cached vectors are reused only by a model
        with the same identity (the file name and the start of its SHA-256)."""
        digest = (self._model_sha256 or "unverified")[:16]
        return f"{self.model_file.removesuffix('.onnx')}:{digest}"

    @property
    def loaded(self) -> bool:
        return self._embedder is not None

    def prepare(self) -> None:
        """Everything but the weights, ahead of need: import the model's runtime
        (onnxruntime, tokenizers) and read the tokenizer. Both hold Python's interpreter
        lock for tens of milliseconds at a stretch on a 2-core AVX2 laptop (the import up
        to 66 ms, the tokenizer's JSON 20-34 ms), stopping every other thread, the GUI's
        included; the runtime does this in the background as a project opens (decision
        036), so that loading the model when the room arrives holds it only briefly.
        Costs a few megabytes; the weights (some 440 MB) load in `load`. Raises
        `ModelError` as `load` would."""
        import onnxruntime  # noqa: F401

        with self._lock:
            if self._tokenizer is None and self._embedder is None:
                self._tokenizer = load_tokenizer(
                    self.model_dir / TOKENIZER_FILE, self._tokenizer_sha256
                )

    @property
    def prepared(self) -> bool:
        return self._tokenizer is not None or self._embedder is not None

    def load(self) -> Embedder:
        """Read, verify (SHA-256) and initialise the model; later calls return at once.

        Raises :class:`ModelError` (a message for people) when a file is missing or
        does not match the shipped hash.
        """
        embedder = self._embedder
        if embedder is not None:
            return embedder
        with self._lock:
            if self._embedder is None:
                self._embedder = Embedder(
                    self.model_dir / self.model_file,
                    self.model_dir / TOKENIZER_FILE,
                    expected_sha256=self._model_sha256,
                    tokenizer_sha256=self._tokenizer_sha256,
                    threads=self._threads,
                    tokenizer=self._tokenizer,
                )
                self._tokenizer = None  # the embedder has it
            return self._embedder

    def encode(self, texts: Sequence[str]) -> Matrix:
        """Unit-length embeddings, one row per text (loads the model if needed)."""
        return self.load().encode(texts)


__all__ = [
    "MODEL_FILE",
    "MODEL_SHA256",
    "ModelError",
    "ThemeModel",
    "default_model_dir",
]
