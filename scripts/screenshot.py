"""Make the screenshots in README.md and docs/ from the real app on the demo project.

    .venv/bin/python scripts/screenshot.py [--out docs/images]

Runs offscreen (no display needed), in a throwaway data and settings folder, so it never
touches your own projects or recent-files list.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


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

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QWidget

    from workshop_app.app import make_application
    from workshop_app.services import groups, plans
    from workshop_app.services.demo import write_demo
    from workshop_app.services.paths import demo_project_path, shipped_plans_dir
    from workshop_app.ui.dialogs import NewSessionDialog
    from workshop_app.ui.shell import Shell

    app = make_application()
    app.setStyle("Fusion")
    shell = Shell(QSettings())

    def shoot(widget: QWidget, name: str) -> None:
        for _ in range(5):
            app.processEvents()
        path = out / name
        if not widget.grab().save(str(path)):
            raise SystemExit(f"could not write {path}")
        print(path)

    demo = demo_project_path()
    write_demo(demo)
    other = scratch / "Northfield pilot.cground"
    write_demo(other, seed=7)
    shell.recent.add(other)
    shell.recent.add(demo)

    start = shell.show_start()
    start.resize(900, 540)
    shoot(start, "start-screen.png")

    window = shell.open_path(demo)
    assert window is not None
    window.resize(1360, 860)
    sessions = window.sessions_list
    for row in range(sessions.count()):
        if sessions.item(row).text().startswith("Children"):
            sessions.setCurrentRow(row)
    window.panel.select_activity(window.panel._activities[1].id)  # the first brainstorm
    shoot(window, "project-window.png")

    # The live panel: the planned "round 2" session live on this laptop, its first activity open.
    from workshop_app.app import participant_server
    from workshop_app.core.model import ActivityState, SessionState
    from workshop_app.services import live, sessions

    shell.server_factory = participant_server
    window._server_factory = participant_server
    shell.settings.setValue("live/port", 0)
    planned = next(
        s for s in sessions.list_sessions(window.project) if s.state is SessionState.PLANNED
    )
    window.select_session(planned.id)
    window.show_live()
    window.live_panel.choose_host("127.0.0.1")
    window.go_live("127.0.0.1")
    rate = next(
        a for a in sessions.list_activities(window.project, planned.id) if a.kind.value == "rate"
    )
    live.set_activity_state(window.project, rate.id, ActivityState.OPEN)
    for _ in range(5):
        app.processEvents()
    window._refresh_live()
    shoot(window, "live-console.png")
    shoot(window.live_dock, "live-panel.png")
    phone_shots(window.live_panel.url.text(), out)
    window.end_live()

    # The projector during the joint workshop's first brainstorm (approved notes only).
    joint = next(s for s in sessions.list_sessions(window.project) if s.title.startswith("Joint"))
    window.select_session(joint.id)
    window.go_live("127.0.0.1")
    first = next(
        a
        for a in sessions.list_activities(window.project, joint.id)
        if a.kind.value == "brainstorm"
    )
    live.show_activity(window.project, first.id)
    for _ in range(5):
        app.processEvents()
    projector = window.show_projector()
    projector.resize(1280, 720)
    window._refresh_projector()
    shoot(projector, "projector.png")
    window.end_live()
    projector.close()

    report = plans.list_plans([shipped_plans_dir()])
    dialog = NewSessionDialog(list(report.plans), [], groups.list_groups(window.project), window)
    dialog.select_plan("prep-parents-carers")
    dialog.show()
    shoot(dialog, "new-session.png")
    dialog.close()

    shell.quit()
    QApplication.processEvents()
    return 0


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
            context.close()
        browser.close()


if __name__ == "__main__":
    sys.exit(main())
