"""The bridge from service events to Qt signals survives a long session."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from tests.ui.conftest import settle
from workshop_app.services.events import Changed, EventBus, Topic
from workshop_app.ui.bridge import Bridge

# Run alone in a fresh interpreter, so nothing else frees or takes references meanwhile.
PROBE = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QCoreApplication
    from workshop_app.services.events import Changed, EventBus, Topic
    from workshop_app.ui.bridge import Bridge

    app = QCoreApplication([])
    bus = EventBus()
    bridge = Bridge(bus)
    seen = []
    bridge.changed.connect(seen.append)
    before = sys.getrefcount(True)
    for i in range(5000):
        bus.publish([Changed(Topic.CONTENT, session_id="s", item_id=str(i))])
    app.processEvents()
    print(len(seen), sys.getrefcount(True) - before)
    """
)


def test_thousands_of_signals_leave_the_interpreter_intact() -> None:
    # PySide6 6.12.0 dropped a reference to True on every Signal.emit: after a few hundred
    # phone submissions the app aborted ("deallocating True or False"). Refuse any binding
    # that does it again (docs/decisions/010-pyside6-version.md).
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 0, done.stderr
    seen, drift = (int(x) for x in done.stdout.split())
    assert seen == 5000
    assert abs(drift) < 100, f"Signal.emit changed the references to True by {drift}"


def test_a_detached_bridge_hears_nothing(qtbot) -> None:
    bus = EventBus()
    bridge = Bridge(bus)
    seen: list[object] = []
    bridge.changed.connect(seen.append)
    bus.publish([Changed(Topic.CONTENT)])
    settle()
    bridge.detach()
    bus.publish([Changed(Topic.CONTENT)])
    settle()
    assert len(seen) == 1
