"""What a hostile or clumsy phone sends: text that cannot be stored, ids and keys that are
almost right. Refused with a clear 4xx, and nothing stored (not even a participant)."""

from __future__ import annotations

import json
from contextlib import suppress
from typing import Any

import pytest

from tests import disk
from tests.web.conftest import Client, World, key
from tests.web.test_routes import (
    EDIT,
    HELP,
    NOTES,
    RATINGS,
    VOTES,
    WRITES,
    Endpoint,
    error_json,
    ready,
    snapshot,
)
from workshop_app.core.participation import NOTE_MAX, NOTES_PER_ACTIVITY_MAX, check_key
from workshop_app.services import participation as svc
from workshop_app.storage.errors import DiskFullError

LONE_SURROGATES = ["\ud800", "before \udfff after", "emoji half \ud83d"]


def _raw_json(body: dict[str, Any]) -> bytes:
    """JSON as a phone's buggy keyboard or an attacker sends it: escapes kept as escapes."""
    return json.dumps(body).encode("ascii")


@pytest.mark.parametrize("text", LONE_SURROGATES)
@pytest.mark.parametrize(
    ("ep", "field"),
    [(NOTES, "text"), (EDIT, "text"), (HELP, "message")],
    ids=["note", "edit", "help"],
)
async def test_text_that_cannot_be_stored_is_refused_with_a_clear_400(
    client: Client, world: World, ep: Endpoint, field: str, text: str
) -> None:
    phone = await ready(client, world, ep)
    before = snapshot(world)
    body = {**ep.json_body(world), field: text, "key": key()}
    resp = await client.post(
        ep.url(world.token, phone, True),
        data=_raw_json(body),
        headers={"Content-Type": "application/json"},
    )
    message = await error_json(resp, 400)
    assert "cannot be stored" in message
    assert snapshot(world) == before


async def test_a_refused_help_request_from_a_phone_that_never_joined_stores_nobody(
    client: Client, world: World
) -> None:
    before = snapshot(world)
    resp = await client.post(
        f"/j/{world.token}/api/help",
        data=_raw_json({"message": "help \ud800", "key": key()}),
        headers={"Content-Type": "application/json"},
    )
    await error_json(resp, 400)
    assert snapshot(world) == before  # no participant row either


@pytest.mark.parametrize(
    ("ep", "body"),
    [
        (NOTES, lambda w: {"activity": w.brainstorm.id[:-1] + "\ud800", "text": "hi"}),
        (VOTES, lambda w: {"activity": w.vote.id, "dots": {"\udc80" + w.themes[0].id: 1}}),
        (RATINGS, lambda w: {"activity": w.rate.id, "ratings": {"\ud800": 5}}),
        (NOTES, lambda w: {"activity": w.brainstorm.id, "text": "hi", "\ud800": 1}),
    ],
    ids=["activity id", "vote item", "rated item", "field name"],
)
async def test_unstorable_text_in_ids_and_field_names_is_refused_too(
    client: Client, world: World, ep: Endpoint, body: Any
) -> None:
    phone = await ready(client, world, ep)
    before = snapshot(world)
    resp = await client.post(
        ep.url(world.token, phone, True),
        data=_raw_json({**body(world), "key": key()}),
        headers={"Content-Type": "application/json"},
    )
    assert 400 <= resp.status < 500, await resp.text()
    assert snapshot(world) == before


@pytest.mark.parametrize("path", ["/j/%ED%A0%80", "/j/%FF%FE", "/j/abc%00def/api/state"])
async def test_undecodable_bytes_in_a_link_are_not_found(client: Client, path: str) -> None:
    resp = await client.get(path)
    assert resp.status in (400, 404), await resp.text()


@pytest.mark.parametrize(
    "bad", ["abcdefgh\n", "abcdefgh\r", "\nabcdefgh", "abcdefg", "a" * 65, "abcd efgh", "abcdéfgh"]
)
def test_an_idempotency_key_must_match_in_full(bad: str) -> None:
    with pytest.raises(Exception, match="key of 8 to 64"):
        check_key(bad)


async def test_a_key_with_a_trailing_newline_is_refused_over_http(
    client: Client, world: World
) -> None:
    phone = await ready(client, world, NOTES)
    before = snapshot(world)
    resp = await client.post(
        NOTES.url(world.token, phone, True),
        json={**NOTES.json_body(world), "key": "abcdefgh\n"},
    )
    await error_json(resp, 422)
    assert snapshot(world) == before


def test_every_write_endpoint_is_covered_here() -> None:
    assert {e.name for e in WRITES} >= {"notes", "edit", "help", "votes", "ratings"}


# ---------------------------------------------------------------- the laptop's disk


def _disk_full(world: World, full: bool) -> None:
    """A really full database for SQLite: no page may be added (SQLITE_FULL), and the room
    left inside the file's pages is used up, as on a full disk."""
    store = world.p.store
    if not full:
        disk.free(store)
        return
    disk.fill(store)
    # And the notes' own pages: notes from the room until nothing more fits.
    with suppress(DiskFullError):
        for i in range(1000):
            who = svc.join(world.p, world.session.id, None).result(10)
            for j in range(NOTES_PER_ACTIVITY_MAX):
                svc.post_note(
                    world.p, who.id, world.brainstorm.id, "f" * NOTE_MAX, f"fill-{i:04d}-{j:02d}"
                ).result(10)


async def test_a_full_disk_while_serving_is_503_try_again_and_the_retry_is_stored_once(
    client: Client, world: World
) -> None:
    phone = await ready(client, world, NOTES)
    body = {"activity": world.brainstorm.id, "text": "x" * 490, "key": key()}
    _disk_full(world, True)
    try:
        before = snapshot(world)
        for _ in range(3):  # the outbox retries: each answered the same way
            resp = await client.post(NOTES.url(world.token, phone, True), json=body)
            message = await error_json(resp, 503)
            assert "could not save that just now" in message and "try again" in message
            assert resp.headers["Retry-After"] == "10"
        assert snapshot(world) == before
    finally:
        _disk_full(world, False)
    resp = await client.post(NOTES.url(world.token, phone, True), json=body)
    assert resp.status == 200, await resp.text()
    again = await client.post(NOTES.url(world.token, phone, True), json=body)
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert snapshot(world)["notes"] == before["notes"] + 1
