"""Sentence embeddings: all-mpnet-base-v2 (decision 020) through onnxruntime and tokenizers.

The ONNX graph returns the encoder's last hidden state; mean pooling over the attention
mask and L2 normalisation happen here in numpy, exactly as sentence-transformers does, so
the vectors match its ``encode(..., normalize_embeddings=True)``.

The shipped file stores its weights as int8 behind DequantizeLinear nodes. onnxruntime is
told to fold them back to fp32 when the model loads (``session.disable_quant_qdq``), so
every processor computes in fp32: the int8 kernels of AVX2-only processors saturate, and
dynamically quantised activations made a note's vector depend on its batch-mates
(decision 013). A note's vector therefore depends on the note alone.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from workshop_app.themes.errors import ModelError

if TYPE_CHECKING:
    from tokenizers import Tokenizer

#: sentence-transformers' max_seq_length for all-mpnet-base-v2 (its tokenizer.json says 128
#: with fixed padding; both are overridden here).
MAX_TOKENS = 384
#: Notes per onnxruntime call. Notes are sorted by length first so padding stays small.
BATCH = 16

Matrix = npt.NDArray[np.float32]

log = logging.getLogger(__name__)

#: Bytes read (and hashed, and written) at a time when the model is staged.
BLOCK = 1 << 20


def parts_of(path: Path) -> list[Path]:
    """The files that hold ``path``: itself when it exists, else ``path.part0``, ``.part1``, …
    in order (the shipped model is split so that no file is over 100 MB)."""
    if path.exists():
        return [path]
    parts: list[Path] = []
    while (part := path.with_name(f"{path.name}.part{len(parts)}")).exists():
        parts.append(part)
    return parts or [path]


def read_verified(path: Path, expected_sha256: str | None) -> bytes:
    """The file's bytes (joined from its parts, see :func:`parts_of`), refused (ModelError)
    unless they hash to ``expected_sha256``."""
    try:
        data = b"".join(part.read_bytes() for part in parts_of(path))
    except OSError as e:
        raise ModelError(f"the theme model file {path} cannot be read ({e.strerror})") from e
    if expected_sha256 is not None:
        _check_digest(path, hashlib.sha256(data).hexdigest(), expected_sha256)
    return data


def _check_digest(path: Path, actual: str, expected: str) -> None:
    if actual != expected:
        raise ModelError(
            f"the theme model file {path.name} is damaged or not the one shipped "
            f"(SHA-256 {actual[:12]}…, expected {expected[:12]}…); reinstall the app"
        )


class _CannotStage(Exception):
    """The model could not be written to a file of its own (a full disk, no temporary
    folder): it is handed to onnxruntime as bytes instead."""


def stage_verified(path: Path, expected_sha256: str | None, folder: Path) -> Path:
    """The file (joined from its parts) written whole into `folder`, hashed as it is copied,
    refused (ModelError) unless it hashes to ``expected_sha256``. Raises `_CannotStage`
    when it cannot be written.

    onnxruntime given a path reads the file without Python's interpreter lock; given the
    bytes, it copies all 110 MB with the lock held: 67-78 ms in which no other thread runs
    (the GUI, the phones' server), measured on a 2-core AVX2 laptop (docs/performance.md)."""
    target = folder / path.name
    digest = hashlib.sha256()
    try:
        out = target.open("xb")
    except OSError as e:
        raise _CannotStage(str(e)) from e
    with out:
        for part in parts_of(path):
            try:
                f = part.open("rb")
            except OSError as e:
                raise ModelError(
                    f"the theme model file {path} cannot be read ({e.strerror})"
                ) from e
            with f:
                while True:
                    try:
                        block = f.read(BLOCK)
                    except OSError as e:
                        raise ModelError(
                            f"the theme model file {path} cannot be read ({e.strerror})"
                        ) from e
                    if not block:
                        break
                    digest.update(block)
                    try:
                        out.write(block)
                    except OSError as e:
                        raise _CannotStage(str(e)) from e
    if expected_sha256 is not None:
        _check_digest(path, digest.hexdigest(), expected_sha256)
    return target


def session_options(threads: int | None = None) -> Any:
    """onnxruntime's options for the model (an `onnxruntime.SessionOptions`): every graph
    optimisation, quiet, worker threads that sleep, int8 weights folded to fp32 at load."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    # Busy-waiting worker threads hurt badly on a 2-core laptop that is also serving
    # phones; sleeping costs almost nothing at these batch sizes.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    # Fold the int8 weights to fp32 at load instead of running int8 kernels (decision 013).
    options.add_session_config_entry("session.disable_quant_qdq", "1")
    if threads:
        options.intra_op_num_threads = threads
    return options


def load_tokenizer(
    path: Path, expected_sha256: str | None, max_tokens: int = MAX_TOKENS
) -> Tokenizer:
    """The model's tokenizer, verified (SHA-256) and set to truncate at `max_tokens`
    without padding (batches are padded in `Embedder.encode`, after sorting by length).
    Parsing its 466 KB of JSON holds the interpreter lock for 20-34 ms on a 2-core AVX2
    laptop: `ThemeModel.prepare` does it before the room arrives (decision 036)."""
    from tokenizers import Tokenizer

    data = read_verified(path, expected_sha256)
    try:
        tokenizer = Tokenizer.from_str(data.decode("utf-8"))
    except Exception as e:  # tokenizers raises a bare Exception on bad JSON
        raise ModelError(f"the tokenizer file {path} is not valid: {e}") from e
    tokenizer.enable_truncation(max_length=max_tokens)
    tokenizer.no_padding()
    return tokenizer


def _verified_model(
    path: Path, expected_sha256: str | None, stack: contextlib.ExitStack
) -> str | bytes:
    """What onnxruntime is given: the verified model staged as a file of its own in a
    temporary folder (removed when `stack` closes), or its bytes when no file can be
    written there (a full disk, no temporary folder: slower to hand over, same model)."""
    try:
        folder = stack.enter_context(
            tempfile.TemporaryDirectory(prefix="cg-model-", ignore_cleanup_errors=True)
        )
        return str(stage_verified(path, expected_sha256, Path(folder)))
    except (OSError, _CannotStage) as e:
        log.info("the theme model is handed over from memory: %s", e)
        return read_verified(path, expected_sha256)


class Embedder:
    """Turns texts into unit-length vectors (768 numbers for MPNet; :attr:`dimension`).
    Thread-safe after construction (onnxruntime sessions and tokenizers' encode_batch may be
    called from several threads).
    """

    def __init__(
        self,
        model_path: Path,
        tokenizer_path: Path,
        *,
        expected_sha256: str | None,
        tokenizer_sha256: str | None = None,
        threads: int | None = None,
        max_tokens: int = MAX_TOKENS,
        tokenizer: Tokenizer | None = None,
    ) -> None:
        import onnxruntime

        with contextlib.ExitStack() as stack:
            model = _verified_model(model_path, expected_sha256, stack)
            if tokenizer is None:
                tokenizer = load_tokenizer(tokenizer_path, tokenizer_sha256, max_tokens)
            self._tokenizer = tokenizer
            # Padding is masked out of the pooling, but the model still sees it: pad with
            # the model's own pad token (MPNet: 1) so that padded and unpadded runs agree.
            pad = next(
                (i for t in ("<pad>", "[PAD]") if (i := tokenizer.token_to_id(t)) is not None),
                0,
            )
            self._pad_id = int(pad)

            try:
                self._session = onnxruntime.InferenceSession(
                    model, sess_options=session_options(threads), providers=["CPUExecutionProvider"]
                )
            except Exception as e:  # onnxruntime's own exception types are not public API
                raise ModelError(
                    f"the theme model {model_path.name} could not be loaded: {e}"
                ) from e
        self._inputs = {i.name for i in self._session.get_inputs()}
        self.dimension = int(self._probe_dimension())

    def _probe_dimension(self) -> int:
        width = self._session.get_outputs()[0].shape[-1]
        if isinstance(width, int):
            return width
        return int(
            self._run(np.array([[0, 2]], dtype=np.int64), np.ones((1, 2), np.int64)).shape[1]
        )

    def _run(self, ids: np.ndarray, mask: np.ndarray) -> Matrix:
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]
        weights = mask[:, :, None].astype(np.float32)
        summed = (hidden * weights).sum(axis=1)
        pooled: Matrix = summed / np.clip(weights.sum(axis=1), 1e-9, None)
        return pooled

    def encode(self, texts: Sequence[str]) -> Matrix:
        """One unit-length row per text (a zero-token text still gets [CLS] [SEP])."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch([_clean(t) for t in texts])
        lengths = np.array([len(e.ids) for e in encodings])
        order = np.argsort(-lengths, kind="stable")
        for start in range(0, len(order), BATCH):
            rows = order[start : start + BATCH]
            width = int(lengths[rows].max())
            ids = np.full((len(rows), width), self._pad_id, dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                enc = encodings[i]
                n = len(enc.ids)
                ids[r, :n] = enc.ids[:n]
                mask[r, :n] = 1
            pooled = self._run(ids, mask)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[rows] = pooled / np.clip(norms, 1e-12, None)
        return out


def _clean(text: str) -> str:
    """Replace lone surrogates etc. that the Rust tokenizer would reject."""
    return text.encode("utf-8", "replace").decode("utf-8")
