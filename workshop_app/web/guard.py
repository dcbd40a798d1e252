"""The participant server's defences for a crowded or hostile room (decision 014).

Anyone on the Wi-Fi can open connections. Without limits, ~1,010 idle connections that send
half a request exhaust a laptop's 1,024 open files and nobody can join. Here:

- **A connection cap** from the open-file limit. When it is reached, a new connection
  evicts the least useful one: first a connection that has not finished sending a single
  request (an idle or half-sent one, the attack's shape), then one idling between requests;
  never a request being answered. Only when nothing can go is the new one turned away.
- **Timeouts**: a connection must finish its request headers within a few seconds of
  opening (or of its last answer), and may idle between requests a few seconds more;
  bodies must arrive within a few seconds (``read_body``).
- **Our own answers** to requests aiohttp refuses before our routes see them (malformed
  HTTP, too-long headers): a short plain message, our security headers, no server banner,
  nothing of the request echoed back.
- **A record of what was shed**, counted per reason over the last minute, for the log and
  the facilitator's Live panel. No address is stored or logged.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aiohttp import web
from aiohttp.web_protocol import RequestHandler
from aiohttp.web_request import BaseRequest

from workshop_app.web.headers import SECURITY_HEADERS
from workshop_app.web.limits import source_of

log = logging.getLogger(__name__)
T = TypeVar("T")

#: Open files kept for everything but phones: SQLite connections, the model, logs, Qt.
RESERVED_FILES = 200
#: More connections than this are never useful to a workshop, whatever the limit allows.
MOST_CONNECTIONS = 4000
#: How often the watchdog looks for connections over their time.
WATCH_EVERY_S = 1.0
#: How long a shed-load message waits before it is logged again (per reason).
LOG_EVERY_S = 30.0
WINDOW_S = 60.0


@dataclass(frozen=True, slots=True)
class Limits:
    """How much of the laptop the participant server may use."""

    max_connections: int
    max_streams: int  # live-update streams (one per phone page; a few more for tabs)
    # One device (a source address) never needs more: a phone holds one or two. Devices
    # behind one address (a rare guest network that hides them) share it.
    connections_per_source: int = 48
    streams_per_participant: int = 3
    streams_per_source: int = 8  # streams from one device before it joined
    header_timeout_s: float = 5.0  # to send a request's headers after connecting
    idle_timeout_s: float = 15.0  # between two requests on one connection
    body_timeout_s: float = 5.0  # to send a request's body

    @classmethod
    def for_open_files(cls, soft_limit: int) -> Limits:
        usable = max(48, soft_limit - RESERVED_FILES)
        connections = min(MOST_CONNECTIONS, usable)
        return cls(max_connections=connections, max_streams=max(16, connections * 2 // 3))


# ---------------------------------------------------------------- what was shed


SHED_REASONS = {
    "slow": "connections closed for sending too slowly or idling",
    "evicted": "idle connections closed to make room for new ones",
    "refused": "connections turned away because the server was full",
    "streams": "live-update streams closed (too many from one phone)",
    "joins": "join attempts refused (too many from one device)",
    "writes": "submissions refused (too many from one device)",
    "full": "joins refused because the session is full",
}


@dataclass
class Shedding:
    """Counts of load shed, per reason, over the last minute (never an address)."""

    events: dict[str, deque[float]] = field(default_factory=dict)
    last_logged: dict[str, float] = field(default_factory=dict)

    def record(self, reason: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        q = self.events.setdefault(reason, deque())
        q.append(now)
        self._trim(q, now)
        if now - self.last_logged.get(reason, -LOG_EVERY_S) >= LOG_EVERY_S:
            self.last_logged[reason] = now
            log.warning(
                "shedding load: %d %s in the last minute; the server keeps room for phones",
                len(q),
                SHED_REASONS.get(reason, reason),
            )

    def recent(self, now: float | None = None) -> dict[str, int]:
        now = time.monotonic() if now is None else now
        out = {}
        for reason, q in self.events.items():
            self._trim(q, now)
            if q:
                out[reason] = len(q)
        return out

    @staticmethod
    def _trim(q: deque[float], now: float) -> None:
        while q and now - q[0] > WINDOW_S:
            q.popleft()


def shedding_warnings(counts: dict[str, int]) -> list[str]:
    """What the facilitator's Live panel says while load is being shed."""
    lines = []
    flood = counts.get("joins", 0) + counts.get("writes", 0)
    if flood:
        lines.append(
            f"A device is sending far too much: {flood} attempts refused in the last "
            "minute. Everyone else can still join and take part."
        )
    slow = counts.get("slow", 0) + counts.get("evicted", 0) + counts.get("refused", 0)
    if slow >= 20:
        lines.append(
            f"Something on the Wi-Fi is holding connections open: {slow} closed in the "
            "last minute to keep room for phones."
        )
    if counts.get("full"):
        lines.append(
            f"{counts['full']} phones could not join in the last minute because the session "
            "is full: raise the limit in Project → Settings if they should."
        )
    return lines


# ---------------------------------------------------------------- connections


class _BareResponse(web.Response):
    """A response without aiohttp's `Server:` banner (for answers aiohttp makes itself)."""

    async def _prepare_headers(self) -> None:
        await super()._prepare_headers()
        self.headers.pop("Server", None)


class GuardedHandler(RequestHandler):
    """aiohttp's per-connection protocol, timed: when it opened, when it last went idle."""

    def __init__(self, manager: GuardedServer, **kwargs: Any) -> None:
        super().__init__(manager, **kwargs)
        self.guard_server = manager
        self.opened_at = time.monotonic()
        self.idle_since: float | None = self.opened_at  # None while answering a request
        self.answered = 0  # requests answered on this connection

    async def _handle_request(
        self,
        request: BaseRequest,
        start_time: float | None,
        request_handler: Callable[[BaseRequest], Awaitable[web.StreamResponse]],
    ) -> tuple[web.StreamResponse, bool]:
        self.idle_since = None
        try:
            return await super()._handle_request(request, start_time, request_handler)
        finally:
            self.answered += 1
            self.idle_since = time.monotonic()

    def handle_error(
        self,
        request: BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        """aiohttp's own refusals (bad HTTP, headers too long): ours instead, echoing nothing."""
        if status >= 500 and exc is not None:
            log.error("participant server: %s", type(exc).__name__, exc_info=exc)
        if request.writer.output_size > 0:
            raise ConnectionError("the answer had started; the connection is dropped")
        text = {
            400: "That request could not be read.",
            413: "That was too much to send at once.",
            431: "That request could not be read.",
        }.get(status, "Something went wrong on the facilitator's laptop.")
        resp = _BareResponse(status=status, text=text, content_type="text/plain")
        for name, value in SECURITY_HEADERS.items():
            resp.headers[name] = value
        resp.headers["Cache-Control"] = "no-store"
        resp.force_close()
        return resp

    def drop(self) -> None:
        """Close at once, without lingering (the watchdog's and the cap's way out)."""
        transport = self.transport
        if transport is not None:
            transport.abort()
        self.force_close()


class _Gate(asyncio.Protocol):
    """The first protocol of every connection: admits it (handing the transport to
    aiohttp's handler) or closes it, before anything costly is built."""

    def __init__(self, server: GuardedServer) -> None:
        self._server = server

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._server.admit(transport)

    def connection_lost(self, exc: Exception | None) -> None:
        pass  # refused: nothing was built


class GuardedServer(web.Server):
    """aiohttp's connection manager with a cap, eviction and a watchdog."""

    def __init__(self, limits: Limits, shedding: Shedding, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limits = limits
        self.shedding = shedding
        self._watch: asyncio.TimerHandle | None = None
        # Connections open now. aiohttp forgets a closed one only once its task ends, so
        # its own list may still hold connections that are already gone.
        self.live: set[RequestHandler] = set()
        self._sources: dict[RequestHandler, str] = {}
        self._per_source: dict[str, int] = {}  # in memory only: never stored or logged
        self._pending_source: str | None = None

    def __call__(self) -> asyncio.Protocol:  # type: ignore[override]
        return _Gate(self)

    def admit(self, transport: asyncio.Transport) -> RequestHandler | None:
        """A new connection: aiohttp's handler for it, or None when its device already
        holds as many connections as one may (the connection is closed at once)."""
        source = source_of(transport)
        if self._per_source.get(source, 0) >= self.limits.connections_per_source:
            # One device holding dozens of connections is not a phone: its new one goes,
            # before aiohttp builds anything for it (a flood reconnects at once).
            self.shedding.record("refused")
            transport.abort()
            return None
        handler = GuardedHandler(self, loop=self._loop, **self._kwargs)
        self._pending_source = source
        transport.set_protocol(handler)
        handler.connection_made(transport)
        return handler

    def start_watching(self) -> None:
        self._watch = self._loop.call_later(WATCH_EVERY_S, self._watchdog)

    def stop_watching(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            self._watch = None

    def connection_lost(self, handler: RequestHandler, exc: BaseException | None = None) -> None:
        self._forget(handler)
        super().connection_lost(handler, exc)

    def _forget(self, handler: RequestHandler) -> None:
        self.live.discard(handler)
        source = self._sources.pop(handler, None)
        if source is not None:
            left = self._per_source[source] - 1
            if left:
                self._per_source[source] = left
            else:
                del self._per_source[source]

    def connection_made(self, handler: RequestHandler, transport: asyncio.Transport) -> None:
        super().connection_made(handler, transport)
        source, self._pending_source = self._pending_source or source_of(transport), None
        self.live.add(handler)
        self._sources[handler] = source
        self._per_source[source] = self._per_source.get(source, 0) + 1
        if len(self.live) <= self.limits.max_connections:
            return
        victim = self._least_useful(exclude=handler)
        if victim is None:
            self.shedding.record("refused")
            self._forget(handler)
            if isinstance(handler, GuardedHandler):
                handler.drop()
            else:
                transport.abort()
            return
        self.shedding.record("evicted")
        self._forget(victim)
        victim.drop()

    def _least_useful(self, exclude: RequestHandler) -> GuardedHandler | None:
        """The connection to give up: one that never finished a request (oldest first),
        else the longest idle between requests; never one being answered."""
        never: GuardedHandler | None = None
        idle: GuardedHandler | None = None
        for h in self.live:
            if h is exclude or not isinstance(h, GuardedHandler) or h.idle_since is None:
                continue
            if h.answered == 0:
                if never is None or h.opened_at < never.opened_at:
                    never = h
            elif idle is None or h.idle_since < (idle.idle_since or 0.0):
                idle = h
        return never or idle

    def _watchdog(self) -> None:
        try:
            now = time.monotonic()
            for h in list(self.live):
                if not isinstance(h, GuardedHandler) or h.idle_since is None:
                    continue
                allowed = (
                    self.limits.header_timeout_s if h.answered == 0 else self.limits.idle_timeout_s
                )
                if now - h.idle_since > allowed:
                    if h.answered == 0:
                        self.shedding.record("slow")
                    self._forget(h)
                    h.drop()
        finally:
            self._watch = self._loop.call_later(WATCH_EVERY_S, self._watchdog)


class GuardedRunner(web.AppRunner):
    """An AppRunner whose connection manager is a GuardedServer."""

    def __init__(
        self, app: web.Application, limits: Limits, shedding: Shedding, **kwargs: Any
    ) -> None:
        super().__init__(app, **kwargs)
        self.limits = limits
        self.shedding = shedding

    async def _make_server(self) -> web.Server:
        plain = await super()._make_server()  # the app started, its handler arguments set
        server = GuardedServer(
            self.limits,
            self.shedding,
            plain.request_handler,
            request_factory=plain.request_factory,
            handler_cancellation=plain.handler_cancellation,
            loop=asyncio.get_running_loop(),
            **plain._kwargs,
        )
        server.start_watching()
        return server

    async def _cleanup_server(self) -> None:
        server = self.server
        if isinstance(server, GuardedServer):
            server.stop_watching()
        await super()._cleanup_server()


async def read_body(reading: Awaitable[T], limits: Limits) -> T:
    """A request body, or 408 when it does not arrive in time (a slow sender holds nothing)."""
    try:
        async with asyncio.timeout(limits.body_timeout_s):
            return await reading
    except TimeoutError:
        raise web.HTTPRequestTimeout(text="That took too long to arrive.") from None
