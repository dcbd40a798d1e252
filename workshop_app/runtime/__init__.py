"""What runs while the desktop app is open, built in one place (the composition root).

`AppRuntime` is one per process: the theme engine (one model in memory), the factories
of the participant server and of the note-vector keeper. It hands each project window a
`ProjectRuntime`, which owns that project's store and writer, its participant server
(going live, ending, a new link, resuming after a crash) and its keeper, and closes them
in order (`ProjectRuntime.close`). No Qt here: windows ask through the protocols of
`ui/runtime.py`, and this package never imports `ui`.
"""

from __future__ import annotations

from workshop_app.runtime.project import KeeperFactory, ProjectRuntime, ServerFactory
from workshop_app.runtime.root import AppRuntime, note_vector_keeper, participant_server

__all__ = [
    "AppRuntime",
    "KeeperFactory",
    "ProjectRuntime",
    "ServerFactory",
    "note_vector_keeper",
    "participant_server",
]
