"""What the phone pages say and offer (issue 12): only the session's own groups, honest
note statuses, a confirmation before taking a note back, messages that never outlive
their moment, tap-to-add dots, ties in results, children's wording everywhere.

The app is the real one (`make_app`) over a real project file and the real writer thread.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from tests.web.conftest import Client, World, build_world, join, key
from workshop_app.core.ids import format_join_code
from workshop_app.core.model import ActivityState, GroupKind
from workshop_app.services import groups as group_service
from workshop_app.services import live
from workshop_app.services.project import OpenProject


def group_id(w: World, name: str) -> str:
    return next(g.id for g in group_service.list_groups(w.p) if g.name == name)


# ---------------------------------------------------------------- 1. only invited groups


async def test_the_join_page_offers_only_the_groups_the_session_invited(
    client: Client, project: OpenProject
) -> None:
    w = build_world(project, invited=(GroupKind.CHILD,))
    html = await (await client.get(f"/j/{w.token}")).text()
    for g in group_service.list_groups(project):
        offered = f'value="{g.id}"' in html
        assert offered is (g.kind is GroupKind.CHILD), g.name
    assert "Practitioners" not in html and 'value="none"' in html


async def test_a_session_that_invited_no_group_offers_every_group(
    client: Client, world: World
) -> None:
    html = await (await client.get(f"/j/{world.token}")).text()
    for g in group_service.list_groups(world.p):
        assert f'value="{g.id}"' in html


@pytest.mark.parametrize("name", ["Practitioners", "Parents and carers"])
async def test_joining_with_a_group_the_session_did_not_invite_is_refused(
    client: Client, project: OpenProject, name: str
) -> None:
    w = build_world(project, invited=(GroupKind.CHILD,))
    resp = await client.post(
        f"/j/{w.token}/join", data={"group": group_id(w, name)}, allow_redirects=False
    )
    assert resp.status == 422
    assert "Set-Cookie" not in resp.headers
    assert w.rows("participants") == 0
    await join(client, w.token, group=group_id(w, "Children 8–12"))
    assert w.rows("participants") == 1


# ---------------------------------------------------------------- 7. ties in results


async def reveal_tied_vote(client: Client, w: World) -> str:
    """Two phones put 2 dots on each of the first two themes and 1 on the third."""
    w.open(w.vote)
    t = w.themes
    for dots in ({t[0].id: 2, t[2].id: 1}, {t[1].id: 2}):
        client.session.cookie_jar.clear()
        await join(client, w.token)
        resp = await client.post(
            f"/j/{w.token}/api/votes", json={"activity": w.vote.id, "dots": dots, "key": key()}
        )
        assert resp.status == 200, await resp.text()
    live.set_activity_state(w.p, w.vote.id, ActivityState.CLOSED)
    live.set_activity_state(w.p, w.vote.id, ActivityState.REVEALED)
    return await (await client.get(f"/j/{w.token}")).text()


def result_lines(html: str) -> list[str]:
    section = html.split('<section class="results">', 1)[1].split("</section>", 1)[0]
    items = re.findall(r"<li[^>]*>(.*?)</li>", section, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", i).split()) for i in items]


async def test_tied_results_on_a_phone_share_a_rank_written_out(
    client: Client, world: World
) -> None:
    html = await reveal_tied_vote(client, world)
    assert result_lines(html) == [
        "Joint 1st Safer apps 2 dots",
        "Joint 1st Trusted adults 2 dots",
        "3rd Reporting 1 dot",
    ]
    assert "<ol" not in html.split('<section class="results">', 1)[1].split("</section>")[0]


# ---------------------------------------------------------------- 5c. a typed link


@pytest.mark.parametrize(
    ("typed", "path"),
    [
        (format_join_code, ""),
        (lambda t: format_join_code(t).lower(), ""),
        (format_join_code, "/help"),
    ],
    ids=["dash", "dash-lower", "help"],
)
async def test_a_typed_link_as_the_code_is_shown_redirects_to_the_canonical_link(
    client: Client, world: World, typed: Callable[[str], str], path: str
) -> None:
    link = typed(world.token)
    resp = await client.get(f"/j/{link}{path}", allow_redirects=False)
    assert resp.status == 303, await resp.text()
    assert resp.headers["Location"] == f"/j/{world.token}{path}"
    follow = await client.get(f"/j/{link}{path}")
    assert follow.status == 200 and "work any more" not in await follow.text()


async def test_a_dashed_link_that_matches_no_session_still_says_it_does_not_work(
    client: Client, world: World
) -> None:
    resp = await client.get("/j/ZZZZZ-ZZZZZ", allow_redirects=False)
    assert resp.status == 404 and "work any more" in await resp.text()
