"""What runs while the desktop app is open, built in one place (the composition root).

`AppRuntime` is one per process: the theme engine (one model in memory), the factories
of the participant server, of the arrival check's second look and of the note-vector keeper.
It hands each project window a `ProjectRuntime`, which owns that project's store and writer,
its participant server (going live, ending, a new link, resuming after a crash) with the
second look that reads each arriving note, and its keeper, and closes them
in order (`ProjectRuntime.close`). No Qt here: windows ask through the protocols of
`ui/runtime.py`, and this package never imports `ui`.
"""

from __future__ import annotations

from workshop_app.runtime.project import KeeperFactory, LookFactory, ProjectRuntime, ServerFactory
from workshop_app.runtime.root import (
    AppRuntime,
    note_vector_keeper,
    participant_server,
    second_look,
)

__all__ = [
    "AppRuntime",
    "KeeperFactory",
    "LookFactory",
    "ProjectRuntime",
    "ServerFactory",
    "note_vector_keeper",
    "participant_server",
    "second_look",
]
