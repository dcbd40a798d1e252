"""A children's session run end to end: the real console, the real projector window and
real phones in Chromium, as a facilitator would run it in a community room.

The desktop app (pytest-qt, offscreen) goes live on 127.0.0.1 with the demo project; three
children join on phones (Playwright, a phone profile; one at 320 px). Step by step the test
checks what the projector and every phone show: joining, notes waiting for approval, a
disclosure flagged and *Approve all waiting* pressed (the disclosure stays off the
screen), the child taking it back (it stays on the console, flagged), themes, a tied vote,
a rating round with faces, a private help request, and the end of the session.

Screenshots of each step are saved for the facilitator guide: into $WALKTHROUGH_SHOTS
when set (scripts/screenshot.py sets it to docs/images), else into the test's own folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright, expect

from tests.e2e.conftest import CHILDREN, Phones, eventually, join, my_notes, send_note
from tests.ui.conftest import settle, with_dialog
from workshop_app.core.model import (
    ActivityKind,
    ActivitySettings,
    ActivityState,
    ModerationMode,
    NoteStatus,
)
from workshop_app.infra.paths import shipped_plans_dir
from workshop_app.services import board as board_service
from workshop_app.services import live as live_service
from workshop_app.services import moderation
from workshop_app.services import sessions as session_service
from workshop_app.services.demo import write_demo
from workshop_app.services.groups import list_groups
from workshop_app.services.plans import load_plan
from workshop_app.services.sessions import ActivityFields, SessionDetails
from workshop_app.storage import contributions
from workshop_app.ui.project_window import ProjectWindow
from workshop_app.ui.wall.note_model import CARD_ROLE

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

DISCLOSURE = "a man online asked me for pictures"
IDEA = "Games should have a report button"
OTHER_IDEA = "Tell a teacher if a chat feels wrong"
WAITING = "Thank you. A grown-up reads every idea before it goes on the big screen."
THEMES = ("Games and chats", "Telling someone")


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("WALKTHROUGH_SHOTS") or tmp_path / "walkthrough")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def room_phones(playwright_driver: Playwright, browser: Browser) -> Iterator[Phones]:
    ph = Phones(playwright_driver, browser)
    yield ph
    ph.close()
    problems = ph.page_errors + ph.csp_violations + ph.dialogs
    assert not problems, f"the pages misbehaved: {problems}"


@pytest.fixture
def demo_window(shell, tmp_path: Path, qtbot) -> ProjectWindow:
    path = tmp_path / "demo.cground"
    write_demo(path)
    w = shell.open_path(path)
    assert w is not None
    w.resize(1500, 860)
    qtbot.waitExposed(w)
    return w


def _activity(window: ProjectWindow, sid: str, kind: ActivityKind):
    return next(a for a in session_service.list_activities(window.project, sid) if a.kind is kind)


def _open(window: ProjectWindow, sid: str, kind: ActivityKind):
    """Put an activity on the phones and open it, as the Live panel's Open does."""
    a = _activity(window, sid, kind)
    live_service.show_activity(window.project, a.id)
    live_service.set_activity_state(window.project, a.id, ActivityState.OPEN)
    settle()
    return a


def _projected(projector) -> list[str]:
    settle()
    return projector.shown_texts()


def _save(window: ProjectWindow, projector, shots: Path, name: str) -> None:
    settle()
    projector.grab().save(str(shots / f"{name}.png"))


def test_a_childrens_session_from_join_to_end(demo_window, room_phones, shots, qtbot):
    window = demo_window
    project = window.project
    children = next(g for g in list_groups(project) if g.name == CHILDREN)
    plan = load_plan(shipped_plans_dir() / "prep-children-8-12.toml")
    details = SessionDetails(
        "After-school club", group_ids=(children.id,), moderation=ModerationMode.APPROVE_FIRST
    )
    session = session_service.create_session(project, details, plan)
    sid = session.id
    rating = ActivityFields(
        ActivityKind.RATE,
        "How important is each idea?",
        "Rate each statement.",
        child_prompt="Choose a face for each idea.",
        settings=ActivitySettings(consensus_round=False),
    )
    session_service.add_activity(project, sid, rating)
    settle()
    window.select_session(sid)
    window.show_live()
    assert window.go_live("127.0.0.1")
    settle()
    url = window.live_panel.url.text()
    projector = window.show_projector()
    qtbot.addWidget(projector)
    projector.showNormal()
    projector.resize(1280, 720)

    # -- the welcome: the join code and children's words on the projector
    texts = _projected(projector)
    assert any("Point a phone's camera" in t for t in texts), texts
    assert projector.shows_qr()
    _save(window, projector, shots, "projector-join")

    # -- three children join; the join page offers only the session's group
    amy, ben = room_phones.page(), room_phones.page()
    small = room_phones.page(viewport={"width": 320, "height": 640})
    amy.goto(url)
    expect(amy.get_by_label("Practitioners")).to_have_count(0)
    expect(amy.get_by_label(CHILDREN, exact=True)).to_be_visible()
    amy.screenshot(path=str(shots / "phone-join.png"))
    join(amy, url, CHILDREN)
    join(ben, url, CHILDREN)
    join(small, url, CHILDREN)
    for page in (amy, ben, small):
        expect(page.locator("body")).to_have_class("child")

    # -- notes: approve-first, so each waits, with kind, honest words
    brainstorm = _open(window, sid, ActivityKind.BRAINSTORM)
    for page in (amy, ben, small):
        expect(page.locator("form.note-form")).to_be_visible()
    texts = _projected(projector)
    assert any("A grown-up reads every idea" in t for t in texts), texts
    send_note(amy, IDEA)
    send_note(ben, DISCLOSURE)
    send_note(small, OTHER_IDEA)
    for page, text in ((amy, IDEA), (ben, DISCLOSURE), (small, OTHER_IDEA)):
        expect(my_notes(page).locator(".note-text")).to_have_text(text)
        expect(my_notes(page).locator(".note-status")).to_have_text(WAITING)
    eventually(lambda: len(moderation.list_wall(project, brainstorm.id)), lambda n: n == 3)
    window.tabs.setCurrentIndex(1)
    settle()
    wall = window.wall
    wall.refresh_now()
    assert not any(t in _projected(projector) for t in (IDEA, DISCLOSURE, OTHER_IDEA))

    # -- the facilitator flags the disclosure, then presses Approve all waiting
    told = next(n for n in moderation.list_wall(project, brainstorm.id) if n.text == DISCLOSURE)
    wall.select_notes([told.id])

    def follow_up(dialog) -> None:
        dialog.follow_up.setText("Talk to Ben's key worker at the break")
        dialog.accept()

    with_dialog(wall.flag_selected, follow_up)
    settle()
    assert window.live_panel.flagged.text().startswith("1 note flagged")
    wall.approve_all_waiting()
    settle()
    assert "1 flagged note" in wall.capture_message.text() or "flagged" in (
        wall.capture_message.text()
    ), wall.capture_message.text()
    texts = _projected(projector)
    assert IDEA in texts and OTHER_IDEA in texts
    assert DISCLOSURE not in " ".join(texts), "a flagged disclosure reached the projector"
    expect(my_notes(amy).locator(".note-status")).to_have_text("On the big screen")
    expect(my_notes(ben).locator(".note-status")).to_have_text(WAITING)
    _save(window, projector, shots, "projector")

    # -- the child takes the disclosure back: gone from the phone, kept on the console
    mine = my_notes(ben).first
    mine.get_by_text("Change or take back").click()
    mine.get_by_role("link", name="Take back this idea").click()
    ben.get_by_role("button", name="Yes, take it back").click()
    expect(my_notes(ben)).to_have_count(0)
    eventually(
        lambda: moderation.list_wall(project, brainstorm.id),
        lambda notes: any(n.withdrawn for n in notes),
    )
    settle()
    wall.refresh_now()
    row = wall.model.row_of(told.id)
    assert row is not None, "a flagged note taken back left the console"
    card = wall.model.index(row).data(CARD_ROLE)
    assert "Taken back by its writer" in card.summary and "Flagged" in card.summary
    assert window.live_panel.flagged.text().startswith("1 note flagged")
    assert DISCLOSURE not in " ".join(_projected(projector))

    # -- themes on the projector
    _open(window, sid, ActivityKind.CLUSTER)
    shown = {n.text: n.id for n in moderation.list_wall(project, brainstorm.id)}
    board_service.create_theme(project, sid, THEMES[0], note_ids=[shown[IDEA]])
    board_service.create_theme(project, sid, THEMES[1], note_ids=[shown[OTHER_IDEA]])
    settle()
    assert any(t.startswith(THEMES[0]) for t in _projected(projector))

    # -- a vote that ties: the choices while open, no counts; joint places when revealed
    vote = _open(window, sid, ActivityKind.VOTE)
    texts = _projected(projector)
    assert THEMES[0] in texts and THEMES[1] in texts
    assert any("tap +" in t for t in texts), texts
    _save(window, projector, shots, "projector-voting")
    for page, first in ((amy, THEMES[0]), (ben, THEMES[1])):
        expect(page.locator("form.vote-form")).to_be_visible()
        page.get_by_role("button", name=f"Add a dot: {first}", exact=True).click()
        page.get_by_role("button", name="Send my dots").click()
        expect(page.get_by_role("status").filter(has_text="received")).to_be_visible()
    eventually(
        lambda: len(contributions.list_votes(project.store.reader(), vote.id)), lambda n: n == 2
    )
    assert not any(t.isdigit() for t in _projected(projector)), "no counts while voting"
    live_service.set_activity_state(project, vote.id, ActivityState.CLOSED)
    texts = _projected(projector)
    assert THEMES[0] not in texts and any("Voting has closed" in t for t in texts)
    live_service.set_activity_state(project, vote.id, ActivityState.REVEALED)
    texts = _projected(projector)
    assert texts.count("1.") == 2 and "Equal totals share a place." in texts, texts
    results = amy.locator("section.results li")
    expect(results).to_have_count(2)
    expect(results.first).to_contain_text("Joint 1st")
    _save(window, projector, shots, "projector-results")

    # -- a rating round with faces (children rate the child wording)
    _open(window, sid, ActivityKind.RATE)
    assert any("choose a face" in t.lower() for t in _projected(projector))
    statements = small.locator("fieldset.statement")
    expect(statements.first).to_be_visible()
    for i in range(statements.count()):
        statements.nth(i).get_by_role("img", name="Important", exact=True).click()
    small.evaluate("document.querySelector('fieldset.statement').scrollIntoView({block: 'end'})")
    small.screenshot(path=str(shots / "phone-smileys.png"))
    small.get_by_role("button", name="Send my ratings").click()
    expect(
        small.get_by_role("status").filter(has_text="Your answers were received.")
    ).to_be_visible()

    # -- a private help request: on the console with the child's group, never projected
    ben.get_by_role("banner").get_by_role("link", name="Need help?").click()
    expect(ben.get_by_role("heading", name="Tell a grown-up here")).to_be_visible()
    ben.get_by_label("Your message (you don't have to write one)").fill("I'm by the door")
    ben.get_by_role("button", name="Ask a grown-up to come").click()
    expect(ben.get_by_role("status").first).to_be_visible()
    eventually(lambda: live_service.help_alerts(project, sid), lambda alerts: len(alerts) == 1)
    settle()
    panel = window.live_panel
    assert panel.help.isVisible() and "help" in panel.help.text()
    listed = [panel.help_list.item(i).text() for i in range(panel.help_list.count())]
    assert any(CHILDREN in line and "I'm by the door" in line for line in listed), listed
    assert not any("by the door" in t for t in _projected(projector))
    window.grab().save(str(shots / "live-help.png"))

    # -- the end: confirmed in the console; a thank-you on the projector and the phones
    def end(box) -> None:
        yes = next(b for b in box.buttons() if b.objectName() == "end-session-yes")
        yes.click()

    with_dialog(panel.end_button.click, end)
    settle()
    assert session_service.get_session(project, sid).state.value == "closed"
    texts = _projected(projector)
    assert texts[0] == "This session has ended — thank you"
    assert not projector.shows_qr()
    _save(window, projector, shots, "projector-ended")
    for page in (amy, small):  # told at once, though the laptop stopped serving
        expect(page.get_by_role("status").filter(has_text="This session has ended")).to_be_visible()
    stored = {n.text: n for n in moderation.list_wall(project, brainstorm.id)}
    assert stored[DISCLOSURE].withdrawn and stored[DISCLOSURE].flagged
    assert stored[DISCLOSURE].status is NoteStatus.PENDING
