"""What the phone pages say and offer (issue 12): only the session's own groups, honest
note statuses, a confirmation before taking a note back, messages that never outlive
their moment, tap-to-add dots, ties in results, children's wording everywhere.

The app is the real one (`make_app`) over a real project file and the real writer thread.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

import pytest

from tests.web.conftest import Client, World, build_world, join, key
from workshop_app.core.ids import format_join_code
from workshop_app.core.model import ActivityState, GroupKind, ModerationMode
from workshop_app.services import groups as group_service
from workshop_app.services import live
from workshop_app.services import standards as standard_service
from workshop_app.services.project import OpenProject
from workshop_app.services.standards import StandardFields


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


# ---------------------------------------------------------------- helpers for reading pages

# Attributes whose words reach the participant (shown by the script, read by a screen reader).
READ_ATTRIBUTES = re.compile(
    r'\s(?:data-done|data-left-[a-z]+|data-count-[a-z]+|aria-label|placeholder|alt|title)="([^"]*)"'
)


def main_of(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def words_of(html: str) -> str:
    """Everything a participant can read in <main>: its text and its read attributes."""
    part = main_of(html)
    said = READ_ATTRIBUTES.findall(part)
    text = re.sub(r"<[^>]+>", " ", part)
    return " ".join(" ".join([text, *said]).split())


def note_statuses(html: str) -> list[str]:
    found = re.findall(r'<p class="note-status[^"]*">(.*?)</p>', html, flags=re.S)
    return [" ".join(s.split()) for s in found]


async def post_note(client: Client, w: World, text: str) -> str:
    resp = await client.post(
        f"/j/{w.token}/notes",
        data={"activity": w.brainstorm.id, "text": text, "key": key()},
        allow_redirects=False,
    )
    assert resp.status == 303, await resp.text()
    return resp.headers["Location"]


def stored_note_id(w: World, text: str) -> str:
    row = w.p.store.reader().execute("SELECT id FROM notes WHERE text = ?", [text]).fetchone()
    return str(row[0])


CHILD = "Children 8–12"
ADULT = "Parents and carers"


# ---------------------------------------------------------------- 3. honest note statuses


@pytest.mark.parametrize(
    ("group", "expected"),
    [
        (CHILD, "Thank you. A grown-up reads every idea before it goes on the big screen."),
        (ADULT, "Thank you. The facilitator reads every note before it goes on the screen."),
    ],
    ids=["child", "adult"],
)
async def test_a_waiting_note_says_a_person_reads_it_first_and_promises_no_screen(
    client: Client, project: OpenProject, group: str, expected: str
) -> None:
    w = build_world(project, moderation=ModerationMode.APPROVE_FIRST)
    w.open(w.brainstorm)
    await join(client, w.token, group=group_id(w, group))
    await post_note(client, w, "Something that worried me")
    html = await (await client.get(f"/j/{w.token}")).text()
    assert note_statuses(html) == [expected]
    assert "put it on the screen" not in html


@pytest.mark.parametrize(
    ("group", "expected"), [(CHILD, "On the big screen"), (ADULT, "On the screen")]
)
async def test_a_shown_note_says_it_is_on_the_screen(
    client: Client, world: World, group: str, expected: str
) -> None:
    await join(client, world.token, group=group_id(world, group))
    await post_note(client, world, "Block strangers")
    html = await (await client.get(f"/j/{world.token}")).text()
    assert note_statuses(html) == [expected]


async def test_the_script_writes_no_status_of_its_own_about_the_screen(client: Client) -> None:
    script = await (await client.get("/static/app.js")).text()
    assert "screen" not in script.split("/*", 1)[0]  # (only its comments may say it)
    code = re.sub(r"/\*.*?\*/", "", script, flags=re.S)
    assert "put it on the screen" not in code and "Received" not in code.replace('"Received."', "")


# ---------------------------------------------------------------- 9. idea or note, everywhere


async def child_and_adult_brainstorm_pages(client: Client, w: World) -> dict[str, str]:
    pages = {}
    for who in (CHILD, ADULT):
        client.session.cookie_jar.clear()
        await join(client, w.token, group=group_id(w, who))
        text = f"A thought from {who}"
        await post_note(client, w, text)
        pages[who] = await (await client.get(f"/j/{w.token}?done=withdrawn")).text()
        note = stored_note_id(w, text)
        pages[who + " confirm"] = await (
            await client.get(f"/j/{w.token}/notes/{note}/withdraw")
        ).text()
    return pages


async def test_children_read_idea_and_adults_read_note_on_every_brainstorm_text(
    client: Client, project: OpenProject
) -> None:
    w = build_world(project, moderation=ModerationMode.APPROVE_FIRST)
    w.open(w.brainstorm)
    pages = await child_and_adult_brainstorm_pages(client, w)
    for name in (CHILD, CHILD + " confirm"):
        words = words_of(pages[name]).lower()
        assert "idea" in words and "note" not in words, name
    for name in (ADULT, ADULT + " confirm"):
        # (the facilitator called this brainstorm "Ideas": their words, not the page's)
        words = words_of(pages[name]).replace(w.brainstorm.title, "").lower()
        assert "note" in words and "idea" not in words, name
    child = words_of(pages[CHILD])
    for text in ("Write your idea", "Send my idea", "Your ideas", "Take back this idea"):
        assert text in child


async def test_every_message_the_script_shows_is_written_by_the_server_in_the_readers_words(
    client: Client, project: OpenProject
) -> None:
    w = build_world(project, moderation=ModerationMode.APPROVE_FIRST)
    w.open(w.brainstorm)
    pages = await child_and_adult_brainstorm_pages(client, w)
    for name in (CHILD, ADULT):
        forms = re.findall(r"<form [^>]*data-api=[^>]*>", pages[name])
        assert forms and all("data-done=" in f for f in forms), name
    assert 'data-done="Your idea was taken back."' in pages[CHILD]
    assert 'data-done="Your note was taken back."' in pages[ADULT]


async def test_the_rating_hint_for_children_is_in_their_words(client: Client, world: World) -> None:
    world.open(world.rate)
    await join(client, world.token, group=group_id(world, CHILD))
    html = await (await client.get(f"/j/{world.token}")).text()
    hint = re.search(r'<p class="hint">(.*?)</p>', html, flags=re.S)
    assert hint is not None
    assert hint.group(1).startswith("Tap one face") and "critical" not in hint.group(1)


async def test_no_group_in_a_childrens_session_gets_the_childrens_pages(
    client: Client, project: OpenProject
) -> None:
    w = build_world(project, invited=(GroupKind.CHILD,))
    w.open(w.brainstorm)
    join_page = await (await client.get(f"/j/{w.token}")).text()
    assert 'class="child"' in join_page
    await join(client, w.token, group="none")
    html = await (await client.get(f"/j/{w.token}")).text()
    assert "Send my idea" in html and 'class="child"' in html


# ---------------------------------------------------------------- 4. ask before taking back


async def test_take_back_is_a_link_to_a_page_that_asks_first(client: Client, world: World) -> None:
    await join(client, world.token)
    await post_note(client, world, "Maybe not this one")
    note = stored_note_id(world, "Maybe not this one")
    page = await (await client.get(f"/j/{world.token}")).text()
    link = f'href="/j/{world.token}/notes/{note}/withdraw"'
    assert re.search(rf'<a class="[^"]*take-back[^"]*" {re.escape(link)}[^>]*>Take back', page)
    assert not re.search(r'<button type="submit"[^>]*>Take back', page)

    resp = await client.get(f"/j/{world.token}/notes/{note}/withdraw")
    assert resp.status == 200
    html = await resp.text()
    assert "<h1>Take back this note?</h1>" in html and "Maybe not this one" in html
    form = re.search(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', html, re.S)
    assert form is not None and form.group(1) == f"/j/{world.token}/notes/{note}/withdraw"
    assert "Yes, take it back" in form.group(2)
    assert f'<a class="button secondary" href="/j/{world.token}">No, keep it</a>' in html
    assert world.rows("notes") == 1
    withdrawn = "SELECT count(*) FROM notes WHERE withdrawn_at IS NOT NULL"
    assert world.p.store.reader().execute(withdrawn).fetchone()[0] == 0  # asking took nothing

    answer = re.search(r'name="key" value="([^"]+)"', form.group(2))
    assert answer is not None
    resp = await client.post(form.group(1), data={"key": answer.group(1)}, allow_redirects=False)
    assert resp.status == 303 and resp.headers["Location"] == f"/j/{world.token}?done=withdrawn"
    assert world.p.store.reader().execute(withdrawn).fetchone()[0] == 1


async def test_the_question_is_asked_in_childrens_words(client: Client, world: World) -> None:
    await join(client, world.token, group=group_id(world, CHILD))
    await post_note(client, world, "My idea")
    note = stored_note_id(world, "My idea")
    html = await (await client.get(f"/j/{world.token}/notes/{note}/withdraw")).text()
    assert "<h1>Take back this idea?</h1>" in html


async def test_asking_to_take_back_someone_elses_note_or_a_closed_ones_is_refused(
    client: Client, world: World
) -> None:
    await join(client, world.token)
    await post_note(client, world, "Mine")
    note = stored_note_id(world, "Mine")
    url = f"/j/{world.token}/notes/{note}/withdraw"
    client.session.cookie_jar.clear()
    assert (await client.get(url)).status == 403  # not joined
    await join(client, world.token)
    assert (await client.get(url)).status == 404  # someone else's
    assert (await client.get(f"/j/{world.token}/notes/nope/withdraw")).status == 404


async def test_asking_to_take_back_after_the_brainstorm_closed_says_it_is_closed(
    client: Client, world: World
) -> None:
    await join(client, world.token)
    await post_note(client, world, "Mine")
    note = stored_note_id(world, "Mine")
    live.set_activity_state(world.p, world.brainstorm.id, ActivityState.CLOSED)
    resp = await client.get(f"/j/{world.token}/notes/{note}/withdraw")
    assert resp.status == 409 and "closed" in await resp.text()


# ---------------------------------------------------------------- 5a. messages that stay true

FLASH = re.compile(r'<p class="ok[^"]*" role="status">')


async def cast_by_form(client: Client, w: World, fields: dict[str, str]) -> tuple[int, str, str]:
    resp = await client.post(
        f"/j/{w.token}/votes",
        data={"activity": w.vote.id, "key": key(), **fields},
        allow_redirects=False,
    )
    return resp.status, resp.headers.get("Location", ""), await resp.text()


async def test_votes_received_is_not_shown_once_the_results_are(
    client: Client, world: World
) -> None:
    world.open(world.vote)
    await join(client, world.token)
    status, location, _ = await cast_by_form(client, world, {f"dots.{world.themes[0].id}": "2"})
    assert status == 303
    flash = '<p class="ok flash" role="status">Your votes were received.'
    assert flash in await (await client.get(location)).text()
    live.set_activity_state(world.p, world.vote.id, ActivityState.CLOSED)
    closed = await (await client.get(location)).text()
    assert "Voting is closed" in closed and not FLASH.search(closed)
    live.set_activity_state(world.p, world.vote.id, ActivityState.REVEALED)
    revealed = await (await client.get(location)).text()
    assert "Results" in revealed and "were received" not in revealed


@pytest.mark.parametrize(
    ("done", "open_"),
    [("note", "vote"), ("votes", "brainstorm"), ("ratings", "vote"), ("withdrawn", "rate")],
)
async def test_a_confirmation_shows_only_on_the_kind_of_activity_it_is_about(
    client: Client, world: World, done: str, open_: str
) -> None:
    if open_ != "brainstorm":  # (open already)
        world.open(getattr(world, open_))
    await join(client, world.token)
    html = await (await client.get(f"/j/{world.token}?done={done}")).text()
    assert not FLASH.search(html)


async def test_a_confirmation_about_another_activity_is_not_shown(
    client: Client, world: World
) -> None:
    world.open(world.vote)
    await join(client, world.token)
    other = await (await client.get(f"/j/{world.token}?done=votes&a={world.rate.id}")).text()
    assert not FLASH.search(other)
    mine = await (await client.get(f"/j/{world.token}?done=votes&a={world.vote.id}")).text()
    assert FLASH.search(mine)


# ---------------------------------------------------------------- 6. voting, without the script


def typed_value(html: str, item_id: str) -> str:
    found = re.search(rf'<input id="dots-{item_id}"[^>]* value="([^"]*)"', html)
    assert found, item_id
    return found.group(1)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ({0: "3", 1: "3"}, "the budget is 5"),  # 6 dots, over the budget of 5
        ({0: "4", 1: "1"}, "at most 3"),  # over the per-item cap of 3
        ({0: "two", 1: "1"}, "whole numbers"),
    ],
    ids=["over-budget", "over-cap", "not-a-number"],
)
async def test_a_refused_vote_shows_the_vote_again_with_what_was_typed(
    client: Client, world: World, typed: dict[int, str], reason: str
) -> None:
    world.open(world.vote)
    await join(client, world.token)
    t = world.themes
    fields = {f"dots.{t[i].id}": v for i, v in typed.items()}
    status, _, html = await cast_by_form(client, world, fields)
    assert status == 422
    assert 'class="vote-form' in html  # the form again, not an error page
    for i, v in typed.items():
        assert typed_value(html, t[i].id) == v
    assert typed_value(html, t[2].id) == "0"
    alert = re.search(r'<p class="error" role="alert">(.*?)</p>', html, re.S)
    assert alert is not None and reason in alert.group(1).lower()
    assert world.rows("votes") == 0


@pytest.mark.parametrize(
    ("group", "expected"),
    [
        (CHILD, "Put your dots on the ideas you like most."),
        (ADULT, "Put your dots on what matters most to you."),
    ],
)
async def test_the_vote_page_speaks_of_dots_not_a_budget(
    client: Client, world: World, group: str, expected: str
) -> None:
    world.open(world.vote)
    await join(client, world.token, group=group_id(world, group))
    html = await (await client.get(f"/j/{world.token}")).text()
    words = words_of(html)
    assert expected in words and "You have 5 dots, and you can put up to 3 on one." in words
    assert "budget" not in words.lower()
    # the number boxes are the fallback, said in words; the taps are there for the script
    assert "Type how many dots you give each one (0 to 3)." in words
    for theme in world.themes:
        assert f'aria-label="Add a dot: {theme.name}"' in html
        assert f'aria-label="Take a dot off: {theme.name}"' in html
    assert 'data-left-many="# dots left"' in html and 'data-left-none="No dots left"' in html


# ---------------------------------------------------------------- 9. help for children


async def test_the_childrens_help_page_puts_childline_first_in_short_sentences(
    client: Client, world: World
) -> None:
    await join(client, world.token, group=group_id(world, CHILD))
    html = await (await client.get(f"/j/{world.token}/help")).text()
    words = words_of(html)
    first_heading = re.search(r"<h2>(.*?)</h2>", main_of(html))
    assert first_heading is not None and first_heading.group(1) == "Childline"
    for said in (
        "0800 1111",
        "childline.org.uk",
        "free",
        "any time",
        "You can tell a grown-up here",
    ):
        assert said in words, said
    assert words.index("Childline") < words.index("You can tell a grown-up here")
    assert f'<form method="post" action="/j/{world.token}/help"' in html
    assert "adults worried about a child" not in words  # the adults' support information
    sentences = [s for s in re.split(r"(?<=[.!?])\s", words) if s]
    assert max(len(s.split()) for s in sentences) <= 25


async def test_adults_keep_the_projects_support_information(client: Client, world: World) -> None:
    await join(client, world.token, group=group_id(world, ADULT))
    html = await (await client.get(f"/j/{world.token}/help")).text()
    assert "adults worried about a child" in html and "Talk to someone privately" in html


async def test_a_child_who_has_not_joined_a_childrens_session_gets_the_childrens_help(
    client: Client, project: OpenProject
) -> None:
    w = build_world(project, invited=(GroupKind.CHILD,))
    html = await (await client.get(f"/j/{w.token}/help")).text()
    assert "You can tell a grown-up here" in html


async def test_a_sent_help_request_is_confirmed_in_childrens_words(
    client: Client, world: World
) -> None:
    await join(client, world.token, group=group_id(world, CHILD))
    resp = await client.post(
        f"/j/{world.token}/help", data={"message": "", "key": key()}, allow_redirects=False
    )
    html = await (await client.get(resp.headers["Location"])).text()
    assert "A grown-up will come and find you quietly." in html


# ---------------------------------------------------------------- 2. groups with pictures


async def test_each_group_choice_has_a_decorative_picture_for_its_kind(
    client: Client, world: World
) -> None:
    html = await (await client.get(f"/j/{world.token}")).text()
    choices = re.findall(r'<label class="choice">(.*?)</label>', html, re.S)
    groups = group_service.list_groups(world.p)
    assert len(choices) == len(groups) + 1
    for g, choice in zip(groups, choices, strict=False):
        assert f'<img src="/static/group-{g.kind.value}.svg" alt=""' in choice
        assert g.name in choice
    assert '<img src="/static/group-none.svg" alt=""' in choices[-1]


@pytest.mark.parametrize("kind", [*(k.value for k in GroupKind), "none"])
async def test_every_group_picture_is_served_as_svg(client: Client, kind: str) -> None:
    resp = await client.get(f"/static/group-{kind}.svg")
    assert resp.status == 200 and resp.content_type == "image/svg+xml"
    assert "<script" not in await resp.text()


async def test_the_join_page_is_one_short_welcome_not_a_wall_of_bold_text(
    client: Client, world: World
) -> None:
    html = main_of(await (await client.get(f"/j/{world.token}")).text())
    assert "<strong>" not in html and "<b>" not in html
    before_form = html.split("<form", 1)[0]
    paragraphs = re.findall(r"<p[^>]*>(.*?)</p>", before_form, re.S)
    assert len(paragraphs) == 1 and len(paragraphs[0].split()) <= 10


# ---------------------------------------------------------------- 10. child wording


def statement_texts(html: str) -> list[str]:
    blocks = re.findall(
        r'<fieldset class="statement">\s*<legend>.*?</legend>\s*<p>(.*?)</p>', html, re.S
    )
    return [" ".join(b.split()) for b in blocks]


@pytest.mark.parametrize(
    ("group", "expected"),
    [
        (CHILD, ["You know a grown-up you can tell.", "Statement 2"]),
        (ADULT, ["Statement 1", "Statement 2"]),
    ],
    ids=["child", "adult"],
)
async def test_children_rate_a_standards_child_wording_and_adults_its_statement(
    client: Client, world: World, group: str, expected: list[str]
) -> None:
    first = standard_service.get_standard(world.p, world.standard_ids[0])
    standard_service.update_standard(
        world.p,
        first.id,
        replace(StandardFields.of(first), child_wording="You know a grown-up you can tell."),
    )
    world.open(world.rate)
    await join(client, world.token, group=group_id(world, group))
    html = await (await client.get(f"/j/{world.token}")).text()
    assert statement_texts(html) == expected  # the second has no child wording: its statement
