"""One open project's runtime: its store and writer, its participant server, its
note-vector keeper, the thread the facilitator's operations run on, and the order they
stop in.

A project window asks this object to go live, serve, make a new link or end, and gets the
address back as data (`LiveLink`). Every method runs on the caller's (the GUI) thread;
the server and the keeper run on threads of their own, which `close` stops, in order,
before the project's writer closes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from workshop_app.infra.ops import Operations
from workshop_app.services import live as live_service
from workshop_app.services.arrival import SecondLook
from workshop_app.services.live import LiveLink
from workshop_app.services.project import OpenProject
from workshop_app.services.vectors import Progress, VectorKeeper
from workshop_app.themes import ThemeEngine

if TYPE_CHECKING:  # aiohttp loads when a session first goes live
    from workshop_app.web.server import ParticipantServer

log = logging.getLogger(__name__)

#: Builds the participant server of one open project (not started), with the arrival
#: check's second look when there is one.
ServerFactory = Callable[[OpenProject, SecondLook | None], "ParticipantServer"]
#: Builds the arrival check's second look of one open project, with the engine the views use.
LookFactory = Callable[[OpenProject, ThemeEngine], SecondLook]
#: Builds the note-vector keeper of one open project, with the engine the views use, its
#: progress and trouble callbacks and whether the second look reads (notes are left to it).
KeeperFactory = Callable[
    [OpenProject, ThemeEngine, Progress, Callable[[str], None], Callable[[], bool]], VectorKeeper
]


class ProjectRuntime:
    """Owns one open project and what runs beside it; `close` shuts them down in order."""

    def __init__(
        self,
        project: OpenProject,
        engine: ThemeEngine,
        server_factory: ServerFactory | None = None,
        keeper_factory: KeeperFactory | None = None,
        look_factory: LookFactory | None = None,
    ):
        self.project = project
        self.engine = engine  # the process's one engine (AppRuntime)
        self._server_factory = server_factory
        self._keeper_factory = keeper_factory
        self._look_factory = look_factory
        self.server: ParticipantServer | None = None
        self.keeper: VectorKeeper | None = None
        self.look: SecondLook | None = None  # started with the keeper or the first serve
        self.live_session_id: str | None = None  # the session phones may join
        self._closers: list[Callable[[], None]] = []
        # The facilitator's actions, one at a time off the GUI thread (infra/ops.py).
        self.ops = Operations()
        self.closed = False

    # ------------------------------------------------------------------ live

    @property
    def can_serve(self) -> bool:
        """Whether this runtime has a participant server to run (tests may have none)."""
        return self._server_factory is not None

    def resume_live(self) -> str | None:
        """The session left live when the app closed or crashed, taken up again as the
        live one (`serve` then lets phones back in); None when there is none to resume."""
        if not self.can_serve:
            return None
        live_ids = live_service.live_session_ids(self.project)
        if not live_ids:
            return None
        self.live_session_id = live_ids[0]
        return self.live_session_id

    def go_live(self, session_id: str) -> None:
        """Take a session live (raises the service's errors for people: nothing changes)."""
        live_service.go_live(self.project, session_id)
        self.live_session_id = session_id

    def serve(self, host: str, port: int) -> LiveLink | None:
        """(Re)start the participant server on `host` (`port`, or the next free one) for
        the live session; None when there is no live session or no server to run.

        Raises ServerError (or OSError) when phones cannot join: no server runs then, and
        the session stays live.
        """
        if self._server_factory is None or self.live_session_id is None:
            return None
        self.stop_serving()
        self.start_look()
        server = self._server_factory(self.project, self.look)
        server.start(host, port)
        self.server = server
        return self.link(host)

    def link(self, host: str) -> LiveLink | None:
        """Where phones join the live session through `host`; None when not serving."""
        sid, server = self.live_session_id, self.server
        address = server.address if server is not None else None
        if sid is None or server is None or address is None:
            return None
        return LiveLink(sid, host, address.port, server.join_url(sid, host), server.join_code(sid))

    def rotate_link(self, host: str) -> LiveLink | None:
        """A new join link (the old QR code stops working); None when not serving."""
        sid = self.live_session_id
        if sid is None or self.server is None:
            return None
        live_service.rotate_join_token(self.project, sid)
        return self.link(host)

    def end_live(self) -> None:
        """End the live session and stop the server (on an error nothing is stopped)."""
        sid = self.live_session_id
        if sid is None:
            return
        live_service.end_session(self.project, sid)
        self.stop_serving()
        self.live_session_id = None

    def stop_serving(self) -> None:
        """Stop the server; the session stays live (reopening the project resumes it)."""
        server, self.server = self.server, None
        if server is not None:
            server.stop()

    # ------------------------------------------------------------------ the second look

    @property
    def look_problem(self) -> str:
        """Why the second look cannot read notes ("" while it reads, or when there is none)."""
        return self.look.problem if self.look is not None else ""

    def look_reads(self) -> bool:
        """Whether the second look is reading notes now (it keeps each one's vector as it
        reads it); any thread."""
        look = self.look
        return look is not None and look.running and not look.problem

    def start_look(self) -> SecondLook | None:
        """Start the arrival check's second look (None: none here): it reads the notes
        phones send while it runs, and those left unread when the app last closed."""
        if self._look_factory is None or self.look is not None or self.closed:
            return self.look
        self.look = self._look_factory(self.project, self.engine)
        self.look.start()
        return self.look

    # ------------------------------------------------------------------ the keeper

    @property
    def keeps_vectors(self) -> bool:
        """Whether notes are embedded in the background here (tests may have no keeper)."""
        return self._keeper_factory is not None

    def start_keeper(
        self, on_progress: Progress, on_unavailable: Callable[[str], None]
    ) -> VectorKeeper | None:
        """Start embedding the project's notes in the background (None: no keeper here), and
        the second look, which reads notes left unread (start_look)."""
        self.start_look()
        if self._keeper_factory is None or self.keeper is not None or self.closed:
            return self.keeper
        self.keeper = self._keeper_factory(
            self.project, self.engine, on_progress, on_unavailable, self.look_reads
        )
        self.keeper.start()
        return self.keeper

    # ------------------------------------------------------------------ closing

    def on_close(self, stop: Callable[[], None]) -> None:
        """Run `stop` when the project closes, after the server and before the writer (a
        view's worker threads, its redraw scheduler): in the order given."""
        self._closers.append(stop)

    def close(self) -> None:
        """The ordered shutdown, once: the keeper (it writes vectors), the participant
        server (phones write notes), the arrival check's second look (it writes what it
        read), what views registered with `on_close` (workers and
        redraws that read the project), the facilitator's operations still queued (each
        is committed), then the project (the writer commits what is queued and stops;
        the lock is released). A step that fails is logged and the
        next still runs: the project always closes."""
        if self.closed:
            return
        self.closed = True
        steps: list[tuple[str, Callable[[], None]]] = [
            ("the note-vector keeper", self._stop_keeper),
            ("the participant server", self.stop_serving),
            ("the arrival check's second look", self._close_look),
            *(("a view's workers", stop) for stop in self._closers),
            ("the facilitator's operations", self.ops.close),
            ("the project", self.project.close),
        ]
        for what, step in steps:
            try:
                step()
            except Exception:
                log.exception("closing %s of %s", what, self.project.path)
        self._closers.clear()

    def _close_look(self) -> None:
        if self.look is not None:
            self.look.stop()  # after the batch being read; the rest waits in the file

    def _stop_keeper(self) -> None:
        if self.keeper is not None:
            self.keeper.stop()  # waits for the few notes being encoded
