"""A Delphi round 2 on a phone, end to end: the demo project's round 1 (closed, 49 raters)
is shown beside each statement of a new round, in Chromium with a phone profile, under the
pages' real Content-Security-Policy (any violation fails the test, see `phones`)."""

from __future__ import annotations

from dataclasses import replace

from playwright.sync_api import Page, expect

from tests.e2e.conftest import CHILDREN, PARENTS, Live, Phones, join
from tests.e2e.test_accessibility import check_page
from workshop_app.core.model import ActivityKind, ActivityState
from workshop_app.core.shares import ROUNDING_NOTE
from workshop_app.services import consensus, standards
from workshop_app.services import sessions as session_service
from workshop_app.services.sessions import ActivityFields
from workshop_app.services.standards import StandardFields


def _round_two(live: Live) -> str:
    """A new consensus session whose rating round shows the demo's round 1; the first
    statement reworded since. Returns the session id."""
    first_round = consensus.rounds(live.project)[0]
    assert first_round.state is ActivityState.CLOSED
    session = live.add_session("consensus-round", list(live.groups))
    rate = live.activity(ActivityKind.RATE, session.id)
    fields = ActivityFields.of(rate)
    session_service.update_activity(
        live.project,
        rate.id,
        replace(fields, settings=replace(fields.settings, feedback_from=first_round.activity_id)),
    )
    first = standards.list_standards(live.project)[0]
    standards.update_standard(
        live.project,
        first.id,
        replace(
            StandardFields.of(first),
            statement="Every child and young person can name an adult they trust.",
        ),
    )
    live.set_state(ActivityKind.RATE, ActivityState.OPEN, session.id)
    return session.id


def test_round_two_shows_round_one_beside_each_statement(live: Live, page: Page) -> None:
    first_before = standards.versions(live.project, standards.list_standards(live.project)[0].id)[0]
    sid = _round_two(live)
    join(page, live.join_url(sid), PARENTS)
    statements = page.locator("fieldset.statement")
    first = statements.first
    # the demo's round 1 for "A trusted adult to tell": 0 / 5 / 44 of 49 -> 0 %, 10 %, 89 %
    # (rounded down: 89.8 % never reads as 90 %), and the phone says why they add up to 99
    expect(first.locator(".feedback-head")).to_have_text("In round 1, 49 people rated this:")
    expect(first.locator(".shares li")).to_have_text(
        ["1–3 (not important): 0%", "4–6: 10%", "7–9 (important): 89%"]
    )
    expect(first.locator(".rounding")).to_have_text(ROUNDING_NOTE)
    expect(first.locator("svg.share-bar rect.high")).to_have_attribute("width", "89")
    expect(first.locator(".changed")).to_have_text(
        "This statement was changed after round 1. Before, it said:"
    )
    expect(first.locator(".previous")).to_contain_text(first_before.statement)
    # unchanged statements show the shares only
    expect(statements.nth(1).locator(".feedback-head")).to_be_visible()
    expect(statements.nth(1).locator(".changed")).to_have_count(0)
    # the bar is drawn (an SVG needs no inline style, so the CSP holds)
    box = first.locator("svg.share-bar").bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 5
    page.screenshot(path=str(live.project.path.parent / "delphi-round-two.png"), full_page=True)

    # and the participant still rates as usual
    first.locator("label.num").get_by_text("8", exact=True).click()
    page.get_by_role("button", name="Send my ratings").click()
    expect(
        page.get_by_role("status").filter(has_text="Your ratings were received.")
    ).to_be_visible()


def test_round_two_page_is_accessible_for_adults_and_children(live: Live, phones: Phones) -> None:
    sid = _round_two(live)
    for group in (PARENTS, CHILDREN):
        page = phones.context(bypass_csp=True).new_page()
        join(page, live.join_url(sid), group)
        expect(page.locator(".feedback").first).to_be_visible()
        check_page(page, f"round-two rating page ({group})")
