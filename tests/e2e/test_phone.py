"""A participant's phone, end to end: Chromium with a phone profile against the real
participant server. Each scenario checks what the page shows and what was stored."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, Route, expect

from tests.e2e.conftest import (
    CHILDREN,
    PARENTS,
    THEMES,
    Live,
    Phones,
    eventually,
    join,
    my_notes,
    note_box,
    send_note,
)
from workshop_app.core.model import ActivityKind, ActivityState, RatingScale
from workshop_app.services import live as live_service
from workshop_app.services.project import update_settings
from workshop_app.storage import standards as standard_repo
from workshop_app.web.routes import QUICK_EXIT_URL


def note_status(page: Page) -> Locator:
    return page.locator("form.note-form .status")


def confirmed(page: Page, text: str) -> None:
    """The page confirms, in a status message a screen reader announces."""
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


# ---------------------------------------------------------------- notes


def test_join_choose_a_group_and_post_a_note(live: Live, page: Page) -> None:
    join(page, live.join_url())
    brainstorm = live.activity(ActivityKind.BRAINSTORM)
    expect(page.get_by_role("heading", level=1)).to_have_text(brainstorm.title)
    expect(page.locator(".prompt")).to_have_text(brainstorm.prompt)
    assert live.participants() == 1

    send_note(page, "Knowing who my child talks to in games")

    confirmed(page, "Received. Thank you!")
    mine = page.locator("section.mine")
    expect(mine.get_by_role("heading", name="Your notes")).to_be_visible()
    expect(my_notes(page)).to_have_count(1)
    expect(my_notes(page).locator(".note-text")).to_have_text(
        "Knowing who my child talks to in games"
    )
    expect(my_notes(page).locator(".note-status")).to_have_text("On the screen")
    expect(note_box(page)).to_have_value("")

    notes = eventually(live.notes, lambda ns: len(ns) == 1)
    assert notes[0].text == "Knowing who my child talks to in games"
    assert notes[0].group_id == live.groups[PARENTS].id
    assert notes[0].activity_id == brainstorm.id
    assert notes[0].source.value == "phone"


def test_edit_a_note_and_take_one_back(live: Live, page: Page) -> None:
    join(page, live.join_url())
    send_note(page, "Apps change too fast")
    expect(my_notes(page)).to_have_count(1)
    send_note(page, "Schools don't tell us much")
    expect(my_notes(page)).to_have_count(2)

    first = my_notes(page).nth(0)
    first.get_by_text("Change or take back").click()
    first.get_by_label("Your note").fill("Apps change faster than I can keep up")
    first.get_by_role("button", name="Save change").click()
    confirmed(page, "Your change was received.")
    expect(my_notes(page).nth(0).locator(".note-text")).to_have_text(
        "Apps change faster than I can keep up"
    )

    edited = eventually(
        live.notes, lambda ns: ns[0].text == "Apps change faster than I can keep up"
    )[0]
    assert edited.original_text == "Apps change too fast"
    assert not edited.withdrawn

    second = my_notes(page).nth(1)
    second.get_by_text("Change or take back").click()
    second.get_by_role("link", name="Take back this note").click()
    second.get_by_role("button", name="Yes, take it back").click()
    confirmed(page, "Your note was taken back.")
    expect(my_notes(page)).to_have_count(1)
    expect(page.get_by_text("Schools don't tell us much")).to_have_count(0)

    stored = eventually(live.notes, lambda ns: any(n.withdrawn for n in ns))
    taken_back = next(n for n in stored if n.withdrawn)
    assert taken_back.text == "Schools don't tell us much"  # kept, only marked withdrawn
    assert [n.text for n in live.notes(include_withdrawn=False)] == [
        "Apps change faster than I can keep up"
    ]


# ---------------------------------------------------------------- live updates and votes


def test_page_follows_the_facilitator_without_reloading(live: Live, page: Page) -> None:
    join(page, live.join_url())
    expect(page.locator("form.note-form")).to_be_visible()
    eventually(lambda: live.server.phones_connected, lambda n: n >= 1)
    page.evaluate("window.__sameDocument = true")

    vote = live.set_state(ActivityKind.VOTE, ActivityState.OPEN)

    expect(page.get_by_role("heading", level=1)).to_have_text(vote.title, timeout=5_000)
    expect(page.locator("form.vote-form")).to_be_visible()
    for name in THEMES:
        expect(page.get_by_label(name, exact=True)).to_have_value("0")
    expect(page.locator("form.note-form")).to_have_count(0)
    assert page.evaluate("window.__sameDocument") is True, "the page was reloaded"


def test_a_refresh_that_fails_is_tried_again_until_the_page_follows(live: Live, page: Page) -> None:
    """The live event arrives but the page it asks for is lost (Wi-Fi, a busy laptop):
    no second event will come, so the phone must try again by itself."""
    join(page, live.join_url())
    expect(page.locator("form.note-form")).to_be_visible()
    eventually(lambda: live.server.phones_connected, lambda n: n >= 1)
    refreshes: list[str] = []

    def lose_two(route: Route) -> None:
        if route.request.headers.get("x-fragment") != "1":
            route.continue_()
            return
        refreshes.append(route.request.url)
        if len(refreshes) == 1:
            route.abort("connectionreset")
        elif len(refreshes) == 2:
            route.fulfill(status=503, body="busy")
        else:
            route.continue_()

    page.route(re.compile(r".*/j/[^/?]+(\?.*)?$"), lose_two)
    vote = live.set_state(ActivityKind.VOTE, ActivityState.OPEN)

    expect(page.get_by_role("heading", level=1)).to_have_text(vote.title, timeout=10_000)
    expect(page.locator("form.vote-form")).to_be_visible()
    assert len(refreshes) == 3  # lost, refused, then landed: one retry each, no storm


def test_vote_by_tapping_then_see_the_results(live: Live, page: Page) -> None:
    live.set_state(ActivityKind.VOTE, ActivityState.OPEN)
    ids = {t.name: t.id for t in live.themes}
    join(page, live.join_url())
    # 7 themes: a default budget of 3 dots; the plan allows at most 2 on one theme.
    expect(page.locator(".budget")).to_contain_text(
        "You have 3 dots, and you can put up to 2 on one."
    )

    def add(theme: str) -> None:
        page.get_by_role("button", name=f"Add a dot: {theme}", exact=True).click()

    add(THEMES[0])
    add(THEMES[0])
    add(THEMES[3])
    expect(page.locator(".left")).to_have_text("No dots left")
    page.get_by_role("button", name="Send my votes").click()
    confirmed(page, "Your votes were received.")

    votes = eventually(live.votes, lambda vs: len(vs) == 2)
    assert {v.target_id: v.dots for v in votes} == {ids[THEMES[0]]: 2, ids[THEMES[3]]: 1}
    assert len({v.participant_id for v in votes}) == 1
    expect(page.get_by_label(THEMES[0], exact=True)).to_have_value("2")  # the page re-read

    live.set_state(ActivityKind.VOTE, ActivityState.CLOSED)
    expect(page.locator("form.vote-form .closed")).to_contain_text("Voting is closed.")
    live.set_state(ActivityKind.VOTE, ActivityState.REVEALED)
    results = page.locator("section.results")
    expect(results.locator("li").first).to_have_text(f"1st {THEMES[0]} 2 dots")
    expect(results.locator("li").nth(1)).to_have_text(f"2nd {THEMES[3]} 1 dot")
    expect(page.locator("form.vote-form")).to_have_count(0)


# ---------------------------------------------------------------- rating statements


def _rate_session(live: Live) -> str:
    session = live.add_session("consensus-round", list(live.groups))
    live.set_state(ActivityKind.RATE, ActivityState.OPEN, session.id)
    return session.id


def test_rate_statements_on_the_nine_point_scale(live: Live, page: Page) -> None:
    sid = _rate_session(live)
    standards = {s.title: s.id for s in standard_repo.list_standards(live.project.store.reader())}
    join(page, live.join_url(sid), PARENTS)
    expect(page.locator(".hint")).to_have_text("1 = not important, 9 = critical.")
    statements = page.locator("fieldset.statement")
    expect(statements).to_have_count(len(standards))

    chosen = [9, 8, 7, 5, 3, 1]
    wanted = {}
    for i, value in enumerate(chosen):
        st = statements.nth(i)
        st.locator("label.num").get_by_text(str(value), exact=True).click()
        expect(st.get_by_role("radio", name=str(value), exact=True)).to_be_checked()
        wanted[standards[st.locator("legend").inner_text()]] = value
    page.get_by_role("button", name="Send my ratings").click()
    confirmed(page, "Your ratings were received.")

    ratings = eventually(lambda: live.ratings(sid), lambda rs: len(rs) == len(chosen))
    assert {r.standard_id: r.value for r in ratings} == wanted
    assert {r.standard_id: r.raw_value for r in ratings} == wanted
    assert {r.scale for r in ratings} == {RatingScale.NINE_POINT}
    expect(statements.nth(0).get_by_role("radio", name="9", exact=True)).to_be_checked()


def test_children_rate_with_smiley_faces(live: Live, page: Page) -> None:
    sid = _rate_session(live)
    standards = {s.title: s.id for s in standard_repo.list_standards(live.project.store.reader())}
    join(page, live.join_url(sid), CHILDREN)
    expect(page.locator("body")).to_have_class("child")
    expect(page.locator(".hint")).to_contain_text("Tap one face for each.")
    statements = page.locator("fieldset.statement")
    expect(statements).to_have_count(len(standards))
    expect(statements.first.locator("label.num")).to_have_count(0)

    faces = {
        1: "Really not important",
        2: "Not very important",
        3: "In the middle",
        4: "Important",
        5: "Really important",
    }
    chosen = [5, 4, 3, 2, 1, 3]
    raw_wanted = {}
    for i, raw in enumerate(chosen):
        st = statements.nth(i)
        st.get_by_role("img", name=faces[raw], exact=True).click()
        expect(st.get_by_role("radio", name=faces[raw], exact=True)).to_be_checked()
        raw_wanted[standards[st.locator("legend").inner_text()]] = raw
    page.get_by_role("button", name="Send my ratings").click()
    confirmed(page, "Your answers were received.")

    ratings = eventually(lambda: live.ratings(sid), lambda rs: len(rs) == len(chosen))
    assert {r.standard_id: r.raw_value for r in ratings} == raw_wanted
    nine = {1: 1, 2: 3, 3: 5, 4: 7, 5: 9}
    assert {r.standard_id: r.value for r in ratings} == {k: nine[v] for k, v in raw_wanted.items()}
    assert {r.scale for r in ratings} == {RatingScale.SMILEY}


# ---------------------------------------------------------------- bad Wi-Fi, no script


def test_note_written_offline_arrives_once_when_back(live: Live, phones: Phones) -> None:
    context = phones.context()
    page = context.new_page()
    join(page, live.join_url())
    eventually(lambda: live.server.phones_connected, lambda n: n >= 1)
    sent: list[str] = []  # every note the page tried to send, and every one that ended
    ended: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.url.endswith("/api/notes") else None)
    for outcome in ("requestfinished", "requestfailed"):
        page.on(outcome, lambda r: ended.append(r.url) if r.url.endswith("/api/notes") else None)

    context.set_offline(True)
    send_note(page, "Typed while the Wi-Fi was down")
    expect(note_status(page)).to_contain_text("Not sent yet")
    expect(page.locator(".outbox")).to_have_text(
        "1 thing you sent is waiting for the connection. It will be sent by itself."
    )
    assert live.notes() == []

    context.set_offline(False)
    expect(my_notes(page)).to_have_count(1)
    expect(my_notes(page).locator(".note-text")).to_have_text("Typed while the Wi-Fi was down")
    expect(page.locator(".outbox")).to_be_hidden()
    notes = eventually(live.notes, lambda ns: len(ns) == 1)
    assert notes[0].text == "Typed while the Wi-Fi was down"
    # The outbox's retry and the reconnect's flush race and may both send it; once every
    # request the page made has ended, the idempotency key has kept it one note.
    page.wait_for_function("localStorage.getItem('cg-outbox') === '[]'")

    def all_ended() -> tuple[int, int]:
        page.evaluate("0")  # let Playwright deliver the page's request events
        return len(sent), len(ended)

    eventually(all_ended, lambda counts: counts[0] == counts[1])
    assert sent, "the page sent the note"
    assert len(live.notes()) == 1


def test_works_without_javascript(live: Live, phones: Phones) -> None:
    page = phones.page(java_script_enabled=False)
    join(page, live.join_url())
    expect(page.locator("form.note-form")).to_be_visible()

    page.get_by_label("Your note", exact=True).fill("No script on this old phone")
    page.get_by_role("button", name="Send note").click()

    expect(page).to_have_url(re.compile(r"/j/[A-Z0-9]+\?done=note&a=[0-9a-f]{32}$"))
    confirmed(page, "Received. Thank you!")
    expect(my_notes(page).locator(".note-text")).to_have_text("No script on this old phone")
    notes = eventually(live.notes, lambda ns: len(ns) == 1)
    assert notes[0].text == "No script on this old phone"
    assert notes[0].group_id == live.groups[PARENTS].id


# ---------------------------------------------------------------- hostile text


def test_markup_in_notes_is_shown_as_text(live: Live, phones: Phones) -> None:
    page = phones.page()
    payloads = ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>"]
    join(page, live.join_url())
    for i, text in enumerate(payloads, start=1):
        send_note(page, text)
        expect(my_notes(page)).to_have_count(i)  # rendered by the page's live refresh

    def check_literal() -> None:
        for text in payloads:
            expect(page.locator(".note-text").get_by_text(text, exact=True)).to_be_visible()
        assert page.locator("main img, main script").count() == 0

    check_literal()
    page.reload()  # and rendered by the server on a fresh load
    check_literal()
    assert [n.text for n in eventually(live.notes, lambda ns: len(ns) == 2)] == payloads
    assert phones.dialogs == []


# ---------------------------------------------------------------- help and quick exit


def test_help_page_shows_support_and_sends_a_private_request(live: Live, page: Page) -> None:
    support = "Talk to Sam or Priya (green lanyards).\nChildline: 0800 1111, free, any time."
    update_settings(live.project, support_info=support)
    join(page, live.join_url())
    page.get_by_role("banner").get_by_role("link", name="Need help?").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Need help?")
    expect(page.locator(".support-text")).to_have_text(support)
    page.get_by_label("Message (optional)").fill("I'm by the window")
    page.get_by_role("button", name="Ask to talk to someone").click()
    sent = page.get_by_role("status").filter(has_text="Sent. A facilitator will come and find you")
    expect(sent).to_be_visible()

    requests = eventually(live.help_requests, lambda rs: len(rs) == 1)
    assert requests[0].message == "I'm by the window"
    assert requests[0].participant_id is not None
    assert live.participants() == 1  # the same phone, not a new participant
    page.get_by_role("link", name="Back to the session").click()
    expect(page.locator("form.note-form")).to_be_visible()


def test_quick_exit_is_on_every_page_and_leaves_no_history(live: Live, phones: Phones) -> None:
    context = phones.context()
    context.route(
        QUICK_EXIT_URL + "*",
        lambda route: route.fulfill(
            body="<!doctype html><title>Weather</title>", content_type="text/html"
        ),
    )
    page = context.new_page()
    waiting = live.add_session("prep-practitioners", ["Practitioners"], go_live=False)

    def has_quick_exit() -> None:
        link = page.get_by_role("link", name="Quick exit")
        expect(link).to_have_attribute("href", QUICK_EXIT_URL)
        first = page.locator("a[href]").first
        expect(first).to_have_attribute("data-quick-exit", "")

    page.goto(live.base_url + "/")  # type the code
    has_quick_exit()
    page.goto(live.base_url + "/j/NOSUCHCODE")  # error page
    has_quick_exit()
    page.goto(live.join_url(waiting.id))  # waiting for the session to start
    has_quick_exit()
    page.goto(live.join_url())  # choose a group
    has_quick_exit()
    join(page, live.join_url())
    has_quick_exit()  # the activity
    page.get_by_role("banner").get_by_role("link", name="Need help?").click()
    has_quick_exit()  # help

    before = page.evaluate("history.length")
    page.get_by_role("link", name="Quick exit").click()
    expect(page).to_have_url(QUICK_EXIT_URL)
    assert page.evaluate("history.length") == before  # replaced, not pushed


# ---------------------------------------------------------------- a new join link


def test_changed_link_keeps_the_participant(live: Live, page: Page) -> None:
    old_url = live.join_url()
    join(page, old_url)
    send_note(page, "Written before the link changed")
    expect(my_notes(page)).to_have_count(1)
    eventually(lambda: live.server.phones_connected, lambda n: n >= 1)

    live_service.rotate_join_token(live.project, live.session.id)

    expect(page.locator(".outbox")).to_contain_text("The link for this session has changed.")
    new_url = live.join_url()
    assert new_url != old_url
    page.goto(old_url)
    expect(page.get_by_role("alert")).to_contain_text("This link doesn't work any more.")

    page.goto(new_url)
    expect(page.get_by_role("button", name="Start")).to_have_count(0)  # no joining again
    expect(my_notes(page).locator(".note-text")).to_have_text("Written before the link changed")
    send_note(page, "Written after the link changed")
    expect(my_notes(page)).to_have_count(2)

    notes = eventually(live.notes, lambda ns: len(ns) == 2)
    assert len({n.participant_id for n in notes}) == 1
    assert live.participants() == 1


def test_phone_that_missed_the_change_is_told_too(live: Live, page: Page) -> None:
    """A phone that was not listening when the link changed (here: the laptop's server
    restarted meanwhile) learns it when it reconnects and the old link is refused."""
    join(page, live.join_url())
    eventually(lambda: live.server.phones_connected, lambda n: n >= 1)
    assert live.server.address is not None
    port = live.server.address.port

    live.server.stop()  # every live connection drops; the phone keeps retrying
    live_service.rotate_join_token(live.project, live.session.id)  # nobody hears this
    live.server.start("127.0.0.1", port)

    expect(page.locator(".outbox")).to_contain_text("The link for this session has changed.")
