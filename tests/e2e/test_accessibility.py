"""Accessibility of every kind of participant page and state, checked by axe-core in Chromium
with a phone profile at 320 px (the narrowest phones in use) and 390 px wide, with and without
the page's script. Serious and critical violations fail; lesser ones are printed.

axe-core comes from npm into .cache/node (scripts/dev.sh installs it). The pages' strict
Content-Security-Policy (script-src 'self') would block the injected script, so these
contexts, and only these, bypass the CSP.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import CHILDREN, PARENTS, Live, Phones, axe_script, join, send_note
from workshop_app.core.model import ActivityKind, ActivityState

FAILING_IMPACTS = ("serious", "critical")

AXE_RUN = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa",
                                    "best-practice"]},
    resultTypes: ["violations"],
  });
  return result.violations.map(v => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " :: " + n.failureSummary),
  }));
}"""


def run_axe(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(axe_script()))
    violations: list[dict[str, Any]] = page.evaluate(AXE_RUN)
    return violations


def check_page(page: Page, what: str) -> None:
    violations = run_axe(page)
    for v in violations:
        print(f"[axe] {what}: {v['impact']} {v['id']}: {v['help']}")
    bad = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    assert not bad, f"{what}: serious accessibility problems: " + "; ".join(
        f"{v['id']} ({v['impact']}: {v['help']}) at {v['nodes']}" for v in bad
    )


WIDTHS = (320, 390)  # the narrowest phones in use, and a common one


@pytest.fixture
def axe_page(phones: Phones) -> Page:
    return phones.context(bypass_csp=True, viewport={"width": WIDTHS[0], "height": 700}).new_page()


def without_script(page: Page) -> None:
    """The page as a phone without JavaScript gets it: the server's HTML, never enhanced.
    (The page's own script is held back; axe itself still runs.)"""
    page.context.route(
        "**/static/app.js",
        lambda route: route.fulfill(body="/* held back */", content_type="text/javascript"),
    )


def _children(live: Live) -> str:
    """A children's session (approve first), its brainstorm open."""
    session = live.add_session("prep-children-8-12", [CHILDREN])
    live.set_state(ActivityKind.BRAINSTORM, ActivityState.OPEN, session.id)
    return session.id


def _with_note(live: Live, page: Page) -> None:
    join(page, live.join_url())
    send_note(page, "Knowing which games have chat")
    expect(page.locator("section.mine li.note")).to_have_count(1)
    expect(page.locator(".note-status")).to_have_text("On the screen")
    page.locator("section.mine details summary").click()  # the edit form, opened


def _waiting_ideas(live: Live, page: Page) -> None:
    join(page, live.join_url(_children(live)), CHILDREN)
    send_note(page, "Games should have a report button")
    expect(page.locator(".note-status.pending")).to_have_count(1)  # as a child waits to see it
    send_note(page, "Adults should listen")
    expect(page.locator(".note-status.pending")).to_have_count(2)
    page.locator("section.mine details summary").first.click()


def _take_back_asked(live: Live, page: Page) -> None:
    _with_note(live, page)
    page.get_by_role("link", name="Take back this note").click()
    expect(page.get_by_role("button", name="Yes, take it back")).to_be_visible()


def _take_back_page(live: Live, page: Page) -> None:
    without_script(page)
    _with_note(live, page)
    page.get_by_role("link", name="Take back this note").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Take back this note?")


def _brainstorm_without_script(live: Live, page: Page) -> None:
    without_script(page)
    join(page, live.join_url())
    send_note(page, "Typed on an old phone")
    expect(page.get_by_role("status").filter(has_text="Received. Thank you!")).to_be_visible()


def _help_offered(script: bool = True, children: bool = False) -> Callable[[Live, Page], None]:
    """A note held back as a possible disclosure: the help box near the top of the page
    (and, with the script, its polite announcement)."""

    def setup(live: Live, page: Page) -> None:
        if not script:
            without_script(page)
        if children:
            join(page, live.join_url(_children(live)), CHILDREN)
        else:
            join(page, live.join_url())
        send_note(page, "a man keeps asking me for pics")
        expect(page.locator("[data-support]")).to_be_visible()
        if script:
            expect(page.locator("p.say")).not_to_be_empty()

    return setup


def _vote_form(live: Live, page: Page) -> None:
    live.set_state(ActivityKind.VOTE, ActivityState.OPEN)
    join(page, live.join_url())
    page.locator("form.vote-form .more").first.click()  # a dot given, the rest left
    expect(page.locator(".left")).to_have_text("2 dots left")


def _vote_all_used(live: Live, page: Page) -> None:
    _vote_form(live, page)
    page.locator("form.vote-form .more").nth(1).click()
    page.locator("form.vote-form .more").nth(2).click()
    expect(page.locator(".left")).to_have_text("No dots left")


def _vote_children(live: Live, page: Page) -> None:
    session = live.add_session("prep-children-8-12", [CHILDREN])
    live.add_themes(("Safe games", "Kind adults", "Blocking people"), session.id)
    live.set_state(ActivityKind.VOTE, ActivityState.OPEN, session.id)
    join(page, live.join_url(session.id), CHILDREN)
    page.locator("form.vote-form .more").first.click()
    expect(page.locator(".left")).to_have_text("2 dots left")


def _vote_without_script(live: Live, page: Page) -> None:
    without_script(page)
    live.set_state(ActivityKind.VOTE, ActivityState.OPEN)
    join(page, live.join_url())
    expect(page.locator("form.vote-form input[type=number]").first).to_be_visible()


def _vote_refused_without_script(live: Live, page: Page) -> None:
    _vote_without_script(live, page)
    page.locator("form.vote-form input[type=number]").nth(0).fill("2")
    page.locator("form.vote-form input[type=number]").nth(1).fill("2")
    page.get_by_role("button", name="Send my votes").click()
    expect(page.get_by_role("alert")).to_contain_text("Not received")


def _vote_results(live: Live, page: Page) -> None:
    live.set_state(ActivityKind.VOTE, ActivityState.OPEN)
    join(page, live.join_url())
    live.set_state(ActivityKind.VOTE, ActivityState.CLOSED)
    live.set_state(ActivityKind.VOTE, ActivityState.REVEALED)
    page.reload()
    expect(page.locator("section.results li").first).to_contain_text("Joint 1st")


def _rating(group: str, script: bool = True) -> Callable[[Live, Page], None]:
    def setup(live: Live, page: Page) -> None:
        if not script:
            without_script(page)
        session = live.add_session("consensus-round", list(live.groups))
        live.set_state(ActivityKind.RATE, ActivityState.OPEN, session.id)
        join(page, live.join_url(session.id), group)
        first = page.locator("fieldset.statement").first
        first.locator("label").nth(2).click()  # one answer chosen: the checked style
        expect(first.locator("input:checked")).to_have_count(1)

    return setup


def _info(live: Live, page: Page) -> None:
    session = live.add_session("consensus-round", list(live.groups))  # live on its welcome
    join(page, live.join_url(session.id), PARENTS)
    expect(page.locator("p.waiting")).to_be_visible()


def _waiting(live: Live, page: Page) -> None:
    session = live.add_session("consensus-round", list(live.groups), go_live=False)
    page.goto(live.join_url(session.id))
    expect(page.get_by_text("The session hasn't started yet.")).to_be_visible()


def _help(live: Live, page: Page) -> None:
    join(page, live.join_url())
    page.goto(live.join_url() + "/help")
    expect(page.get_by_label("Message (optional)")).to_be_visible()


def _help_sent(live: Live, page: Page) -> None:
    _help(live, page)
    page.get_by_role("button", name="Ask to talk to someone").click()
    expect(page.locator("p.ok")).to_be_visible()


def _help_children(live: Live, page: Page) -> None:
    sid = _children(live)
    join(page, live.join_url(sid), CHILDREN)
    page.goto(live.join_url(sid) + "/help")
    expect(page.get_by_role("heading", name="Childline")).to_be_visible()


def _help_children_sent(live: Live, page: Page) -> None:
    _help_children(live, page)
    page.get_by_role("button", name="Ask a grown-up to come").click()
    expect(page.locator("p.ok")).to_be_visible()


def _code(live: Live, page: Page) -> None:
    page.goto(live.base_url + "/")
    expect(page.get_by_label("Code")).to_be_visible()


def _code_wrong(live: Live, page: Page) -> None:
    _code(live, page)
    page.get_by_label("Code").fill("WRONG-CODE")
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_role("alert")).to_be_visible()


def _join_page(live: Live, page: Page) -> None:
    page.goto(live.join_url())
    expect(page.get_by_role("button", name="Start")).to_be_visible()


def _join_children(live: Live, page: Page) -> None:
    page.goto(live.join_url(_children(live)))
    page.get_by_label(CHILDREN, exact=True).check()
    expect(page.locator("body.child")).to_be_visible()


def _error(live: Live, page: Page) -> None:
    page.goto(live.base_url + "/j/NOSUCHTOKEN")
    expect(page.get_by_role("alert")).to_be_visible()


def _offline_outbox(live: Live, page: Page) -> None:
    join(page, live.join_url())
    page.context.set_offline(True)
    send_note(page, "Sent while offline")
    expect(page.locator(".outbox")).to_be_visible()
    expect(page.locator("form.note-form .status.pending")).to_be_visible()


PAGES: dict[str, Callable[[Live, Page], None]] = {
    "enter code": _code,
    "enter code, wrong code": _code_wrong,
    "join": _join_page,
    "join, children's session": _join_children,
    "brainstorm, a shown note being changed": _with_note,
    "brainstorm, a child's waiting ideas": _waiting_ideas,
    "brainstorm, waiting to send": _offline_outbox,
    "brainstorm without script": _brainstorm_without_script,
    "brainstorm, help offered after a worrying note": _help_offered(),
    "brainstorm, help offered without script": _help_offered(script=False),
    "brainstorm, help offered to a child": _help_offered(children=True),
    "take back, asked on the page": _take_back_asked,
    "take back, the page without script": _take_back_page,
    "vote, dots being placed": _vote_form,
    "vote, no dots left": _vote_all_used,
    "vote, children's words": _vote_children,
    "vote without script": _vote_without_script,
    "vote without script, refused": _vote_refused_without_script,
    "vote results": _vote_results,
    "rating, nine-point": _rating(PARENTS),
    "rating, smiley faces": _rating(CHILDREN),
    "rating, smiley faces without script": _rating(CHILDREN, script=False),
    "info": _info,
    "waiting to start": _waiting,
    "help": _help,
    "help, sent": _help_sent,
    "help for children": _help_children,
    "help for children, sent": _help_children_sent,
    "error (bad link)": _error,
}


@pytest.mark.parametrize("kind", PAGES)
def test_page_has_no_serious_accessibility_problems_at_320_and_390_px(
    kind: str, live: Live, axe_page: Page
) -> None:
    PAGES[kind](live, axe_page)
    for width in WIDTHS:
        axe_page.set_viewport_size({"width": width, "height": 700})
        check_page(axe_page, f"{kind} at {width} px")


def test_axe_is_installed() -> None:
    """Without axe-core the checks above cannot run: that is a failure, not a skip."""
    assert axe_script().is_file()


def test_the_check_finds_a_real_problem(live: Live, axe_page: Page) -> None:
    """The harness itself: an unlabelled field and low-contrast text are reported."""
    _code(live, axe_page)
    axe_page.evaluate(
        """() => {
          const main = document.querySelector("main");
          main.insertAdjacentHTML("beforeend",
            '<input id="broken"><p style="color:#ccc;background:#fff">faint text</p>');
        }"""
    )
    found = {v["id"]: v["impact"] for v in run_axe(axe_page)}
    assert found.get("label") == "critical"
    assert found.get("color-contrast") == "serious"
