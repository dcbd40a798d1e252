"""`workshop-app export`: Word, CSV and JSON from the command line, with clear refusals."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import docx
import pytest

from tests.cli.conftest import run_process


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """The demo project, its first session's id and title."""
    from workshop_app.services import sessions
    from workshop_app.services.demo import write_demo
    from workshop_app.services.project import open_project

    path = tmp_path_factory.mktemp("export") / "demo.cground"
    write_demo(path)
    with open_project(path) as p:
        first = sessions.list_sessions(p)[0]
    return path, first.id, first.title


def test_a_session_summary_as_word(run, demo, tmp_path: Path) -> None:
    path, sid, title = demo
    out = tmp_path / "summary.docx"
    code, stdout, stderr = run("export", str(path), "--session", sid[:8], "--out", str(out))
    assert code == 0, stderr
    assert str(out) in stdout and title in stdout
    document = docx.Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings, "real Word headings"
    assert any(title in p.text for p in document.paragraphs)
    assert document.tables, "vote results and counts as tables"


def test_the_standards_framework_as_word(run, demo, tmp_path: Path) -> None:
    path, _sid, _title = demo
    out = tmp_path / "framework.docx"
    code, _out, stderr = run("export", str(path), "--standards", "--out", str(out))
    assert code == 0, stderr
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    from workshop_app.services import standards
    from workshop_app.services.project import open_project

    with open_project(path) as p:
        titles = [s.title for s in standards.list_standards(p)]
    assert titles and all(t in text for t in titles), "every standard is in the framework"


def test_the_agreed_framework_sets_out_only_agreed_statements(run, demo, tmp_path: Path) -> None:
    path, _sid, _title = demo
    out = tmp_path / "agreed.docx"
    code, stdout, stderr = run("export", str(path), "--standards", "--agreed", "--out", str(out))
    assert code == 0, stderr
    assert "Wrote the agreed standards framework" in stdout
    document = docx.Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    statements = [h for h in headings if h.startswith("Quality statement ")]
    assert statements and all(h.endswith("(Agreed)") for h in statements)
    assert "Annex: statements not agreed" in headings
    assert document.paragraphs[1].text == "Agreed quality standards framework"
    header = document.sections[0].header
    assert "DRAFT" not in "".join(p.text for p in header.paragraphs), "no draft mark"


def test_session_data_as_csv_zip_and_json(run, demo, tmp_path: Path) -> None:
    path, sid, _title = demo
    zipped = tmp_path / "data.zip"
    code, _out, stderr = run(
        "export", str(path), "--session", sid, "--format", "csv", "--out", str(zipped)
    )
    assert code == 0, stderr
    with zipfile.ZipFile(zipped) as z:
        names = z.namelist()
        assert any(n.endswith("notes.csv") for n in names)
        assert any("codebook" in n for n in names)
        notes_name = next(n for n in names if n.endswith("notes.csv"))
        rows = list(csv.DictReader(io.StringIO(z.read(notes_name).decode("utf-8-sig"))))
    assert rows, "the session's notes"
    out = tmp_path / "data.json"
    code, _out, stderr = run(
        "export", str(path), "--session", sid, "--format", "json", "--out", str(out)
    )
    assert code == 0, stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["notes"] and "codebook" in data


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--standards", "--format", "csv", "--out", "x.csv"], "Word only"),
        (["--session", "nope", "--out", "s.docx"], "nope"),
        (["--session", "SID", "--out", "summary.txt"], ".docx"),
        (["--session", "SID", "--format", "json", "--out", "data.csv"], ".json"),
        (["--session", "SID", "--out", "no/such/folder/s.docx"], "does not exist"),
        (["--session", "SID", "--agreed", "--out", "s.docx"], "--agreed applies"),
    ],
)
def test_refusals_are_one_clear_line(
    run, demo, tmp_path: Path, extra: list[str], message: str
) -> None:
    path, sid, _title = demo
    args = [a.replace("SID", sid) for a in extra]
    args = [str(tmp_path / a) if a.endswith((".csv", ".docx", ".txt")) else a for a in args]
    code, _out, stderr = run("export", str(path), *args)
    assert code == 1
    assert message in stderr and len(stderr.strip().splitlines()) == 1


def test_an_existing_file_is_kept_unless_forced(run, demo, tmp_path: Path) -> None:
    path, sid, _title = demo
    out = tmp_path / "summary.docx"
    out.write_text("the researcher's own file")
    code, _out, stderr = run("export", str(path), "--session", sid, "--out", str(out))
    assert code == 1 and "exists" in stderr
    assert out.read_text() == "the researcher's own file"
    code, _out, _err = run("export", str(path), "--session", sid, "--out", str(out), "--force")
    assert code == 0 and zipfile.is_zipfile(out)


def test_export_runs_as_a_real_process(demo, tmp_path: Path) -> None:
    path, _sid, _title = demo
    out = tmp_path / "framework.docx"
    done = run_process("export", str(path), "--standards", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and out.stat().st_size > 10_000


def test_project_data_without_a_session_and_without_hidden_notes(run, demo, tmp_path: Path):
    path, _sid, _title = demo
    out = tmp_path / "project.json"
    code, stdout, stderr = run("export", str(path), "--format", "json", "--out", str(out))
    assert code == 0, stderr
    assert "the whole project" in stdout
    everything = json.loads(out.read_text(encoding="utf-8"))
    assert len({n["session_id"] for n in everything["notes"]}) > 1, "notes of every session"
    lean = tmp_path / "lean.json"
    code, _out, stderr = run(
        "export", str(path), "--format", "json", "--no-hidden", "--out", str(lean)
    )
    assert code == 0, stderr
    kept = json.loads(lean.read_text(encoding="utf-8"))["notes"]
    assert all(n["status"] != "hidden" for n in kept)


def _with_an_email(demo, tmp_path: Path) -> tuple[Path, str]:
    """A copy of the demo with one unreviewed email address in its first session's notes."""
    import shutil

    from workshop_app.core.model import ActivityKind
    from workshop_app.services import moderation, sessions
    from workshop_app.services.project import open_project

    path, sid, _title = demo
    copy = tmp_path / "copy.cground"
    shutil.copy(path, copy)
    with open_project(copy) as p:
        brainstorm = next(
            a for a in sessions.list_activities(p, sid) if a.kind is ActivityKind.BRAINSTORM
        )
        note = moderation.capture_paper_note(p, brainstorm.id, "email me at sam@example.com", None)
        moderation.approve(p, note.id)
    return copy, sid


@pytest.mark.parametrize(
    ("what", "out"),
    [
        (["--session", "SID"], "summary.docx"),
        (["--session", "SID", "--format", "json"], "data.json"),
        (["--format", "csv"], "data.zip"),
        (["--standards"], "framework.docx"),
        (["--standards", "--agreed"], "agreed.docx"),
    ],
)
def test_an_export_with_unreviewed_personal_details_is_refused_in_one_line(
    run, demo, tmp_path: Path, what: list[str], out: str
) -> None:
    copy, sid = _with_an_email(demo, tmp_path)
    target = tmp_path / out
    args = [a.replace("SID", sid) for a in what]
    code, stdout, stderr = run("export", str(copy), *args, "--out", str(target))
    assert code == 1 and not stdout
    assert stderr.strip().splitlines() == [
        "workshop-app: error: 1 suspected personal detail not reviewed yet; review them in the "
        "app (File → Export…) or add --allow-unreviewed to export them as written"
    ]
    assert not target.exists(), "nothing is written"


def test_allow_unreviewed_exports_and_the_first_page_says_so(run, demo, tmp_path: Path) -> None:
    copy, sid = _with_an_email(demo, tmp_path)
    out = tmp_path / "summary.docx"
    code, _out, stderr = run(
        "export", str(copy), "--session", sid, "--allow-unreviewed", "--out", str(out)
    )
    assert code == 0
    assert "1 suspected personal detail not reviewed yet was exported as written" in stderr
    document = docx.Document(str(out))
    first = [p.text for p in document.paragraphs[:4]]
    assert (
        "Privacy review not finished: 1 suspected personal detail in the notes of this session "
        "(1 email address) was not reviewed before this export and may be quoted as written. "
        "Check this document before sharing it."
    ) in first
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Before this export the facilitator reviewed" not in text
    assert "No privacy review was done before this export of the notes of this session." in text


def test_nothing_to_export_is_a_clear_refusal(run, demo, tmp_path: Path) -> None:
    path, _sid, _title = demo
    code, _out, stderr = run("export", str(path), "--out", str(tmp_path / "x.docx"))
    assert code == 1 and "--session ID, --standards, or --format csv|json" in stderr
