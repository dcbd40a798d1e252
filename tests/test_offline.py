"""Offline conformance: the desktop app, the participant server and the command line make
no outbound connection, ever (data never leaves the laptop unless a researcher exports it).

A whole session runs in a child process under a Python audit hook that records every
connection attempt, datagram and name lookup the process makes (Qt's own C++ networking
is not seen by the hook; the app uses none for anything but listing interfaces). Loopback
traffic is the phones of this test; anything else is a violation. A UDP "connect" sends
nothing (the server uses one to ask the OS which address it routes from), so a datagram
counts only when one is actually sent.
"""

from __future__ import annotations

import ipaddress
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

SESSION = r"""
import json, socket, sys, threading, time, urllib.request
from pathlib import Path

events = []
WATCHED = {"socket.connect", "socket.sendto", "socket.sendmsg", "socket.getaddrinfo",
           "socket.gethostbyname", "socket.gethostbyaddr", "http.client.connect"}

def hook(event, args):
    if event not in WATCHED:
        return
    record = {"event": event}
    if event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
        sock, address = args[0], args[-1]
        record["type"] = int(getattr(sock, "type", 0))
        record["address"] = list(address) if isinstance(address, tuple) else str(address)
    elif event == "http.client.connect":
        record["address"] = [str(args[1]), int(args[2])]
    else:
        record["address"] = [str(args[0])]
    events.append(record)

sys.addaudithook(hook)

work = Path(sys.argv[1])
from workshop_app.app import make_application
from workshop_app.runtime import AppRuntime, participant_server
from workshop_app.cli import main as cli
from workshop_app.services import live, participation, sessions
from workshop_app.services.demo import write_demo
from workshop_app.ui.shell import Shell
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

demo = work / "demo.cground"
write_demo(demo)
app = make_application()
settings = QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat)
settings.setValue("live/port", 0)
shell = Shell(settings, AppRuntime(participant_server))
window = shell.open_path(demo)
planned = next(s for s in sessions.list_sessions(window.project) if s.state.value == "planned")
window.select_session(planned.id)
window.show_live()
assert window.go_live("0.0.0.0"), "went live"  # every address, as in a room
window.show_projector()
url = window.server.join_url(planned.id, "127.0.0.1")
for _ in range(3):  # phones on the Wi-Fi: here, on the loopback
    urllib.request.urlopen(url, timeout=10).read()
    QApplication.processEvents()
window.board.suggestions.ensure_model()
deadline = time.monotonic() + 30
while not window.board.suggestions.ready and time.monotonic() < deadline:
    QApplication.processEvents()
    time.sleep(0.05)
window.end_live()
window.close()
QApplication.processEvents()
# The command line, reading and exporting.
cli(["info", str(demo), "--json"])
cli(["export", str(demo), "--format", "csv", "--out", str(work / "data.zip")])
cli(["export", str(demo), "--standards", "--out", str(work / "framework.docx")])
print("EVENTS " + json.dumps(events), flush=True)
"""


def _outbound(record: dict[str, object]) -> bool:
    address = record.get("address")
    if not isinstance(address, list) or not address:
        return False  # a Unix socket (D-Bus, X11): not a network
    host = str(address[0])
    if record["event"] in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr"):
        import socket

        local_names = {"", "localhost", socket.gethostname(), socket.getfqdn()}
        if host in local_names:
            return False
        try:
            ipaddress.ip_address(host.split("%", 1)[0])
        except ValueError:
            return True  # a name lookup: could ask a DNS server
        return False  # a literal address: no lookup happens
    try:
        ip = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return True
    if ip.is_loopback or ip.is_unspecified:
        return False
    # A UDP (SOCK_DGRAM, 2) connect only asks the OS for a route; nothing is sent.
    return not (record["event"] == "socket.connect" and record.get("type") == 2)


def test_a_whole_session_makes_no_outbound_connection(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        env[var] = str(tmp_path / var.lower())
    done = subprocess.run(
        [sys.executable, "-c", SESSION, str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("EVENTS "))
    events = json.loads(line.removeprefix("EVENTS "))
    loopback = [e for e in events if e["event"] == "socket.connect" and not _outbound(e)]
    assert loopback, "the phones' loopback connections were seen: the hook works"
    violations = [e for e in events if _outbound(e)]
    assert violations == []


def test_the_rule_for_what_counts_as_outbound() -> None:
    assert _outbound({"event": "socket.connect", "type": 1, "address": ["93.184.216.34", 80]})
    assert _outbound({"event": "socket.sendto", "type": 2, "address": ["8.8.8.8", 53]})
    assert _outbound({"event": "socket.getaddrinfo", "address": ["example.org"]})
    assert not _outbound({"event": "socket.connect", "type": 1, "address": ["127.0.0.1", 8080]})
    assert not _outbound({"event": "socket.connect", "type": 2, "address": ["192.168.1.1", 9]})
    assert not _outbound({"event": "socket.connect", "type": 1, "address": "/tmp/.X11-unix/X0"})
