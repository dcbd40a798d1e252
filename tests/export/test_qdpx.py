"""The REFI-QDA project export (.qdpx): validated against the standard's XML schema
(tests/export/refi_qda/Project.xsd) and read back by a reader written here, from the
standard, that shares no code with our writer: zipfile for the archive, lxml for the XML,
each selection's text cut from its source file by its character positions."""

from __future__ import annotations

import shutil
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from workshop_app.core.model import ActivityKind, NoteStatus
from workshop_app.core.redaction import REMOVED, Decision, DetailKind
from workshop_app.export import qdpx
from workshop_app.export.qdpx import (
    QdaActivity,
    QdaGroup,
    QdaNote,
    QdaProject,
    QdaSession,
    QdaTheme,
)
from workshop_app.services import moderation, privacy, qda, sessions
from workshop_app.services.demo import write_demo
from workshop_app.services.project import open_project

SCHEMA = Path(__file__).parent / "refi_qda" / "Project.xsd"
NS = {"q": "urn:QDA-XML:project:1.0"}
WHEN = datetime(2026, 5, 12, 10, 30, tzinfo=UTC)
IDS = [f"{i:032x}" for i in range(1, 40)]


# ---------------------------------------------------------------- an independent reader


@dataclass
class ReadSelection:
    guid: str
    text: str
    codes: list[str]  # code names
    description: str


@dataclass
class ReadProject:
    name: str
    description: str
    sources: dict[str, str] = field(default_factory=dict)  # source name -> its text
    selections: dict[str, list[ReadSelection]] = field(default_factory=dict)  # by source name
    code_paths: dict[str, str] = field(default_factory=dict)  # guid -> "Category/Code"
    cases: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # name -> kind, guids
    files: dict[str, bytes] = field(default_factory=dict)


_SCHEMAS: list[etree.XMLSchema] = []


def validate(xml: bytes) -> None:
    if not _SCHEMAS:
        _SCHEMAS.append(etree.XMLSchema(etree.parse(str(SCHEMA))))
    schema = _SCHEMAS[0]
    doc = etree.fromstring(xml)
    assert schema.validate(doc), str(schema.error_log)


def read_qdpx(path: Path) -> ReadProject:
    with zipfile.ZipFile(path) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    xml = files["project.qde"]
    validate(xml)
    root = etree.fromstring(xml)
    out = ReadProject(
        root.get("name"), root.findtext("q:Description", default="", namespaces=NS), files=files
    )

    def walk(code, prefix: str) -> None:
        path = f"{prefix}/{code.get('name')}" if prefix else code.get("name")
        out.code_paths[code.get("guid")] = path
        for child in code.findall("q:Code", NS):
            walk(child, path)

    for code in root.findall("q:CodeBook/q:Codes/q:Code", NS):
        walk(code, "")
    for source in root.findall("q:Sources/q:TextSource", NS):
        internal = source.get("plainTextPath")
        assert internal.startswith("internal://")
        text = files["sources/" + internal.removeprefix("internal://")].decode("utf-8")
        name = source.get("name")
        out.sources[name] = text
        out.selections[name] = [
            ReadSelection(
                s.get("guid"),
                text[int(s.get("startPosition")) : int(s.get("endPosition"))],
                [out.code_paths[c.get("targetGUID")] for c in s.findall("q:Coding/q:CodeRef", NS)],
                s.findtext("q:Description", default="", namespaces=NS),
            )
            for s in source.findall("q:PlainTextSelection", NS)
        ]
    variables = {v.get("guid"): v.get("name") for v in root.findall("q:Variables/q:Variable", NS)}
    for case in root.findall("q:Cases/q:Case", NS):
        [value] = case.findall("q:VariableValue", NS)
        assert variables[value.find("q:VariableRef", NS).get("targetGUID")] == "Group kind"
        out.cases[case.get("name")] = (
            value.findtext("q:TextValue", default="", namespaces=NS),
            [r.get("targetGUID") for r in case.findall("q:SelectionRef", NS)],
        )
    return out


# ---------------------------------------------------------------- the writer, on its own


def _note(i: int, text: str, group: str | None, *themes: str) -> QdaNote:
    return QdaNote(IDS[i], text, group, tuple(themes), WHEN, f"Brainstorm · group {group}")


def _one(session_id: str, title: str, i: int, theme: str) -> QdaSession:
    """A session with one brainstorm holding one note, in one theme."""
    notes = (_note(i, f"note {i}", None, theme),)
    return QdaSession(session_id, title, None, "", (QdaActivity("I", "", notes),), WHEN)


def _project(*sessions_: QdaSession, themes=(), groups=()) -> QdaProject:
    return QdaProject("A project", WHEN, "Common Ground test", sessions_, themes, groups, "About")


def test_every_selection_is_the_notes_own_words_even_with_emoji_and_line_breaks(tmp_path):
    hard = [
        "Plain words",
        "Emoji 😀👍🏽 and a flag 🇬🇧 count as the characters they are",
        "Two lines\r\nwritten on a phone\rand an old Mac",
        "<b>tags</b> & ampersands \"quoted\" 'too'",
        "Ünïcödé — dashes – and “curly” quotes, 8–12",
        "   spaces around   ",
        "=1+1 stays as written",
    ]
    notes = tuple(_note(i, t, IDS[30], IDS[20]) for i, t in enumerate(hard))
    session = QdaSession(
        IDS[10], "Evening", date(2026, 5, 12), "Hall", (QdaActivity("Ideas", "What?", notes),), WHEN
    )
    themes = (QdaTheme(IDS[20], IDS[10], "Everything", "#F28482", "All of it"),)
    groups = (QdaGroup(IDS[30], "Parents and carers", "parent"),)
    path = qdpx.write_qdpx(_project(session, themes=themes, groups=groups), tmp_path / "a.qdpx")

    read = read_qdpx(path)

    got = [s.text for s in read.selections["Evening"]]
    assert got == [t.replace("\r\n", "\n").replace("\r", "\n") for t in hard]
    assert all(s.codes == ["Evening/Everything"] for s in read.selections["Evening"])
    assert read.cases == {
        "Parents and carers": ("parent", [s.guid for s in read.selections["Evening"]])
    }
    assert read.sources["Evening"].startswith("Evening\n2026-05-12, Hall\n\nIdeas\nWhat?\n")


_ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


@settings(max_examples=60, deadline=None)
@given(
    texts=st.lists(_ANY_TEXT, max_size=6),
    title=_ANY_TEXT,
    theme=_ANY_TEXT,
)
def test_any_words_come_back_exactly_from_a_valid_project(tmp_path_factory, texts, title, theme):
    """Whatever was typed (emoji, control characters, line ends, XML's own < & "), the file
    is valid and each selection is the note's words (line ends as \\n)."""
    notes = tuple(_note(i, t, None, IDS[20]) for i, t in enumerate(texts))
    session = QdaSession(IDS[10], title, None, "", (QdaActivity(theme, title, notes),), WHEN)
    themes = (QdaTheme(IDS[20], IDS[10], theme, "#F28482", theme),)
    groups = (QdaGroup(None, "No group chosen", ""),)
    path = tmp_path_factory.mktemp("any") / "any.qdpx"
    read = read_qdpx(qdpx.write_qdpx(_project(session, themes=themes, groups=groups), path))
    [selections] = read.selections.values()
    assert [x.text for x in selections] == [
        t.replace("\r\n", "\n").replace("\r", "\n") for t in texts
    ]
    assert all(len(x.codes) == 1 for x in selections)


def test_themes_of_different_sessions_with_one_name_stay_apart(tmp_path):
    a = QdaSession(
        IDS[10], "Day", None, "", (QdaActivity("I", "", (_note(0, "x", None, IDS[20]),)),), WHEN
    )
    b = QdaSession(
        IDS[11], "Day", None, "", (QdaActivity("I", "", (_note(1, "y", None, IDS[21]),)),), WHEN
    )
    themes = (
        QdaTheme(IDS[20], IDS[10], "Safety", "#F28482"),
        QdaTheme(IDS[21], IDS[11], "Safety", "not a colour"),
        QdaTheme(IDS[22], IDS[11], "safety", "#8ECAE6"),
    )
    read = read_qdpx(
        qdpx.write_qdpx(
            _project(a, b, themes=themes, groups=(QdaGroup(None, "No group chosen", ""),)),
            tmp_path / "b.qdpx",
        )
    )
    # unique across the codebook: QualCoder merges codes of one name wherever they are
    assert sorted(read.code_paths.values()) == [
        "Day",
        "Day (2)",
        "Day (2)/Safety (Day (2))",
        "Day (2)/safety (Day (2)) (2)",
        "Day/Safety",
    ]
    assert read.cases["No group chosen"][0] == ""


def test_text_xml_cannot_hold_is_left_out_of_names_and_descriptions(tmp_path):
    session = QdaSession(IDS[10], "Bell\x07 session", None, "", (), WHEN)
    themes = (QdaTheme(IDS[20], IDS[10], "Odd\x0b name", "#F28482", "tab\tand\x00nul"),)
    read = read_qdpx(qdpx.write_qdpx(_project(session, themes=themes), tmp_path / "c.qdpx"))
    assert "Bell session" in read.sources
    assert "Bell session/Odd name" in read.code_paths.values()


def test_a_session_without_notes_is_still_a_valid_project_with_its_source(tmp_path):
    session = QdaSession(IDS[10], "Quiet night", None, "", (QdaActivity("Ideas", "", ()),), WHEN)
    read = read_qdpx(qdpx.write_qdpx(_project(session), tmp_path / "d.qdpx"))
    assert read.sources == {"Quiet night": "Quiet night\n\nIdeas\n"}
    assert read.selections == {"Quiet night": []}
    assert read.code_paths == {} and read.cases == {}


def test_two_exports_of_the_same_data_use_the_same_guids():
    session = QdaSession(
        IDS[10], "S", None, "", (QdaActivity("I", "", (_note(0, "x", None, IDS[20]),)),), WHEN
    )
    themes = (QdaTheme(IDS[20], IDS[10], "T", "#F28482"),)
    first, _ = qdpx.project_xml(_project(session, themes=themes))
    second, _ = qdpx.project_xml(_project(session, themes=themes))
    assert first == second
    assert qdpx.guid(IDS[0]) == "00000000-0000-0000-0000-000000000001"
    assert qdpx.guid("n1") == qdpx.guid("n1") != qdpx.guid("n2")


# ---------------------------------------------------------------- a real project


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.cground"
    write_demo(path)
    return path


@pytest.fixture
def demo(demo_file, tmp_path):
    path = tmp_path / "demo.cground"
    shutil.copy(demo_file, path)
    with open_project(path) as p:
        yield p


def _brainstorm_notes(p, s):
    return [
        n
        for a in sessions.list_activities(p, s.id)
        if a.kind is ActivityKind.BRAINSTORM
        for n in moderation.list_wall(p, a.id)
    ]


def test_the_demo_project_opens_with_every_shown_note_coded_with_its_theme(demo, tmp_path):
    written = qda.write_qdpx(demo, None, tmp_path / "demo.qdpx")
    read = read_qdpx(written.path)

    all_sessions = sessions.list_sessions(demo)
    assert written.sources == len(read.sources) == len(all_sessions)
    texts = privacy.export_texts(demo)
    for s in all_sessions:
        shown = [n for n in _brainstorm_notes(demo, s) if n.status is NoteStatus.SHOWN]
        got = read.selections[s.title]
        assert [x.text for x in got] == [texts.get(n.id, n.text) for n in shown]
        assert len({x.guid for x in got}) == len(got)
    assert written.selections == sum(len(v) for v in read.selections.values()) > 100
    coded = [x for v in read.selections.values() for x in v if x.codes]
    assert len(coded) > 50 and written.codes > 10
    # every selection belongs to exactly one stakeholder group's case
    in_cases = [g for _kind, guids in read.cases.values() for g in guids]
    assert sorted(in_cases) == sorted(x.guid for v in read.selections.values() for x in v)
    assert {kind for kind, _ in read.cases.values()} >= {"child", "parent", "practitioner"}


def test_hidden_waiting_and_taken_back_notes_are_counted_never_written(demo, tmp_path):
    s = sessions.list_sessions(demo)[0]
    notes = _brainstorm_notes(demo, s)
    hidden, waiting, kept = notes[0], notes[1], notes[2]
    moderation.set_status(demo, hidden.id, NoteStatus.HIDDEN)
    moderation.set_status(demo, waiting.id, NoteStatus.PENDING)
    privacy.decide(demo, kept.id, kept.text.split()[0], DetailKind.NAME, Decision.REMOVE)

    written = qda.write_qdpx(demo, s.id, tmp_path / "one.qdpx")
    read = read_qdpx(written.path)

    assert list(read.sources) == [s.title]
    everything = b"\n".join(read.files.values()).decode("utf-8")
    for gone in (hidden, waiting):
        assert gone.text not in everything
        assert qdpx.guid(gone.id) not in everything
    texts = [x.text for x in read.selections[s.title]]
    assert texts[0].startswith(REMOVED)
    assert written.left_out.hidden == 1 and written.left_out.waiting == 1
    assert "1 hidden by the facilitator, 1 never approved" in read.description


def test_no_participant_id_or_idempotency_key_is_in_the_file(demo, tmp_path):
    conn = demo.store.reader().conn
    secrets = [r[0] for r in conn.execute("SELECT id FROM participants")]
    secrets += [r[0] for r in conn.execute("SELECT idempotency_key FROM notes") if r[0]]
    secrets += [r[0] for r in conn.execute("SELECT join_token FROM sessions")]
    path = qda.write_qdpx(demo, None, tmp_path / "all.qdpx").path
    with zipfile.ZipFile(path) as zf:
        everything = "\n".join(zf.read(n).decode("utf-8") for n in zf.namelist())
    assert len(secrets) > 50
    for secret in secrets:
        assert secret not in everything
        assert qdpx.guid(secret) not in everything


def test_a_project_without_sessions_is_refused_with_a_clear_message(project, tmp_path):
    from workshop_app.core.errors import DomainError

    with pytest.raises(DomainError, match="no sessions yet"):
        qda.write_qdpx(project, None, tmp_path / "none.qdpx")
    assert not (tmp_path / "none.qdpx").exists()
