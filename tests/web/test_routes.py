"""Every endpoint of the participant server through aiohttp's test client.

The app is the real one (`make_app`) over a real project file and the real writer
thread; what a request stored is always read back from the file.
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp import ClientResponse, FormData
from aiohttp.test_utils import make_mocked_request

from tests.web.conftest import VOTE_BUDGET, Client, World, build_world, join, key
from workshop_app.core.ids import format_join_code
from workshop_app.core.model import ActivityState, GroupKind, Participant
from workshop_app.core.participation import HELP_MESSAGE_MAX, NOTE_MAX
from workshop_app.services import groups as group_service
from workshop_app.services import live
from workshop_app.services import participation as svc
from workshop_app.services import project as projects
from workshop_app.services.project import OpenProject
from workshop_app.web.headers import CSP
from workshop_app.web.routes import MAX_BODY

OWN_SCRIPT = '<script src="/static/app.js" defer></script>'


def assert_security_headers(resp: ClientResponse) -> None:
    h = resp.headers
    assert h["Content-Security-Policy"] == CSP
    assert "'unsafe-inline'" not in h["Content-Security-Policy"]
    assert "script-src 'self'" in h["Content-Security-Policy"]
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["Referrer-Policy"] == "no-referrer"
    assert h["X-Frame-Options"] == "DENY"
    assert "Server" not in h


def snapshot(w: World) -> dict[str, int]:
    rows = w.all_rows()
    rows["withdrawn"] = int(
        w.p.store.reader()
        .execute("SELECT count(*) FROM notes WHERE withdrawn_at IS NOT NULL")
        .fetchone()[0]
    )
    return rows


async def friendly_html(resp: ClientResponse, status: int) -> str:
    assert resp.status == status
    assert resp.content_type == "text/html"
    html = await resp.text()
    assert "Traceback" not in html and 'File "' not in html
    assert "<h1>" in html
    return html


async def error_json(resp: ClientResponse, status: int) -> str:
    assert resp.status == status, await resp.text()
    assert resp.content_type == "application/json"
    body = await resp.json()
    assert body["ok"] is False and isinstance(body["error"], str) and body["error"]
    assert "Traceback" not in body["error"]
    return str(body["error"])


# ---------------------------------------------------------------- the endpoints


@dataclass
class Phone:
    pid: str
    note_id: str


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str  # after /j/{token}; "{note}" is the phone's note
    activity: str  # which activity must be open ("" when none need be)
    json_body: Callable[[World], dict[str, Any]]
    form_body: Callable[[World], dict[str, str]]
    effect: str  # the row count a success adds to
    done: str  # where a form success sends the browser
    grows: int = 1  # by how much

    def url(self, token: str, phone: Phone, api: bool) -> str:
        path = self.path.replace("{note}", phone.note_id)
        return f"/j/{token}{'/api' if api else ''}{path}"


NOTES = Endpoint(
    "notes",
    "/notes",
    "brainstorm",
    lambda w: {"activity": w.brainstorm.id, "text": "Apps should block strangers"},
    lambda w: {"activity": w.brainstorm.id, "text": "Apps should block strangers"},
    "notes",
    "?done=note",
)
EDIT = Endpoint(
    "edit",
    "/notes/{note}/edit",
    "brainstorm",
    lambda w: {"text": "Changed my mind"},
    lambda w: {"text": "Changed my mind"},
    "note_edits",
    "?done=edited",
)
WITHDRAW = Endpoint(
    "withdraw",
    "/notes/{note}/withdraw",
    "brainstorm",
    lambda w: {},
    lambda w: {},
    "withdrawn",
    "?done=withdrawn",
)
VOTES = Endpoint(
    "votes",
    "/votes",
    "vote",
    lambda w: {"activity": w.vote.id, "dots": {w.themes[0].id: 2, w.themes[1].id: 1}},
    lambda w: {"activity": w.vote.id, f"dots.{w.themes[0].id}": "2", f"dots.{w.themes[1].id}": "1"},
    "votes",
    "?done=votes",
    grows=2,
)
RATINGS = Endpoint(
    "ratings",
    "/ratings",
    "rate",
    lambda w: {"activity": w.rate.id, "ratings": {w.standard_ids[0]: 7}},
    lambda w: {"activity": w.rate.id, f"rating.{w.standard_ids[0]}": "7"},
    "ratings",
    "?done=ratings",
)
HELP = Endpoint(
    "help",
    "/help",
    "",
    lambda w: {"message": "By the door"},
    lambda w: {"message": "By the door"},
    "help_requests",
    "/help?done=help",
)
WRITES = [NOTES, EDIT, WITHDRAW, VOTES, RATINGS, HELP]
NEEDS_PARTICIPANT = [e for e in WRITES if e is not HELP]
NEEDS_OPEN_ACTIVITY = NEEDS_PARTICIPANT
ids = [e.name for e in WRITES]


async def ready(client: Client, w: World, ep: Endpoint) -> Phone:
    """Join, write one note (for edit and withdraw), then open the endpoint's activity."""
    pid = await join(client, w.token)
    resp = await client.post(
        f"/j/{w.token}/api/notes",
        json={"activity": w.brainstorm.id, "text": "My first note", "key": key()},
    )
    assert resp.status == 200, await resp.text()
    note_id = (await resp.json())["note"]["id"]
    if ep.activity and ep.activity != "brainstorm":
        w.open(getattr(w, ep.activity))
    return Phone(pid, note_id)


async def post_json(client: Client, url: str, body: Any, **kw: Any) -> ClientResponse:
    return await client.post(url, json=body, allow_redirects=False, **kw)


# ---------------------------------------------------------------- the routes


async def test_every_route_is_reached_by_its_own_address(client: Client) -> None:
    """The router tries the routes in the order `make_app` gives them, hot ones first for
    speed; that is only safe while no route can answer another's address. Each route,
    asked for with an address that fills its parts, is the one that answers."""
    app = client.app
    assert app is not None
    routes = [r for r in app.router.routes() if r.method != "HEAD"]
    assert len(routes) > 25
    for route in routes:
        canonical = route.resource.canonical if route.resource else ""
        path = re.sub(r"\{[^}]+\}", "abc123", canonical)
        if route.resource is not None and route.resource.name == "static":
            path = "/static/app.js"
        method = "GET" if route.method == "*" else route.method
        request = make_mocked_request(method, path, app=app)
        found = await app.router.resolve(request)
        assert found.http_exception is None, (route.name, path, found.http_exception)
        assert found.route.name == route.name, (route.name, path, found.route.name)


# ---------------------------------------------------------------- typing a code


async def test_the_enter_code_page_is_a_form(client: Client) -> None:
    resp = await client.get("/")
    html = await friendly_html(resp, 200)
    assert '<form method="post" action="/">' in html and 'name="code"' in html


@pytest.mark.parametrize(
    "typed",
    [
        lambda t: t,
        lambda t: t.lower(),
        format_join_code,
        lambda t: format_join_code(t).lower(),
        lambda t: " ".join(t),
        lambda t: f"  {t[:5].lower()} - {t[5:]}  ",
    ],
    ids=["exact", "lower", "dash", "dash-lower", "spaces", "mixed"],
)
async def test_a_good_code_in_any_case_with_dashes_or_spaces_redirects_to_the_session(
    client: Client, world: World, typed: Callable[[str], str]
) -> None:
    resp = await client.post("/", data={"code": typed(world.token)}, allow_redirects=False)
    assert resp.status == 303
    assert resp.headers["Location"] == f"/j/{world.token}"


async def test_look_alike_letters_in_a_typed_code_are_read_as_digits(
    client: Client, world: World
) -> None:
    token = world.token
    typed = token.replace("0", "O").replace("1", "I")
    resp = await client.post("/", data={"code": typed}, allow_redirects=False)
    assert resp.status == 303 and resp.headers["Location"] == f"/j/{token}"


@pytest.mark.parametrize(
    "typed", ["", "ABCDE", "ZZZZZZZZZZ", "<script>alert(1)</script>", "x" * 500]
)
async def test_a_wrong_code_gets_a_friendly_not_found_page(
    client: Client, world: World, typed: str
) -> None:
    resp = await client.post("/", data={"code": typed}, allow_redirects=False)
    html = await friendly_html(resp, 404)
    assert "match a session here" in html
    assert html.count("<script") == 1


async def test_guessing_codes_is_rate_limited_but_a_good_code_still_works(
    client: Client, world: World
) -> None:
    statuses = []
    for i in range(40):
        resp = await client.post("/", data={"code": f"ZZZZZ{i:05d}"}, allow_redirects=False)
        statuses.append(resp.status)
    assert statuses[:30] == [404] * 30
    assert 429 in statuses[30:]
    last = await client.post("/", data={"code": "ZZZZZZZZZZ"}, allow_redirects=False)
    await friendly_html(last, 429)
    good = await client.post("/", data={"code": world.token}, allow_redirects=False)
    assert good.status == 303


async def test_guessing_tokens_in_links_is_rate_limited_too(client: Client, world: World) -> None:
    statuses = [(await client.get(f"/j/ZZZZZ{i:05d}")).status for i in range(35)]
    assert statuses[:30] == [404] * 30 and statuses[-1] == 429


async def test_the_code_form_only_takes_forms(client: Client) -> None:
    resp = await client.post("/", json={"code": "x"})
    await friendly_html(resp, 415)


# ---------------------------------------------------------------- joining


async def test_the_join_page_lists_the_groups_and_prefer_not_to_say(
    client: Client, world: World
) -> None:
    html = await friendly_html(await client.get(f"/j/{world.token}"), 200)
    for g in group_service.list_groups(world.p):
        assert f'value="{g.id}"' in html
        assert g.name in html
    assert "Prefer not to say" in html and 'value="none"' in html
    assert f'action="/j/{world.token}/join"' in html


async def test_a_planned_session_shows_a_waiting_page_not_the_join_form(
    client: Client, project: OpenProject
) -> None:
    w = build_world(project, go_live=False)
    html = await friendly_html(await client.get(f"/j/{w.token}"), 200)
    assert "hasn't started yet" in html and "/join" not in html


@pytest.mark.parametrize("choice", ["none", "parent"])
async def test_joining_sets_an_httponly_strict_cookie_and_redirects(
    client: Client, world: World, choice: str
) -> None:
    group = "none" if choice == "none" else world.group(GroupKind.PARENT).id
    resp = await client.post(f"/j/{world.token}/join", data={"group": group}, allow_redirects=False)
    assert resp.status == 303 and resp.headers["Location"] == f"/j/{world.token}"
    set_cookie = resp.headers["Set-Cookie"]
    assert re.match(r"cg_[0-9a-f]{16}=[0-9a-f]{32};", set_cookie)
    assert "HttpOnly" in set_cookie and "SameSite=Strict" in set_cookie and "Path=/" in set_cookie
    pid = set_cookie.split("=", 1)[1].split(";", 1)[0]
    [row] = list(world.p.store.reader().query("SELECT * FROM participants"))
    assert row["id"] == pid
    assert row["group_id"] == (None if choice == "none" else group)
    html = await friendly_html(await client.get(f"/j/{world.token}"), 200)
    assert "Send note" in html and "Which group are you in?" not in html


async def test_a_shared_tablet_keeps_a_tablet_cookie(client: Client, world: World) -> None:
    await join(client, world.token, tablet="1")
    html = await friendly_html(await client.get(f"/j/{world.token}"), 200)
    assert "Next person" in html


@pytest.mark.parametrize("group", ["", "not-a-group", "'; DROP TABLE participants; --"])
async def test_joining_with_an_unknown_group_is_refused_and_stores_nobody(
    client: Client, world: World, group: str
) -> None:
    resp = await client.post(f"/j/{world.token}/join", data={"group": group}, allow_redirects=False)
    await friendly_html(resp, 422)
    assert "Set-Cookie" not in resp.headers
    assert world.rows("participants") == 0


async def test_joining_a_session_that_is_not_live_is_refused(
    client: Client, project: OpenProject
) -> None:
    w = build_world(project, go_live=False)
    resp = await client.post(f"/j/{w.token}/join", data={"group": "none"}, allow_redirects=False)
    await friendly_html(resp, 409)
    assert w.rows("participants") == 0


async def test_joining_needs_a_form(client: Client, world: World) -> None:
    resp = await client.post(f"/j/{world.token}/join", json={"group": "none"})
    await friendly_html(resp, 415)
    assert world.rows("participants") == 0


# ---------------------------------------------------------------- stale links


@pytest.mark.parametrize(
    "path",
    ["", "/help", "/join", "/notes", "/api/state", "/api/notes", "/events"],
)
@pytest.mark.parametrize("how", ["rotated", "unknown", "too-long"])
async def test_a_stale_or_unknown_token_gets_a_friendly_not_found(
    client: Client, world: World, path: str, how: str
) -> None:
    old = world.token
    if how == "rotated":
        live.rotate_join_token(world.p, world.session.id)
        token = old
    else:
        token = {"unknown": "ZZZZZZZZZZ", "too-long": old * 10}[how]
    before = snapshot(world)
    method = client.post if path in ("/join", "/notes", "/api/notes") else client.get
    resp = await method(f"/j/{token}{path}", data={"group": "none"}, allow_redirects=False)
    if "/api/" in path:
        message = await error_json(resp, 404)
    else:
        message = await friendly_html(resp, 404)
    assert "work any more" in message
    assert_security_headers(resp)
    assert snapshot(world) == before


async def test_a_rotated_link_still_works_with_the_new_token_for_people_already_in(
    client: Client, world: World
) -> None:
    await join(client, world.token)
    new = live.rotate_join_token(world.p, world.session.id)
    html = await friendly_html(await client.get(f"/j/{new}"), 200)
    assert "Send note" in html


# ---------------------------------------------------------------- successful writes


@pytest.mark.parametrize("ep", WRITES, ids=ids)
async def test_every_json_endpoint_stores_its_submission(
    client: Client, world: World, ep: Endpoint
) -> None:
    phone = await ready(client, world, ep)
    before = snapshot(world)
    resp = await post_json(
        client, ep.url(world.token, phone, api=True), {**ep.json_body(world), "key": key()}
    )
    assert resp.status == 200, await resp.text()
    body = await resp.json()
    assert body["ok"] is True
    assert "Idempotent-Replayed" not in resp.headers
    assert resp.headers["Cache-Control"] == "no-store"
    after = snapshot(world)
    assert after[ep.effect] == before[ep.effect] + ep.grows
    assert_security_headers(resp)


@pytest.mark.parametrize("ep", WRITES, ids=ids)
async def test_every_form_endpoint_stores_its_submission_and_redirects(
    client: Client, world: World, ep: Endpoint
) -> None:
    phone = await ready(client, world, ep)
    before = snapshot(world)
    resp = await client.post(
        ep.url(world.token, phone, api=False),
        data={**ep.form_body(world), "key": key()},
        allow_redirects=False,
    )
    assert resp.status == 303, await resp.text()
    # the confirmation names the activity it is about (withdraw and help need not)
    about = f"&a={getattr(world, ep.activity).id}" if ep not in (WITHDRAW, HELP) else ""
    assert resp.headers["Location"] == f"/j/{world.token}{ep.done}{about}"
    assert snapshot(world)[ep.effect] == before[ep.effect] + ep.grows
    follow = await client.get(resp.headers["Location"])
    await friendly_html(follow, 200)


async def test_what_a_phone_sent_is_what_is_stored(client: Client, world: World) -> None:
    await join(client, world.token)
    r = await post_json(
        client,
        f"/j/{world.token}/api/notes",
        {"activity": world.brainstorm.id, "text": "  Line one\r\nLine two\x07 ", "key": key()},
    )
    note = (await r.json())["note"]
    assert note["text"] == "Line one\nLine two" and note["status"] == "shown"
    row = next(world.p.store.reader().query("SELECT * FROM notes WHERE id = ?", [note["id"]]))
    assert (row["text"], row["original_text"]) == ("Line one\nLine two", "Line one\nLine two")
    world.open(world.vote)
    t = world.themes
    r = await client.post(
        f"/j/{world.token}/votes",
        data={
            "activity": world.vote.id,
            "key": key(),
            f"dots.{t[0].id}": " 3 ",
            f"dots.{t[1].id}": "",
        },
        allow_redirects=False,
    )
    assert r.status == 303
    rows = list(world.p.store.reader().query("SELECT target_id, dots FROM votes"))
    assert [(x["target_id"], x["dots"]) for x in rows] == [(t[0].id, 3)]


async def test_a_child_rating_by_form_is_stored_on_the_smiley_scale(
    client: Client, world: World
) -> None:
    await join(client, world.token, group=world.group(GroupKind.CHILD).id)
    world.open(world.rate)
    html = await friendly_html(await client.get(f"/j/{world.token}"), 200)
    assert "face-4.svg" in html and "Child prompt for Rate" in html
    s = world.standard_ids[0]
    resp = await client.post(
        f"/j/{world.token}/ratings",
        data={"activity": world.rate.id, "key": key(), f"rating.{s}": "4"},
        allow_redirects=False,
    )
    assert resp.status == 303
    [row] = list(world.p.store.reader().query("SELECT value, raw_value, scale FROM ratings"))
    assert (row["value"], row["raw_value"], row["scale"]) == (7, 4, "smiley")


async def test_help_without_joining_gets_an_id_and_a_cookie_so_a_retry_is_one_request(
    client: Client, world: World
) -> None:
    k = key()
    first = await post_json(client, f"/j/{world.token}/api/help", {"message": "Hi", "key": k})
    assert first.status == 200
    assert "HttpOnly" in first.headers["Set-Cookie"]
    again = await post_json(client, f"/j/{world.token}/api/help", {"message": "Hi", "key": k})
    assert again.status == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert await again.json() == await first.json()
    assert world.rows("help_requests") == 1 and world.rows("participants") == 1


async def test_help_through_an_ended_sessions_link_is_refused_with_help_when_none_is_live(
    client: Client, world: World
) -> None:
    projects.update_settings(world.p, support_info="Childline 0800 1111")
    live.end_session(world.p, world.session.id)
    before = snapshot(world)
    page = await friendly_html(await client.get(f"/j/{world.token}/help"), 200)
    assert "no one is reading messages" in page and "Childline 0800 1111" in page
    assert "<form" not in page.split("Talk to someone privately")[1]
    resp = await client.post(
        f"/j/{world.token}/help",
        data={"message": "Still here", "key": key()},
        allow_redirects=False,
    )
    html = await friendly_html(resp, 409)
    assert "no one is reading messages" in html and "Childline 0800 1111" in html
    assert "Sent." not in html
    api = await post_json(client, f"/j/{world.token}/api/help", {"message": "Hi", "key": key()})
    assert "no one is reading" in await error_json(api, 409)
    assert snapshot(world) == before


async def test_help_through_an_ended_sessions_link_is_sent_when_another_session_is_live(
    client: Client, world: World, project: OpenProject
) -> None:
    live.end_session(world.p, world.session.id)
    other = build_world(project)  # another session of the project, live now
    resp = await client.post(
        f"/j/{world.token}/help",
        data={"message": "Still here", "key": key()},
        allow_redirects=False,
    )
    assert resp.status == 303 and resp.headers["Location"] == f"/j/{world.token}/help?done=help"
    assert world.rows("help_requests") == 1
    html = await friendly_html(await client.get(resp.headers["Location"]), 200)
    assert "Sent." in html
    assert other.session.id != world.session.id


async def test_the_help_page_shows_the_support_information(client: Client, world: World) -> None:
    projects.update_settings(world.p, support_info="Call Childline on 0800 1111.")
    html = await friendly_html(await client.get(f"/j/{world.token}/help"), 200)
    assert "Call Childline on 0800 1111." in html
    assert f'action="/j/{world.token}/help"' in html


async def test_the_state_endpoint_describes_the_live_session(client: Client, world: World) -> None:
    resp = await client.get(f"/j/{world.token}/api/state")
    assert resp.status == 200 and resp.headers["Cache-Control"] == "no-store"
    body = await resp.json()
    assert body["session"] == "live" and body["joined"] is False
    assert (body["activity"], body["kind"], body["state"]) == (
        world.brainstorm.id,
        "brainstorm",
        "open",
    )
    await join(client, world.token)
    assert (await (await client.get(f"/j/{world.token}/api/state")).json())["joined"] is True
    assert_security_headers(resp)


async def test_the_state_endpoint_takes_no_posts(client: Client, world: World) -> None:
    await error_json(await client.post(f"/j/{world.token}/api/state", json={}), 405)


async def test_vote_results_appear_on_the_phone_only_after_reveal(
    client: Client, world: World
) -> None:
    await join(client, world.token)
    world.open(world.vote)
    t = world.themes
    await post_json(
        client,
        f"/j/{world.token}/api/votes",
        {"activity": world.vote.id, "dots": {t[2].id: 2}, "key": key()},
    )
    html = await friendly_html(await client.get(f"/j/{world.token}"), 200)
    assert "Results" not in html and 'value="2"' in html
    live.set_activity_state(world.p, world.vote.id, ActivityState.CLOSED)
    live.set_activity_state(world.p, world.vote.id, ActivityState.REVEALED)
    html = await friendly_html(await client.get(f"/j/{world.token}"), 200)
    assert "Results" in html and "2 dots" in html


async def test_the_fragment_header_returns_only_the_main_part(client: Client, world: World) -> None:
    await join(client, world.token)
    html = await (await client.get(f"/j/{world.token}", headers={"X-Fragment": "1"})).text()
    assert html.startswith("<main") or html.lstrip().startswith("<main")
    assert "<html" not in html


async def test_a_page_carries_the_version_of_what_it_shows_when_a_change_lands_mid_read(
    client: Client, project: OpenProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The facilitator opens the activity while a phone's page is being drawn, between the
    read of what it shows and the rest of the page. The page must carry the version it
    shows (pending), so the live update for the opening (whose version differs) makes the
    phone refresh. Seen once as a phone left on "This will open soon." after opening."""
    w = build_world(project)
    live.show_activity(project, w.brainstorm.id)
    await join(client, w.token)
    real = svc.phone_view

    def view_then_open(p: OpenProject, who: Participant) -> svc.PhoneView:
        view = real(p, who)
        w.open(w.brainstorm)  # committed by the real writer before the page is rendered
        return view

    monkeypatch.setattr(svc, "phone_view", view_then_open)
    html = await (await client.get(f"/j/{w.token}", headers={"X-Fragment": "1"})).text()
    monkeypatch.setattr(svc, "phone_view", real)
    shown = re.search(r'data-version="([^"]*)"', html)
    assert shown is not None and "This will open soon." in html
    now = svc.live_state(project, w.session.id)["version"]
    assert ":open:" in now and ":pending:" in shown.group(1)
    assert shown.group(1) != now  # so the phone's next state event refreshes it
    html = await (await client.get(f"/j/{w.token}", headers={"X-Fragment": "1"})).text()
    assert f'data-version="{now}"' in html and "This will open soon." not in html


async def test_refused_requests_leave_nothing_for_the_garbage_collector(
    client: Client, world: World
) -> None:
    """A refusal's traceback kept the frames it passed through (the request, the route's
    variables): a reference cycle per refused request. While phones are served the
    collector freezes what outlives 50 ms (decision 033), so such cycles would be kept."""
    await join(client, world.token)
    url = f"/j/{world.token}/api/notes"
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for body in (  # closed activity (409), unknown one (404), no key (422), not JSON (400)
            {"activity": world.vote.id, "text": "x", "key": key()},
            {"activity": "nope", "text": "x", "key": key()},
            {"activity": world.brainstorm.id, "text": "x"},
        ):
            assert (await post_json(client, url, body)).status in (404, 409, 422)
        resp = await client.post(url, data="{", headers={"Content-Type": "application/json"})
        assert resp.status == 400
        assert (await client.get(f"/j/{world.token}/nothing-here")).status == 404
        await asyncio.sleep(0.1)
        gc.collect()
        server_side = [
            type(o).__name__
            for o in gc.garbage
            if type(o).__module__.startswith(("workshop_app", "aiohttp.web"))
            or type(o).__name__ in ("traceback", "frame")
        ]
        assert server_side == []
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was_enabled:
            gc.enable()


# ---------------------------------------------------------------- JSON error paths


@pytest.mark.parametrize("ep", NEEDS_PARTICIPANT, ids=[e.name for e in NEEDS_PARTICIPANT])
async def test_a_json_write_without_the_cookie_is_forbidden(
    client: Client, world: World, ep: Endpoint
) -> None:
    phone = await ready(client, world, ep)
    client.session.cookie_jar.clear()
    before = snapshot(world)
    resp = await post_json(
        client, ep.url(world.token, phone, True), {**ep.json_body(world), "key": key()}
    )
    assert "Join the session first" in await error_json(resp, 403)
    assert snapshot(world) == before


@pytest.mark.parametrize("ep", NEEDS_PARTICIPANT, ids=[e.name for e in NEEDS_PARTICIPANT])
async def test_a_cookie_from_one_session_does_not_work_on_another(
    client: Client, project: OpenProject, ep: Endpoint
) -> None:
    mine = build_world(project, title="Mine")
    mine.open(mine.brainstorm)
    other = build_world(project, title="Other")
    other.open(getattr(other, ep.activity))
    phone = await ready(client, mine, ep)
    before = snapshot(mine)
    resp = await post_json(
        client, ep.url(other.token, phone, True), {**ep.json_body(other), "key": key()}
    )
    await error_json(resp, 403)
    # Even a cookie under the other session's name, holding this session's id.
    name = "cg_" + other.session.id[:16]
    resp = await post_json(
        client,
        ep.url(other.token, phone, True),
        {**ep.json_body(other), "key": key()},
        cookies={name: phone.pid},
    )
    await error_json(resp, 403)
    assert snapshot(mine) == before
    page = await client.get(f"/j/{other.token}")
    assert "Which group are you in?" in await page.text()


@dataclass(frozen=True)
class Bad:
    name: str
    status: int
    ctype: str | None = "application/json"
    raw: bytes | None = None
    body: Callable[[World, Endpoint], Any] | None = None


def with_key(w: World, ep: Endpoint, **extra: Any) -> dict[str, Any]:
    return {**ep.json_body(w), "key": key(), **extra}


WRONG_TYPE_FIELD = {
    "notes": ("text", 5),
    "edit": ("text", ["x"]),
    "withdraw": ("key", 12345678),
    "votes": ("dots", [1, 2]),
    "ratings": ("ratings", "seven"),
    "help": ("message", {"a": 1}),
}

BAD_JSON = [
    Bad("text/plain", 415, "text/plain", b'{"text": "x"}'),
    Bad("form type", 415, "application/x-www-form-urlencoded", b"text=x"),
    Bad("no type", 415, None, b'{"text": "x"}'),
    Bad("json lookalike", 415, "application/jsonx", b"{}"),
    Bad("invalid json", 400, raw=b'{"text": '),
    Bad("invalid utf-8", 400, raw=b'{"text": "\xff\xfe"}'),
    Bad("bogus charset", 400, "application/json; charset=no-such-charset", b"{}"),
    Bad("deeply nested", 400, raw=b"[" * 15000 + b"]" * 15000),
    Bad("huge number", 400, raw=b'{"key": ' + b"9" * 5000 + b"}"),
    Bad("array", 400, raw=b"[]"),
    Bad("string", 400, raw=b'"hello"'),
    Bad("number", 400, raw=b"1"),
    Bad("null", 400, raw=b"null"),
    Bad("unknown field", 400, body=lambda w, ep: with_key(w, ep, participant="someone")),
    Bad("missing key", 422, body=lambda w, ep: ep.json_body(w)),
    Bad("bad key", 422, body=lambda w, ep: with_key(w, ep, key="a b")),
    Bad("wrong type", 422, body=lambda w, ep: with_key(w, ep, **dict([WRONG_TYPE_FIELD[ep.name]]))),
    Bad(
        "oversized",
        413,
        raw=json.dumps({"text": "x" * (MAX_BODY + 10), "key": "k" * 10}).encode(),
    ),
]


@pytest.mark.parametrize("bad", BAD_JSON, ids=[b.name for b in BAD_JSON])
@pytest.mark.parametrize("ep", WRITES, ids=ids)
async def test_a_malformed_json_request_is_refused_and_stores_nothing(
    client: Client, world: World, ep: Endpoint, bad: Bad
) -> None:
    phone = await ready(client, world, ep)
    if ep is HELP:
        client.session.cookie_jar.clear()  # help without joining must not create anyone
    before = snapshot(world)
    headers = {} if bad.ctype is None else {"Content-Type": bad.ctype}
    data = bad.raw if bad.body is None else json.dumps(bad.body(world, ep)).encode()
    resp = await client.post(ep.url(world.token, phone, True), data=data, headers=headers)
    await error_json(resp, bad.status)
    assert_security_headers(resp)
    assert snapshot(world) == before


TOO_LONG = {
    "notes": {"text": "n" * (NOTE_MAX + 1)},
    "edit": {"text": "n" * (NOTE_MAX + 1)},
    "help": {"message": "h" * (HELP_MESSAGE_MAX + 1)},
}


@pytest.mark.parametrize("name", list(TOO_LONG))
async def test_text_that_is_too_long_is_refused(client: Client, world: World, name: str) -> None:
    ep = next(e for e in WRITES if e.name == name)
    phone = await ready(client, world, ep)
    before = snapshot(world)
    resp = await post_json(
        client, ep.url(world.token, phone, True), with_key(world, ep, **TOO_LONG[name])
    )
    assert "limit" in await error_json(resp, 422)
    assert snapshot(world) == before


@pytest.mark.parametrize("ep", NEEDS_OPEN_ACTIVITY, ids=[e.name for e in NEEDS_OPEN_ACTIVITY])
async def test_a_write_to_a_closed_activity_is_a_conflict(
    client: Client, world: World, ep: Endpoint
) -> None:
    phone = await ready(client, world, ep)
    live.set_activity_state(world.p, getattr(world, ep.activity).id, ActivityState.CLOSED)
    before = snapshot(world)
    resp = await post_json(client, ep.url(world.token, phone, True), with_key(world, ep))
    assert "closed" in await error_json(resp, 409)
    assert snapshot(world) == before


async def test_a_write_after_the_session_ended_is_a_conflict(client: Client, world: World) -> None:
    phone = await ready(client, world, NOTES)
    live.end_session(world.p, world.session.id)
    resp = await post_json(client, NOTES.url(world.token, phone, True), with_key(world, NOTES))
    assert "ended" in await error_json(resp, 409)


@pytest.mark.parametrize(
    ("dots", "status"),
    [
        ({0: VOTE_BUDGET, 1: 1}, 422),
        ({0: 4}, 422),  # over the per-item cap of 3
        ({0: -1}, 422),
        ({0: 1.5}, 422),
        ({0: True}, 422),
        ({0: "2"}, 422),
        ({"unknown": 1}, 404),
    ],
    ids=["over-budget", "over-cap", "negative", "float", "bool", "string", "unknown-item"],
)
async def test_a_bad_vote_is_refused_and_the_earlier_vote_stays(
    client: Client, world: World, dots: dict[Any, Any], status: int
) -> None:
    phone = await ready(client, world, VOTES)
    url = VOTES.url(world.token, phone, True)
    ok = await post_json(client, url, with_key(world, VOTES))
    assert ok.status == 200
    before = snapshot(world)
    t = world.themes
    sent = {(t[x].id if isinstance(x, int) else x): n for x, n in dots.items()}
    resp = await post_json(client, url, {"activity": world.vote.id, "dots": sent, "key": key()})
    await error_json(resp, status)
    assert snapshot(world) == before
    rows = world.p.store.reader().execute("SELECT sum(dots) FROM votes").fetchone()[0]
    assert rows == 3


@pytest.mark.parametrize("value", [0, 10, -5, 2.0, None])
async def test_a_rating_out_of_range_is_refused(client: Client, world: World, value: Any) -> None:
    phone = await ready(client, world, RATINGS)
    body = {"activity": world.rate.id, "ratings": {world.standard_ids[0]: value}, "key": key()}
    before = snapshot(world)
    await error_json(await post_json(client, RATINGS.url(world.token, phone, True), body), 422)
    assert snapshot(world) == before


async def test_a_note_for_an_activity_of_another_session_is_not_found(
    client: Client, project: OpenProject
) -> None:
    mine = build_world(project)
    mine.open(mine.brainstorm)
    other = build_world(project)
    other.open(other.brainstorm)
    await join(client, mine.token)
    resp = await post_json(
        client,
        f"/j/{mine.token}/api/notes",
        {"activity": other.brainstorm.id, "text": "x", "key": key()},
    )
    await error_json(resp, 404)
    assert mine.rows("notes") == 0


async def test_editing_someone_elses_note_is_not_found(
    client: Client, world: World, aiohttp_client: Any
) -> None:
    phone = await ready(client, world, EDIT)
    stranger = await aiohttp_client(client.server)
    await join(stranger, world.token)
    for path in (f"/notes/{phone.note_id}/edit", f"/notes/{phone.note_id}/withdraw"):
        resp = await post_json(
            stranger,
            f"/j/{world.token}/api{path}",
            {"text": "Mine now", "key": key()} if "edit" in path else {"key": key()},
        )
        await error_json(resp, 404)
    row = next(world.p.store.reader().query("SELECT * FROM notes WHERE id = ?", [phone.note_id]))
    assert row["text"] == "My first note" and row["withdrawn_at"] is None


# ---------------------------------------------------------------- idempotency and limits


@pytest.mark.parametrize("ep", WRITES, ids=ids)
async def test_a_repeated_key_gets_the_same_answer_marked_replayed_and_stores_once(
    client: Client, world: World, ep: Endpoint
) -> None:
    phone = await ready(client, world, ep)
    url = ep.url(world.token, phone, True)
    body = with_key(world, ep)
    before = snapshot(world)
    first = await post_json(client, url, body)
    assert first.status == 200, await first.text()
    again = await post_json(client, url, body)
    assert again.status == 200
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert await again.json() == await first.json()
    assert snapshot(world)[ep.effect] == before[ep.effect] + ep.grows


async def test_a_repeated_form_submission_stores_once(client: Client, world: World) -> None:
    phone = await ready(client, world, NOTES)
    data = {**NOTES.form_body(world), "key": key()}
    for _ in range(3):
        resp = await client.post(
            NOTES.url(world.token, phone, False), data=data, allow_redirects=False
        )
        assert resp.status == 303
    assert world.rows("notes") == 2  # the first note from ready() and this one


async def test_a_burst_of_writes_from_one_phone_is_rate_limited(
    client: Client, world: World
) -> None:
    await join(client, world.token)
    statuses = []
    for i in range(30):
        resp = await post_json(
            client,
            f"/j/{world.token}/api/notes",
            {"activity": world.brainstorm.id, "text": f"note {i}", "key": key()},
        )
        statuses.append(resp.status)
    assert set(statuses) == {200, 429}
    assert statuses[:20] == [200] * 20
    assert world.rows("notes") == statuses.count(200)
    last = await post_json(
        client,
        f"/j/{world.token}/api/notes",
        {"activity": world.brainstorm.id, "text": "more", "key": key()},
    )
    assert "a lot at once" in await error_json(last, 429)


async def test_one_phones_limit_does_not_slow_another(
    client: Client, world: World, aiohttp_client: Any
) -> None:
    await join(client, world.token)
    for i in range(25):
        await post_json(
            client,
            f"/j/{world.token}/api/notes",
            {"activity": world.brainstorm.id, "text": f"{i}", "key": key()},
        )
    other = await aiohttp_client(client.server)
    await join(other, world.token)
    resp = await post_json(
        other,
        f"/j/{world.token}/api/notes",
        {"activity": world.brainstorm.id, "text": "mine", "key": key()},
    )
    assert resp.status == 200


# ---------------------------------------------------------------- form error paths


@pytest.mark.parametrize("ep", NEEDS_PARTICIPANT, ids=[e.name for e in NEEDS_PARTICIPANT])
async def test_a_form_write_without_the_cookie_gets_a_friendly_forbidden_page(
    client: Client, world: World, ep: Endpoint
) -> None:
    phone = await ready(client, world, ep)
    client.session.cookie_jar.clear()
    before = snapshot(world)
    resp = await client.post(
        ep.url(world.token, phone, False), data={**ep.form_body(world), "key": key()}
    )
    html = await friendly_html(resp, 403)
    assert f'href="/j/{world.token}"' in html
    assert snapshot(world) == before


FORM_ROUTES = [
    "/notes",
    "/notes/{note}/edit",
    "/notes/{note}/withdraw",
    "/votes",
    "/ratings",
    "/help",
    "/join",
    "/next",
]


@pytest.mark.parametrize("path", FORM_ROUTES)
async def test_a_form_route_refuses_json(client: Client, world: World, path: str) -> None:
    phone = await ready(client, world, NOTES)
    before = snapshot(world)
    resp = await client.post(
        f"/j/{world.token}{path.replace('{note}', phone.note_id)}",
        json={"text": "x", "key": key(), "group": "none"},
        allow_redirects=False,
    )
    await friendly_html(resp, 415)
    assert snapshot(world) == before


@pytest.mark.parametrize("path", FORM_ROUTES)
async def test_a_form_route_refuses_an_oversized_body(
    client: Client, world: World, path: str
) -> None:
    phone = await ready(client, world, NOTES)
    before = snapshot(world)
    resp = await client.post(
        f"/j/{world.token}{path.replace('{note}', phone.note_id)}",
        data={"text": "x" * (MAX_BODY + 1), "key": key(), "group": "none"},
        allow_redirects=False,
    )
    await friendly_html(resp, 413)
    assert snapshot(world) == before


async def test_a_file_upload_is_refused(client: Client, world: World) -> None:
    phone = await ready(client, world, NOTES)
    form = FormData()
    form.add_field("key", key())
    form.add_field("activity", world.brainstorm.id)
    form.add_field("text", b"<svg/>", filename="x.svg", content_type="image/svg+xml")
    resp = await client.post(NOTES.url(world.token, phone, False), data=form)
    assert "Files" in await friendly_html(resp, 400)
    assert world.rows("notes") == 1


async def test_a_multipart_form_without_files_is_accepted(client: Client, world: World) -> None:
    phone = await ready(client, world, NOTES)
    form = FormData(default_to_multipart=True)
    for name, value in {**NOTES.form_body(world), "key": key()}.items():
        form.add_field(name, value)
    resp = await client.post(NOTES.url(world.token, phone, False), data=form, allow_redirects=False)
    assert resp.status == 303
    assert world.rows("notes") == 2


@pytest.mark.parametrize(
    ("ep", "fields", "status"),
    [
        (VOTES, {"dots.{t0}": "two"}, 422),
        (VOTES, {"dots.{t0}": "1.5"}, 422),
        (VOTES, {"dots.{t0}": "3", "dots.{t1}": "3"}, 422),
        (VOTES, {"dots.{t0}": "9" * 5000}, 422),
        (RATINGS, {"rating.{s0}": "ten"}, 422),
        (RATINGS, {"rating.{s0}": "10"}, 422),
        (RATINGS, {}, 422),
        (NOTES, {"text": "n" * (NOTE_MAX + 1)}, 422),
        (NOTES, {"text": "   "}, 422),
        (EDIT, {"text": ""}, 422),
        (HELP, {"message": "h" * (HELP_MESSAGE_MAX + 1)}, 422),
    ],
    ids=[
        "vote-word",
        "vote-fraction",
        "over-budget",
        "vote-huge",
        "rating-word",
        "rating-range",
        "rating-none",
        "note-long",
        "note-blank",
        "edit-empty",
        "help-long",
    ],
)
async def test_a_bad_form_is_refused_with_a_friendly_page(
    client: Client, world: World, ep: Endpoint, fields: dict[str, str], status: int
) -> None:
    phone = await ready(client, world, ep)
    subs = {"{t0}": world.themes[0].id, "{t1}": world.themes[1].id, "{s0}": world.standard_ids[0]}
    data = {"activity": getattr(world, ep.activity).id if ep.activity else "", "key": key()}
    for name, value in fields.items():
        for placeholder, real in subs.items():
            name = name.replace(placeholder, real)
        data[name] = value
    before = snapshot(world)
    resp = await client.post(ep.url(world.token, phone, False), data=data, allow_redirects=False)
    await friendly_html(resp, status)
    assert snapshot(world) == before


@pytest.mark.parametrize("ep", NEEDS_OPEN_ACTIVITY, ids=[e.name for e in NEEDS_OPEN_ACTIVITY])
async def test_a_form_for_a_closed_activity_is_a_friendly_conflict_page(
    client: Client, world: World, ep: Endpoint
) -> None:
    phone = await ready(client, world, ep)
    live.set_activity_state(world.p, getattr(world, ep.activity).id, ActivityState.CLOSED)
    before = snapshot(world)
    resp = await client.post(
        ep.url(world.token, phone, False), data={**ep.form_body(world), "key": key()}
    )
    assert "closed" in await friendly_html(resp, 409)
    assert snapshot(world) == before


async def test_an_unknown_route_is_a_friendly_not_found(client: Client) -> None:
    await friendly_html(await client.get("/nothing/here"), 404)
    await error_json(await client.get("/nothing/here", headers={"Accept": "application/json"}), 404)


async def test_a_wrong_method_is_a_friendly_page(client: Client, world: World) -> None:
    await friendly_html(await client.get(f"/j/{world.token}/notes"), 405)


# ---------------------------------------------------------------- shared tablet


async def test_next_person_clears_the_participant_so_the_next_get_shows_the_join_page(
    client: Client, world: World
) -> None:
    await join(client, world.token, tablet="1")
    assert "Next person" in await (await client.get(f"/j/{world.token}")).text()
    resp = await client.post(f"/j/{world.token}/next", data={}, allow_redirects=False)
    assert resp.status == 303 and resp.headers["Location"] == f"/j/{world.token}"
    cleared = resp.cookies["cg_" + world.session.id[:16]]
    assert cleared.value == "" and cleared["max-age"] == "0"
    html = await friendly_html(await client.get(f"/j/{world.token}"), 200)
    assert "Which group are you in?" in html
    assert 'name="tablet" value="1"' in html  # still a shared tablet
    await join(client, world.token)
    assert world.rows("participants") == 2


async def test_after_next_person_the_previous_persons_notes_are_not_shown(
    client: Client, world: World
) -> None:
    await ready(client, world, NOTES)
    await client.post(f"/j/{world.token}/next", data={})
    await join(client, world.token)
    html = await (await client.get(f"/j/{world.token}")).text()
    assert "My first note" not in html


# ---------------------------------------------------------------- headers on everything


async def test_security_headers_are_on_every_kind_of_response(client: Client, world: World) -> None:
    t = world.token
    responses = [
        await client.get("/"),
        await client.post("/", data={"code": "nope"}),
        await client.get("/ping"),
        await client.get("/static/app.js"),
        await client.get("/static/style.css"),
        await client.get("/static/missing.js"),
        await client.get("/nowhere"),
        await client.get(f"/j/{t}"),
        await client.get(f"/j/{t}/help"),
        await client.get(f"/j/{t}/api/state"),
        await client.get("/j/ZZZZZZZZZZ"),
        await client.post(f"/j/{t}/api/notes", json={}),
        await client.put(f"/j/{t}/api/notes", json={}),
        await client.post(f"/j/{t}/join", data={"group": "none"}, allow_redirects=False),
        await client.get(f"/j/{t}"),
    ]
    for resp in responses:
        assert_security_headers(resp)
    sse = await client.get(f"/j/{t}/events")
    try:
        assert_security_headers(sse)
    finally:
        sse.close()


async def test_static_files_are_served(client: Client) -> None:
    resp = await client.get("/static/app.js")
    assert resp.status == 200 and "use strict" in await resp.text()


# ---------------------------------------------------------------- escaping


XSS = "<script>alert('x')</script>"


async def test_script_in_titles_groups_notes_and_support_info_is_escaped_everywhere(
    client: Client, project: OpenProject
) -> None:
    projects.update_settings(project, support_info=f"Support {XSS}")
    group = group_service.add_group(project, f"Group {XSS}"[:80], GroupKind.OTHER)
    w = build_world(project, title=f"Title {XSS}", theme_names=(f"Theme {XSS}", "Plain"))
    w.open(w.brainstorm)
    pages: dict[str, str] = {}
    pages["code"] = await (await client.get("/")).text()
    pages["wrong code"] = await (await client.post("/", data={"code": XSS})).text()
    pages["join"] = await (await client.get(f"/j/{w.token}")).text()
    pages["stale"] = await (await client.get("/j/%3Cscript%3Ealert(1)%3C%2Fscript%3E")).text()
    await join(client, w.token, group=group.id)
    for text in (f"Note {XSS}", "</textarea><script>x</script>"):
        r = await client.post(
            f"/j/{w.token}/notes",
            data={"activity": w.brainstorm.id, "text": text, "key": key()},
            allow_redirects=False,
        )
        assert r.status == 303
    pages["brainstorm"] = await (await client.get(f"/j/{w.token}")).text()
    pages["fragment"] = await (
        await client.get(f"/j/{w.token}", headers={"X-Fragment": "1"})
    ).text()
    pages["help"] = await (await client.get(f"/j/{w.token}/help")).text()
    w.open(w.vote)
    pages["vote"] = await (await client.get(f"/j/{w.token}")).text()
    live.set_activity_state(project, w.vote.id, ActivityState.CLOSED)
    live.set_activity_state(project, w.vote.id, ActivityState.REVEALED)
    pages["results"] = await (await client.get(f"/j/{w.token}")).text()
    pages["error"] = await (
        await client.post(f"/j/{w.token}/notes", data={"activity": XSS, "key": key(), "text": "x"})
    ).text()
    planned = build_world(project, title=f"Waiting {XSS}", go_live=False)
    pages["waiting"] = await (await client.get(f"/j/{planned.token}")).text()

    for name, html in pages.items():
        without_own = html.replace(OWN_SCRIPT, "")
        assert "<script" not in without_own.lower(), name
        if name != "fragment":
            assert html.count(OWN_SCRIPT) == 1, name
    assert "&lt;script&gt;" in pages["join"]  # the title and group name were there, escaped
    assert "Group &lt;script&gt;" in pages["join"]
    assert "Note &lt;script&gt;" in pages["brainstorm"]
    assert "Support &lt;script&gt;" in pages["help"]
    assert "Theme &lt;script&gt;" in pages["vote"] and "Theme &lt;script&gt;" in pages["results"]
    assert "Waiting &lt;script&gt;" in pages["waiting"]


# ---------------------------------------------------------------- live updates


async def read_event(resp: ClientResponse, timeout: float = 5.0) -> tuple[str, Any]:
    """The next SSE message that is not a comment: (event, data)."""
    while True:
        chunk = await asyncio.wait_for(resp.content.readuntil(b"\n\n"), timeout)
        text = chunk.decode()
        if text.startswith(":"):
            continue
        fields = dict(line.split(": ", 1) for line in text.strip().splitlines())
        if "retry" in fields:
            return "retry", int(fields["retry"])
        return fields["event"], json.loads(fields["data"])


async def test_the_event_stream_sends_state_then_follows_the_facilitator(
    client: Client, world: World
) -> None:
    resp = await client.get(f"/j/{world.token}/events")
    try:
        assert resp.status == 200
        assert resp.headers["Content-Type"] == "text/event-stream"
        assert resp.headers["Cache-Control"] == "no-store"
        assert await read_event(resp) == ("retry", 2000)
        kind, state = await read_event(resp)
        assert kind == "state"
        assert (state["session"], state["activity"], state["state"]) == (
            "live",
            world.brainstorm.id,
            "open",
        )
        await asyncio.to_thread(live.set_activity_state, world.p, world.vote.id, ActivityState.OPEN)
        kind, state = await read_event(resp)
        assert kind == "state"
        assert (state["activity"], state["kind"], state["state"]) == (
            world.vote.id,
            "vote",
            "open",
        )
        await asyncio.to_thread(live.end_session, world.p, world.session.id)
        kind, state = await read_event(resp)
        assert (kind, state["session"]) == ("state", "closed")
    finally:
        resp.close()


async def test_rotating_the_token_tells_the_stream_and_ends_it(
    client: Client, world: World
) -> None:
    resp = await client.get(f"/j/{world.token}/events")
    try:
        await read_event(resp)
        await read_event(resp)
        await asyncio.to_thread(live.rotate_join_token, world.p, world.session.id)
        kind, data = await read_event(resp)
        assert kind == "rotated" and "changed" in data["message"]
        rest = await asyncio.wait_for(resp.content.read(), 5)
        assert rest == b""
    finally:
        resp.close()


async def test_events_of_another_session_do_not_reach_this_stream(
    client: Client, project: OpenProject
) -> None:
    mine, other = build_world(project), build_world(project)
    resp = await client.get(f"/j/{mine.token}/events")
    try:
        await read_event(resp)
        await read_event(resp)
        await asyncio.to_thread(live.rotate_join_token, project, other.session.id)
        await asyncio.to_thread(live.set_activity_state, project, other.vote.id, ActivityState.OPEN)
        await asyncio.to_thread(live.set_activity_state, project, mine.rate.id, ActivityState.OPEN)
        kind, state = await read_event(resp)
        assert (kind, state["activity"]) == ("state", mine.rate.id)
    finally:
        resp.close()


async def test_a_reviewed_note_tells_its_writers_phone_and_no_other(
    client: Client, project: OpenProject
) -> None:
    from workshop_app.core.model import ModerationMode
    from workshop_app.services import moderation
    from workshop_app.services import participation as phones

    w = build_world(project, moderation=ModerationMode.APPROVE_FIRST)
    w.open(w.brainstorm)
    writer = await join(client, w.token)
    mine = await client.get(f"/j/{w.token}/events")
    client.session.cookie_jar.clear()
    await join(client, w.token)
    other = await client.get(f"/j/{w.token}/events")
    try:
        for resp in (mine, other):
            assert (await read_event(resp))[0] == "retry"
            assert (await read_event(resp))[0] == "state"
        posted = await asyncio.to_thread(
            lambda: phones.post_note(project, writer, w.brainstorm.id, "Apps", key()).result()
        )
        note_id = posted.body["note"]["id"]
        await asyncio.to_thread(moderation.approve, project, note_id)
        kind, state = await read_event(mine)
        assert kind == "mine" and state["session"] == "live"
        await asyncio.to_thread(live.set_activity_state, project, w.vote.id, ActivityState.OPEN)
        kind, state = await read_event(other)
        assert (kind, state["activity"]) == ("state", w.vote.id), "no 'mine' for another phone"
    finally:
        mine.close()
        other.close()


async def test_closing_a_stream_still_delivers_the_last_unread_state_first() -> None:
    """A stream still writing the previous message when the server stops (a slow phone)
    must not lose "the session has ended": the close waits behind it."""
    from workshop_app.web.sse import _CLOSE, _offer

    queue: asyncio.Queue[Any] = asyncio.Queue(maxsize=1)
    _offer(queue, ("state", {"session": "closed"}))
    _offer(queue, _CLOSE)
    last = queue.get_nowait()
    assert last == (_CLOSE, ("state", {"session": "closed"}))
    _offer(queue, ("mine", {"session": "live"}))
    _offer(queue, ("state", {"session": "live", "activity": "x"}))
    assert queue.get_nowait() == ("mine", {"session": "live", "activity": "x"})


# ---------------------------------------------------------------- privacy


CANARY_UA = "CanaryPhone/9.9 (ua-canary-7f3e1d)"


async def test_no_address_or_user_agent_is_stored_or_logged(
    client: Client, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    h = {"User-Agent": CANARY_UA, "X-Forwarded-For": "127.0.0.1", "X-Real-IP": "127.0.0.1"}
    t = world.token
    await client.get(f"/j/{t}", headers=h)
    await client.post(f"/j/{t}/join", data={"group": "none"}, headers=h)
    r = await client.post(
        f"/j/{t}/api/notes",
        json={"activity": world.brainstorm.id, "text": "privacy-canary-note", "key": key()},
        headers=h,
    )
    note_id = (await r.json())["note"]["id"]
    await client.post(
        f"/j/{t}/api/notes/{note_id}/edit", json={"text": "edited-canary", "key": key()}, headers=h
    )
    await client.post(f"/j/{t}/api/notes", json={"bad": 1}, headers=h)
    world.open(world.vote)
    await client.post(
        f"/j/{t}/api/votes",
        json={"activity": world.vote.id, "dots": {world.themes[0].id: 1}, "key": key()},
        headers=h,
    )
    world.open(world.rate)
    await client.post(
        f"/j/{t}/api/ratings",
        json={"activity": world.rate.id, "ratings": {world.standard_ids[0]: 5}, "key": key()},
        headers=h,
    )
    await client.post(f"/j/{t}/api/help", json={"message": "help-canary", "key": key()}, headers=h)
    await client.get(f"/j/{t}/api/state", headers=h)
    await client.post("/", data={"code": "wrong"}, headers=h)
    sse = await client.get(f"/j/{t}/events", headers=h)
    await read_event(sse)
    sse.close()
    await client.post(f"/j/{t}/next", data={}, headers=h)

    path = world.p.path
    world.p.close()  # checkpoints the WAL into the file
    files = [f for f in path.parent.iterdir() if f.name.startswith(path.name)]
    data = b"".join(f.read_bytes() for f in files)
    assert b"edited-canary" in data and b"help-canary" in data  # we are reading the right file
    for secret in ("127.0.0.1", CANARY_UA, "ua-canary"):
        assert secret.encode() not in data
        assert secret.encode("utf-16-le") not in data
    logged = "\n".join(
        f"{r.getMessage()} {r.exc_text or ''}"
        for r in caplog.records
        if r.name.startswith("workshop_app")
    )
    for secret in ("127.0.0.1", CANARY_UA, "ua-canary", "privacy-canary-note"):
        assert secret not in logged
