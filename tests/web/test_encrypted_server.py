"""The participant server on an encrypted project: phones join and post over real HTTP,
the notes are stored and read back, and no note text is in the file's bytes or its WAL."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import Client, build_world, join, key
from workshop_app.services import moderation
from workshop_app.services.project import OpenProject, create_project
from workshop_app.services.protection import Key
from workshop_app.web.routes import make_app


@pytest.fixture
def encrypted(tmp_path: Path) -> Iterator[OpenProject]:
    p = create_project(tmp_path / "served.cground", "Served", key=Key("served passphrase 99"))
    yield p
    p.close()


async def test_phones_write_to_an_encrypted_project_and_no_note_is_readable_on_disk(
    aiohttp_client: Callable[..., Awaitable[Client]], encrypted: OpenProject
) -> None:
    world = build_world(encrypted)
    world.open(world.brainstorm)
    client: Any = await aiohttp_client(make_app(encrypted))
    await join(client, world.token)
    texts = [f"the bus stop at {uuid.uuid4().hex}" for _ in range(3)]
    for text in texts:
        resp = await client.post(
            f"/j/{world.token}/api/notes",
            json={"activity": world.brainstorm.id, "text": text, "key": key()},
        )
        assert resp.status == 200, await resp.text()
    wall = {n.text for n in moderation.list_wall(encrypted, world.brainstorm.id)}
    assert set(texts) <= wall
    path = encrypted.path
    raw = path.read_bytes() + path.with_name(path.name + "-wal").read_bytes()
    for text in texts:
        assert text.split()[-1].encode() not in raw
