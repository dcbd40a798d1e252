"""The self-assessment's phone pages and API through aiohttp's test client (issue 16):
forms without the script, JSON with idempotency keys, garbage refused with nothing lost."""

from __future__ import annotations

import re

import pytest
from aiohttp import ClientResponse

from tests.pilot.builder import Pilot, build_pilot
from tests.web.conftest import Client, join, key
from workshop_app.core.model import Activity
from workshop_app.services import assessment
from workshop_app.services.project import OpenProject


@pytest.fixture
def pilot(project: OpenProject) -> Pilot:
    return build_pilot(project)


@pytest.fixture
def police(pilot: Pilot) -> Activity:
    return pilot.assessment(pilot.police)


def token(pilot: Pilot) -> str:
    from workshop_app.services import sessions

    return sessions.get_session(pilot.p, pilot.session_id).join_token


def views(pilot: Pilot, activity: Activity) -> list[tuple[str, str]]:
    state = assessment.assessment_state(pilot.p, activity.id)
    assert state is not None
    return [(s.statement.title, v.status.value) for s in state.statements for _, v in s.views]


async def page(resp: ClientResponse, status: int = 200) -> str:
    assert resp.status == status, await resp.text()
    html = await resp.text()
    assert "Traceback" not in html
    return html


async def test_the_session_page_lists_the_statements_with_the_service_and_no_view_yet(
    client: Client, pilot: Pilot, police: Activity
) -> None:
    t = token(pilot)
    await join(client, t)
    html = await page(await client.get(f"/j/{t}"))
    assert "For North Police OCSEA team." in html
    assert html.count("No view given yet") == 3
    assert f'href="/j/{t}/assess/{pilot.s2}"' in html


async def test_a_view_sent_by_the_form_is_stored_and_shown_back_on_the_list(
    client: Client, pilot: Pilot, police: Activity
) -> None:
    t = token(pilot)
    await join(client, t)
    html = await page(await client.get(f"/j/{t}/assess/{pilot.s2}"))
    assert "Measure 1: Children referred who were seen within 5 working days" in html
    assert "Numerator: children seen within 5 working days" in html
    form = re.search(r'name="key" value="([^"]+)"', html)
    assert form is not None
    resp = await client.post(
        f"/j/{t}/assess/{pilot.s2}",
        data={
            "key": form.group(1),
            "activity": police.id,
            "status": "partly_met",
            "evidence": '=HYPERLINK("x") <b>audit</b>',
            "m1.numerator": "45",
            "m1.denominator": "60",
            "m1.period": "April to June 2026",
            "m2.numerator": "",
            "m2.denominator": "",
            "m2.period": "",
            "act1.what": "Audit waiting times",
            "act1.who": "Team manager",
            "act1.by": "2026-09-30",
            "act2.what": "",
            "act2.who": "",
            "act2.by": "",
        },
        allow_redirects=False,
    )
    assert resp.status == 303 and resp.headers["Location"].endswith(f"done=assessed&a={police.id}")
    html = await page(await client.get(resp.headers["Location"]))
    assert "Your view was received." in html and "Your view: Partly met" in html
    state = assessment.assessment_state(pilot.p, police.id)
    assert state is not None
    ((name, view),) = state.statements[1].views
    assert name == "Member 1"
    assert view.evidence == '=HYPERLINK("x") <b>audit</b>'
    assert view.measures[0].text == "45 of 60 (75%), April to June 2026"
    assert view.actions[0].who == "Team manager"
    # the statement page shows it again, escaped
    html = await page(await client.get(f"/j/{t}/assess/{pilot.s2}"))
    assert "&lt;b&gt;audit&lt;/b&gt;" in html and 'value="45"' in html


async def test_a_refused_form_comes_back_with_what_was_typed_and_why(
    client: Client, pilot: Pilot, police: Activity
) -> None:
    t = token(pilot)
    await join(client, t)
    resp = await client.post(
        f"/j/{t}/assess/{pilot.s2}",
        data={
            "key": key(),
            "activity": police.id,
            "status": "met",
            "evidence": "Our audit",
            "m1.numerator": "61",
            "m1.denominator": "60",
            "m1.period": "2026",
        },
    )
    html = await page(resp, 422)
    assert "Not received:" in html and "numerator (61) is larger than the denominator (60)" in html
    assert ">Our audit</textarea>" in html and 'value="61"' in html
    assert views(pilot, police) == []


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"status": "great"}, 422, "Choose met, partly met"),
        ({"status": "met", "statement": "nope"}, 404, "not part of this self-assessment"),
        ({"status": "met", "measures": "45"}, 422, "must be a list"),
        ({"status": "met", "measures": [{"numerator": -1}]}, 422, "whole number"),
        ({"status": "met", "measures": [{"numerator": True}]}, 422, "whole number"),
        ({"status": "met", "measures": [{}, {}, {}]}, 422, "has 2 measure(s); 3 were sent"),
        ({"status": "met", "actions": [{"who": "Lead"}]}, 422, "say what will be done"),
        ({"status": "met", "actions": [{"what": "x", "by": "soon"}]}, 422, "must be a date"),
        ({"status": "met", "evidence": "x" * 2001}, 429, "limit is 2000"),
        ({"status": "met", "evidence": 5}, 422, "must be text"),
    ],
)
async def test_garbage_from_a_phone_is_refused_with_a_reason_and_nothing_stored(
    client: Client, pilot: Pilot, police: Activity, body: dict[str, object], status: int, words: str
) -> None:
    t = token(pilot)
    await join(client, t)
    sent = {"key": key(), "activity": police.id, "statement": pilot.s2, **body}
    resp = await client.post(f"/j/{t}/api/assess", json=sent)
    assert resp.status == status, await resp.text()
    answer = await resp.json()
    assert answer["ok"] is False and words in answer["error"]
    assert views(pilot, police) == []


async def test_a_retry_with_the_same_key_is_answered_again_and_stores_nothing_twice(
    client: Client, pilot: Pilot, police: Activity
) -> None:
    t = token(pilot)
    await join(client, t)
    body = {"key": key(), "activity": police.id, "statement": pilot.s1, "status": "met"}
    first = await client.post(f"/j/{t}/api/assess", json=body)
    assert first.status == 200 and (await first.json())["status"] == "met"
    again = await client.post(f"/j/{t}/api/assess", json={**body, "status": "not_met"})
    assert again.status == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert views(pilot, police) == [("Trusted adult", "met")]
    # a new key changes the view: one row per member and statement
    changed = await client.post(
        f"/j/{t}/api/assess", json={**body, "key": key(), "status": "not_met"}
    )
    assert changed.status == 200
    assert views(pilot, police) == [("Trusted adult", "not_met")]


async def test_a_name_as_who_is_received_with_a_warning_to_write_a_role(
    client: Client, pilot: Pilot, police: Activity
) -> None:
    t = token(pilot)
    await join(client, t)
    resp = await client.post(
        f"/j/{t}/assess/{pilot.s1}",
        data={
            "key": key(),
            "activity": police.id,
            "status": "met",
            "act1.what": "Brief the team",
            "act1.who": "Sarah Khan",
            "act1.by": "",
        },
    )
    html = await page(resp)
    assert "Your view was received." in html
    assert "“Sarah Khan” looks like a person&#39;s name" in html
    assert views(pilot, police) == [("Trusted adult", "met")]


async def test_a_closed_self_assessment_takes_no_views(
    client: Client, pilot: Pilot, police: Activity
) -> None:
    from workshop_app.core.model import ActivityState
    from workshop_app.services import live

    t = token(pilot)
    await join(client, t)
    live.set_activity_state(pilot.p, police.id, ActivityState.CLOSED)
    html = await page(await client.get(f"/j/{t}/assess/{pilot.s1}"))
    assert "not taking views now" in html and "Send my view" not in html
    body = {"key": key(), "activity": police.id, "statement": pilot.s1, "status": "met"}
    resp = await client.post(f"/j/{t}/api/assess", json=body)
    assert resp.status == 409
    assert views(pilot, police) == []


async def test_the_statement_page_needs_a_joined_phone(
    client: Client, pilot: Pilot, police: Activity
) -> None:
    resp = await client.get(f"/j/{token(pilot)}/assess/{pilot.s1}")
    assert resp.status == 403
