"""End-to-end fixtures: the real participant server on 127.0.0.1, Debian's Chromium driven by
Playwright (sync API) with a phone profile, and a real project file on disk.

Nothing is mocked. The facilitator's side is the test code calling the same services the
desktop app calls; what a phone stored is read back from the project file.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright

# The desktop console's fixtures, for sessions run from the real window.
from tests.ui.conftest import project_path, settings, shell, window  # noqa: F401
from workshop_app.core.ids import new_id, utc_now
from workshop_app.core.model import (
    Activity,
    ActivityKind,
    ActivityState,
    HelpRequest,
    Note,
    Rating,
    Session,
    StakeholderGroup,
    Theme,
    Vote,
)
from workshop_app.infra.paths import shipped_plans_dir
from workshop_app.services import live as live_service
from workshop_app.services import sessions as session_service
from workshop_app.services.arrival import SecondLook
from workshop_app.services.demo import write_demo
from workshop_app.services.groups import list_groups
from workshop_app.services.plans import load_plan
from workshop_app.services.project import OpenProject, open_project
from workshop_app.storage import contributions
from workshop_app.storage.writer import Tx
from workshop_app.web.server import ParticipantServer

REPO = Path(__file__).resolve().parents[2]
AXE_JS = REPO / ".cache" / "node" / "node_modules" / "axe-core" / "axe.min.js"
AXE_INSTALL = "npm install --prefix .cache/node --no-audit --no-fund axe-core@4"
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
# No internet here: without the background-networking flags Chromium keeps trying (and
# failing) to reach Google's services, which floods the log and slows every start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = "Pixel 5"
TIMEOUT_MS = 10_000
PLAN = "prep-parents-carers"
PARENTS = "Parents and carers"
CHILDREN = "Children 8–12"
THEMES = (
    "Talking openly at home",
    "Knowing which apps are safe",
    "Schools and parents working together",
    "Help that doesn't judge",
    "Reporting that works",
    "Information in plain language",
    "Time for families",
)

expect.set_options(timeout=TIMEOUT_MS)

T = TypeVar("T")


def axe_script() -> Path:
    """The axe-core bundle. Missing means a broken setup, never a reason to skip."""
    if not AXE_JS.is_file():
        pytest.fail(
            f"axe-core is not installed ({AXE_JS} is missing). Install it with "
            f"`bash scripts/dev.sh setup`, or by hand from the repository root: {AXE_INSTALL}",
            pytrace=False,
        )
    return AXE_JS


def eventually(read: Callable[[], T], ok: Callable[[T], bool], timeout: float = 10.0) -> T:
    """Poll the project file until `ok(read())`, or fail with the last value at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = read()
        if ok(value):
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"still not as expected after {timeout} s: {value!r}")
        time.sleep(0.05)


# ---------------------------------------------------------------- the facilitator's side


@dataclass
class Live:
    """A project with a live session and the participant server, driven like the desktop
    app drives them (through the services)."""

    project: OpenProject
    server: ParticipantServer
    groups: dict[str, StakeholderGroup]
    session: Session = field(init=False)
    themes: list[Theme] = field(default_factory=list)
    look: SecondLook | None = None  # the arrival check's second look, when one runs

    # facilitator actions

    def add_session(self, plan_id: str, group_names: list[str], *, go_live: bool = True) -> Session:
        plan = load_plan(shipped_plans_dir() / f"{plan_id}.toml")
        details = session_service.SessionDetails(
            title=f"{plan.title} (test)",
            group_ids=tuple(self.groups[name].id for name in group_names),
        )
        session = session_service.create_session(self.project, details, plan)
        if go_live:
            session = live_service.go_live(self.project, session.id)
        return session

    def activity(self, kind: ActivityKind, session_id: str | None = None) -> Activity:
        """The session's first activity of this kind."""
        sid = session_id or self.session.id
        return next(a for a in session_service.list_activities(self.project, sid) if a.kind is kind)

    def set_state(
        self, kind: ActivityKind, state: ActivityState, session_id: str | None = None
    ) -> Activity:
        return live_service.set_activity_state(
            self.project, self.activity(kind, session_id).id, state
        )

    def add_themes(self, names: tuple[str, ...], session_id: str | None = None) -> list[Theme]:
        cluster = self.activity(ActivityKind.CLUSTER, session_id)
        themes = [
            Theme(new_id(), cluster.id, name, "#8ECAE6", i, (), utc_now())
            for i, name in enumerate(names)
        ]

        def job(tx: Tx) -> None:
            for t in themes:
                contributions.insert_theme(tx.db, t)

        self.project.store.write_now(job)
        return themes

    def join_url(self, session_id: str | None = None) -> str:
        return self.server.join_url(session_id or self.session.id)

    @property
    def base_url(self) -> str:
        assert self.server.address is not None
        return self.server.address.base_url()

    # what was stored, read back from the project file

    def notes(self, *, include_withdrawn: bool = True, session_id: str | None = None) -> list[Note]:
        sid = session_id or self.session.id
        db = self.project.store.reader()
        out: list[Note] = []
        for a in session_service.list_activities(self.project, sid):
            out += contributions.list_notes(db, a.id, include_withdrawn=include_withdrawn)
        return out

    def votes(self, session_id: str | None = None) -> list[Vote]:
        vote = self.activity(ActivityKind.VOTE, session_id)
        return contributions.list_votes(self.project.store.reader(), vote.id)

    def ratings(self, session_id: str) -> list[Rating]:
        rate = self.activity(ActivityKind.RATE, session_id)
        return contributions.list_ratings(self.project.store.reader(), rate.id)

    def help_requests(self) -> list[HelpRequest]:
        return contributions.list_help_requests(self.project.store.reader(), self.session.id)

    def participants(self, session_id: str | None = None) -> int:
        return session_service.session_counts(
            self.project, session_id or self.session.id
        ).participants


@contextmanager
def live_room(
    tmp_path: Path, look: Callable[[OpenProject], SecondLook] | None = None
) -> Iterator[Live]:
    """The demo project, a new live parents' session (from the shipped plan) with themes to
    vote on and its first brainstorm open, and the participant server on a free port (with
    the arrival check's second look when `look` makes one, as the desktop app runs it)."""
    path = tmp_path / "demo.cground"
    write_demo(path)
    project = open_project(path)
    second = look(project) if look is not None else None
    if second is not None:
        second.start()
    server = ParticipantServer(project, look=second)
    try:
        server.start("127.0.0.1", 0)
        lv = Live(project, server, {g.name: g for g in list_groups(project)}, look=second)
        lv.session = lv.add_session(PLAN, [PARENTS])
        lv.themes = lv.add_themes(THEMES)
        lv.set_state(ActivityKind.BRAINSTORM, ActivityState.OPEN)
        yield lv
    finally:
        server.stop()
        if second is not None:
            second.stop()
        project.close()


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    """A live room without the second look (see `live_room`)."""
    with live_room(tmp_path) as lv:
        yield lv


# ---------------------------------------------------------------- the phones


@pytest.fixture(scope="module")
def playwright_driver() -> Iterator[Playwright]:
    """Per module, like the browser: nothing of Playwright's outlives the e2e tests."""
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"Chromium is not at {CHROMIUM}: install Debian's `chromium` package "
            "(bash scripts/dev.sh setup does).",
            pytrace=False,
        )
    b = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield b
    b.close()


@dataclass
class Phones:
    """Opens browser contexts with a phone's profile; records what no page should do."""

    playwright: Playwright
    browser: Browser
    contexts: list[BrowserContext] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)

    def context(self, **options: Any) -> BrowserContext:
        profile = dict(self.playwright.devices[PHONE])
        profile.pop("default_browser_type", None)
        profile["viewport"] = {"width": 393, "height": 851}
        ctx = self.browser.new_context(**{**profile, "locale": "en-GB", **options})
        ctx.set_default_timeout(TIMEOUT_MS)
        ctx.on("page", self._watch)
        self.contexts.append(ctx)
        return ctx

    def page(self, **options: Any) -> Page:
        return self.context(**options).new_page()

    def _watch(self, page: Page) -> None:
        def on_dialog(dialog: Any) -> None:
            self.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        def on_console(msg: Any) -> None:
            if msg.type == "error" and "Content Security Policy" in msg.text:
                self.csp_violations.append(msg.text)

        page.on("dialog", on_dialog)
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        page.on("console", on_console)

    def close(self) -> None:
        for ctx in self.contexts:
            ctx.close()


@pytest.fixture
def phones(playwright_driver: Playwright, browser: Browser, live: Live) -> Iterator[Phones]:
    """Phone contexts; closed before the server stops (this fixture depends on `live`)."""
    ph = Phones(playwright_driver, browser)
    yield ph
    ph.close()
    problems = ph.page_errors + ph.csp_violations + ph.dialogs
    if problems:
        pytest.fail(f"the pages misbehaved: {problems}", pytrace=False)


@pytest.fixture
def page(phones: Phones) -> Page:
    return phones.page()


# ---------------------------------------------------------------- what a participant does


def join(page: Page, url: str, group: str = PARENTS) -> None:
    """Open the join link, choose a group, press Start."""
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.get_by_label(group, exact=True).check()
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("group", name="Which group are you in?")).to_have_count(0)


def note_box(page: Page) -> Any:
    return page.locator("form.note-form textarea")


def send_note(page: Page, text: str) -> None:
    note_box(page).fill(text)
    page.locator("form.note-form").get_by_role("button").click()


def my_notes(page: Page) -> Any:
    return page.locator("section.mine li.note")
