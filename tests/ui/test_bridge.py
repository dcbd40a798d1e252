"""The bridge from service events to Qt signals survives a long session."""

from __future__ import annotations

import sys

from tests.ui.conftest import settle
from workshop_app.services.events import Changed, EventBus, Topic
from workshop_app.ui.bridge import Bridge


def test_thousands_of_events_reach_qt_without_corrupting_the_interpreter(qtbot) -> None:
    # PySide6 6.12.0 dropped a reference to True on every Signal.emit: after a few hundred
    # phone submissions the app aborted ("deallocating True or False"). Guard against any
    # binding that does it again (docs/decisions/010-pyside6-version.md).
    bus = EventBus()
    bridge = Bridge(bus)
    seen: list[object] = []
    bridge.changed.connect(seen.append)
    before = sys.getrefcount(True)
    for i in range(5000):
        bus.publish([Changed(Topic.CONTENT, session_id="s", item_id=str(i))])
    settle()
    assert len(seen) == 5000
    # The defect dropped one reference per emit (5,000 here); other objects coming and going
    # during the test move the count by a few dozen either way.
    assert sys.getrefcount(True) > before - 1000
    bridge.detach()
    bus.publish([Changed(Topic.CONTENT)])
    settle()
    assert len(seen) == 5000, "a detached bridge hears nothing"
