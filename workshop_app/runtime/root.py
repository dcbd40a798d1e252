"""The process's runtime: the one theme engine and the factories every project shares.

`AppRuntime.for_desktop()` is what the desktop app runs with; tests build an
`AppRuntime` with only the parts they need (no server, no keeper, an engine with its
model already loaded).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from workshop_app.runtime.project import KeeperFactory, LookFactory, ProjectRuntime, ServerFactory
from workshop_app.services.arrival import SecondLook
from workshop_app.services.project import OpenProject
from workshop_app.services.vectors import Progress, VectorKeeper
from workshop_app.themes import ThemeEngine, ThemeModel

if TYPE_CHECKING:
    from workshop_app.web.server import ParticipantServer

log = logging.getLogger(__name__)

#: How long closing waits for the model's preparing to finish (it takes a fraction of a second).
WARMING_WAIT_S = 30.0


def participant_server(project: OpenProject, look: SecondLook | None = None) -> ParticipantServer:
    """The phone server for one open project (not started)."""
    from workshop_app.web.server import ParticipantServer  # aiohttp loads on first use

    return ParticipantServer(project, look=look)


def second_look(project: OpenProject, engine: ThemeEngine) -> SecondLook:
    """The arrival check's second look of one project (services/arrival.py), with the
    engine the views use (one model in memory)."""
    return SecondLook(project, engine)


def note_vector_keeper(
    project: OpenProject,
    engine: ThemeEngine,
    on_progress: Progress,
    on_unavailable: Callable[[str], None],
    look_reads: Callable[[], bool],
) -> VectorKeeper:
    """Embeds a project's notes in the background with the engine the board and the wall
    use (one model in memory), so that suggestions only cluster; notes waiting for the
    second look are left to it while `look_reads()` (it keeps their vectors)."""
    return VectorKeeper(
        project,
        engine,
        on_progress=on_progress,
        on_unavailable=on_unavailable,
        look_reads=look_reads,
    )


def prepare_model_soon(model: ThemeModel) -> threading.Thread:
    """Prepare the theme model (its runtime imported, its tokenizer read: `ThemeModel.prepare`)
    on a thread of its own (`cg-warm`), started now. Both stop every thread for tens of
    milliseconds: when a project opens, that falls among the window's own start-up, not on
    the room's first notes when the session goes live (decision 036). The weights still
    load when first needed."""

    def run() -> None:
        try:
            model.prepare()
        except Exception as exc:  # loading the model later says so in words
            log.info("the theme model could not be prepared: %s", exc)

    thread = threading.Thread(target=run, name="cg-warm", daemon=True)
    thread.start()
    return thread


def spare_cores() -> int:
    """Cores the theme model may compute on: all but one (at least one)."""
    return max(1, (os.cpu_count() or 2) - 1)


class AppRuntime:
    """One per process: builds the theme engine once and a `ProjectRuntime` per project."""

    def __init__(
        self,
        server_factory: ServerFactory | None = None,
        keeper_factory: KeeperFactory | None = None,
        engine: ThemeEngine | None = None,
        look_factory: LookFactory | None = None,
    ):
        # Built now, read on first use (the views load its model off the GUI thread). It
        # computes on one core fewer than the laptop has: on a 2-core laptop the keeper's
        # encoding must leave a core to the GUI, the phones' server and the writer (measured
        # with benchmarks/console.py: 412 ms GUI stalls with both cores, docs/performance.md).
        self.engine = (
            engine if engine is not None else ThemeEngine(ThemeModel(threads=spare_cores()))
        )
        self.server_factory = server_factory
        self.keeper_factory = keeper_factory
        self.look_factory = look_factory
        self._open: list[ProjectRuntime] = []
        self.warming: threading.Thread | None = None  # the model's preparing (once)

    @classmethod
    def for_desktop(cls) -> AppRuntime:
        """The desktop app's: a participant server, the arrival check's second look and a
        note-vector keeper per project."""
        return cls(participant_server, note_vector_keeper, look_factory=second_look)

    def open(self, project: OpenProject) -> ProjectRuntime:
        """Take charge of an open project: from here on its runtime closes it."""
        wants_model = self.look_factory is not None or self.keeper_factory is not None
        if self.warming is None and wants_model:
            self.warming = prepare_model_soon(self.engine.model)  # the first project
        self._open = [r for r in self._open if not r.closed]
        runtime = ProjectRuntime(
            project, self.engine, self.server_factory, self.keeper_factory, self.look_factory
        )
        self._open.append(runtime)
        return runtime

    def serving(self) -> bool:
        """Whether any open project's participant server is running (phones may be sending):
        the GUI thread's garbage collector works differently then (decision 033)."""
        return any(r.server is not None and r.server.running for r in self.projects)

    @property
    def projects(self) -> list[ProjectRuntime]:
        """The project runtimes not yet closed."""
        return [r for r in self._open if not r.closed]

    def close(self) -> None:
        """Close every project still open (each in its own order); for the end of `run`.
        The model's preparing is waited for too: a thread left importing a native library
        while the interpreter shuts down can crash the process on its way out."""
        for runtime in self.projects:
            runtime.close()
        self._open.clear()
        if self.warming is not None:
            self.warming.join(WARMING_WAIT_S)
