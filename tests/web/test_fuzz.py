"""Property-based fuzzing of the real participant server over real HTTP.

Whatever a phone (or anything else on the Wi-Fi) sends, the server never answers 5xx,
and a request it refuses (4xx) changes nothing in the project file.
"""

from __future__ import annotations

import http.client
import json
import urllib.parse
import uuid
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.web.conftest import World, build_world
from workshop_app.core.model import ActivityState
from workshop_app.services import live, sessions
from workshop_app.services import participation as svc
from workshop_app.services.project import create_project
from workshop_app.web.limits import Bucket, Buckets
from workshop_app.web.routes import CTX
from workshop_app.web.server import ParticipantServer

FUZZ = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


@dataclass
class Served:
    world: World
    port: int
    cookie: str  # "name=value" of a joined participant
    note_id: str

    def request(
        self, method: str, path: str, body: bytes | None, headers: dict[str, str]
    ) -> tuple[int, bytes]:
        with closing(http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)) as conn:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            return resp.status, resp.read()

    def rows(self) -> dict[str, int]:
        db = self.world.p.store.reader()
        out = self.world.all_rows()
        out["submissions"] = int(db.execute("SELECT count(*) FROM submissions").fetchone()[0])
        out["withdrawn"] = int(
            db.execute("SELECT count(*) FROM notes WHERE withdrawn_at IS NOT NULL").fetchone()[0]
        )
        out["dots"] = int(db.execute("SELECT coalesce(sum(dots), 0) FROM votes").fetchone()[0])
        out["edits"] = int(
            db.execute("SELECT count(*) FROM notes WHERE text != original_text").fetchone()[0]
        )
        return out


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    p = create_project(tmp_path_factory.mktemp("fuzz") / "fuzz.cground", "Fuzz")
    world = build_world(p)
    world.open(world.brainstorm)
    server = ParticipantServer(p)
    address = server.start("127.0.0.1", 0)
    # The fuzzer sends far more than a person could; with the real limits nearly every
    # request would stop at 429 before its body is read. Give the limiters room so the
    # parsing and checking behind them is what gets fuzzed.
    ctx = server._app[CTX]  # type: ignore[index]
    ctx.writes = Buckets(rate=1e6, burst=1e6)
    # and the per-device limits: every request here comes from 127.0.0.1, whose device
    # allowance (40 writes, 10 joins) the first examples used up, refusing the rest unread
    ctx.source_writes = Buckets(rate=1e6, burst=1e6)
    ctx.source_joins = Buckets(rate=1e6, burst=1e6)
    ctx.joins = Bucket(rate=1e6, burst=1e6)
    ctx.wrong_codes = Bucket(rate=1e6, burst=1e6)
    try:
        who = svc.join(p, world.session.id, None).result(5)
        note = svc.post_note(p, who.id, world.brainstorm.id, "Fuzz target", "fuzz-note-1").result(5)
        cookie = f"cg_{world.session.id[:16]}={who.id}"
        yield Served(world, address.port, cookie, note.body["note"]["id"])
    finally:
        server.stop()
        p.close()


# ---------------------------------------------------------------- strategies

#: Lone surrogates ("\ud800" in JSON) cannot be stored as UTF-8: the classic 500.
lone_surrogates = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=50)
    | st.text(alphabet=lone_surrogates, min_size=1, max_size=2)
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=20), children, max_size=5)
    ),
    max_leaves=20,
)
with_surrogates = st.builds(
    lambda before, odd, after: before + odd + after,
    st.text(max_size=20),
    st.text(alphabet=lone_surrogates, min_size=1, max_size=3),
    st.text(max_size=20),
)
nasty_text = st.one_of(
    st.text(max_size=100),
    with_surrogates,
    st.text(alphabet=st.characters(codec=None), max_size=60),  # any code point at all
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=50),  # control characters
    st.text(min_size=495, max_size=510),  # around NOTE_MAX
    st.text(min_size=295, max_size=305),  # around HELP_MESSAGE_MAX
    st.builds(lambda n, c: c * n, st.integers(1000, 40_000), st.sampled_from("x\x00<é😀")),
    st.sampled_from(["<script>alert(1)</script>", "'; DROP TABLE notes; --"]),
)
field_names = st.one_of(
    st.sampled_from(["key", "activity", "text", "dots", "ratings", "answers", "message"]),
    st.text(max_size=20),
    with_surrogates,
)
content_types = st.one_of(
    st.sampled_from(
        [
            "application/json",
            "application/json; charset=utf-8",
            "application/json; charset=latin-1",
            "application/json; charset=utf-16",
            "application/json; charset=no-such-charset",
            "application/x-www-form-urlencoded",
            "application/x-www-form-urlencoded; charset=no-such-charset",
            "multipart/form-data",
            "multipart/form-data; boundary=xyz",
            "text/plain",
            "",
        ]
    ),
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=60),
)
API_PATHS = [
    "/api/notes",
    "/api/notes/{note}/edit",
    "/api/notes/{note}/withdraw",
    "/api/votes",
    "/api/ratings",
    "/api/survey",
    "/api/help",
    "/api/state",
]
FORM_PATHS = [
    "/notes",
    "/notes/{note}/edit",
    "/notes/{note}/withdraw",
    "/votes",
    "/ratings",
    "/survey",
    "/help",
    "/join",
    "/next",
]


@st.composite
def known_fields(draw: st.DrawFn, served: Served) -> dict[str, Any]:
    """A body shaped like the real ones, with hostile values in the fields."""
    w = served.world
    ids = [w.brainstorm.id, w.vote.id, w.rate.id, w.info.id, *(t.id for t in w.themes)]
    ids += w.standard_ids
    item = st.sampled_from(ids) | st.text(max_size=70) | with_surrogates
    number = (
        st.integers(-5, 12)
        | st.integers()
        | st.floats()
        | st.booleans()
        | st.none()
        | st.text(max_size=5)
    )
    candidates: dict[str, st.SearchStrategy[Any]] = {
        "key": st.from_regex(r"[A-Za-z0-9_-]{8,64}", fullmatch=True)
        | st.from_regex(r"[A-Za-z0-9_-]{8,64}", fullmatch=True).map(lambda k: k + "\n")
        | json_values,
        "activity": item | json_values,
        "text": nasty_text | json_values,
        "message": nasty_text | json_values,
        "dots": st.dictionaries(item, number, max_size=6) | json_values,
        "ratings": st.dictionaries(item, number, max_size=6) | json_values,
        "answers": st.dictionaries(item, number | nasty_text, max_size=6) | json_values,
    }
    chosen = draw(st.lists(st.sampled_from(sorted(candidates)), unique=True, max_size=6))
    body = {name: draw(candidates[name]) for name in chosen}
    if draw(st.booleans()):
        body.update(draw(st.dictionaries(field_names, json_values, max_size=3)))
    return body


def encode(value: Any) -> bytes:
    return json.dumps(value).encode("utf-8", "surrogatepass")


def check(
    served: Served, method: str, path: str, body: bytes | None, headers: dict[str, str]
) -> int:
    before = served.rows()
    status, payload = served.request(method, path, body, headers)
    assert status < 500, (status, payload[:300])
    assert b"Traceback" not in payload
    event(f"{method} {status}")
    if 400 <= status < 500:
        assert served.rows() == before, (status, payload[:300])
    return status


def full_path(served: Served, template: str) -> str:
    path = template.replace("{note}", served.note_id)
    return f"/j/{served.world.token}{path}"


# ---------------------------------------------------------------- properties


@FUZZ
@given(data=st.data())
def test_random_json_to_the_api_never_fails_and_refusals_store_nothing(
    served: Served, data: st.DataObject
) -> None:
    path = data.draw(st.sampled_from(API_PATHS))
    body = data.draw(st.one_of(json_values, known_fields(served)))
    headers = {"Content-Type": data.draw(st.sampled_from(["application/json"]) | content_types)}
    if data.draw(st.integers(0, 3)):  # mostly as a joined phone
        headers["Cookie"] = served.cookie
    method = "GET" if path.endswith("/state") and data.draw(st.booleans()) else "POST"
    check(served, method, full_path(served, path), encode(body), headers)


@FUZZ
@given(data=st.data())
def test_random_bytes_paths_and_content_types_never_fail(
    served: Served, data: st.DataObject
) -> None:
    suffix = data.draw(
        st.sampled_from(API_PATHS + FORM_PATHS)
        | st.text(max_size=40).map(lambda s: "/api/" + s)
        | st.text(max_size=40).map(lambda s: "/api/notes/" + s + "/edit")
    )
    path = urllib.parse.quote(full_path(served, suffix), safe="/")
    if data.draw(st.booleans()):  # raw bytes in the path, invalid UTF-8 included
        raw = data.draw(st.binary(min_size=1, max_size=12))
        path += "".join(f"%{b:02X}" for b in raw)
    body = data.draw(
        st.binary(max_size=300)
        | st.builds(lambda n: b"[" * n + b"]" * n, st.integers(1, 16_000))
        | st.builds(lambda n: b"a=" + b"b" * n, st.integers(30_000, 40_000))
        | json_values.map(encode)
    )
    headers = {"Content-Type": data.draw(content_types)}
    if data.draw(st.integers(0, 3)):  # mostly as a joined phone
        headers["Cookie"] = served.cookie
    method = data.draw(st.sampled_from(["POST", "POST", "GET", "PUT", "DELETE"]))
    check(served, method, path, body, headers)


@FUZZ
@given(data=st.data())
def test_random_forms_never_fail_and_refusals_store_nothing(
    served: Served, data: st.DataObject
) -> None:
    path = data.draw(st.sampled_from(FORM_PATHS))
    w = served.world
    fields = data.draw(
        st.dictionaries(
            field_names
            | st.sampled_from([f"dots.{t.id}" for t in w.themes])
            | st.sampled_from([f"rating.{s}" for s in w.standard_ids])
            | st.text(max_size=10).map(lambda s: "dots." + s),
            nasty_text | st.integers().map(str),
            max_size=6,
        )
    )
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if data.draw(st.integers(0, 3)):  # mostly as a joined phone
        headers["Cookie"] = served.cookie
    body = urllib.parse.urlencode(fields, encoding="utf-8", errors="surrogatepass").encode()
    check(served, "POST", full_path(served, path), body, headers)


@FUZZ
@given(
    token=st.text(max_size=80),
    code=nasty_text,
)
def test_random_tokens_and_codes_never_fail(served: Served, token: str, code: str) -> None:
    path = "/j/" + urllib.parse.quote(token, safe="", errors="surrogatepass")
    check(served, "GET", path, None, {})
    body = urllib.parse.urlencode({"code": code}, errors="surrogatepass").encode()
    check(served, "POST", "/", body, {"Content-Type": "application/x-www-form-urlencoded"})


def test_the_fuzzed_server_still_serves_a_normal_phone(served: Served) -> None:
    """Before, between or after the fuzzing (the order is random), a new phone still joins
    and posts an ordinary note: nothing the fuzzer sent left the server or the file stuck.
    The fuzzed participant may have used up its own note allowance, so a new one joins."""
    w = served.world
    if sessions.get_activity(w.p, w.brainstorm.id).state is not ActivityState.OPEN:
        live.set_activity_state(w.p, w.brainstorm.id, ActivityState.OPEN)
    status, payload = served.request(
        "POST",
        full_path(served, "/api/notes"),
        encode({"activity": w.brainstorm.id, "text": "Still fine", "key": uuid.uuid4().hex}),
        {"Content-Type": "application/json", "Cookie": _joined_cookie(served)},
    )
    assert status == 200, payload
    assert json.loads(payload)["note"]["text"] == "Still fine"


def _joined_cookie(served: Served) -> str:
    """A participant who joined just now, as a phone would (not the fuzzed one)."""
    who = svc.join(served.world.p, served.world.session.id, None).result(5)
    return f"cg_{served.world.session.id[:16]}={who.id}"
