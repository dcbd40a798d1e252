"""The phone's side of notes held back on arrival (issue 17, point 3): a possible disclosure is
answered with the help information, and the phone's page offers that help gently while the
note is there, in the reader's words, without saying why or that anything was held. A note
held for a personal detail changes nothing but its "waiting" status.

The app is the real one (`make_app`) over a real project file and the real writer thread,
served on 127.0.0.1; the phones are aiohttp clients with their own cookies.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.web.conftest import Client, World, build_world, join, key
from tests.web.test_phone_pages import (
    ADULT,
    CHILD,
    group_id,
    main_of,
    note_statuses,
    post_note,
    stored_note_id,
    words_of,
)
from tests.web.test_survey_routes import Room, room  # noqa: F401  (the survey fixture)
from workshop_app.core.model import ModerationMode
from workshop_app.services import moderation, participation
from workshop_app.services.project import OpenProject, update_settings
from workshop_app.web import words

DISCLOSURE = "a man keeps asking me for pics"
PHONE_NUMBER = "Ring me on 07700 900123"
ORDINARY = "Block strangers who send friend requests"
LEAD = words.support_lead(False)
CHILD_LEAD = words.support_lead(True)
# Nothing on a phone says what happened to the note or why.
NEVER_SAID = ("held", "hold", "moderat", "disclos", "safeguard", "flag", "why", "concern")


async def api_note(client: Client, w: World, text: str, k: str | None = None) -> Any:
    resp = await client.post(
        f"/j/{w.token}/api/notes",
        json={"activity": w.brainstorm.id, "text": text, "key": k or key()},
        allow_redirects=False,
    )
    assert resp.status == 200, await resp.text()
    return resp


async def page_of(client: Client, w: World | Room) -> str:
    resp = await client.get(f"/j/{w.token}")
    assert resp.status == 200
    return await resp.text()


def support_box(html: str) -> str | None:
    """The gentle help box in <main>, or None."""
    found = re.search(r'<div class="support-note" data-support>(.*?)</div>', main_of(html), re.S)
    return found.group(1) if found else None


def box_words(html: str) -> str:
    box = support_box(html)
    assert box is not None, "no help box on the page"
    return " ".join(re.sub(r"<[^>]+>", " ", box).split())


@pytest.fixture
def plain(project: OpenProject) -> World:
    """A live *show at once* session (the fixture world's mode, said out loud here)."""
    w = build_world(project, moderation=ModerationMode.SHOW_AT_ONCE)
    w.open(w.brainstorm)
    return w


# ---------------------------------------------------------------- the JSON answer


async def test_a_possible_disclosure_is_answered_with_the_support_information(
    client: Client, plain: World
) -> None:
    await join(client, plain.token)
    resp = await api_note(client, plain, DISCLOSURE)
    body = await resp.json()
    assert body["ok"] is True
    assert body["support"] == participation.support_info(plain.p)
    assert body["note"]["status"] == "pending"  # waiting, though the session shows at once
    assert set(body) == {"ok", "note", "support"}  # it says nothing of why


async def test_a_replayed_disclosure_gets_the_same_answer_with_the_support_information(
    client: Client, plain: World
) -> None:
    await join(client, plain.token)
    k = key()
    first = await (await api_note(client, plain, DISCLOSURE, k)).json()
    again = await api_note(client, plain, DISCLOSURE, k)
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert await again.json() == first and "support" in first
    assert plain.rows("notes") == 1


@pytest.mark.parametrize(
    ("text", "status"),
    [(ORDINARY, "shown"), (PHONE_NUMBER, "pending")],
    ids=["ordinary", "personal-detail"],
)
async def test_a_note_that_is_no_possible_disclosure_is_answered_without_support(
    client: Client, plain: World, text: str, status: str
) -> None:
    await join(client, plain.token)
    body = await (await api_note(client, plain, text)).json()
    assert "support" not in body
    assert body["note"]["status"] == status


async def test_an_edit_into_a_possible_disclosure_is_answered_with_support_and_one_out_is_not(
    client: Client, plain: World
) -> None:
    await join(client, plain.token)
    note = (await (await api_note(client, plain, ORDINARY)).json())["note"]["id"]
    url = f"/j/{plain.token}/api/notes/{note}/edit"
    worrying = await (await client.post(url, json={"text": DISCLOSURE, "key": key()})).json()
    assert worrying["support"] == participation.support_info(plain.p)
    assert worrying["note"]["status"] == "pending"
    harmless = await (await client.post(url, json={"text": "Block them", "key": key()})).json()
    assert "support" not in harmless
    assert harmless["note"]["status"] == "pending"  # still waiting for the facilitator


# ---------------------------------------------------------------- the page without script


async def test_the_page_after_a_disclosure_sent_by_form_offers_help_gently(
    client: Client, plain: World
) -> None:
    await join(client, plain.token, group=group_id(plain, ADULT))
    location = await post_note(client, plain, DISCLOSURE)
    html = await (await client.get(location)).text()
    said = box_words(html)
    assert said.startswith(LEAD)
    support = participation.support_info(plain.p)
    assert " ".join(support.split()) in said
    assert (
        f'<a class="button secondary" href="/j/{plain.token}/help">Ask to talk to someone</a>'
        in (support_box(html) or "")
    )
    for word in NEVER_SAID:
        assert word not in said.lower().replace(" ".join(support.split()).lower(), ""), word
    assert note_statuses(html) == [words.note_status("pending", False)]
    assert "Received. Thank you!" in words_of(html)
    # near the top of the activity: after its title and prompt, before the form
    main = main_of(html)
    assert main.index("<h1>") < main.index("data-support") < main.index("note-form")


async def test_another_participants_page_offers_no_help_box(
    client: Client, plain: World, aiohttp_client: Any
) -> None:
    await join(client, plain.token)
    await post_note(client, plain, DISCLOSURE)
    other = await aiohttp_client(client.server)
    await join(other, plain.token)
    await post_note(other, plain, ORDINARY)
    html = await page_of(other, plain)
    assert support_box(html) is None and LEAD not in html
    assert support_box(await page_of(client, plain)) is not None


async def test_a_personal_detail_changes_nothing_on_the_page_but_the_waiting_status(
    client: Client, plain: World, aiohttp_client: Any
) -> None:
    await join(client, plain.token)
    html = await (await client.get(await post_note(client, plain, PHONE_NUMBER))).text()
    assert support_box(html) is None and LEAD not in html
    assert note_statuses(html) == [words.note_status("pending", False)]
    ordinary = await aiohttp_client(client.server)
    await join(ordinary, plain.token)
    plain_html = await (await ordinary.get(await post_note(ordinary, plain, ORDINARY))).text()

    def without_notes(page: str) -> str:
        section = re.sub(r'<section class="mine">.*?</section>', "", main_of(page), flags=re.S)
        return re.sub(r'value="[^"]*"', "", section)  # (each page has its own form keys)

    assert without_notes(html) == without_notes(plain_html)


async def test_markup_in_the_support_information_shows_as_text_with_its_line_breaks(
    client: Client, plain: World
) -> None:
    update_settings(plain.p, support_info="<b>x</b> & friends\nCall 0800 1111")
    await join(client, plain.token)
    html = await (await client.get(await post_note(client, plain, DISCLOSURE))).text()
    box = support_box(html) or ""
    assert '<p class="support-text">&lt;b&gt;x&lt;/b&gt; &amp; friends\nCall 0800 1111</p>' in box
    assert "<b>" not in box


async def test_the_help_box_shows_in_the_fragment_the_script_fetches(
    client: Client, plain: World
) -> None:
    await join(client, plain.token)
    await api_note(client, plain, DISCLOSURE)
    resp = await client.get(f"/j/{plain.token}?done=note", headers={"X-Fragment": "1"})
    html = await resp.text()
    assert html.lstrip().startswith("<main") and support_box(html) is not None


async def test_children_are_offered_the_help_of_their_own_help_page(
    client: Client, plain: World
) -> None:
    await join(client, plain.token, group=group_id(plain, CHILD))
    html = await (await client.get(await post_note(client, plain, DISCLOSURE))).text()
    said = box_words(html)
    assert said.startswith(CHILD_LEAD)
    assert "Childline" in said and "0800 1111" in said and "free" in said
    assert said.endswith("Tell a grown-up here")
    assert "adults worried about a child" not in said  # the adults' support information
    assert 'href="tel:08001111"' in (support_box(html) or "")
    sentences = [s for s in re.split(r"(?<=[.!?])\s", said) if s]
    assert max(len(s.split()) for s in sentences) <= 25
    assert note_statuses(html) == [words.note_status("pending", True)]


async def test_the_help_box_goes_once_the_worrying_note_is_taken_back(
    client: Client, plain: World
) -> None:
    await join(client, plain.token)
    await post_note(client, plain, DISCLOSURE)
    note = stored_note_id(plain, DISCLOSURE)
    resp = await client.post(
        f"/j/{plain.token}/notes/{note}/withdraw", data={"key": key()}, allow_redirects=False
    )
    assert resp.status == 303
    assert support_box(await (await client.get(resp.headers["Location"])).text()) is None


async def test_the_help_box_stays_after_the_note_is_edited_to_something_harmless(
    client: Client, plain: World
) -> None:
    await join(client, plain.token)
    await post_note(client, plain, DISCLOSURE)
    note = stored_note_id(plain, DISCLOSURE)
    resp = await client.post(
        f"/j/{plain.token}/notes/{note}/edit",
        data={"text": "Tell a teacher", "key": key()},
        allow_redirects=False,
    )
    html = await (await client.get(resp.headers["Location"])).text()
    assert support_box(html) is not None
    assert note_statuses(html) == [words.note_status("pending", False)]


async def test_the_help_box_stays_after_the_facilitator_releases_the_note(
    client: Client, plain: World
) -> None:
    await join(client, plain.token)
    await post_note(client, plain, DISCLOSURE)
    moderation.release(plain.p, stored_note_id(plain, DISCLOSURE))
    html = await page_of(client, plain)
    assert support_box(html) is not None
    assert note_statuses(html) == [words.note_status("shown", False)]


# ---------------------------------------------------------------- a survey's written answer


async def test_a_worrying_written_answer_is_answered_with_support_and_the_survey_offers_help(
    client: Client,
    room: Room,  # noqa: F811
) -> None:
    await join(client, room.token)
    resp = await client.post(
        f"/j/{room.token}/api/survey",
        json={
            "activity": room.activity,
            "answers": {room.smiley: 3, room.text: DISCLOSURE},
            "key": key(),
        },
    )
    body = await resp.json()
    assert resp.status == 200 and body["support"] == participation.support_info(room.p)
    html = await page_of(client, room)
    assert box_words(html).startswith(LEAD)
    main = main_of(html)
    assert main.index("data-support") < main.index("survey-form")


async def test_an_ordinary_written_answer_gets_no_support(
    client: Client,
    room: Room,  # noqa: F811
) -> None:
    await join(client, room.token)
    resp = await client.post(
        f"/j/{room.token}/survey",
        data={
            "activity": room.activity,
            f"answer.{room.smiley}": "3",
            f"answer.{room.text}": ORDINARY,
            "key": key(),
        },
        allow_redirects=False,
    )
    assert resp.status == 303
    assert support_box(await (await client.get(resp.headers["Location"])).text()) is None
