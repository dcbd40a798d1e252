"""A Delphi round 2 on a phone, end to end: the demo project's round 1 (closed, 49 raters)
is shown beside each statement of a new round, group by group, in Chromium with a phone
profile, under the pages' real Content-Security-Policy (any violation fails the test, see
`phones`); and a participant's own answer from the round before comes back from the phone's
own storage, never from the laptop."""

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


def _round_two(live: Live, source: str | None = None) -> str:
    """A new consensus session whose rating round shows the demo's round 1 (or the round
    `source`); the first statement reworded since. Returns the session id."""
    first_round = consensus.rounds(live.project)[0]
    assert first_round.state is ActivityState.CLOSED
    session = live.add_session("consensus-round", list(live.groups))
    rate = live.activity(ActivityKind.RATE, session.id)
    fields = ActivityFields.of(rate)
    shown = source or first_round.activity_id
    session_service.update_activity(
        live.project,
        rate.id,
        replace(fields, settings=replace(fields.settings, feedback_from=shown)),
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
    # the demo's round 1 for "A trusted adult to tell", 49 raters, each group on its own:
    # the parents' 0 / 2 / 11 of 13 -> 0 %, 15 %, 84 % (rounded down: 84.6 % never reads as
    # 85 %), and the phone says why they add up to 99
    expect(first.locator(".feedback-head")).to_have_text(
        "In round 1, 49 people rated this. Each group's answers:"
    )
    expect(first.locator(".group-name")).to_have_text(
        [
            "Children 8–12 (10)",
            "Young people 13–18 (12)",
            "Parents and carers (13)",
            "Practitioners (14)",
        ]
    )
    parents = first.locator(".group-feedback").nth(2)
    expect(parents.locator(".shares li")).to_have_text(
        [
            "1–3 (not important): 0%",
            "4–6 (important but not critical): 15%",
            "7–9 (critical): 84%",
        ]
    )
    expect(parents.locator("svg.share-bar rect.high")).to_have_attribute("width", "84")
    expect(first.locator(".rounding")).to_have_text(ROUNDING_NOTE)
    expect(first.locator(".changed")).to_have_text(
        "This statement was changed after round 1. Before, it said:"
    )
    expect(first.locator(".previous")).to_contain_text(first_before.statement)
    # unchanged statements show the shares only
    expect(statements.nth(1).locator(".feedback-head")).to_be_visible()
    expect(statements.nth(1).locator(".changed")).to_have_count(0)
    # the bar is drawn (an SVG needs no inline style, so the CSP holds)
    box = first.locator("svg.share-bar").first.bounding_box()
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


def test_a_phone_shows_its_own_answer_from_the_round_before_and_keeps_it_to_itself(
    live: Live, phones: Phones
) -> None:
    # round A: a parent rates the first statement 7 on their phone; the round closes
    round_a = live.add_session("consensus-round", list(live.groups))
    live.set_state(ActivityKind.RATE, ActivityState.OPEN, round_a.id)
    context = phones.context()
    page = context.new_page()
    posted: list[str] = []
    page.on("request", lambda r: posted.append(r.post_data or "") if r.method == "POST" else None)
    join(page, live.join_url(round_a.id), PARENTS)
    page.locator("fieldset.statement").first.locator("label.num").get_by_text(
        "7", exact=True
    ).click()
    page.get_by_role("button", name="Send my ratings").click()
    expect(
        page.get_by_role("status").filter(has_text="Your ratings were received.")
    ).to_be_visible()
    source = live.activity(ActivityKind.RATE, round_a.id).id
    live.set_state(ActivityKind.RATE, ActivityState.CLOSED, round_a.id)

    # round B shows round A: the same phone sees its own 7 beside the statement
    sid = _round_two(live, source)
    posted.clear()
    join(page, live.join_url(sid), PARENTS)
    statements = page.locator("fieldset.statement")
    expect(statements.first.locator(".own-previous")).to_have_text("Last time you chose 7.")
    expect(statements.nth(1).locator(".own-previous")).to_be_hidden()  # not rated then
    # the answer came from this phone: nothing it sent in round B carries it
    assert all("my-ratings" not in body and "Last time" not in body for body in posted)
    stored = page.evaluate("() => JSON.parse(localStorage.getItem('cg-my-ratings'))")
    assert stored[source]["r"] == {standards.list_standards(live.project)[0].id: ["nine_point", 7]}

    # another phone (another person) sees no "last time", nor does this one after Quick exit
    other = phones.page()
    join(other, live.join_url(sid), PARENTS)
    expect(other.locator(".own-previous").first).to_be_hidden()
    context.route("**/*bbc.co.uk*/**", lambda route: route.fulfill(body="elsewhere"))
    page.get_by_role("link", name="Quick exit").first.click()
    page.wait_for_url("**bbc.co.uk/**")
    back = context.new_page()
    back.goto(live.join_url(sid))
    assert back.evaluate("() => localStorage.getItem('cg-my-ratings')") is None


def test_without_javascript_the_rating_page_works_and_shows_no_own_answer(
    live: Live, phones: Phones
) -> None:
    sid = _round_two(live)
    page = phones.page(java_script_enabled=False)
    join(page, live.join_url(sid), PARENTS)
    first = page.locator("fieldset.statement").first
    expect(first.locator(".group-feedback")).to_have_count(4)
    expect(first.locator(".own-previous")).to_be_hidden()
    first.locator("label.num").get_by_text("8", exact=True).click()
    page.get_by_role("button", name="Send my ratings").click()
    expect(page.get_by_text("Your ratings were received.")).to_be_visible()
