"""Delphi round 2 on the phone: each statement shows how each stakeholder group rated it
in round 1 (groups of fewer than the project's smallest shown, withheld), and what it said
then if it was revised. Served by the real routes from a real project file."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from tests.web.conftest import Client, World, build_world, join
from workshop_app.core.model import ActivityState, GroupKind
from workshop_app.core.scales import RatingQuestion
from workshop_app.services import live, standards
from workshop_app.services import participation as phones
from workshop_app.services import project as project_service
from workshop_app.services import sessions as session_service
from workshop_app.services.project import OpenProject
from workshop_app.services.sessions import ActivityFields
from workshop_app.services.standards import StandardFields

_keys = iter(range(10**9))


@pytest.fixture
def round_two(project: OpenProject) -> World:
    return _round_two(project, RatingQuestion.IMPORTANCE)


@pytest.fixture
def agreement_round_two(project: OpenProject) -> World:
    return _round_two(project, RatingQuestion.AGREEMENT)


def _round_two(project: OpenProject, question: RatingQuestion) -> World:
    """Round one rated (and closed, its session ended), standard 1 revised since; round
    two live and open, showing round one's results."""
    one = build_world(project, title="Round one")
    first, second = one.standard_ids
    # the wording round one rates (participant-visible text must stay text)
    standards.update_standard(project, first, StandardFields("Standard 1", "Adults <b>listen</b>"))
    one.open(one.rate)
    parents = one.group(GroupKind.PARENT).id
    practitioners = one.group(GroupKind.PRACTITIONER).id
    # parents, standard 1: 9 9 8 7 | 2  -> 1-3: 20 %, 4-6: 0 %, 7-9: 80 %
    #          standard 2: 5 5 5 5 | 1  -> 1-3: 20 %, 4-6: 80 %, 7-9: 0 %
    # practitioners (2 of them: fewer than 5, so withheld): 1 1 and 9 9
    rated = [(parents, 9, 5), (parents, 9, 5), (parents, 8, 5), (parents, 7, 5), (parents, 2, 1)]
    rated += [(practitioners, 1, 9), (practitioners, 1, 9)]
    for group, v1, v2 in rated:
        who = phones.join(project, one.session.id, group).result(5)
        phones.rate(
            project, who.id, one.rate.id, {first: v1, second: v2}, f"feedback-{next(_keys):06d}"
        ).result(5)
    live.set_activity_state(project, one.rate.id, ActivityState.CLOSED)
    live.end_session(project, one.session.id)
    standards.update_standard(project, first, StandardFields("Standard 1", "Adults listen first"))

    two = build_world(project, title="Round two", standard_count=0)
    settings = replace(two.rate.settings, feedback_from=one.rate.id, question=question)
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
    assert "In round 1, 7 people rated this. Each group&#39;s answers:" in first
    # each group separately: the parents' answers...
    assert '<p class="group-name">Parents and carers (5)</p>' in first
    assert "1–3 (not important): 20%" in first
    assert "4–6 (important but not critical): 0%" in first
    assert "7–9 (critical): 80%" in first
    # ...and the two practitioners' withheld (fewer than the project's 5)
    assert '<p class="group-name">Practitioners</p>' in first
    assert "Fewer than 5 people in this group rated it, so their answers are not shown." in first
    assert first.count("share-bar") == 1
    # the bar: three segments whose widths are the shares, hidden from screen readers
    # (the list above says the same in words)
    assert re.search(r'<svg class="share-bar"[^>]*aria-hidden="true"', first)
    widths = re.findall(r'<rect class="(\w+)" x="(\d+)" y="0" width="(\d+)"', first)
    assert widths == [("low", "0", "20"), ("middle", "20", "0"), ("high", "20", "80")]
    # revised since: the page says so and shows the wording that was rated, as text
    assert "This statement was changed after round 1." in first
    assert "Adults &lt;b&gt;listen&lt;/b&gt;" in first
    assert "<b>listen</b>" not in html
    assert "Adults listen first" in first  # the statement as it is now, to be rated

    second = _statement_block(html, "Standard 2")
    assert "4–6 (important but not critical): 80%" in second and "7–9 (critical): 0%" in second
    assert "changed after round" not in second


async def test_children_see_the_shares_in_words_for_the_faces(
    client: Client, round_two: World
) -> None:
    await join(client, round_two.token, group=round_two.group(GroupKind.CHILD).id)
    html = await (await client.get(f"/j/{round_two.token}")).text()
    first = _statement_block(html, "Standard 1")
    assert "Last time, 7 people answered. Here is what each group said:" in first
    assert "Not important: 20%" in first and "Important: 80%" in first
    assert "Fewer than 5 people in this group answered, so we do not show it." in first
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
    assert "own-previous" not in html  # no earlier round shown: no "last time you chose"


async def test_a_smaller_smallest_group_shows_small_groups(
    client: Client, round_two: World
) -> None:
    project_service.update_settings(round_two.p, min_cell_size=2)
    await join(client, round_two.token, group=round_two.group(GroupKind.PARENT).id)
    first = _statement_block(await (await client.get(f"/j/{round_two.token}")).text(), "Standard 1")
    assert '<p class="group-name">Practitioners (2)</p>' in first
    assert "1–3 (not important): 100%" in first and "not shown" not in first


async def test_an_agreement_round_uses_the_words_of_agreement(
    client: Client, agreement_round_two: World
) -> None:
    round_two = agreement_round_two
    await join(client, round_two.token, group=round_two.group(GroupKind.PARENT).id)
    html = await (await client.get(f"/j/{round_two.token}")).text()
    assert '<p class="hint">1 = strongly disagree, 9 = strongly agree.</p>' in html
    assert "7–9 (agree): 80%" in html
    assert "important" not in html.lower().replace("need help", "")
    await join(client, round_two.token, group=round_two.group(GroupKind.CHILD).id)
    html = await (await client.get(f"/j/{round_two.token}")).text()
    assert "A big smile means you really agree." in html
    assert 'alt="I really agree"' in html and "Agree: 80%" in html


async def test_the_own_previous_score_is_left_to_the_phone(
    client: Client, round_two: World
) -> None:
    """The page carries only the sentences to say it; the score itself never comes from
    the laptop (the page's script reads it from the phone's own storage)."""
    await join(client, round_two.token, group=round_two.group(GroupKind.PARENT).id)
    html = await (await client.get(f"/j/{round_two.token}")).text()
    assert 'data-remember="no"' not in html  # a phone of one's own keeps it
    marks = re.findall(r'<p class="own-previous" hidden ([^>]*)></p>', html)
    assert len(marks) == 2
    assert 'data-say-7="Last time you chose 7."' in marks[0]
    await join(client, round_two.token, group=round_two.group(GroupKind.CHILD).id)
    html = await (await client.get(f"/j/{round_two.token}")).text()
    assert 'data-say-4="Last time you chose “Important”."' in html


async def test_the_bar_needs_no_inline_style_so_the_csp_holds(
    client: Client, round_two: World
) -> None:
    await join(client, round_two.token)
    resp = await client.get(f"/j/{round_two.token}")
    html = await resp.text()
    assert "share-bar" in html
    assert "style=" not in html and "<style" not in html
    assert "style-src 'self'" in resp.headers["Content-Security-Policy"]


async def test_a_shared_tablet_neither_keeps_nor_shows_an_own_previous_answer(
    client: Client, round_two: World
) -> None:
    """The next person on a shared tablet would see it: the form tells the script not to."""
    await join(client, round_two.token, group=round_two.group(GroupKind.PARENT).id, tablet="1")
    html = await (await client.get(f"/j/{round_two.token}")).text()
    assert re.search(r'<form [^>]*class="rate-form"[^>]*data-remember="no"', html)
