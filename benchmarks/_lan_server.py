"""The server side of benchmarks/lan_load.py: the real participant server in a process
of its own, with a Qt main thread standing in for the desktop app's GUI thread.

    .venv/bin/python benchmarks/_lan_server.py --project PATH [--create]

The main thread runs a QCoreApplication with a 10 ms QTimer (its lateness is what the
facilitator would feel as a janky window). It also runs the app's own `ui.bridge.Bridge`
(unless --no-bridge), so every committed event is re-emitted as a queued Qt signal on that
thread, as in the desktop app. PySide6 6.12.0 is excluded because its Signal.emit() leaks a
reference to True (docs/decisions/010); the helper reports whether the installed binding
has that defect (`emit_leaks_true`).
The participant server runs on its own thread and loop; the writer on its own thread.
Garbage is collected on the main thread's timer by the app's own collector (`ui/collector.py`,
decision 016), as in the desktop app (--auto-gc: Python's automatic collection instead). The
arrival check's second look runs beside the server as in the app (`services/arrival.py`,
decision 032: notes are stored unread and read on a thread of its own; --no-second-look leaves
it out).

Facilitator actions are never reachable over HTTP: the benchmark drives them through a
control channel on stdin/stdout, one JSON object per line (a reply for every command).
Times are `time.monotonic()` (CLOCK_MONOTONIC: the same clock in every process).
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal  # noqa: E402

from workshop_app.core.ids import new_id  # noqa: E402
from workshop_app.core.model import ActivityKind, ActivityState, Theme  # noqa: E402
from workshop_app.core.voting import default_budget  # noqa: E402
from workshop_app.infra.process import tune_gc  # noqa: E402
from workshop_app.services import live  # noqa: E402
from workshop_app.services import participation as svc  # noqa: E402
from workshop_app.services import sessions as session_service  # noqa: E402
from workshop_app.services.plans import load_plan  # noqa: E402
from workshop_app.services.project import (  # noqa: E402
    create_project,
    get_settings,
    open_project,
    update_settings,
)
from workshop_app.services.protection import Key  # noqa: E402
from workshop_app.storage import contributions  # noqa: E402
from workshop_app.ui import collector  # noqa: E402
from workshop_app.ui.bridge import Bridge  # noqa: E402
from workshop_app.web.server import ParticipantServer  # noqa: E402

TIMER_MS = 10
THEMES = (
    "Knowing the apps",
    "Talking with children",
    "Who to contact",
    "Schools and services",
    "Time and money",
    "Images and sharing",
    "Gaming chat",
    "Peer pressure",
    "Languages and access",
)
_out_lock = threading.Lock()
# Garbage collections on any thread (each holds the GIL throughout): (end, gen, seconds)
GC_PAUSES: list[tuple[float, int, float]] = []
_gc_start = [0.0]
# Full collections: (seconds, objects freed, objects left in the oldest generation)
FULL_COLLECTED: list[tuple[float, int, int]] = []


def _gc_callback(phase: str, info: dict[str, Any]) -> None:
    if phase == "start":
        _gc_start[0] = time.perf_counter()
    else:
        elapsed = time.perf_counter() - _gc_start[0]
        GC_PAUSES.append((time.monotonic(), info["generation"], elapsed))
        if info["generation"] == 2:
            FULL_COLLECTED.append((elapsed, info["collected"], len(gc.get_objects(2))))


def send(obj: dict[str, Any]) -> None:
    with _out_lock:
        sys.stdout.write(json.dumps(obj, separators=(",", ":")) + "\n")
        sys.stdout.flush()


class Ticker:
    """A periodic QTimer on the main thread, recording how late each tick was."""

    def __init__(self, interval_ms: int):
        self.interval = interval_ms / 1000
        self.samples: list[tuple[float, float]] = []  # (monotonic at tick, lateness s)
        self.gui_events = 0
        self._last = time.monotonic()
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        now = time.monotonic()
        self.samples.append((now, max(0.0, now - self._last - self.interval)))
        self._last = now

    def on_changed(self, _event: object) -> None:
        self.gui_events += 1  # what a panel's slot would do first: note that it changed

    def window(self, since: float, until: float) -> dict[str, Any]:
        late = sorted(lat for t, lat in list(self.samples) if since <= t <= until)
        if not late:
            return {"ticks": 0}
        pauses = [(g, d) for t, g, d in list(GC_PAUSES) if since <= t <= until]
        full = sorted(d for g, d in pauses if g == 2)
        return {
            "gc_collections": len(pauses),
            "gc_full_collections": len(full),
            "gc_max_pause_ms": round(max((d for _, d in pauses), default=0.0) * 1000, 2),
            "gc_total_ms": round(sum(d for _, d in pauses) * 1000, 1),
            "gc_full_max_pause_ms": round(full[-1] * 1000, 2) if full else 0.0,
            "ticks": len(late),
            "expected_ticks": round((until - since) / self.interval),
            "p50_ms": round(late[len(late) // 2] * 1000, 2),
            "p99_ms": round(late[min(len(late) - 1, int(len(late) * 0.99))] * 1000, 2),
            "max_ms": round(late[-1] * 1000, 2),
            "over_35ms": sum(1 for v in late if v > 0.035),
        }


class _Probe(QObject):
    fired = Signal(object)


def emit_leaks_true(times: int = 5) -> bool:
    """Does SignalInstance.emit() drop a reference to True (see the docstring)?"""
    probe = _Probe()
    probe.fired.connect(lambda _e: None)
    before = sys.getrefcount(True)
    for _ in range(times):
        probe.fired.emit(None)
    return sys.getrefcount(True) <= before - times


def setup(path: Path, create: bool, key: Key | None = None) -> tuple[Any, dict[str, Any]]:
    """A fresh project with a live session from the shipped plan, themes to vote on
    (encrypted with `key` when one is given)."""
    if not create:
        p = open_project(path, key=key)
        return p, {}
    p = create_project(path, "LAN load benchmark", "Benchmark town", key=key)
    # The room is thousands of participants (the default cap is 150 people a session).
    update_settings(p, participant_cap=10_000)
    plan = load_plan(ROOT / "sessions" / "prep-parents-carers.toml")
    session = session_service.create_session(
        p, session_service.SessionDetails(title="Load test"), plan
    )
    activities = session_service.list_activities(p, session.id)
    brainstorms = [a.id for a in activities if a.kind is ActivityKind.BRAINSTORM]
    cluster = next(a for a in activities if a.kind is ActivityKind.CLUSTER)
    vote = next(a for a in activities if a.kind is ActivityKind.VOTE)
    now = datetime.now(UTC)
    themes = [
        Theme(new_id(), cluster.id, name, "#3a6ea5", i, (), now) for i, name in enumerate(THEMES)
    ]

    def add_themes(tx: Any) -> None:
        for t in themes:
            contributions.insert_theme(tx.db, t)

    p.store.write_now(add_themes)
    live.go_live(p, session.id)
    live.set_activity_state(p, brainstorms[0], ActivityState.OPEN)
    session = session_service.get_session(p, session.id)
    budget = default_budget(len(themes), get_settings(p).vote_budget_cap)
    info = {
        "session": session.id,
        "token": session.join_token,
        "cookie": "cg_" + session.id[:16],
        "brainstorms": brainstorms,
        "vote": vote.id,
        "themes": [t.id for t in themes],
        "budget": budget,
        "per_item_cap": vote.settings.per_item_cap,
    }
    return p, info


class Control:
    """Reads commands on stdin (a thread of its own) and answers each on stdout."""

    def __init__(self, p: Any, server: ParticipantServer, ticker: Ticker, look: Any = None):
        self.p, self.server, self.ticker, self.look = p, server, ticker, look

    def run(self) -> None:
        for line in sys.stdin:
            if not line.strip():
                continue
            cmd = json.loads(line)
            try:
                reply = getattr(self, "do_" + cmd["cmd"])(cmd)
            except Exception as exc:  # reported to the benchmark, which decides
                reply = {"error": f"{type(exc).__name__}: {exc}"}
            send({"reply": cmd["cmd"], **reply})
            if cmd["cmd"] == "quit":
                os._exit(0)
        os._exit(0)

    def do_seed(self, cmd: dict[str, Any]) -> dict[str, Any]:
        """Participants created with the same write job the HTTP join runs (no rate limit)."""
        futures = [svc.join(self.p, cmd["session"], None) for _ in range(cmd["n"])]
        return {"participants": [f.result(60).id for f in futures]}

    def do_set_state(self, cmd: dict[str, Any]) -> dict[str, Any]:
        t_call = time.monotonic()
        live.set_activity_state(self.p, cmd["activity"], ActivityState(cmd["state"]))
        return {"t_call": t_call, "t_done": time.monotonic()}

    def do_show(self, cmd: dict[str, Any]) -> dict[str, Any]:
        """A facilitator write (make an activity current) timed end to end: how long the
        GUI thread would wait in write_now while phones keep the writer busy."""
        t_call = time.monotonic()
        live.show_activity(self.p, cmd["activity"])
        return {"t_call": t_call, "t_done": time.monotonic()}

    def do_stats(self, _cmd: dict[str, Any]) -> dict[str, Any]:
        return {
            "batches": self.p.store.writer.batches,
            "sse_clients": self.server.phones_connected,
            "gui_events": self.ticker.gui_events,
            "now": time.monotonic(),
        }

    def do_census(self, _cmd: dict[str, Any]) -> dict[str, Any]:
        """What the garbage collector tracks now, by type (the 15 most common), and how many
        objects are frozen: what a full collection has to walk."""
        from collections import Counter as _Counter

        objects = gc.get_objects()
        kinds = _Counter(type(o).__module__ + "." + type(o).__qualname__ for o in objects)
        references = sum(len(gc.get_referents(o)) for o in objects)
        tracked = len(objects)
        del objects
        started = time.perf_counter()
        freed = gc.collect()
        return {
            "references": references,
            "full_collection_now_ms": round((time.perf_counter() - started) * 1000, 2),
            "full_collection_now_freed": freed,
            "full_collections_so_far": [
                (round(s * 1000, 1), freed, left) for s, freed, left in FULL_COLLECTED
            ],
            "tracked": tracked,
            "frozen": gc.get_freeze_count(),
            "by_generation": [len(gc.get_objects(g)) for g in range(3)],
            "top": kinds.most_common(15),
        }

    def do_timer(self, cmd: dict[str, Any]) -> dict[str, Any]:
        return {"windows": {k: self.ticker.window(*v) for k, v in cmd["windows"].items()}}

    def do_quit(self, _cmd: dict[str, Any]) -> dict[str, Any]:
        self.server.stop()
        if self.look is not None:
            self.look.stop()
        self.p.close()
        return {}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("--create", action="store_true")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument(
        "--no-bridge", action="store_true", help="leave out ui.bridge.Bridge (the app runs it)"
    )
    parser.add_argument(
        "--encrypted",
        action="store_true",
        help="an encrypted project (passphrase from WORKSHOP_APP_PASSPHRASE)",
    )
    parser.add_argument(
        "--auto-gc",
        action="store_true",
        help="Python's automatic collection instead of the app's GUI-thread collector",
    )
    parser.add_argument(
        "--no-second-look", action="store_true", help="leave out the arrival check's second look"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)

    gc.callbacks.append(_gc_callback)
    app = QCoreApplication([])
    key = Key(os.environ["WORKSHOP_APP_PASSPHRASE"]) if args.encrypted else None
    p, info = setup(args.project, args.create, key)
    ticker = Ticker(TIMER_MS)
    leaks = emit_leaks_true()
    if not args.no_bridge:
        bridge = Bridge(p.bus)
        bridge.changed.connect(ticker.on_changed)
    look = None
    if not args.no_second_look:
        from workshop_app.runtime.root import prepare_model_soon, second_look, spare_cores
        from workshop_app.themes import ThemeEngine, ThemeModel

        # As the app does when a project opens (AppRuntime.open), well before anyone can
        # go live: the model is prepared in the background (runtime imported, tokenizer
        # read); its weights load when the server starts (the look's get_ready).
        model = ThemeModel(threads=spare_cores())
        prepare_model_soon(model).join()
        look = second_look(p, ThemeEngine(model))
        look.start()
    server = ParticipantServer(p, look=look)
    address = server.start("127.0.0.1", args.port)
    if not args.auto_gc:  # garbage collected on the GUI thread's timer, as in the app,
        # which collects as while serving whenever its participant server runs (decision 033)
        collector.install(app).watch_serving(lambda: server.running)
    tune_gc()  # as the desktop app and `workshop-app serve` do once started
    assert server._thread is not None
    threads = {
        "main_gui": threading.main_thread().native_id,
        "server_loop": server._thread.native_id,
        "writer": p.store.writer._thread.native_id,
    }
    if look is not None:  # the model computes on this thread (one intra-op thread)
        threads["second_look"] = look._thread.native_id
    send(
        {
            "ready": True,
            "port": address.port,
            "pid": os.getpid(),
            "threads": threads,
            "bridge": not args.no_bridge,
            "emit_leaks_true": leaks,
            "gc": "automatic" if args.auto_gc else "the app's GUI-thread collector",
            "second_look": look is not None,
            **info,
        }
    )
    control = Control(p, server, ticker, look)
    threading.Thread(target=control.run, name="control", daemon=True).start()
    app.exec()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
