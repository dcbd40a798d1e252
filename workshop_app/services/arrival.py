"""The arrival check's second look: every note a phone sends (and every edit, and every
written survey answer) is read by the theme model after it is stored, and held when most of
its nearest labelled notes are possible disclosures (themes/disclosure.py, decision 032).

While a look runs, the phone services store such notes *unread* (schema v13), and the
projector's own queries never show an unread note; the look reads them here, on a thread of
its own, oldest first, and in one writer job per batch marks each read, keeps its vector
(the background keeper then has nothing left to do for it) and holds the ones that read
like a disclosure, exactly as the phrase rules hold theirs: off the projector, waiting for
the facilitator, with the reason kept as a kind. So the phone's answer never waits for the
model (~35 ms a note on a 2-core laptop) and the single writer's work per note is unchanged;
what waits is the note's way to the projector, by the time the look takes to read it.

When the model or its reference cannot be used, the look says why (`problem`, the log) and
goes on marking notes read without reading them: the phrase rules alone decide then, and
nothing a phone sends is lost or kept off the projector for good. Notes left unread when the
app closed are read when a look next starts.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

import numpy as np

from workshop_app.core.ids import utc_now
from workshop_app.core.model import NoteStatus
from workshop_app.core.safeguarding import is_disclosure, with_second_look
from workshop_app.services.background import ContentWorker
from workshop_app.services.events import Changed, Reviewed, Topic
from workshop_app.services.project import OpenProject
from workshop_app.storage import arrival as repo
from workshop_app.storage import moderation as moderation_repo
from workshop_app.storage import participation as notes_repo
from workshop_app.storage import vectors as vectors_repo
from workshop_app.storage.errors import StorageProblem
from workshop_app.storage.writer import Tx
from workshop_app.themes import Matrix, ModelError, ThemeEngine
from workshop_app.themes.disclosure import DisclosureCheck

__all__ = ["READ_BATCH", "SecondLook"]

log = logging.getLogger(__name__)

#: Notes read in one go at most (one model call, one writer job): small, so that a room's
#: first notes are not kept waiting behind a long backlog.
READ_BATCH = 8
#: After trouble with the disk, the look tries again this much later (seconds).
RETRY_AFTER = 2.0


class SecondLook(ContentWorker):
    """Reads the notes waiting for it, in the background (a `ContentWorker`: `start` it with
    the project, `stop` it before the project closes; it listens to the project's events).
    `on_hold(n)` is called from its thread when it held notes, `on_problem(why)` once when it
    cannot read."""

    name = "cg-arrival"
    what = "the arrival check's second look"

    def __init__(
        self,
        project: OpenProject,
        engine: ThemeEngine,
        reference: DisclosureCheck | None = None,
        *,
        on_hold: Callable[[int], None] | None = None,
        on_problem: Callable[[str], None] | None = None,
    ):
        super().__init__(project)
        self.engine = engine
        self._reference = reference
        self._on_hold = on_hold
        self._on_problem = on_problem
        self.problem = ""  # why notes are read by the rules alone ("" while the look reads)
        self.read_count = 0  # notes read since start (for tests and benchmarks)
        self.held_count = 0  # of which held back (for tests and benchmarks)
        self._get_ready = threading.Event()  # `get_ready` was asked: load before reading

    def _round(self) -> bool:
        """Read one batch and store what was found; False when no note was waiting."""
        if self._get_ready.is_set():
            self._get_ready.clear()
            self._ready()
        waiting = repo.unread_notes(self.project.store.reader(), READ_BATCH)
        if not waiting:
            return False
        found = self._read([w.text for w in waiting])
        job = _reading_job(waiting, found, self.engine.identity)
        try:
            held = self.project.store.write(job).result()
        except StorageProblem as exc:  # a full or read-only disk: try again later
            log.warning("could not store what the arrival check read: %s", exc)
            self._stopping.wait(RETRY_AFTER)
            return True
        self.read_count += len(waiting)
        self.held_count += held
        if held and self._on_hold is not None:
            try:
                self._on_hold(held)
            except Exception:
                log.exception("second look: the hold callback failed")
        return True

    def get_ready(self) -> None:
        """Phones are about to send notes (a participant server starts): load the model and
        the example notes now, on the look's thread, not with the room's first notes.
        Loading holds the interpreter lock for tens of milliseconds at a time (importing the
        model's runtime, reading its files), which the first notes' answers and the console
        would otherwise wait through. Cheap; any thread; nothing happens once loaded."""
        self._get_ready.set()
        self.notify()

    def _ready(self) -> DisclosureCheck | None:
        """The example notes, checked against the model, with the model loaded; None when
        the look cannot read (`problem` says why; the rules alone decide)."""
        if self.problem:
            return None
        try:
            if self._reference is None:
                self._reference = DisclosureCheck.load(self.engine.model.model_dir)
            self._reference.check_model(self.engine.identity)
            self.engine.model.load()
        except ModelError as exc:
            self._give_up(exc)
            return None
        return self._reference

    def _give_up(self, exc: ModelError) -> None:
        self.problem = str(exc)
        log.warning("the arrival check reads notes with its rules alone: %s", exc)
        if self._on_problem is not None:
            try:
                self._on_problem(self.problem)
            except Exception:
                log.exception("second look: the problem callback failed")

    def _read(self, texts: Sequence[str]) -> tuple[Matrix, list[bool]] | None:
        """The texts' vectors and whether each reads like a possible disclosure; None when
        the look cannot read (the rules alone decide)."""
        reference = self._ready()
        if reference is None:
            return None
        try:
            vectors = self.engine.encode(texts)
        except ModelError as exc:
            self._give_up(exc)
            return None
        return vectors, reference.reads_like(vectors)


def _reading_job(
    waiting: Sequence[repo.Unread], found: tuple[Matrix, list[bool]] | None, identity: str
) -> Callable[[Tx], int]:
    """One writer job: each note still waiting with the words read is marked read, keeps its
    vector, and is held when it reads like a possible disclosure and no rule said so (a note
    shown at once goes back to waiting). Returns how many were held."""

    def job(tx: Tx) -> int:
        now = utc_now()
        held = 0
        writers: dict[str, set[str]] = {}  # by session: the phones whose notes were held
        for i, w in enumerate(waiting):
            if not repo.mark_read(tx.db, w.note_id, w.text):
                continue  # edited meanwhile (it waits for its new words) or gone
            if found is None:
                tx.emit(Changed(Topic.CONTENT, session_id=w.session_id, item_id=w.note_id))
                continue
            vectors, flags = found
            data = np.ascontiguousarray(vectors[i], dtype="<f4").tobytes()
            vector = vectors_repo.NewVector(w.note_id, w.text, int(vectors[i].shape[0]), data)
            vectors_repo.put_vectors(tx.db, [vector], identity, now)
            note = notes_repo.get_note(tx.db, w.note_id)
            if flags[i] and note is not None and not is_disclosure(note.hold_reasons):
                reasons = with_second_look(note.hold_reasons, True)
                moderation_repo.set_hold(tx.db, note.id, note.held_at or now, reasons)
                if note.status is NoteStatus.SHOWN:
                    moderation_repo.set_status(tx.db, note.id, NoteStatus.PENDING, now)
                if note.participant_id is not None:  # its phone re-reads its page: waiting,
                    writers.setdefault(w.session_id, set()).add(note.participant_id)  # help
                held += 1
            tx.emit(Changed(Topic.CONTENT, session_id=w.session_id, item_id=w.note_id))
        for session_id, participants in writers.items():
            tx.emit(Reviewed(session_id, frozenset(participants)))
        return held

    return job
