"""`workshop-app export --session ID --survey N [--you-said]`: the evaluation survey's Word
documents from the command line, with clear refusals."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The demo project and its youth evaluation session's id (the survey is activity 2)."""
    from workshop_app.services import sessions, survey
    from workshop_app.services.demo import write_demo
    from workshop_app.services.project import open_project

    path = tmp_path_factory.mktemp("export") / "demo.cground"
    write_demo(path)
    with open_project(path) as p:
        session = next(s for s in sessions.list_sessions(p) if survey.list_surveys(p, s.id))
    return path, session.id


def test_the_evaluation_report_as_word(run, demo, tmp_path: Path) -> None:
    path, sid = demo
    out = tmp_path / "evaluation.docx"
    code, stdout, stderr = run(
        "export", str(path), "--session", sid[:8], "--survey", "2", "--out", str(out)
    )
    assert code == 0, stderr
    assert stdout.strip() == f"Wrote the evaluation report of “Your say on the workshops” to {out}"
    heads = [
        p.text for p in docx.Document(str(out)).paragraphs if p.style.name.startswith("Heading")
    ]
    assert "Main findings" in heads


def test_you_said_we_did_as_word(run, demo, tmp_path: Path) -> None:
    path, sid = demo
    out = tmp_path / "you-said.docx"
    code, stdout, stderr = run(
        "export", str(path), "--session", sid, "--survey", "2", "--you-said", "--out", str(out)
    )
    assert code == 0, stderr
    assert "you said, we did" in stdout
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert text.startswith("You said, we did")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--survey", "1"], "Activity 1 (“Welcome back”) is not a survey."),
        (["--survey", "7"], "The session has 2 activities, not 7."),
        (["--survey", "2", "--format", "csv"], "a survey's documents are Word only"),
        (["--you-said"], "--you-said needs the survey: --session ID --survey N"),
    ],
)
def test_mistakes_are_refused_in_one_line(run, demo, tmp_path: Path, extra, message) -> None:
    path, sid = demo
    out = tmp_path / "x.docx"
    code, stdout, stderr = run("export", str(path), "--session", sid, *extra, "--out", str(out))
    assert code == 1 and stdout == ""
    assert message in stderr and stderr.count("\n") == 1
    assert not out.exists()


def test_a_survey_without_a_session_is_refused(run, demo, tmp_path: Path) -> None:
    path, _sid = demo
    code, _out, stderr = run(
        "export", str(path), "--survey", "2", "--out", str(tmp_path / "x.docx")
    )
    assert code == 1 and "add --session ID" in stderr
