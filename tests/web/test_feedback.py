"""Delphi round 2 on the phone: each statement shows how round 1 rated it, and what it
said then if it was revised. Served by the real routes from a real project file."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from tests.web.conftest import Client, World, build_world, join
from workshop_app.core.model import ActivityState, GroupKind
from workshop_app.services import live, standards
from workshop_app.services import participation as phones
from workshop_app.services import sessions as session_service
from workshop_app.services.project import OpenProject
from workshop_app.services.sessions import ActivityFields
from workshop_app.services.standards import StandardFields

_keys = iter(range(10**9))


@pytest.fixture
def round_two(project: OpenProject) -> World:
    """Round one rated (and closed, its session ended), standard 1 revised since; round
    two live and open, showing round one's results."""
    one = build_world(project, title="Round one")
    first, second = one.standard_ids
    # the wording round one rates (participant-visible text must stay text)
    standards.update_standard(project, first, StandardFields("Standard 1", "Adults <b>listen</b>"))
    one.open(one.rate)
    parents = one.group(GroupKind.PARENT).id
    # standard 1: 9 9 8 | 2  -> 1-3: 25 %, 4-6: 0 %, 7-9: 75 %
    # standard 2: 5 5 5 | 1  -> 1-3: 25 %, 4-6: 75 %, 7-9: 0 %
    for v1, v2 in ((9, 5), (9, 5), (8, 5), (2, 1)):
        who = phones.join(project, one.session.id, parents).result(5)
        phones.rate(
            project, who.id, one.rate.id, {first: v1, second: v2}, f"feedback-{next(_keys):06d}"
        ).result(5)
    live.set_activity_state(project, one.rate.id, ActivityState.CLOSED)
    live.end_session(project, one.session.id)
    standards.update_standard(project, first, StandardFields("Standard 1", "Adults listen first"))

    two = build_world(project, title="Round two", standard_count=0)
    settings = replace(two.rate.settings, feedback_from=one.rate.id)
    two.rate = session_service.update_activity(
        project, two.rate.id, replace(ActivityFields.of(two.rate), settings=settings)
    )
    two.standard_ids = [first, second]
    two.open(two.rate)
    return two


def _statement_block(html: str, title: str) -> str:
    match = re.search(
        rf'<fieldset class="statement">\s*<legend>{re.escape(title)}</legend>(.*?)</fieldset>',
        html,
        re.S,
    )
    assert match, f"no statement {title!r} on the page"
    return match.group(1)


async def test_round_two_shows_round_one_shares_for_each_statement(
    client: Client, round_two: World
) -> None:
    await join(client, round_two.token, group=round_two.group(GroupKind.PARENT).id)
    resp = await client.get(f"/j/{round_two.token}")
    assert resp.status == 200
    html = await resp.text()
    first = _statement_block(html, "Standard 1")
    assert "In round 1, 4 people rated this:" in first
    assert "1–3 (not important): 25%" in first
    assert "4–6: 0%" in first
    assert "7–9 (important): 75%" in first
    # the bar: three segments whose widths are the shares, hidden from screen readers
    # (the list above says the same in words)
    assert re.search(r'<svg class="share-bar"[^>]*aria-hidden="true"', first)
    widths = re.findall(r'<rect class="(\w+)" x="(\d+)" y="0" width="(\d+)"', first)
    assert widths == [("low", "0", "25"), ("middle", "25", "0"), ("high", "25", "75")]
    # revised since: the page says so and shows the wording that was rated, as text
    assert "This statement was changed after round 1." in first
    assert "Adults &lt;b&gt;listen&lt;/b&gt;" in first
    assert "<b>listen</b>" not in html
    assert "Adults listen first" in first  # the statement as it is now, to be rated

    second = _statement_block(html, "Standard 2")
    assert "4–6: 75%" in second and "7–9 (important): 0%" in second
    assert "changed after round" not in second


async def test_children_see_the_shares_in_words_for_the_faces(
    client: Client, round_two: World
) -> None:
    await join(client, round_two.token, group=round_two.group(GroupKind.CHILD).id)
    html = await (await client.get(f"/j/{round_two.token}")).text()
    first = _statement_block(html, "Standard 1")
    assert "Last time, 4 people rated this:" in first
    assert "Not important: 25%" in first and "Important: 75%" in first
    assert "face-1.svg" in first  # and they still rate with faces


async def test_without_feedback_from_no_shares_are_shown(client: Client, round_two: World) -> None:
    settings = replace(round_two.rate.settings, feedback_from=None)
    session_service.update_activity(
        round_two.p,
        round_two.rate.id,
        replace(ActivityFields.of(round_two.rate), settings=settings),
    )
    await join(client, round_two.token)
    html = await (await client.get(f"/j/{round_two.token}")).text()
    assert "Adults listen first" in html
    assert "share-bar" not in html and "rated this" not in html


async def test_the_bar_needs_no_inline_style_so_the_csp_holds(
    client: Client, round_two: World
) -> None:
    await join(client, round_two.token)
    resp = await client.get(f"/j/{round_two.token}")
    html = await resp.text()
    assert "share-bar" in html
    assert "style=" not in html and "<style" not in html
    assert "style-src 'self'" in resp.headers["Content-Security-Policy"]
