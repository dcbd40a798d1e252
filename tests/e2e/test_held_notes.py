"""Notes held back on arrival, the whole room at once (issue 17, point 3): a live *show at
once* session, three phones (Chromium contexts with a phone profile) on the real participant
server, the facilitator's side through the services the desktop app calls, and the projector
read as the projector window reads it (`projection.projector_view`).

One phone writes an ordinary note, one a possible disclosure, one a phone number. Only the
ordinary note reaches the projector; only the phone that wrote the disclosure is offered help,
gently and politely; no batch, approve-all, edit or take-back ever puts a held note up.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import Live, Phones, eventually, join, my_notes, send_note
from workshop_app.core.errors import DomainError
from workshop_app.core.model import ActivityKind, ModerationMode, Note, NoteStatus
from workshop_app.services import moderation, participation, projection
from workshop_app.services import sessions as session_service
from workshop_app.web import words

ORDINARY = "Games should let you block people easily"
DISCLOSURE = "a man keeps asking me for pics"
PHONE_NUMBER = "text me on 07700 900123"
WAITING = words.note_status("pending", False)
SHOWN = words.note_status("shown", False)


def projected(live: Live) -> tuple[str, ...]:
    return projection.projector_view(live.project, live.session.id).notes


def stored(live: Live, text: str) -> Note:
    return next(n for n in live.notes() if n.original_text == text)


def help_box(page: Page) -> Locator:
    return page.locator("[data-support]")


def status_of(page: Page) -> Locator:
    return my_notes(page).first.locator(".note-status")


def edit_first_note(page: Page, text: str) -> None:
    note = my_notes(page).first
    note.get_by_text("Change or take back").click()
    note.get_by_label("Your note").fill(text)
    note.get_by_role("button", name="Save change").click()
    expect(page.get_by_role("status").filter(has_text="Your change was received.")).to_be_visible()


def test_a_room_where_one_phone_discloses_and_one_shares_a_number(
    live: Live, phones: Phones
) -> None:
    assert live.session.moderation is ModerationMode.SHOW_AT_ONCE
    brainstorm = live.activity(ActivityKind.BRAINSTORM)
    ordinary, worried, number = (phones.page() for _ in range(3))
    for page in (ordinary, worried, number):
        join(page, live.join_url())

    # ---- three notes arrive
    send_note(ordinary, ORDINARY)
    send_note(worried, DISCLOSURE)
    send_note(number, PHONE_NUMBER)
    expect(status_of(ordinary)).to_have_text(SHOWN)
    expect(status_of(worried)).to_have_text(WAITING)
    expect(status_of(number)).to_have_text(WAITING)
    eventually(live.notes, lambda ns: len(ns) == 3)
    assert projected(live) == (ORDINARY,)

    # ---- the worried phone is offered help gently; the others are not
    box = help_box(worried)
    expect(box).to_be_visible()
    expect(box).to_contain_text(words.support_lead(False))
    first_line = participation.support_info(live.project).splitlines()[0]
    expect(box.locator(".support-text")).to_contain_text(first_line)
    link = box.get_by_role("link", name="Ask to talk to someone")
    expect(link).to_have_attribute("href", f"/j/{live.session.join_token}/help")
    for word in ("held", "moderat", "disclos", "safeguard"):
        assert word not in (box.inner_text() or "").lower().replace(first_line.lower(), ""), word
    # told politely (a status, once the box is there), never as an alert
    said = worried.locator("p.say[role=status][aria-live=polite]")
    expect(said).to_contain_text(words.support_lead(False))
    expect(worried.get_by_role("alert")).to_have_count(0)
    # (its colours are calm: no red or amber anywhere on the box)
    background = box.evaluate("el => getComputedStyle(el).backgroundColor")
    red, green, blue = (int(v) for v in background[4:-1].split(",")[:3])
    assert blue >= red and blue >= green, background
    for page in (ordinary, number):
        expect(help_box(page)).to_have_count(0)
        expect(page.locator("p.say")).to_have_text("")

    # ---- approve all, or every note in a batch: no held note goes up
    with pytest.raises(DomainError, match="held back"):
        moderation.approve_all_waiting(live.project, brainstorm.id)
    every = [n.id for n in moderation.list_wall(live.project, brainstorm.id)]
    assert moderation.set_status_many(live.project, every, NoteStatus.SHOWN) == {}
    assert projected(live) == (ORDINARY,)
    # in approve-first too: approve-all puts up the ordinary note waiting, and no held one
    session_service.update_session(
        live.project,
        live.session.id,
        session_service.SessionDetails(
            live.session.title,
            group_ids=live.session.group_ids,
            moderation=ModerationMode.APPROVE_FIRST,
        ),
    )
    send_note(ordinary, "Teach us how to report")
    expect(my_notes(ordinary)).to_have_count(2)
    approved = moderation.approve_all_waiting(live.project, brainstorm.id)
    assert set(approved) == {stored(live, "Teach us how to report").id}
    assert projected(live) == (ORDINARY, "Teach us how to report")
    expect(status_of(worried)).to_have_text(WAITING)
    expect(status_of(number)).to_have_text(WAITING)

    # ---- releasing the phone number puts it up; undo takes it down
    held_number = stored(live, PHONE_NUMBER)
    before = moderation.release(live.project, held_number.id)
    assert projected(live) == (ORDINARY, PHONE_NUMBER, "Teach us how to report")
    expect(status_of(number)).to_have_text(SHOWN)
    moderation.hold_again(live.project, held_number.id, before)
    assert PHONE_NUMBER not in projected(live)
    expect(status_of(number)).to_have_text(WAITING)
    expect(help_box(number)).to_have_count(0)

    # ---- the worried phone changes its words to something harmless: still held
    edit_first_note(worried, "Tell a teacher you trust")
    changed = eventually(
        lambda: stored(live, DISCLOSURE), lambda n: n.text == "Tell a teacher you trust"
    )
    assert changed.held and changed.status is NoteStatus.PENDING
    assert "Tell a teacher you trust" not in projected(live)
    expect(status_of(worried)).to_have_text(WAITING)
    expect(help_box(worried)).to_be_visible()

    # ---- the ordinary phone adds a phone number: off the projector at once
    edit_first_note(ordinary, ORDINARY + ", or text me on 07700 900456")
    eventually(lambda: stored(live, ORDINARY), lambda n: n.held)
    assert projected(live) == ("Teach us how to report",)
    expect(my_notes(ordinary).first.locator(".note-status")).to_have_text(WAITING)
    expect(help_box(ordinary)).to_have_count(0)  # a personal detail is no disclosure

    # ---- the worried phone takes its note back: kept for the facilitator, never projected
    note = my_notes(worried).first
    note.get_by_text("Change or take back").click()
    note.get_by_role("link", name="Take back this note").click()
    note.get_by_role("button", name="Yes, take it back").click()
    expect(
        worried.get_by_role("status").filter(has_text="Your note was taken back.")
    ).to_be_visible()
    expect(my_notes(worried)).to_have_count(0)
    expect(help_box(worried)).to_have_count(0)
    wall = eventually(
        lambda: moderation.list_wall(live.project, brainstorm.id),
        lambda ns: any(n.withdrawn for n in ns),
    )
    taken_back = next(n for n in wall if n.original_text == DISCLOSURE)
    assert taken_back.withdrawn and taken_back.held
    assert all(DISCLOSURE not in t and "Tell a teacher" not in t for t in projected(live))
    assert projected(live) == ("Teach us how to report",)
