"""Live updates to phones over Server-Sent Events.

Service events arrive on the writer thread; they are handed to the server's event loop,
which reads the session's live state once and queues it for every phone of that session.
A phone that falls behind keeps only the newest state (a queue of one), so a slow phone
never holds memory or delays the others.

Streams are capped (web/guard.py's Limits): a few per participant (tabs), a few per device
that has not joined, and a total. Past a cap the oldest stream of that kind is closed; the
page's EventSource reconnects by itself after RETRY_MS.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from workshop_app.core.model import Session
from workshop_app.services import participation as svc
from workshop_app.services.events import Changed, Reviewed, Topic
from workshop_app.services.project import OpenProject
from workshop_app.web.guard import Limits, Shedding
from workshop_app.web.headers import SECURITY_HEADERS
from workshop_app.web.limits import Buckets

log = logging.getLogger(__name__)
HEARTBEAT_S = 15.0
RETRY_MS = 2000
_CLOSE = object()


@dataclass(frozen=True, slots=True)
class _Stream:
    owner: str  # "p:<participant id>" or "s:<device>" before joining (in memory only)
    session_id: str


class Broadcaster:
    def __init__(
        self, project: OpenProject, limits: Limits | None = None, shedding: Shedding | None = None
    ):
        self.project = project
        self.limits = limits or Limits.for_open_files(1024)
        self.shedding = shedding or Shedding()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._clients: dict[str, set[asyncio.Queue[Any]]] = {}
        self._streams: OrderedDict[asyncio.Queue[Any], _Stream] = OrderedDict()  # oldest first
        self._unsubscribe: Callable[[], None] | None = None
        # The latest state of each session, so a new stream costs no database read (an
        # attacker opening streams in a loop would otherwise cost one each).
        self._state: dict[str, dict[str, Any]] = {}
        # New streams per owner: a page reconnects every few seconds at most.
        self._opens = Buckets(rate=0.5, burst=6)

    @property
    def client_count(self) -> int:
        return sum(len(c) for c in self._clients.values())

    async def start(self, _app: web.Application) -> None:
        self._loop = asyncio.get_running_loop()
        self._unsubscribe = self.project.bus.subscribe(self._from_writer)

    async def stop(self, _app: web.Application) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        for queues in self._clients.values():
            for q in queues:
                _offer(q, _CLOSE)

    def _from_writer(self, event: object) -> None:
        """Called on the writer thread after commit: hand over to the event loop."""
        loop = self._loop
        if loop is not None and isinstance(event, Reviewed):
            loop.call_soon_threadsafe(self._tell_writers, event)
            return
        if loop is None or not isinstance(event, Changed):
            return
        # Any change may touch what the state says (an activity edited, a session ended):
        # the cached state goes first, on the loop, before anything reads it again.
        loop.call_soon_threadsafe(self._forget, event.session_id)
        if event.topic in (Topic.LIVE, Topic.JOIN) and event.session_id is not None:
            loop.call_soon_threadsafe(self._publish, event)

    def _forget(self, session_id: str | None) -> None:
        if session_id is None:
            self._state.clear()
        else:
            self._state.pop(session_id, None)

    def _publish(self, event: Changed) -> None:
        assert event.session_id is not None
        queues = self._clients.get(event.session_id, set())
        if not queues:
            return
        if event.topic is Topic.JOIN:
            message = ("rotated", {"message": "The link has changed."})
        else:
            message = ("state", self._live_state(event.session_id))
        for q in queues:
            _offer(q, message)

    def _tell_writers(self, event: Reviewed) -> None:
        """Only the phones whose notes the facilitator reviewed re-read their page."""
        owners = {f"p:{pid}" for pid in event.participant_ids}
        mine = [
            q
            for q, s in self._streams.items()
            if s.session_id == event.session_id and s.owner in owners
        ]
        if mine:
            message = ("mine", self._live_state(event.session_id))
            for q in mine:
                _offer(q, message)

    def _make_room(self, owner: str) -> None:
        """Close the oldest streams over a cap: the owner's own first, then anyone's
        (streams of devices that have not joined before those of participants)."""
        mine = [q for q, s in self._streams.items() if s.owner == owner]
        cap = (
            self.limits.streams_per_participant
            if owner.startswith("p:")
            else self.limits.streams_per_source
        )
        for q in mine[: max(0, len(mine) - cap + 1)]:
            self._close(q)
        while len(self._streams) >= self.limits.max_streams:
            anonymous = next((q for q, s in self._streams.items() if s.owner[:2] == "s:"), None)
            self._close(anonymous or next(iter(self._streams)))

    def _live_state(self, session_id: str) -> dict[str, Any]:
        state = self._state.get(session_id)
        if state is None:
            state = self._state[session_id] = svc.live_state(self.project, session_id)
        return state

    def _close(self, queue: asyncio.Queue[Any]) -> None:
        self._streams.pop(queue, None)
        self.shedding.record("streams")
        _offer(queue, _CLOSE)

    async def stream(
        self, request: web.Request, session: Session, owner: str
    ) -> web.StreamResponse:
        if not self._opens.take(owner):
            # Cheap on purpose (no page to render): a loop of these is an attack's shape.
            self.shedding.record("streams")
            refused = web.Response(
                status=429,
                text="Too many live-update connections at once.",
                headers=SECURITY_HEADERS,
            )
            refused.force_close()
            return refused
        resp = web.StreamResponse(
            headers={
                "Content-Type": "text/event-stream",
                "Cache-Control": "no-store",
                "X-Accel-Buffering": "no",
            }
        )
        resp.headers.update(SECURITY_HEADERS)
        resp.force_close()  # the connection ends with the stream: its file is freed at once
        try:
            await resp.prepare(request)
        except ConnectionError:  # the phone (or the connection cap) closed it first
            return resp
        queue: asyncio.Queue[Any] = asyncio.Queue(maxsize=1)
        self._make_room(owner)
        self._streams[queue] = _Stream(owner, session.id)
        self._clients.setdefault(session.id, set()).add(queue)
        try:
            await resp.write(f"retry: {RETRY_MS}\n\n".encode())
            await _send(resp, "state", self._live_state(session.id))
            while True:
                try:
                    item = await asyncio.wait_for(queue.get(), HEARTBEAT_S)
                except TimeoutError:
                    await resp.write(b": still here\n\n")
                    continue
                if item is _CLOSE:
                    break
                if item[0] is _CLOSE:  # a last message, then the end
                    await _send(resp, *item[1])
                    break
                kind, data = item
                await _send(resp, kind, data)
                if kind == "rotated":
                    break
        except (ConnectionResetError, ConnectionError):
            pass
        finally:
            self._streams.pop(queue, None)
            clients = self._clients.get(session.id)
            if clients is not None:
                clients.discard(queue)
                if not clients:
                    del self._clients[session.id]
        return resp


def _offer(queue: asyncio.Queue[Any], item: Any) -> None:
    """Keep only the newest message for a phone that has not read the last one. A newer
    state keeps an unread "mine" (re-read your notes) as it was: it says the same and more."""
    if isinstance(item, tuple) and item[0] == "state":
        with contextlib.suppress(asyncio.QueueEmpty):
            pending = queue.get_nowait()
            if isinstance(pending, tuple) and pending[0] == "mine":
                item = ("mine", item[1])
            elif pending is _CLOSE:
                item = _CLOSE
    elif item is _CLOSE:
        # Closing (the server stops): the last unread state still goes out first, so a
        # phone hears that the session ended before its stream ends.
        with contextlib.suppress(asyncio.QueueEmpty):
            pending = queue.get_nowait()
            if isinstance(pending, tuple):
                item = (_CLOSE, pending)
    while True:
        try:
            queue.put_nowait(item)
            return
        except asyncio.QueueFull:
            with contextlib.suppress(asyncio.QueueEmpty):
                queue.get_nowait()


async def _send(resp: web.StreamResponse, kind: str, data: Any) -> None:
    payload = json.dumps(data, separators=(",", ":"))
    await resp.write(f"event: {kind}\ndata: {payload}\n\n".encode())
