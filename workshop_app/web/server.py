"""The participant server on a thread of its own, with its own asyncio loop.

Started when a session goes live (from the desktop app or `workshop-app serve`), stopped
when it ends or the window closes. If the chosen port is busy, the next free one is used.
Its connections, streams and timeouts are bounded by web/guard.py, sized from the
process's open-file limit (raised to the hard limit first).
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from dataclasses import dataclass

from aiohttp import web

from workshop_app.core.ids import format_join_code
from workshop_app.infra.process import raise_open_file_limit
from workshop_app.services import sessions as session_service
from workshop_app.services.arrival import SecondLook
from workshop_app.services.project import OpenProject
from workshop_app.web.guard import (
    GuardedRunner,
    GuardedServer,
    Limits,
    Shedding,
    shedding_warnings,
)
from workshop_app.web.routes import CTX, make_app

log = logging.getLogger(__name__)
DEFAULT_PORT = 8080
PORT_TRIES = 20


class ServerError(Exception):
    """The server could not start (no free port, the address is not on this laptop)."""


@dataclass(frozen=True, slots=True)
class Address:
    host: str
    port: int

    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"


#: A connection may linger this long after its answer to let the phone read it.
LINGER_S = 2.0
ACCEPT_BACKLOG = 32


class ParticipantServer:
    def __init__(
        self,
        project: OpenProject,
        limits: Limits | None = None,
        look: SecondLook | None = None,
    ):
        self.project = project
        self.limits = limits
        self.look = look  # the arrival check's second look; the caller closes it
        self.shedding = Shedding()
        self.address: Address | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._app: web.Application | None = None
        self._stopped = threading.Event()

    # ------------------------------------------------------------------ control

    def start(self, host: str = "0.0.0.0", port: int = DEFAULT_PORT) -> Address:  # noqa: S104
        """Start serving; returns the address actually bound (another port if busy)."""
        if self._thread is not None:
            raise ServerError("The server is already running.")
        if self.look is not None:
            self.look.get_ready()  # phones are coming: the look loads its model now
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            try:
                self.address = loop.run_until_complete(self._bind(host, port))
            except BaseException as exc:  # reported to the caller of start()
                failure.append(exc)
                ready.set()
                loop.close()
                return
            ready.set()
            try:
                loop.run_forever()
            finally:
                loop.run_until_complete(self._cleanup())
                loop.close()
                self._stopped.set()

        self._thread = threading.Thread(target=run, name="participant-server", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            self._thread = None
            exc = failure[0]
            if isinstance(exc, ServerError):
                raise exc
            raise ServerError(f"The participant server could not start: {exc}") from exc
        assert self.address is not None
        log.info("participant server on port %d", self.address.port)
        return self.address

    def stop(self, timeout: float = 5.0) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout)
        self._thread = None
        self._loop = None
        self.address = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def sync(self, timeout: float = 10.0) -> None:
        """Wait until the server's loop has handled everything handed to it so far (the
        writer's events included): for tests and benchmarks that act, then look."""
        loop = self._loop
        if loop is None:
            return

        async def nothing() -> None:
            return None

        asyncio.run_coroutine_threadsafe(nothing(), loop).result(timeout)

    def warnings(self) -> list[str]:
        """What the facilitator should know while load is being shed (floods, slow
        connections, a full session): plain sentences, no addresses."""
        return shedding_warnings(self.shedding.recent())

    @property
    def connections(self) -> int:
        """Open connections now (tests and benchmarks)."""
        runner = self._runner
        server = runner.server if runner is not None else None
        return len(server.live) if isinstance(server, GuardedServer) else 0

    @property
    def phones_connected(self) -> int:
        """Phones holding a live-update connection open now."""
        app = self._app
        return app[CTX].broadcaster.client_count if app is not None else 0

    def join_url(self, session_id: str, host: str | None = None) -> str:
        """The link for the QR code: this server's address and the session's join token."""
        if self.address is None:
            raise ServerError("The server is not running.")
        token = session_service.get_session(self.project, session_id).join_token
        address = Address(host or self.address.host, self.address.port)
        return f"{address.base_url()}/j/{token}"

    def join_code(self, session_id: str) -> str:
        return format_join_code(session_service.get_session(self.project, session_id).join_token)

    # ------------------------------------------------------------------ inside the loop

    async def _bind(self, host: str, port: int) -> Address:
        if self.limits is None:
            self.limits = Limits.for_open_files(raise_open_file_limit())
        log.info(
            "participant server limits: %d connections, %d live-update streams",
            self.limits.max_connections,
            self.limits.max_streams,
        )
        self._app = make_app(self.project, self.limits, self.shedding, self.look)
        runner = GuardedRunner(
            self._app,
            self.limits,
            self.shedding,
            access_log=None,
            handle_signals=False,
            shutdown_timeout=1.0,
            lingering_time=LINGER_S,
        )
        await runner.setup()
        self._runner = runner
        candidates = [0] if port == 0 else list(range(port, port + PORT_TRIES))
        last: OSError | None = None
        for candidate in candidates:
            # A short accept queue: a storm of new connections is taken a few at a time,
            # between the phones' requests, not a hundred in one turn of the loop.
            site = web.TCPSite(runner, host, candidate, reuse_address=True, backlog=ACCEPT_BACKLOG)
            try:
                await site.start()
            except OSError as exc:
                last = exc
                continue
            bound = _bound_port(site)
            return Address(host, bound)
        await runner.cleanup()
        if candidates == [0] or (last and last.errno not in (98, 48, 10048)):
            raise ServerError(f"Could not listen on {host}: {last}")
        raise ServerError(
            f"Ports {port} to {port + PORT_TRIES - 1} are all busy on this laptop; "
            "choose another port."
        )

    async def _cleanup(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        self._app = None


def _bound_port(site: web.TCPSite) -> int:
    server = site._server
    sockets = getattr(server, "sockets", None) or []
    for sock in sockets:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            return int(sock.getsockname()[1])
    raise ServerError("The server started but has no listening socket.")
