"""Notes' sentence vectors, computed once per note and kept in the project (schema v8).

A note is embedded in the background soon after it arrives or is edited (`VectorKeeper`),
so theme suggestions, "notes like these" and possible duplicates only compare vectors
(`vectors_for`). A vector depends on its note's text alone (decision 013), so where and
in which batch it was computed never changes it. Vectors are derived data: they name the
model that made them and the text they came from, go when words are removed for good,
and are never exported. No Qt here: the desktop app shows the keeper's progress.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Protocol

import numpy as np

from workshop_app.core.ids import utc_now
from workshop_app.services.background import ContentWorker
from workshop_app.services.errors import message_for
from workshop_app.services.project import OpenProject
from workshop_app.storage import vectors as repo
from workshop_app.storage.errors import StorageProblem, StoreClosedError
from workshop_app.storage.writer import Tx
from workshop_app.themes import Matrix, ModelError, ThemeEngine

__all__ = [
    "BACKLOG_SHOWN",
    "ENCODE_CHUNK",
    "WRITE_BATCH",
    "VectorKeeper",
    "progress_words",
    "vectors_for",
]

log = logging.getLogger(__name__)

#: Notes written in one transaction by the keeper, at most.
WRITE_BATCH = 32
#: Notes encoded in one call by the keeper: small, so that closing waits for at most this.
ENCODE_CHUNK = 8
#: A backlog is worth telling the facilitator about from this many notes lacking a vector
#: (a room posting keeps a few notes waiting for a moment; that is not news).
BACKLOG_SHOWN = 20
#: After trouble with the disk, the keeper tries again this much later (seconds).
RETRY_AFTER = 5.0
#: Woken after it had nothing left to do, the keeper lets notes gather this long before it
#: looks at the backlog again (seconds): in a live room every note and every note the second
#: look reads is an event, and a look at the backlog per event kept the keeper busy querying
#: (measured with benchmarks/console.py: 89 % of its thread, with nothing to embed).
SETTLE = 0.5

Progress = Callable[[int, int], None]  # (notes with a vector, notes in all)


class NoteLike(Protocol):
    """A note as the caller holds it (a `Note`, a board's note): its id and its text."""

    @property
    def id(self) -> str: ...
    @property
    def text(self) -> str: ...


def _as_matrix(stored: repo.StoredVector) -> Matrix:
    return np.frombuffer(stored.data, dtype="<f4").astype(np.float32)


def _as_bytes(row: Matrix) -> bytes:
    return np.ascontiguousarray(row, dtype="<f4").tobytes()


def vectors_for(p: OpenProject, notes: Sequence[NoteLike], engine: ThemeEngine) -> Matrix:
    """The notes' vectors, one row per note in order: those kept in the project for their
    current text, the rest encoded now (and kept, through the writer, without waiting).

    Blocking while the model encodes: call it from a worker thread. Raises ModelError
    when a vector is missing and the model cannot be used.
    """
    texts = [n.text for n in notes]
    identity = engine.identity
    try:
        stored = repo.get_vectors(p.store.reader(), [n.id for n in notes], identity)
    except StoreClosedError:  # the window closed meanwhile: the answer is not wanted
        stored = {}
    rows: list[Matrix | None] = []
    for n in notes:
        s = stored.get(n.id)
        fresh = s is not None and s.text_hash == repo.text_hash(n.text)
        rows.append(_as_matrix(s) if s is not None and fresh else None)
    missing = [i for i, r in enumerate(rows) if r is None]
    if missing:
        encoded = engine.encode([texts[i] for i in missing])
        for i, row in zip(missing, encoded, strict=True):
            rows[i] = row
        _keep(p, [(notes[i].id, texts[i], encoded[j]) for j, i in enumerate(missing)], identity)
    if not rows:
        return engine.encode([])
    dims = {r.shape[0] for r in rows if r is not None}
    if len(dims) != 1:  # a vector kept by a different build of the same model: redo all
        return engine.encode(texts)
    return np.vstack([r for r in rows if r is not None]).astype(np.float32, copy=False)


def _keep(p: OpenProject, found: Sequence[tuple[str, str, Matrix]], identity: str) -> None:
    """Store vectors computed on demand; a read-only or closed project keeps none."""
    if p.read_only or not found:
        return
    new = [repo.NewVector(i, t, int(v.shape[0]), _as_bytes(v)) for i, t, v in found]

    def job(tx: Tx) -> int:
        return repo.put_vectors(tx.db, new, identity, utc_now())

    try:
        future = p.store.write(job)
    except StoreClosedError:
        return
    future.add_done_callback(_log_failure)


def _log_failure(future: Future[int]) -> None:
    exc = future.exception()
    if exc is not None and not isinstance(exc, (StorageProblem, StoreClosedError)):
        log.error("could not keep note vectors", exc_info=exc)


def progress_words(done: int, total: int, *, shown: bool = False) -> str:
    """What the status bar says while a backlog is embedded: "" when nothing is left, or
    when too little is left to mention and nothing was said yet (`shown`)."""
    left = total - done
    if left < 1 or (left < BACKLOG_SHOWN and not shown):
        return ""
    return f"Preparing theme suggestions: {done} of {total} notes"


class VectorKeeper(ContentWorker):
    """Embeds the notes lacking a current vector, in the background, and keeps them.

    A plain thread: `start` it with the project, `notify` it when notes may have changed
    (it also listens to the project's events itself), `stop` it before the project closes.
    `on_progress(done, total)` is called from its thread as a backlog shrinks, and once
    more when none is left; `on_unavailable(message)` once if the model cannot be used
    (the keeper then stops: everything else works without it). Newest notes first, so a
    live room's notes are ready before an old project's backlog. `look_reads()` says whether
    the arrival check's second look is reading notes: while it is, the notes waiting for it
    are left to it, as it keeps each one's vector (one encoding per note, not two).
    """

    name = "cg-vectors"
    what = "the note vector keeper"

    def __init__(
        self,
        project: OpenProject,
        engine: ThemeEngine,
        *,
        on_progress: Progress | None = None,
        on_unavailable: Callable[[str], None] | None = None,
        write_batch: int = WRITE_BATCH,
        encode_chunk: int = ENCODE_CHUNK,
        look_reads: Callable[[], bool] | None = None,
        settle: float = SETTLE,
    ) -> None:
        super().__init__(project)
        self.engine = engine
        self._look_reads = look_reads
        self._settle = settle
        self._caught_up = False  # the last round found nothing to embed
        self._on_progress = on_progress
        self._on_unavailable = on_unavailable
        self._write_batch = max(1, write_batch)
        self._encode_chunk = max(1, min(encode_chunk, self._write_batch))
        self.embedded = 0  # notes embedded and kept since start (for benchmarks)
        self.problem = ""  # why the keeper stopped early ("" while it works)

    def stop(self, timeout: float = 30.0) -> None:
        """Stop after the notes being encoded (at most `encode_chunk`), or after the model
        has loaded if it is loading (a second or two, longer on a busy laptop: the keeper
        runs at a lower priority); waits for it."""
        super().stop(timeout)

    # ------------------------------------------------------------------ the thread

    def _round(self) -> bool:
        """Embed and keep one batch; False when nothing was left to do."""
        if self._caught_up and self._stopping.wait(self._settle):
            return False
        identity = self.engine.identity
        todo = repo.backlog(
            self.project.store.reader(), identity, leave_unread=self._leaves_unread()
        )
        done = todo.total - len(todo.missing) - todo.waiting
        self._progress(done, todo.total)
        self._caught_up = not todo.missing
        if not todo.missing:
            return False  # (notes the look is to read: its job's event wakes us again)
        batch = todo.missing[: self._write_batch]
        found: list[repo.NewVector] = []
        for start in range(0, len(batch), self._encode_chunk):
            if self._stopping.is_set():
                break
            chunk = batch[start : start + self._encode_chunk]
            try:
                encoded = self.engine.encode([text for _, text in chunk])
            except ModelError as exc:
                self._give_up(message_for(exc))
                return False
            found += [
                repo.NewVector(note_id, text, int(v.shape[0]), _as_bytes(v))
                for (note_id, text), v in zip(chunk, encoded, strict=True)
            ]
        if not found:
            return False

        def job(tx: Tx) -> int:
            return repo.put_vectors(tx.db, found, identity, utc_now())

        try:
            self.embedded += self.project.store.write(job).result()
        except StorageProblem as exc:  # a full or read-only disk: try again later
            log.warning("could not keep note vectors: %s", exc)
            self._stopping.wait(RETRY_AFTER)
        return True

    def _leaves_unread(self) -> bool:
        """Whether the arrival check's second look is reading: each note it reads gets its
        vector from it (`services/arrival.py`), so the notes waiting for it are left to it."""
        if self._look_reads is None:
            return False
        try:
            return self._look_reads()
        except Exception:
            log.exception("vector keeper: asking whether the look reads failed")
            return False

    def _give_up(self, message: str) -> None:
        self.problem = message
        self._stopping.set()
        log.info("theme suggestions unavailable, notes are not embedded: %s", message)
        if self._on_unavailable is not None:
            try:
                self._on_unavailable(message)
            except Exception:
                log.exception("vector keeper: the unavailable callback failed")

    def _progress(self, done: int, total: int) -> None:
        if self._on_progress is not None:
            try:
                self._on_progress(done, total)
            except Exception:
                log.exception("vector keeper: the progress callback failed")
