"""The arrival check's second look, the whole room at once (issue 17, decision 032): a live
*show at once* session on the real participant server with the second look running beside it
(the real theme model and shipped reference), two phones in Chromium, and the projector read as
the projector window reads it (`projection.projector_view`), again and again while the notes
arrive.

One phone writes an ordinary note, the other a note no phrase rule holds but that reads like a
possible disclosure. The ordinary note goes up once read; the other never reaches the projector,
not even for a moment; its phone, answered at once, learns by its live updates that the note is
waiting and gently offers help, without saying why.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    Live,
    Phones,
    eventually,
    join,
    live_room,
    my_notes,
    send_note,
)
from workshop_app.core.errors import DomainError
from workshop_app.core.model import ActivityKind, ModerationMode
from workshop_app.core.safeguarding import ReasonKind
from workshop_app.services import moderation, projection
from workshop_app.services.arrival import SecondLook
from workshop_app.themes import ThemeEngine
from workshop_app.web import words

ORDINARY = "Games should let you block people easily"
UNSPOKEN = "a man in a game told me he would buy me a ps5 if i met him"
WAITING = words.note_status("pending", False)
SHOWN = words.note_status("shown", False)


@pytest.fixture
def engine(shipped_engine: ThemeEngine) -> ThemeEngine:
    return shipped_engine


@pytest.fixture
def live(tmp_path: Path, engine: ThemeEngine) -> Iterator[Live]:
    """A live room with the second look running as the desktop app runs it."""
    with live_room(tmp_path, lambda project: SecondLook(project, engine)) as lv:
        yield lv


def test_a_note_the_rules_miss_never_reaches_the_projector_and_its_phone_is_offered_help(
    live: Live, phones: Phones
) -> None:
    lv, look = live, live.look
    assert look is not None
    assert lv.session.moderation is ModerationMode.SHOW_AT_ONCE
    ever_projected: set[str] = set()
    watching = threading.Event()

    def watch() -> None:  # the projector window's query, as often as it can run
        while not watching.is_set():
            ever_projected.update(projection.projector_view(lv.project, lv.session.id).notes)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        ordinary, worried = phones.page(), phones.page()
        for page in (ordinary, worried):
            join(page, lv.join_url())
        send_note(ordinary, ORDINARY)
        send_note(worried, UNSPOKEN)
        # answered at once; the look reads both; the projector shows only the ordinary note
        eventually(
            lambda: projection.projector_view(lv.project, lv.session.id).notes,
            lambda n: n == (ORDINARY,),
        )
        held = eventually(
            lambda: [n for n in lv.notes() if n.original_text == UNSPOKEN],
            lambda ns: len(ns) == 1 and ns[0].held,
        )[0]
        assert held.hold_reasons == (ReasonKind.READS_LIKE_DISCLOSURE.value,)
        # the worried phone learns by its live updates: waiting, and help offered gently
        expect(my_notes(worried).first.locator(".note-status")).to_have_text(WAITING)
        box = worried.locator("[data-support]")
        expect(box).to_be_visible()
        expect(box).to_contain_text(words.support_lead(False))
        expect(ordinary.locator("[data-support]")).to_have_count(0)
        expect(my_notes(ordinary).first.locator(".note-status")).to_have_text(SHOWN)
        for page in (ordinary, worried):
            for said in ("held", "disclos", "safeguard", "why"):
                assert said not in page.locator("main").inner_text().lower()
        # approve-all never puts it up; a release does, and only then
        with pytest.raises(DomainError, match="held back"):
            moderation.approve_all_waiting(lv.project, lv.activity(ActivityKind.BRAINSTORM).id)
        assert UNSPOKEN not in projection.projector_view(lv.project, lv.session.id).notes
    finally:
        watching.set()
        watcher.join(10)
    assert UNSPOKEN not in ever_projected, "on the projector, even for a moment"
    assert ORDINARY in ever_projected
    # the look counts what it held once its writer job has answered (on a lower-priority thread,
    # which a busy machine may run a while after the phones have heard)
    eventually(lambda: look.held_count, lambda n: n == 1)
    moderation.release(lv.project, held.id)
    assert projection.projector_view(lv.project, lv.session.id).notes == (ORDINARY, UNSPOKEN)
