"""The phone server with the arrival check's second look (decision 032): the real app
(`make_app`) over a real project file and writer, the real theme model and shipped disclosure
reference, phones as aiohttp clients over 127.0.0.1.

A phone's note is answered at once and waits, off the projector, until the look has read it; a
note the phrase rules let through but that reads like a possible disclosure is then held: it
never reaches the projector in a *show at once* session, and the phone's page offers help
gently; the form path (no JavaScript) does the same.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from tests.web.conftest import Client, World, build_world, join, key
from tests.web.test_phone_pages import note_statuses
from workshop_app.core.model import ModerationMode
from workshop_app.services import moderation, projection
from workshop_app.services.arrival import SecondLook
from workshop_app.services.project import OpenProject
from workshop_app.themes import ThemeEngine
from workshop_app.web.routes import make_app

UNSPOKEN = "a man in a game told me he would buy me a ps5 if i met him"
SOFTLY = "no point anymore honestly"
ORDINARY = "Block strangers who send friend requests"


@pytest.fixture
def engine(shipped_engine: ThemeEngine) -> ThemeEngine:
    return shipped_engine


def read(look: SecondLook) -> None:
    look.notify()
    assert look.wait_idle(60)


@pytest.fixture
def plain(project: OpenProject) -> World:
    w = build_world(project, moderation=ModerationMode.SHOW_AT_ONCE)
    w.open(w.brainstorm)
    return w


@pytest.fixture
async def phone(
    aiohttp_client: Callable[..., Awaitable[Client]], project: OpenProject, look: SecondLook
) -> Client:
    return await aiohttp_client(make_app(project, look=look))


async def test_a_note_the_rules_miss_is_held_and_the_phone_offered_help(
    phone: Client, plain: World, look: SecondLook
) -> None:
    await join(phone, plain.token)
    answers = {}
    for text in (ORDINARY, UNSPOKEN):
        resp = await phone.post(
            f"/j/{plain.token}/api/notes",
            json={"activity": plain.brainstorm.id, "text": text, "key": key()},
        )
        assert resp.status == 200, await resp.text()
        answers[text] = await resp.json()
    assert "support" not in answers[ORDINARY]  # answered before the look has read it
    read(look)
    assert projection.projector_view(plain.p, plain.session.id).notes == (ORDINARY,)
    held = moderation.held_count(plain.p, plain.session.id)
    assert (held.waiting, held.disclosures) == (1, 1)
    page = await (await phone.get(f"/j/{plain.token}")).text()
    assert "data-support" in page  # the gentle help box once it is held, never why


async def test_the_form_path_holds_it_too(phone: Client, plain: World, look: SecondLook) -> None:
    await join(phone, plain.token)
    resp = await phone.post(
        f"/j/{plain.token}/notes",
        data={"activity": plain.brainstorm.id, "text": SOFTLY, "key": key()},
        allow_redirects=False,
    )
    assert resp.status == 303, await resp.text()
    read(look)
    page = await (await phone.get(f"/j/{plain.token}")).text()
    assert "data-support" in page  # the gentle help box, never why
    (status,) = note_statuses(page)  # waiting, as any note the facilitator reads first
    assert "reads every note before it goes on the screen" in status
    assert projection.projector_view(plain.p, plain.session.id).notes == ()
