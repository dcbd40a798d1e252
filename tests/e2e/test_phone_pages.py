"""The phone pages of issue 12 in a real browser: asking before taking a note back,
messages that never claim more than is true, dots by tapping, faces on a small screen,
children's words. Chromium with a phone profile against the real participant server."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    CHILDREN,
    PARENTS,
    THEMES,
    Live,
    Phones,
    eventually,
    join,
    my_notes,
    send_note,
)
from workshop_app.core.model import ActivityKind, ActivityState
from workshop_app.services import moderation
from workshop_app.storage import contributions

CHILD_PENDING = "Thank you. A grown-up reads every idea before it goes on the big screen."


def children_session(live: Live) -> str:
    """A children's session (approve first, from the shipped plan), its brainstorm open."""
    session = live.add_session("prep-children-8-12", [CHILDREN])
    live.set_state(ActivityKind.BRAINSTORM, ActivityState.OPEN, session.id)
    return session.id


# ---------------------------------------------------------------- children's ideas


def test_a_childs_idea_waits_honestly_and_is_taken_back_after_asking(
    live: Live, page: Page
) -> None:
    sid = children_session(live)
    join(page, live.join_url(sid), CHILDREN)
    expect(page.get_by_label("Write your idea")).to_be_visible()
    send_note(page, "I don't like it when strangers message me")
    idea = my_notes(page)
    expect(idea.locator(".note-status")).to_have_text(CHILD_PENDING)
    expect(page.get_by_role("heading", name="Your ideas")).to_be_visible()

    idea.get_by_text("Change or take back").click()
    idea.get_by_role("link", name="Take back this idea").click()
    expect(page).to_have_url(re.compile(r"/j/[A-Z0-9]+$"))  # asked here, no new page
    question = idea.get_by_text("Take back this idea?")
    expect(question).to_be_focused()
    idea.get_by_role("button", name="No, keep it").click()
    expect(question).to_be_hidden()
    expect(idea.get_by_role("link", name="Take back this idea")).to_be_focused()
    assert not any(n.withdrawn for n in live.notes(session_id=sid))

    idea.get_by_role("link", name="Take back this idea").click()
    idea.get_by_role("button", name="Yes, take it back").click()
    expect(page.get_by_role("status").filter(has_text="Your idea was taken back.")).to_be_visible()
    expect(my_notes(page)).to_have_count(0)
    eventually(lambda: live.notes(session_id=sid), lambda ns: ns and ns[0].withdrawn)


def test_a_shown_note_says_it_is_on_the_screen(live: Live, page: Page) -> None:
    sid = children_session(live)
    join(page, live.join_url(sid), CHILDREN)
    send_note(page, "Games should have a report button")
    expect(my_notes(page).locator(".note-status")).to_have_text(CHILD_PENDING)
    note = eventually(lambda: live.notes(session_id=sid), lambda ns: len(ns) == 1)[0]
    moderation.approve(live.project, note.id)
    page.reload()
    expect(my_notes(page).locator(".note-status")).to_have_text("On the big screen")


def test_without_javascript_taking_back_asks_on_a_page_first(live: Live, phones: Phones) -> None:
    page = phones.page(java_script_enabled=False)
    join(page, live.join_url())
    send_note(page, "Not sure about this one")
    note = my_notes(page)
    note.get_by_text("Change or take back").click()
    note.get_by_role("link", name="Take back this note").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Take back this note?")
    expect(page.locator(".note-text")).to_have_text("Not sure about this one")
    page.get_by_role("link", name="No, keep it").click()
    expect(my_notes(page)).to_have_count(1)
    assert not live.notes()[0].withdrawn

    my_notes(page).get_by_text("Change or take back").click()
    my_notes(page).get_by_role("link", name="Take back this note").click()
    page.get_by_role("button", name="Yes, take it back").click()
    expect(page.get_by_role("status").filter(has_text="Your note was taken back.")).to_be_visible()
    expect(my_notes(page)).to_have_count(0)
    assert eventually(live.notes, lambda ns: ns[0].withdrawn)


# ---------------------------------------------------------------- messages that stay true


def test_received_never_stands_beside_not_sent_yet(live: Live, phones: Phones) -> None:
    context = phones.context()
    page = context.new_page()
    join(page, live.join_url())
    eventually(lambda: live.server.phones_connected, lambda n: n >= 1)
    send_note(page, "Sent while the Wi-Fi works")
    expect(page.get_by_role("status").filter(has_text="Received. Thank you!")).to_be_visible()

    context.set_offline(True)
    send_note(page, "Typed while the Wi-Fi is down")
    expect(page.locator("form.note-form .status")).to_contain_text("Not sent yet")
    # what is on screen (innerText leaves out what is hidden)
    expect(page.locator("main")).not_to_contain_text("Received", use_inner_text=True)

    context.set_offline(False)
    expect(my_notes(page)).to_have_count(2)
    expect(page.locator(".outbox")).to_be_hidden()
    expect(page.get_by_role("status").filter(has_text="Received. Thank you!")).to_be_visible()


def test_votes_received_goes_once_the_results_are_shown_without_javascript(
    live: Live, phones: Phones
) -> None:
    live.set_state(ActivityKind.VOTE, ActivityState.OPEN)
    page = phones.page(java_script_enabled=False)
    join(page, live.join_url())
    page.get_by_label(THEMES[0], exact=True).fill("2")
    page.get_by_role("button", name="Send my votes").click()
    received = page.get_by_role("status").filter(has_text="Your votes were received.")
    expect(received).to_be_visible()
    live.set_state(ActivityKind.VOTE, ActivityState.CLOSED)
    live.set_state(ActivityKind.VOTE, ActivityState.REVEALED)
    page.reload()  # the same address, still saying ?done=votes
    expect(page).to_have_url(re.compile(r"\?done=votes"))
    expect(page.locator("section.results")).to_be_visible()
    expect(page.get_by_text("Your votes were received.")).to_have_count(0)


def test_a_link_typed_with_the_codes_dash_opens_the_session(live: Live, page: Page) -> None:
    token = live.join_url().rsplit("/", 1)[1]
    page.goto(f"{live.base_url}/j/{token[:5].lower()}-{token[5:].lower()}")
    expect(page).to_have_url(live.join_url())
    expect(page.get_by_role("button", name="Start")).to_be_visible()


# ---------------------------------------------------------------- dots by tapping


def stepper(page: Page, theme: str) -> dict[str, object]:
    return {
        "more": page.get_by_role("button", name=f"Add a dot: {theme}", exact=True),
        "less": page.get_by_role("button", name=f"Take a dot off: {theme}", exact=True),
        "count": page.locator(".vote-item", has_text=theme).locator(".count"),
        "dots": page.locator(".vote-item", has_text=theme).locator(".stepper .dot"),
    }


def test_dots_are_added_by_tapping_and_never_pass_the_budget_or_the_cap(
    live: Live, page: Page
) -> None:
    live.set_state(ActivityKind.VOTE, ActivityState.OPEN)
    ids = {t.name: t.id for t in live.themes}
    join(page, live.join_url())
    # 7 themes: 3 dots; the plan allows at most 2 on one theme
    expect(page.locator(".budget")).to_contain_text("You have 3 dots, and you can put up to 2")
    left = page.locator(".left")
    expect(left).to_have_text("3 dots left")
    expect(left.locator(".dot")).to_have_count(3)
    expect(page.locator("input[type=number]").first).to_be_hidden()

    first, fourth = stepper(page, THEMES[0]), stepper(page, THEMES[3])
    expect(first["less"]).to_have_attribute("aria-disabled", "true")
    first["more"].click()
    first["more"].click()
    expect(first["count"]).to_have_text("2 dots")
    expect(first["dots"]).to_have_count(2)
    expect(first["more"]).to_have_attribute("aria-disabled", "true")  # the cap
    first["more"].click(force=True)
    expect(first["count"]).to_have_text("2 dots")
    expect(left).to_have_text("1 dot left")

    fourth["more"].click()
    expect(left).to_have_text("No dots left")
    expect(left.locator(".dot")).to_have_count(0)
    for name in THEMES:
        expect(stepper(page, name)["more"]).to_have_attribute("aria-disabled", "true")
    stepper(page, THEMES[1])["more"].click(force=True)  # the budget: a tap does nothing
    expect(stepper(page, THEMES[1])["count"]).to_have_text("No dots")

    first["less"].click()
    expect(left).to_have_text("1 dot left")
    first["more"].click()
    page.get_by_role("button", name="Send my votes").click()
    expect(page.get_by_role("status").filter(has_text="Your votes were received.")).to_be_visible()
    votes = eventually(live.votes, lambda vs: len(vs) == 2)
    assert {v.target_id: v.dots for v in votes} == {ids[THEMES[0]]: 2, ids[THEMES[3]]: 1}
    expect(stepper(page, THEMES[0])["count"]).to_have_text("2 dots")  # read back


def test_children_put_their_dots_on_the_ideas_they_like(live: Live, page: Page) -> None:
    session = live.add_session("prep-children-8-12", [CHILDREN])
    live.add_themes(("Safe games", "Kind adults", "Blocking people"), session.id)
    live.set_state(ActivityKind.VOTE, ActivityState.OPEN, session.id)
    join(page, live.join_url(session.id), CHILDREN)
    expect(page.locator(".budget")).to_contain_text("Put your dots on the ideas you like most.")
    stepper(page, "Kind adults")["more"].click()
    expect(page.locator(".left")).to_have_text("2 dots left")
    page.get_by_role("button", name="Send my dots").click()
    expect(page.get_by_role("status").filter(has_text="Your dots were received.")).to_be_visible()


def test_without_javascript_a_refused_vote_keeps_what_was_typed(live: Live, phones: Phones) -> None:
    live.set_state(ActivityKind.VOTE, ActivityState.OPEN)
    page = phones.page(java_script_enabled=False)
    join(page, live.join_url())
    expect(page.get_by_text("Type how many dots you give each one (0 to 2).")).to_be_visible()
    page.get_by_label(THEMES[0], exact=True).fill("2")
    page.get_by_label(THEMES[1], exact=True).fill("2")
    page.get_by_role("button", name="Send my votes").click()
    expect(page.get_by_role("alert")).to_contain_text("Not received")
    expect(page.get_by_label(THEMES[0], exact=True)).to_have_value("2")
    expect(page.get_by_label(THEMES[1], exact=True)).to_have_value("2")
    assert live.votes() == []
    page.get_by_label(THEMES[1], exact=True).fill("1")
    page.get_by_role("button", name="Send my votes").click()
    expect(page.get_by_role("status").filter(has_text="Your votes were received.")).to_be_visible()
    assert len(eventually(live.votes, lambda vs: len(vs) == 2)) == 2


# ---------------------------------------------------------------- faces on a small screen


def test_the_five_faces_fit_one_row_at_320_px_with_big_targets(live: Live, phones: Phones) -> None:
    session = live.add_session("consensus-round", list(live.groups))
    live.set_state(ActivityKind.RATE, ActivityState.OPEN, session.id)
    page = phones.page(viewport={"width": 320, "height": 640})
    join(page, live.join_url(session.id), CHILDREN)
    faces = page.locator("fieldset.statement").first.locator("label.face")
    expect(faces).to_have_count(5)
    boxes = [faces.nth(i).bounding_box() for i in range(5)]
    assert all(b is not None for b in boxes)
    tops = {round(b["y"]) for b in boxes if b}
    assert len(tops) == 1, f"the faces wrap: {boxes}"
    assert all(b["width"] >= 44 and b["height"] >= 44 for b in boxes if b)
    assert max(b["x"] + b["width"] for b in boxes if b) <= 320
    radios = page.locator("fieldset.statement").first.get_by_role("radio")
    expect(radios).to_have_count(5)
    radios.nth(3).focus()
    page.keyboard.press("ArrowRight")
    expect(radios.nth(4)).to_be_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


# ---------------------------------------------------------------- help in children's words


def test_a_childs_help_page_puts_childline_first(live: Live, page: Page) -> None:
    sid = children_session(live)
    join(page, live.join_url(sid), CHILDREN)
    page.get_by_role("banner").get_by_role("link", name="Need help?").click()
    headings = page.get_by_role("heading", level=2)
    expect(headings.first).to_have_text("Childline")
    expect(page.get_by_role("link", name="0800 1111")).to_have_attribute("href", "tel:08001111")
    expect(page.get_by_text("You can tell a grown-up here.")).to_be_visible()
    page.get_by_role("button", name="Ask a grown-up to come").click()
    expect(
        page.get_by_role("status").filter(has_text="A grown-up will come and find you")
    ).to_be_visible()
    db = live.project.store.reader()
    eventually(lambda: contributions.list_help_requests(db, sid), lambda rs: len(rs) == 1)


def test_an_adults_help_page_keeps_the_support_information(live: Live, page: Page) -> None:
    join(page, live.join_url(), PARENTS)
    page.get_by_role("banner").get_by_role("link", name="Need help?").click()
    expect(page.locator(".support-text")).to_contain_text("NSPCC helpline")


# ---------------------------------------------------------------- long words on a narrow phone


def test_long_links_wrap_on_the_narrowest_phone(live: Live, phones: Phones) -> None:
    """A facilitator may paste a link into an activity's title or prompt, a parent into a
    note: no line can break it between words, and the page must not scroll sideways at
    320 px (a phone that scrolls sideways hides the buttons at the edge)."""
    from dataclasses import replace

    from workshop_app.services import sessions as session_service
    from workshop_app.services.sessions import ActivityFields

    link = "https://www.example.org/online-safety/advice-for-parents-and-carers/" + "x" * 60
    brainstorm = live.activity(ActivityKind.BRAINSTORM)
    fields = ActivityFields.of(brainstorm)
    session_service.update_activity(
        live.project,
        brainstorm.id,
        replace(fields, title=f"Read {link}", prompt=f"After reading {link}, what would help?"),
    )
    page = phones.page(viewport={"width": 320, "height": 640})
    join(page, live.join_url())
    expect(page.get_by_text(link).first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    send_note(page, f"This page helped: {link}")
    expect(my_notes(page)).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
