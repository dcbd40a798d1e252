"""What the phone pages say and offer (issue 12): only the session's own groups, honest
note statuses, a confirmation before taking a note back, messages that never outlive
their moment, tap-to-add dots, ties in results, children's wording everywhere.

The app is the real one (`make_app`) over a real project file and the real writer thread.
"""

from __future__ import annotations

import pytest

from tests.web.conftest import Client, World, build_world, join
from workshop_app.core.model import GroupKind
from workshop_app.services import groups as group_service
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
