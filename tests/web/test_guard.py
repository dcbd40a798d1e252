"""A hostile or crowded room cannot take the participant server down (web/guard.py).

The real server on 127.0.0.1, raw sockets as attackers and phones. Each device gets its
own loopback address (127.0.0.x: Linux routes the whole 127/8 to the loopback), so the
server sees them as different devices, as it would on the room's Wi-Fi.
"""

from __future__ import annotations

import dataclasses
import http.client
import json
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import closing, suppress

import pytest

from tests.web.conftest import World, build_world
from workshop_app.services import live, sessions
from workshop_app.services import participation as svc
from workshop_app.services import project as projects
from workshop_app.services.project import OpenProject
from workshop_app.web.guard import Limits, Shedding, shedding_warnings
from workshop_app.web.server import ParticipantServer

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="distinct loopback sources need Linux"
)

SMALL = Limits(
    max_connections=40,
    max_streams=12,
    streams_per_participant=3,
    streams_per_source=4,
    header_timeout_s=1.0,
    idle_timeout_s=2.0,
    body_timeout_s=1.0,
)


class Served:
    def __init__(self, world: World, server: ParticipantServer, port: int):
        self.world, self.server, self.port = world, server, port

    def connect(self, source: str = "127.0.0.1", timeout: float = 10) -> socket.socket:
        s = socket.create_connection(("127.0.0.1", self.port), timeout, (source, 0))
        return s

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        source: str = "127.0.0.1",
    ) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=10, source_address=(source, 0)
        )
        with closing(conn):
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            return resp.status, dict(resp.getheaders()), resp.read()

    def join(self, source: str) -> tuple[int, str]:
        status, headers, _ = self.request(
            "POST",
            f"/j/{self.world.token}/join",
            urllib.parse.urlencode({"group": "none"}).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
            source=source,
        )
        cookie = headers.get("Set-Cookie", "").split(";", 1)[0]
        return status, cookie


@pytest.fixture
def served(project: OpenProject) -> Iterator[Served]:
    world = build_world(project)
    world.open(world.brainstorm)
    server = ParticipantServer(project, limits=SMALL)
    address = server.start("127.0.0.1", 0)
    try:
        yield Served(world, server, address.port)
    finally:
        server.stop()


def _half_request(s: socket.socket) -> None:
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # and never the blank line


def _closed_by_server(s: socket.socket, within: float) -> bool:
    s.settimeout(within)
    try:
        while s.recv(1024):
            pass
    except TimeoutError:
        return False
    except OSError:
        return True
    return True


# ---------------------------------------------------------------- connections


def test_idle_half_sent_connections_beyond_the_cap_leave_room_for_phones(served: Served) -> None:
    attackers = []
    try:
        for _ in range(3 * SMALL.max_connections):
            s = served.connect("127.0.0.2")
            _half_request(s)
            attackers.append(s)
        # A phone still gets an answer at once, and keeps getting them.
        for _ in range(5):
            status, _, body = served.request("GET", "/ping", source="127.0.0.3")
            assert (status, body) == (200, b"ok")
        assert served.server.connections <= SMALL.max_connections
    finally:
        for s in attackers:
            s.close()
    assert served.server.shedding.recent().get("evicted", 0) > 0


def test_a_half_sent_request_is_closed_after_the_header_timeout(served: Served) -> None:
    with served.connect("127.0.0.2") as s:
        _half_request(s)
        started = time.monotonic()
        assert _closed_by_server(s, within=SMALL.header_timeout_s + 3)
        assert time.monotonic() - started >= SMALL.header_timeout_s * 0.9


def test_a_slowloris_trickling_header_bytes_is_closed_too(served: Served) -> None:
    with served.connect("127.0.0.2") as s:
        s.sendall(b"GET / HTTP/1.1\r\n")
        started = time.monotonic()
        closed = False
        while time.monotonic() - started < SMALL.header_timeout_s + 4:
            try:
                s.sendall(b"X-a: b\r\n")  # a header line every 0.2 s, never the end
            except OSError:
                closed = True
                break
            time.sleep(0.2)
        assert closed or _closed_by_server(s, within=1)
    assert served.server.shedding.recent().get("slow", 0) >= 1


def test_a_keep_alive_connection_idling_between_requests_is_closed_after_a_while(
    served: Served,
) -> None:
    with served.connect("127.0.0.3") as s:
        s.sendall(b"GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
        assert b"200" in s.recv(1024).split(b"\r\n", 1)[0]
        assert _closed_by_server(s, within=SMALL.idle_timeout_s + 3)


def test_a_body_that_does_not_arrive_in_time_gets_408_and_stores_nothing(served: Served) -> None:
    status, cookie = served.join("127.0.0.3")
    assert status == 303
    before = served.world.all_rows()
    with served.connect("127.0.0.3") as s:
        s.sendall(
            f"POST /j/{served.world.token}/api/notes HTTP/1.1\r\nHost: x\r\n"
            f"Content-Type: application/json\r\nContent-Length: 200\r\nCookie: {cookie}\r\n\r\n"
            '{"text": "partly'.encode()
        )
        s.settimeout(SMALL.body_timeout_s + 5)
        answer = s.recv(4096)
    assert answer.startswith(b"HTTP/1.1 408"), answer[:80]
    assert served.world.all_rows() == before


# ---------------------------------------------------------------- live-update streams


def _open_stream(served: Served, cookie: str | None, source: str) -> tuple[socket.socket, int]:
    """A live-update request; returns the socket and the answer's status. What arrived
    with the status line is kept on the socket's `received` for `_first_state`."""
    s = served.connect(source)
    extra = f"Cookie: {cookie}\r\n" if cookie else ""
    s.sendall(f"GET /j/{served.world.token}/events HTTP/1.1\r\nHost: x\r\n{extra}\r\n".encode())
    s.settimeout(5)
    first = s.recv(4096)
    RECEIVED[s.fileno()] = first
    return s, int(first.split(b" ", 2)[1])


RECEIVED: dict[int, bytes] = {}  # bytes read with the status line, by socket


def test_one_participant_holds_only_a_few_event_streams(served: Served) -> None:
    _, cookie = served.join("127.0.0.4")
    opened = [_open_stream(served, cookie, "127.0.0.4") for _ in range(10)]
    try:
        statuses = [status for _, status in opened]
        assert statuses.count(200) >= SMALL.streams_per_participant
        assert set(statuses) <= {200, 429}, "opening streams in a loop is refused, not hung"
        streaming = [s for s, status in opened if status == 200]
        closed = [_closed_by_server(s, within=0.5) for s in streaming]
        assert closed[-SMALL.streams_per_participant :] == [False] * 3, "the newest stay"
        assert all(closed[: -SMALL.streams_per_participant]), "the oldest were closed"
        assert served.server.phones_connected == SMALL.streams_per_participant
    finally:
        for s, _ in opened:
            s.close()


def test_streams_from_a_device_that_never_joined_are_capped_and_phones_still_stream(
    served: Served,
) -> None:
    opened = [_open_stream(served, None, "127.0.0.5") for _ in range(3 * SMALL.max_streams)]
    try:
        assert {status for _, status in opened} <= {200, 429}
        _, cookie = served.join("127.0.0.6")
        phone, status = _open_stream(served, cookie, "127.0.0.6")
        assert status == 200
        assert not _closed_by_server(phone, within=0.5), "a joined phone keeps its stream"
        phone.close()
        assert served.server.phones_connected <= SMALL.max_streams
    finally:
        for s, _ in opened:
            s.close()


# ---------------------------------------------------------------- fair admission


def test_a_join_flood_from_one_device_does_not_keep_anyone_else_out(served: Served) -> None:
    refused = 0
    stop = threading.Event()

    def flood() -> None:
        nonlocal refused
        while not stop.is_set():
            status, _ = served.join("127.0.0.7")
            refused += status == 429

    flooder = threading.Thread(target=flood)
    flooder.start()
    try:
        time.sleep(0.5)
        genuine = [served.join(f"127.0.1.{i}")[0] for i in range(1, 16)]
    finally:
        stop.set()
        flooder.join()
    assert genuine == [303] * 15
    assert refused > 0
    warnings = served.server.warnings()
    assert any("A device is sending far too much" in w for w in warnings), warnings


def test_one_device_joining_again_and_again_cannot_flood_notes(served: Served) -> None:
    accepted = 0
    for i in range(10):
        status, cookie = served.join("127.0.0.8")
        if status != 303:
            continue
        for j in range(30):
            body = (
                f'{{"activity": "{served.world.brainstorm.id}", "text": "n{i}-{j}", '
                f'"key": "flood-{i:03d}-{j:03d}"}}'
            ).encode()
            status, _, _ = served.request(
                "POST",
                f"/j/{served.world.token}/api/notes",
                body,
                {"Content-Type": "application/json", "Cookie": cookie},
                source="127.0.0.8",
            )
            accepted += status == 200
    assert accepted <= 60, accepted  # the device's own bucket, not 10 participants' worth
    # Another phone is unaffected.
    _, cookie = served.join("127.0.0.9")
    body = f'{{"activity": "{served.world.brainstorm.id}", "text": "mine", "key": "calm-0001"}}'
    status, _, _ = served.request(
        "POST",
        f"/j/{served.world.token}/api/notes",
        body.encode(),
        {"Content-Type": "application/json", "Cookie": cookie},
        source="127.0.0.9",
    )
    assert status == 200


def test_a_full_session_turns_phones_away_and_the_console_is_told(served: Served) -> None:
    projects.update_settings(served.world.p, participant_cap=2)
    assert [served.join(f"127.0.2.{i}")[0] for i in (1, 2)] == [303, 303]
    status, _, body = served.request(
        "POST",
        f"/j/{served.world.token}/join",
        b"group=none",
        {"Content-Type": "application/x-www-form-urlencoded"},
        source="127.0.2.3",
    )
    assert status == 429 and "This session is full" in body.decode()
    assert any("session is full" in w for w in served.server.warnings())


# ---------------------------------------------------------------- aiohttp's own answers


@pytest.mark.parametrize(
    "raw",
    [
        b"GARBAGE\r\n\r\n",
        b"GET /<script>alert(1)</script> HTTP/9.9\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: x\r\nX-Long: " + b"a" * 20000 + b"\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
    ],
    ids=["not http", "bad version", "header too long", "bad length"],
)
def test_malformed_requests_get_our_headers_no_banner_and_no_echo(
    served: Served, raw: bytes
) -> None:
    with served.connect() as s:
        s.sendall(raw)
        s.settimeout(5)
        answer = b""
        with suppress(OSError):
            while chunk := s.recv(65536):
                answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert re.match(rb"HTTP/1\.[01] 4\d\d", head), head[:80]
    headers = head.decode("latin-1").lower()
    assert "server:" not in headers
    assert "content-security-policy: default-src 'none'" in headers
    assert "x-content-type-options: nosniff" in headers
    assert b"<script>" not in body and b"aiohttp" not in answer.lower()
    assert b"Traceback" not in body and len(body) < 200


# ---------------------------------------------------------------- the open-file limit


def test_the_open_file_limit_is_raised_to_the_hard_limit_at_start() -> None:
    code = (
        "import resource; from workshop_app.infra.process import raise_open_file_limit;"
        "print(raise_open_file_limit(), resource.getrlimit(resource.RLIMIT_NOFILE)[0])"
    )
    out = subprocess.run(
        ["prlimit", "--nofile=256:4096", sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == ["4096", "4096"]


@pytest.mark.parametrize(
    ("soft", "connections"), [(256, 56), (1024, 824), (4096, 3896), (1_048_576, 4000)]
)
def test_the_connection_cap_leaves_files_for_everything_else(soft: int, connections: int) -> None:
    limits = Limits.for_open_files(soft)
    assert limits.max_connections == connections
    assert limits.max_streams < limits.max_connections


def test_shed_load_is_counted_for_a_minute_and_worded_for_the_facilitator() -> None:
    shedding = Shedding()
    for _ in range(30):
        shedding.record("slow", now=100.0)
    shedding.record("joins", now=100.0)
    assert shedding.recent(now=120.0) == {"slow": 30, "joins": 1}
    lines = shedding_warnings(shedding.recent(now=120.0))
    assert len(lines) == 2 and all("." in line for line in lines)
    assert shedding.recent(now=200.0) == {}
    assert shedding_warnings({}) == []


def test_a_phone_posts_normally_through_the_guarded_server(served: Served) -> None:
    status, cookie = served.join("127.0.0.10")
    assert status == 303
    who = cookie.split("=", 1)[1]
    assert svc.get_participant(served.world.p, who) is not None


def _first_state(sock: socket.socket) -> dict[str, object]:
    data = RECEIVED.pop(sock.fileno(), b"")  # the event may have come with the headers
    while b"event: state" not in data or not data.rstrip().endswith(b"}"):
        data += sock.recv(4096)
    line = next(x for x in data.split(b"\n") if x.startswith(b"data: "))
    return json.loads(line.removeprefix(b"data: "))


def test_a_new_stream_never_gets_a_stale_state_after_any_change(served: Served) -> None:
    activity = sessions.get_activity(served.world.p, served.world.brainstorm.id)
    live.show_activity(served.world.p, activity.id)  # the state follows this activity
    served.server.sync()
    _, cookie = served.join("127.0.0.11")
    first, status = _open_stream(served, cookie, "127.0.0.11")
    with closing(first):
        assert status == 200
        before = _first_state(first)  # now cached for the session
    assert before["activity"] == activity.id
    activity = sessions.get_activity(served.world.p, activity.id)
    sessions.update_activity(
        served.world.p,
        activity.id,
        dataclasses.replace(sessions.ActivityFields.of(activity), title="Renamed"),
    )
    served.server.sync()  # the change events have reached the server's loop
    again, status = _open_stream(served, cookie, "127.0.0.11")
    with closing(again):
        assert status == 200
        after = _first_state(again)
    assert after["version"] != before["version"], "a rename alone changes the version"
