"""Fixtures for the participant server: a live session with one activity of each kind,
themes to vote on, standards to rate, and helpers that act like a phone."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from workshop_app.core.ids import new_id, utc_now
from workshop_app.core.model import (
    Activity,
    ActivityState,
    GroupKind,
    ModerationMode,
    Session,
    StakeholderGroup,
    Standard,
    StandardLevel,
    Theme,
)
from workshop_app.core.plan import SessionPlan, parse_plan
from workshop_app.services import groups as group_service
from workshop_app.services import live
from workshop_app.services import sessions as session_service
from workshop_app.services.project import OpenProject
from workshop_app.services.sessions import SessionDetails
from workshop_app.storage import contributions, standards
from workshop_app.storage.writer import Tx
from workshop_app.web.routes import make_app

VOTE_BUDGET = 5
PER_ITEM_CAP = 3


@dataclass
class World:
    """One live session and everything a phone can act on in it."""

    p: OpenProject
    session: Session
    brainstorm: Activity
    vote: Activity
    rate: Activity
    info: Activity
    themes: list[Theme] = field(default_factory=list)
    standard_ids: list[str] = field(default_factory=list)

    @property
    def token(self) -> str:
        return session_service.get_session(self.p, self.session.id).join_token

    def group(self, kind: GroupKind) -> StakeholderGroup:
        return next(g for g in group_service.list_groups(self.p) if g.kind is kind)

    def open(self, activity: Activity) -> None:
        live.set_activity_state(self.p, activity.id, ActivityState.OPEN)

    def rows(self, table: str) -> int:
        return int(self.p.store.reader().execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def all_rows(self) -> dict[str, int]:
        tables = ("participants", "notes", "note_edits", "votes", "ratings", "help_requests")
        return {t: self.rows(t) for t in tables}


def plan_for() -> SessionPlan:
    def activity(kind: str, name: str, **extra: object) -> dict[str, object]:
        return {
            "kind": kind,
            "title": name,
            "minutes": 10,
            "prompt": f"Adult prompt for {name}",
            "child_prompt": f"Child prompt for {name}",
            **extra,
        }

    return parse_plan(
        {
            "format": 1,
            "id": "web-tests",
            "title": "Web tests",
            "audience": ["parent"],
            "activities": [
                activity("info", "Welcome"),
                activity("brainstorm", "Ideas"),
                activity(
                    "vote", "Vote", vote_on="themes", budget=VOTE_BUDGET, per_item_cap=PER_ITEM_CAP
                ),
                activity("rate", "Rate", scale="nine_point", consensus_round=True),
            ],
        },
        "web-tests.toml",
    )


def build_world(
    p: OpenProject,
    *,
    title: str = "Evening session",
    moderation: ModerationMode = ModerationMode.SHOW_AT_ONCE,
    go_live: bool = True,
    theme_names: tuple[str, ...] = ("Safer apps", "Trusted adults", "Reporting"),
    standard_count: int = 2,
    invited: tuple[GroupKind, ...] = (),
) -> World:
    # One plan, one commit: the four activities arrive with the session.
    group_ids = tuple(g.id for g in group_service.list_groups(p) if g.kind in invited)
    session = session_service.create_session(
        p, SessionDetails(title, moderation=moderation, group_ids=group_ids), plan_for()
    )
    info, brainstorm, vote, rate = session_service.list_activities(p, session.id)
    now = utc_now()
    themes = [
        Theme(new_id(), brainstorm.id, name, "#ffcc00", i, (), now)
        for i, name in enumerate(theme_names)
    ]
    stds = [
        Standard(
            id=new_id(),
            title=f"Standard {i + 1}",
            statement=f"Statement {i + 1}",
            rationale="",
            level=StandardLevel.EXPECTED,
            measures=(),
            audiences={},
            definitions={},
            position=i,
            version=1,
            source_theme_ids=(),
            source_note_ids=(),
            created_at=now,
            updated_at=now,
        )
        for i in range(standard_count)
    ]

    def job(tx: Tx) -> None:
        for t in themes:
            contributions.insert_theme(tx.db, t)
        for s in stds:
            standards.insert_standard(tx.db, s)

    p.store.write_now(job)
    if go_live:
        live.go_live(p, session.id)
    return World(p, session, brainstorm, vote, rate, info, themes, [s.id for s in stds])


@pytest.fixture
def world(project: OpenProject) -> World:
    """A live session whose brainstorm is open."""
    w = build_world(project)
    w.open(w.brainstorm)
    return w


Client = TestClient[Any, Any]


@pytest.fixture
async def client(aiohttp_client: Callable[..., Awaitable[Client]], project: OpenProject) -> Client:
    return await aiohttp_client(make_app(project))


async def join(client: Client, token: str, group: str = "none", **extra: str) -> str:
    """Join through the form, as a phone without JavaScript does; returns the participant id."""
    resp = await client.post(
        f"/j/{token}/join", data={"group": group, **extra}, allow_redirects=False
    )
    assert resp.status == 303, await resp.text()
    cookie = resp.cookies
    assert len(cookie) >= 1
    name = next(k for k in cookie if re.fullmatch(r"cg_[0-9a-f]{16}", k))
    return cookie[name].value


KEY_COUNTER = iter(range(10**9))


def key() -> str:
    """A fresh idempotency key."""
    return f"key-{next(KEY_COUNTER):08d}"
