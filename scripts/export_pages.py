"""Make the pictures of the Word exports in docs/: page 1 of a session summary and of the
standards framework, written from the demo project and rendered by LibreOffice.

    .venv/bin/python scripts/export_pages.py [--out docs/images] [--keep FOLDER]

Needs LibreOffice (`soffice`) and poppler (`pdftoppm`), as the tests do. Works in a
throwaway folder (the demo project, the documents, LibreOffice's profile); `--keep` copies
the .docx and .pdf files there as well, to look at every page.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUMMARY_SESSION = "Joint priorities workshop"  # every group, a vote by group
WRITTEN_ON = date(2027, 2, 1)  # a fixed date, so the pictures change only with the layout
RESOLUTION = 60  # dpi of the pictures: an A4 page of about 500 x 700 pixels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    parser.add_argument("--keep", type=Path, help="also copy the .docx and .pdf files here")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from workshop_app.services import reports, sessions
    from workshop_app.services.demo import write_demo
    from workshop_app.services.project import open_project

    soffice, pdftoppm = shutil.which("soffice"), shutil.which("pdftoppm")
    if not soffice or not pdftoppm:
        print("export_pages needs LibreOffice (soffice) and poppler (pdftoppm)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="cg-export-pages-") as tmp:
        work = Path(tmp)
        write_demo(work / "demo.cground")
        with open_project(work / "demo.cground") as p:
            session = next(s for s in sessions.list_sessions(p) if s.title == SUMMARY_SESSION)
            docs = {
                "summary": reports.write_session_summary(
                    p, session.id, work / "export-summary.docx", today=WRITTEN_ON
                ),
                "framework": reports.write_framework(
                    p, work / "export-framework.docx", today=WRITTEN_ON
                ),
            }
        profile = work / "lo-profile"
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(work),
                *map(str, docs.values()),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        args.out.mkdir(parents=True, exist_ok=True)
        for name, docx in docs.items():
            pdf = docx.with_suffix(".pdf")
            stem = work / f"export-{name}-page1"
            page_one = ["-f", "1", "-l", "1", "-singlefile"]
            subprocess.run(
                [pdftoppm, "-r", str(RESOLUTION), "-png", *page_one, str(pdf), str(stem)],
                check=True,
            )
            target = args.out / f"export-{name}-page1.png"
            shutil.copyfile(stem.with_suffix(".png"), target)
            print(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(docx, args.keep / docx.name)
                shutil.copyfile(pdf, args.keep / pdf.name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
