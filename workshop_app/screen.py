"""Is there a screen the desktop app can open a window on?

Asked before Qt starts: without a screen Qt aborts the process (exit 134) with several lines
about platform plugins, including a misleading hint about libxcb-cursor0. Here the answer
is one sentence a person can act on. Only X11 and Wayland on Linux and the BSDs can be
missing; Windows and macOS always have their own platform.
"""

from __future__ import annotations

import os
import re
import socket
import sys
from collections.abc import Mapping
from pathlib import Path

#: Qt platforms that need no screen at all (tests, servers, remote frame buffers).
SCREENLESS_PLATFORMS = frozenset(
    {"offscreen", "minimal", "vnc", "linuxfb", "eglfs", "vkkhrdisplay"}
)
#: How long a display on another machine (DISPLAY=host:N) may take to answer.
REMOTE_TIMEOUT_S = 1.5
_DISPLAY = re.compile(r"(?P<host>[^:]*):(?P<number>\d+)(?:\.\d+)?")  # in full


def screen_problem(env: Mapping[str, str] | None = None, platform: str | None = None) -> str | None:
    """None when a window can be shown; otherwise why not, in words for a person."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if not (platform.startswith("linux") or "bsd" in platform):
        return None
    chosen = env.get("QT_QPA_PLATFORM", "").split(":", 1)[0].strip().lower()
    if chosen in SCREENLESS_PLATFORMS:
        return None
    display = env.get("DISPLAY", "")
    wayland = env.get("WAYLAND_DISPLAY", "")
    if chosen.startswith("wayland"):
        return None if _wayland_reachable(wayland, env) else _wayland_problem(wayland)
    if chosen == "xcb":
        return None if _x_reachable(display) else _x_problem(display)
    if _wayland_reachable(wayland, env) or _x_reachable(display):
        return None
    if not display and not wayland:
        return "no screen found (DISPLAY and WAYLAND_DISPLAY are not set)"
    if display:
        return _x_problem(display)
    return _wayland_problem(wayland)


def _x_problem(display: str) -> str:
    if not display:
        return "no screen found (DISPLAY is not set)"
    return f"no screen found (nothing answers on the display DISPLAY={display})"


def _wayland_problem(wayland: str) -> str:
    if not wayland:
        return "no screen found (WAYLAND_DISPLAY is not set)"
    return f"no screen found (no Wayland compositor at WAYLAND_DISPLAY={wayland})"


def _x_reachable(display: str) -> bool:
    match = _DISPLAY.fullmatch(display.strip())
    if match is None:
        return bool(display)  # a form we do not know (e.g. XQuartz's path): let Qt try
    host, number = match["host"], int(match["number"])
    if host in ("", "unix"):
        path = f"/tmp/.X11-unix/X{number}"  # noqa: S108 - the X server's own socket
        candidates = [f"\0{path}", path] if sys.platform.startswith("linux") else [path]
        return any(_unix_answers(c) for c in candidates)
    try:
        with socket.create_connection((host, 6000 + number), timeout=REMOTE_TIMEOUT_S):
            return True
    except OSError:
        return False


def _unix_answers(address: str) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(REMOTE_TIMEOUT_S)
        try:
            s.connect(address)
        except OSError:
            return False
        return True


def _wayland_reachable(wayland: str, env: Mapping[str, str]) -> bool:
    if not wayland:
        return False
    path = Path(wayland)
    if not path.is_absolute():
        runtime = env.get("XDG_RUNTIME_DIR", "")
        if not runtime:
            return False
        path = Path(runtime) / wayland
    return _unix_answers(str(path))
