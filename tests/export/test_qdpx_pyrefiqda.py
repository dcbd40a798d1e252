"""The .qdpx read by a third party: pyrefiqda (PyPI, MIT), whose models are generated from
the REFI-QDA schemas with xsdata and which shares nothing with our writer. Every note shown
on the wall comes back as a selection with the note's own words and its theme's code."""

from __future__ import annotations

from pathlib import Path

from pyrefiqda.refiproject import RefiProject

from workshop_app.core.model import ActivityKind, GroupKind, NoteStatus
from workshop_app.services import board, groups, moderation, privacy, qda, sessions
from workshop_app.services.sessions import ActivityFields, SessionDetails

NOTES = [
    "My dad doesn't get Snapchat 😀",
    "Police should reply faster\r\nplease",
    "School & home <together>",
    "🇬🇧 teachers need training",
]


def test_pyrefiqda_reads_every_selection_with_its_words_code_and_case(project, tmp_path: Path):
    parents = next(g for g in groups.list_groups(project) if g.kind is GroupKind.PARENT)
    s = sessions.create_session(project, SessionDetails("Evening"))
    b = sessions.add_activity(project, s.id, ActivityFields(ActivityKind.BRAINSTORM, "Ideas"))
    ids = [moderation.capture_paper_note(project, b.id, t, parents.id).id for t in NOTES]
    left = moderation.capture_paper_note(project, b.id, "hidden words", None)
    moderation.set_status(project, left.id, NoteStatus.HIDDEN)
    board.create_theme(project, s.id, "Families", "", ids[:1])
    board.create_theme(project, s.id, "Services", "", ids[1:])
    texts = privacy.export_texts(project)

    path = qda.write_qdpx(project, None, tmp_path / "evening.qdpx").path
    extract = tmp_path / "extracted"
    read = RefiProject.load(path, extract_dir=str(extract))

    codes = {c.guid: c.name for top in read.code_book.codes.code for c in top.code}
    [source] = read.sources.text_source
    text = RefiProject.resolve_source_path(source.plain_text_path, extract).read_text("utf-8")
    got = [
        (text[x.start_position : x.end_position], [codes[c.code_ref.target_guid] for c in x.coding])
        for x in source.plain_text_selection
    ]
    expected = [texts.get(i, t).replace("\r\n", "\n") for i, t in zip(ids, NOTES, strict=True)]
    assert got == [
        (expected[0], ["Families"]),
        *((words, ["Services"]) for words in expected[1:]),
    ]
    [case] = read.cases.case
    assert case.name == parents.name
    assert {r.target_guid for r in case.selection_ref} == {
        x.guid for x in source.plain_text_selection
    }
    assert "hidden words" not in text
