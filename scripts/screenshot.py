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

    report = plans.list_plans([shipped_plans_dir()])
    dialog = NewSessionDialog(list(report.plans), [], groups.list_groups(window.project), window)
    dialog.select_plan("prep-parents-carers")
    dialog.show()
    shoot(dialog, "new-session.png")
    dialog.close()

    shell.quit()
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
