"""Make the screenshots in README.md and docs/ from the real app on the demo project.

    .venv/bin/python scripts/screenshot.py [--out docs/images]

The pictures of a live children's session (projector-*.png, phone-join.png,
phone-smileys.png, live-help.png) come from the walkthrough test, run last.

Runs offscreen (no display needed), in a throwaway data and settings folder, so it never
touches your own projects or recent-files list. Everything the pictures show is set up
through the app's own services on a fresh copy of the demo project: notes sent as phones
send them, moderated, sorted into themes and voted on as a facilitator would.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[1]
WINDOW = (1400, 860)  # the project window showing a session's tabs
LIVE_WINDOW = (1500, 860)  # the same with the Live panel beside them
LIVE_DOCK = 370  # wide enough for the Live panel's buttons
BOARD_ZOOM = 0.62  # the cards still readable, most of the board in view
PROPOSAL_ZOOM = 0.75  # closer, beside the suggestions panel: the outlined notes
VOTES_TABLE = 720  # the results table's share of the width, the chart has the rest
PROJECTOR = (1280, 720)
STANDARDS_WINDOW = (1100, 600)
STANDARD_SHOWN = "Responding without blame"
STATEMENT_TAB = 0  # then Measures, Audiences, Definitions, Sources, Versions
CARRY_DIALOG = (1480, 600)  # every column in view: four groups, where from, brought in
CONSENSUS_WINDOW = (1400, 620)
EXPORT_DIALOG_WIDTH = 820  # the suggested file name in full
PRIVACY_DIALOG = (900, 620)  # the undo button and the warning beside it on one line
MAX_BYTES = 300_000  # each picture stays small enough for the repository

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from PySide6.QtWidgets import QWidget

    from workshop_app.core.model import Activity
    from workshop_app.services.project import OpenProject
    from workshop_app.ui.project_window import ProjectWindow
    from workshop_app.ui.votes.vote_chart import ChartView

# A children's brainstorm as the wall shows it mid-session: what phones sent, and what
# the facilitator did with each one.
PHONE_NOTES = (
    ("typo", "grown ups shuold listen and not shout"),
    ("duplicate", "ask children what we think"),
    ("hide", "Miss Patel at Hillside Primary always helps me"),
    ("flag", "a man in a game asked me to keep our chats a secret"),
    ("wait", "they should check games before they buy them"),
    ("wait", "make it easy to tell a teacher without everyone knowing"),
)
FIXED_TYPO = "grown ups should listen and not shout"
DUPLICATE_OF = "ask kids what we think"
FOLLOW_UP = "Could be personal. Passed to the safeguarding lead, who will check in quietly."
PAPER_NOTE = "be kind if we tell you something"
# Made-up personal details on a parents' session, for the privacy review (an example.com
# address and a number from Ofcom's range for drama).
PERSONAL_NOTES = (
    "Happy to help run a session for other parents, email me at jo.parent@example.com",
    "Ring me on 07700 900123 if you want a dad's view",
    "Sam at the youth club is brilliant, we need more people like him",
)
TAKEN_APART = "Telling a trusted adult"  # a theme deleted so the board has notes to sort


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args()
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)

    scratch = Path(tempfile.mkdtemp(prefix="cg-screens-"))
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "HOME"):
        os.environ[var] = str(scratch / var.lower())
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_SCALE_FACTOR", "1")
    os.environ["TZ"] = "Europe/London"  # the demo's times read as they would in Riverside
    time.tzset()

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from workshop_app.app import make_application
    from workshop_app.infra.paths import demo_project_path, shipped_plans_dir
    from workshop_app.runtime import AppRuntime, participant_server
    from workshop_app.services import groups, plans
    from workshop_app.services.demo import write_demo
    from workshop_app.ui.dialogs import NewSessionDialog
    from workshop_app.ui.shell import Shell

    quiet_offscreen_warnings()
    app = make_application()
    app.setStyle("Fusion")
    runtime = AppRuntime()  # no server until the demo is open: its live session waits
    shell = Shell(QSettings(), runtime)
    shot = Shooter(out)

    demo = demo_project_path()
    write_demo(demo)
    other = scratch / "Northfield pilot.cground"
    write_demo(other, seed=7)
    shell.recent.add(other)
    shell.recent.add(demo)

    start = shell.show_start()
    start.resize(900, 540)
    shot(start, "start-screen.png")

    window = shell.open_path(demo)
    assert window is not None
    window.resize(*WINDOW)
    runtime.server_factory = participant_server
    window.runtime._server_factory = participant_server  # type: ignore[attr-defined]
    shell.settings.setValue("live/port", 0)

    plan_tab(window, shot)
    live_console(window, shot, out)
    note_wall(window, shot)
    theme_board(window, shot)
    votes_and_projector(window, shot)
    standards_window(window, shot)
    bring_in(window, shot)
    consensus(window, shot)
    export_and_privacy(window, shot, scratch)

    report = plans.list_plans([shipped_plans_dir()])
    dialog = NewSessionDialog(list(report.plans), [], groups.list_groups(window.project), window)
    dialog.select_plan("prep-parents-carers")
    dialog.show()
    shot(dialog, "new-session.png")
    dialog.close()

    shell.quit()
    QApplication.processEvents()
    return walkthrough(out)


def walkthrough(out: Path) -> int:
    """The children's session walked through by tests/e2e/test_live_room.py (real console,
    projector and phones) makes the guide's projector and phone pictures of a live room."""
    import subprocess

    env = {**os.environ, "WALKTHROUGH_SHOTS": str(out)}
    test = ROOT / "tests" / "e2e" / "test_live_room.py"
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", str(test)]
    done = subprocess.run(command, cwd=ROOT, env=env, check=False)
    return done.returncode


def quiet_offscreen_warnings() -> None:
    """Drop the offscreen platform's notes that it cannot raise or size windows; pass on
    every other Qt message."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_mode: object, _context: object, message: str) -> None:
        if not message.startswith("This plugin does not support"):
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


class Shooter:
    """Saves a widget as it looks once every pending redraw has run."""

    def __init__(self, out: Path):
        self.out = out

    def __call__(self, widget: QWidget, name: str) -> None:
        settle()
        image = widget.grab().toImage()
        path = self.out / name
        # quality 0: the smallest file PNG can make (the stubs want bytes, Qt wants str)
        if not image.save(str(path), "PNG", 0):  # type: ignore[call-overload]
            raise SystemExit(f"could not write {path}")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SystemExit(f"{path} is {size:,} bytes: over {MAX_BYTES:,}")
        print(path)


def settle(until: Callable[[], bool] | None = None, timeout: float = 60.0) -> None:
    """Deliver queued change events and do the coalesced redraws now (or, with `until`,
    keep the event loop turning until it holds: workers report through it)."""
    from PySide6.QtWidgets import QApplication

    from workshop_app.ui.project_window import ProjectWindow

    deadline = time.monotonic() + timeout
    while True:
        for _ in range(3):
            QApplication.processEvents()
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, ProjectWindow):
                widget.flush_refreshes()
                widget.wall.refresh_now()
                widget.board.refresh_now()
        QApplication.processEvents()
        if until is None or until():
            return
        if time.monotonic() > deadline:
            raise SystemExit("gave up waiting for the app (see the log above)")
        time.sleep(0.05)


def choose_session(window: ProjectWindow, title_start: str) -> str:
    from workshop_app.services import sessions

    found = next(
        s for s in sessions.list_sessions(window.project) if s.title.startswith(title_start)
    )
    window.select_session(found.id)
    return found.id


def activity(p: OpenProject, session_id: str, kind: str, title_start: str = "") -> Activity:
    from workshop_app.services import sessions

    return next(
        a
        for a in sessions.list_activities(p, session_id)
        if a.kind.value == kind and a.title.startswith(title_start)
    )


def with_live_panel(window: ProjectWindow) -> None:
    """The Live panel open beside the tabs, at one width."""
    from PySide6.QtCore import Qt

    window.show_live()
    settle()
    window.resize(*LIVE_WINDOW)
    window.resizeDocks([window.live_dock], [LIVE_DOCK], Qt.Orientation.Horizontal)


def without_live_panel(window: ProjectWindow) -> None:
    """The tabs alone: the Live panel closed (it opens again from View or Ctrl+L)."""
    window.live_dock.hide()
    settle()  # the window's smallest size shrinks once the panel has gone
    window.resize(*WINDOW)


def plan_tab(window: ProjectWindow, shot: Shooter) -> None:
    """The children's workshop as planned: its agenda and the first brainstorm."""
    choose_session(window, "Children")
    window.tabs.setCurrentWidget(window.panel)
    window.panel.select_activity(window.panel._activities[1].id)  # the first brainstorm
    window.statusBar().clearMessage()  # it names the throwaway folder
    shot(window, "project-window.png")


def live_console(window: ProjectWindow, shot: Shooter, out: Path) -> None:
    """The planned "round 2" session live on this laptop, its rating round open; the
    phones show round 1's results under each statement (round 1 is closed)."""
    from workshop_app.core.model import ActivityState, SessionState
    from workshop_app.services import live, sessions

    planned = next(
        s for s in sessions.list_sessions(window.project) if s.state is SessionState.PLANNED
    )
    window.select_session(planned.id)
    window.tabs.setCurrentWidget(window.panel)
    window.show_live()
    window.live_panel.choose_host("127.0.0.1")
    window.go_live("127.0.0.1")
    with_live_panel(window)
    rate = activity(window.project, planned.id, "rate")
    live.set_activity_state(window.project, rate.id, ActivityState.OPEN)
    settle()
    window._refresh_live()
    window.live_panel.agenda.setCurrentRow(rate.position)
    shot(window, "live-console.png")
    shot(window.live_dock, "live-panel.png")
    phone_shots(window.live_panel.url.text(), out)
    window.end_live()


def note_wall(window: ProjectWindow, shot: Shooter) -> None:
    """The children's workshop (approve first) live again, its last brainstorm open:
    notes from phones waiting, approved, corrected, hidden, flagged, a duplicate, and a
    paper note typed in."""
    from workshop_app.core.model import ActivityState, NoteStatus
    from workshop_app.services import groups, live, moderation, participation

    p = window.project
    sid = choose_session(window, "Children")
    window.go_live("127.0.0.1")
    brainstorm = activity(p, sid, "brainstorm", "What should grown-ups")
    live.set_activity_state(p, brainstorm.id, ActivityState.OPEN)
    children = next(g for g in groups.list_groups(p) if g.name.startswith("Children"))

    posted: dict[str, str] = {}  # what happens to it -> note id (the last one, for "wait")
    for i, (fate, text) in enumerate(PHONE_NOTES):
        phone = participation.join(p, sid, children.id).result()
        sent = participation.post_note(p, phone.id, brainstorm.id, text, f"screens-{i:04d}")
        posted[fate] = str(sent.result().body["note"]["id"])
    notes = {n.text: n.id for n in moderation.list_wall(p, brainstorm.id)}
    moderation.correct_text(p, posted["typo"], FIXED_TYPO)
    moderation.mark_duplicate(p, posted["duplicate"], notes[DUPLICATE_OF])
    moderation.set_status_many(p, [posted["typo"], posted["duplicate"]], NoteStatus.SHOWN)
    moderation.hide(p, posted["hide"])
    moderation.set_flag(p, posted["flag"], True, FOLLOW_UP)

    without_live_panel(window)
    window.tabs.setCurrentWidget(window.wall)
    settle()
    wall = window.wall
    # A paper note typed in as the facilitator would: group once, then the note, Enter.
    wall.capture_group.setCurrentIndex(wall.capture_group.findData(children.id))
    wall.capture_group.activated.emit(wall.capture_group.currentIndex())
    wall.capture_edit.setText(PAPER_NOTE)
    wall.capture()
    settle()
    wall.scroll_to_newest()
    wall.select_notes([posted["wait"]])
    wall.view.setFocus()
    shot(window, "note-wall.png")


def theme_board(window: ProjectWindow, shot: Shooter) -> None:
    """The same session's board mid-sort: one theme taken apart, so its notes and the new
    ones wait in the grey area; then the suggestions for them, as proposals."""
    from workshop_app.services import board

    p = window.project
    sid = window.live_session_id
    assert sid is not None
    taken_apart = next(t for t in board.board(p, sid).themes if t.name == TAKEN_APART)
    board.delete_theme(p, sid, taken_apart.id)

    window.tabs.setCurrentWidget(window.board)
    b = window.board
    settle(lambda: b.model_state in ("ready", "failed"))
    zoom_to_top_left(window, BOARD_ZOOM)
    shot(window, "theme-board.png")

    if b.model_state != "ready":
        raise SystemExit(f"theme suggestions did not load: {b.model_message}")
    b.suggest_themes()
    settle(lambda: bool(b.proposals) or not b.proposal_note.text().startswith("Looking"))
    zoom_to_top_left(window, PROPOSAL_ZOOM)
    shot(window, "theme-suggestions.png")
    b.close_proposals()
    window.end_live()


def zoom_to_top_left(window: ProjectWindow, zoom: float) -> None:
    """The board at this zoom, its top left corner (the notes not yet in a theme) in view."""
    settle()
    b = window.board
    view = b.view
    scale = view.transform().m11()
    view.scale(zoom / scale, zoom / scale)
    content = b.scene().itemsBoundingRect()
    viewport = view.viewport().size()
    margin = 24 / zoom
    view.centerOn(
        content.left() - margin + viewport.width() / zoom / 2,
        content.top() - margin + viewport.height() / zoom / 2,
    )


def chart_drawn(chart: ChartView) -> None:
    """Wait until the results chart has been drawn (on its worker) at the size it has."""

    def fits() -> bool:
        pixmap = chart.pixmap()
        if pixmap is None or pixmap.isNull():
            return False
        return pixmap.deviceIndependentSize().toSize() == chart.size()

    settle(fits)
    chart.wait()
    settle()


def votes_and_projector(window: ProjectWindow, shot: Shooter) -> None:
    """The joint workshop live: its first brainstorm on the projector; then its dot vote
    closed (results in the console only), and revealed on the projector."""
    from PySide6.QtWidgets import QSplitter

    from workshop_app.core.model import ActivityState
    from workshop_app.services import live

    p = window.project
    sid = choose_session(window, "Joint")
    window.go_live("127.0.0.1")
    live.show_activity(p, activity(p, sid, "brainstorm").id)
    settle()
    projector = window.show_projector()
    projector.resize(*PROJECTOR)
    shot(projector, "projector.png")

    vote = activity(p, sid, "vote")
    live.set_activity_state(p, vote.id, ActivityState.CLOSED)  # the demo had revealed it
    live.show_activity(p, vote.id)
    without_live_panel(window)
    window.tabs.setCurrentWidget(window.votes)
    votes = window.votes
    votes.by_group.setChecked(True)
    settle()
    # The table needs most of the width for a column per group (the facilitator would
    # drag the divider between the table and the chart the same way).
    split = votes.table.parentWidget()
    assert isinstance(split, QSplitter)
    split.setSizes([VOTES_TABLE, split.width() - VOTES_TABLE])
    chart_drawn(votes.chart)
    shot(window, "votes.png")

    live.set_activity_state(p, vote.id, ActivityState.REVEALED)
    settle()
    shot(projector, "projector-results.png")
    window.end_live()
    projector.close()


def standards_window(window: ProjectWindow, shot: Shooter) -> None:
    """Project → Standards…: a standard with measures and sources, on its Statement tab
    (the tab that reads best in a picture: the wording, its hint, rationale and level)."""
    standards = window.show_standards()
    standards.resize(*STANDARDS_WINDOW)
    chosen = next(s for s in standards.standards() if s.title == STANDARD_SHOWN)
    standards.select_standard(chosen.id)
    editor = standards.editor
    editor.tabs.setCurrentIndex(STATEMENT_TAB)
    shot(standards, "standards.png")
    standards.close()


def bring_in(window: ProjectWindow, shot: Shooter) -> None:
    """B on the joint workshop's board: the preparatory sessions' priorities, a column per
    stakeholder group, the top theme of each session ticked."""
    from workshop_app.services import carry, sessions
    from workshop_app.ui.board.carry_dialog import CarryDialog

    p = window.project
    sid = choose_session(window, "Joint")
    window.tabs.setCurrentWidget(window.board)
    pr = carry.priorities(p, sid)
    dialog = CarryDialog(pr, sessions.get_session(p, sid).title, window)
    firsts = {i.session.id: i.theme_id for i in reversed(pr.items) if i.rank == 1}
    dialog.check(list(firsts.values()))
    dialog.resize(*CARRY_DIALOG)
    dialog.show()
    shot(dialog, "bring-in.png")
    dialog.close()
    dialog.deleteLater()


def consensus(window: ProjectWindow, shot: Shooter) -> None:
    """Round 1 closed: each statement's ratings and verdict, overall, across groups and
    in each group (the window less tall: the table needs no more)."""
    from PySide6.QtWidgets import QSplitter

    p = window.project
    sid = choose_session(window, "Consensus round 1")
    window.resize(*CONSENSUS_WINDOW)
    window.tabs.setCurrentWidget(window.votes)
    votes = window.votes
    votes.chooser.setCurrentIndex(votes.chooser.findData(activity(p, sid, "rate").id))
    votes.by_group.setChecked(True)
    settle()
    split = votes.table.parentWidget()
    assert isinstance(split, QSplitter)
    split.setSizes([split.width(), 0])  # a rating round has no chart: the table has it all
    votes.table.resizeRowsToContents()
    window.statusBar().clearMessage()
    shot(window, "consensus.png")
    window.resize(*WINDOW)


def export_and_privacy(window: ProjectWindow, shot: Shooter, scratch: Path) -> None:
    """File → Export… for a session whose notes hold made-up personal details (typed in
    as paper notes), then the privacy review that opens before the export."""
    from workshop_app.core.redaction import Decision
    from workshop_app.services import groups, moderation
    from workshop_app.ui.export.export_dialog import FOLDER_KEY, ExportDialog
    from workshop_app.ui.export.privacy_review import PrivacyReviewDialog

    p = window.project
    sid = choose_session(window, "Parents and carers")
    brainstorm = activity(p, sid, "brainstorm", "What would help you")
    parents = next(g for g in groups.list_groups(p) if g.name.startswith("Parents"))
    for text in PERSONAL_NOTES:
        moderation.capture_paper_note(p, brainstorm.id, text, parents.id)
    settle()

    documents = scratch / "home" / "Documents"
    documents.mkdir(parents=True, exist_ok=True)
    window._settings.setValue(FOLDER_KEY, str(documents))
    dialog = ExportDialog(p, window.undoable, sid, window, settings=window._settings)
    # The folder as the facilitator sees it (this throwaway home is in /tmp).
    dialog.path.setText(dialog.path.text().replace(str(documents.parent), "~"))
    dialog.path.setCursorPosition(0)
    dialog.resize(EXPORT_DIALOG_WIDTH, dialog.height())
    dialog.show()
    shot(dialog, "export-dialog.png")

    review = PrivacyReviewDialog(p, window.undoable, sid, dialog, before_export=True)
    review.resize(*PRIVACY_DIALOG)
    review.show()
    settle()
    review.decide(Decision.REMOVE)  # the email address; the next detail takes its place
    shot(review, "privacy-review.png")
    review.close()
    dialog.close()


def phone_shots(url: str, out: Path) -> None:
    """The participant's view in Chromium with a phone's screen, if Chromium is installed."""
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        print("no /usr/bin/chromium: phone screenshots skipped", file=sys.stderr)
        return
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=args)
        phone = p.devices["Pixel 5"]
        for group, name in (
            ("Parents and carers", "phone-rate.png"),
            ("Children 8", "phone-smileys.png"),
        ):
            context = browser.new_context(**phone)
            page = context.new_page()
            page.goto(url)
            if group == "Parents and carers":
                page.screenshot(path=str(out / "phone-join.png"))
                print(out / "phone-join.png")
            page.get_by_label(group).check()
            page.get_by_role("button", name="Start").click()
            page.wait_for_selector("h1")
            page.screenshot(path=str(out / name))
            print(out / name)
            if group == "Parents and carers":
                round_two(page, out / "phone-round2.png")
            context.close()
        browser.close()


def round_two(page: Page, path: Path) -> None:
    """Round 2 on a phone: the statement reworded since round 1, from its title to round
    1's shares and what it said before (the rating buttons follow below)."""
    reworded = page.locator("fieldset.statement", has=page.locator("p.changed"))
    title = reworded.locator("legend")
    title.evaluate("e => window.scrollTo(0, e.getBoundingClientRect().top + scrollY - 12)")
    bottom = reworded.locator(".feedback").bounding_box()
    viewport = page.viewport_size
    assert bottom is not None and viewport is not None
    height = min(viewport["height"], bottom["y"] + bottom["height"] + 8)
    page.screenshot(
        path=str(path), clip={"x": 0, "y": 0, "width": viewport["width"], "height": height}
    )
    print(path)


if __name__ == "__main__":
    sys.exit(main())
