"""The server side of benchmarks/abuse.py: the real participant server in a process of its
own (started under `prlimit --nofile=1024:1024`), a live session with its brainstorm open.

    python benchmarks/_abuse_server.py PROJECT

Prints one JSON line (port, token, brainstorm id, pid, limits), then answers `stats` on
stdin with one JSON line each (connections, streams, load shed); any other line stops it.
"""

from __future__ import annotations

import json
import os
import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workshop_app.core.model import ActivityKind, ActivityState
from workshop_app.infra.paths import shipped_plans_dir
from workshop_app.infra.process import tune_gc
from workshop_app.services import live, sessions
from workshop_app.services.plans import load_plan
from workshop_app.services.project import create_project, update_settings
from workshop_app.web.server import ParticipantServer


def main() -> None:
    p = create_project(Path(sys.argv[1]), "Abuse benchmark")
    update_settings(p, participant_cap=1000)
    plan = load_plan(shipped_plans_dir() / "prep-parents-carers.toml")
    s = sessions.create_session(p, sessions.SessionDetails("Evening"), plan)
    live.go_live(p, s.id)
    agenda = sessions.list_activities(p, s.id)
    brainstorm = next(a for a in agenda if a.kind is ActivityKind.BRAINSTORM)
    live.set_activity_state(p, brainstorm.id, ActivityState.OPEN)
    server = ParticipantServer(p)
    address = server.start("127.0.0.1", 0)
    tune_gc()  # as `workshop-app serve` and the desktop app do once the server is up
    assert server.limits is not None
    info = {
        "port": address.port,
        "token": sessions.get_session(p, s.id).join_token,
        "brainstorm": brainstorm.id,
        "pid": os.getpid(),
        "nofile": resource.getrlimit(resource.RLIMIT_NOFILE),
        "max_connections": server.limits.max_connections,
        "max_streams": server.limits.max_streams,
    }
    print(json.dumps(info), flush=True)
    for line in sys.stdin:
        if line.strip() != "stats":
            break
        stats = {
            "connections": server.connections,
            "streams": server.phones_connected,
            "shed": server.shedding.recent(),
        }
        print(json.dumps(stats), flush=True)
    server.stop()
    p.close()


if __name__ == "__main__":
    main()
