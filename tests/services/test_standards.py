"""Draft standards (services/standards.py): reading them with their sources and versions,
and every edit with its undo, on real project files (the demo project and new ones)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from workshop_app.core.errors import DomainError, NotFoundError
from workshop_app.core.ids import new_id, utc_now
from workshop_app.core.model import (
    ActivityKind,
    Audience,
    Measure,
    MeasureType,
    StandardLevel,
)
from workshop_app.services import board, moderation, sessions
from workshop_app.services import standards as svc
from workshop_app.services.demo import write_demo
from workshop_app.services.events import Changed, Topic
from workshop_app.services.project import OpenProject, open_project
from workshop_app.services.standards import Links, StandardFields
from workshop_app.storage import moderation as note_repo
from workshop_app.storage.writer import Tx

TITLES = [
    "A trusted adult to tell",
    "Responding without blame",
    "Adults who understand the apps",
    "Joined-up pathway with feedback",
    "Help to report on apps and games",
    "Education that starts early",
]


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.cground"
    write_demo(path)
    return path


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> Iterator[OpenProject]:
    """A fresh copy of the demo project: six standards rated in round 1, eight sessions."""
    path = tmp_path / "demo.cground"
    shutil.copy(demo_file, path)
    with open_project(path) as p:
        yield p


def _fields(**kw: object) -> StandardFields:
    base = StandardFields(
        title="Someone to talk to",
        statement="Every child can name an adult they would tell.",
        rationale="Children said telling someone comes first.",
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def _first(p: OpenProject) -> str:
    return svc.list_standards(p)[0].id


def _session(p: OpenProject, title: str) -> str:
    return next(s.id for s in sessions.list_sessions(p) if s.title.startswith(title))


def _rate(p: OpenProject, standard_id: str, version: int | None) -> None:
    """A rating of the standard's given version, as a phone's would be stored."""
    rate = next(
        a
        for s in sessions.list_sessions(p)
        for a in sessions.list_activities(p, s.id)
        if a.kind is ActivityKind.RATE
    )

    def job(tx: Tx) -> None:
        pid = new_id()
        now = utc_now().isoformat()
        tx.db.execute(
            "INSERT INTO participants (id, session_id, group_id, created_at) VALUES (?,?,?,?)",
            [pid, rate.session_id, None, now],
        )
        tx.db.execute(
            "INSERT INTO ratings (id, activity_id, participant_id, standard_id, value, scale, "
            "raw_value, created_at, updated_at, version) VALUES (?,?,?,?,?,?,?,?,?,?)",
            [new_id(), rate.id, pid, standard_id, 8, "nine_point", 8, now, now, version],
        )

    p.store.write_now(job)


# ---------------------------------------------------------------- reading


def test_the_demo_standards_are_listed_in_order_each_with_its_versions(
    demo: OpenProject,
) -> None:
    listed = svc.list_standards(demo)
    assert [s.title for s in listed] == TITLES
    assert svc.get_standard(demo, listed[0].id) == listed[0]
    for s in listed:  # row N holds version N's wording; the last row is the current one
        history = svc.versions(demo, s.id)
        assert [v.version for v in history] == list(range(1, s.version + 1))
        assert (history[-1].title, history[-1].statement, history[-1].rationale) == (
            s.title,
            s.statement,
            s.rationale,
        )
    assert listed[0].version == 1


def test_sources_give_each_theme_with_its_session_groups_and_notes(demo: OpenProject) -> None:
    src = svc.sources(demo, _first(demo))
    assert [(t.name, t.group_names) for t in src.themes][:2] == [
        ("Telling a trusted adult", ("Children 8–12",)),
        ("Someone to talk to", ("Young people 13–18",)),
    ]
    first = src.themes[0]
    assert first.session_title.startswith("Children's workshop (8–12)")
    assert str(first.session_date) == "2026-09-12"
    assert first.on_board and len(first.notes) == 4 and first.note_texts
    assert {n.group_name for n in first.notes} == {"Children 8–12"}
    # the themes' notes are the notes on the boards, word for word
    b = board.board(demo, first.session_id)
    on_board = {n.id: n.text for n in b.notes}
    assert {n.id: n.text for n in first.notes} == {
        n: on_board[n] for n in b.theme(first.id).note_ids
    }
    assert src.notes == ()
    assert src.session_titles[0] == first.session_title
    assert "Children 8–12" in src.group_names


def test_sources_by_standard_matches_sources_of_each(demo: OpenProject) -> None:
    every = svc.sources_by_standard(demo)
    assert list(every) == [s.id for s in svc.list_standards(demo)]
    for sid, src in every.items():
        assert src == svc.sources(demo, sid)
        assert not src.empty


def _statements(p: OpenProject) -> int:
    seen: list[str] = []
    conn = p.store.reader().conn
    conn.set_trace_callback(seen.append)
    try:
        svc.sources_by_standard(p)
    finally:
        conn.set_trace_callback(None)
    return len(seen)


def test_all_sources_are_read_in_a_fixed_number_of_queries(demo: OpenProject) -> None:
    before = _statements(demo)
    choices = svc.source_choices(demo)
    for n in range(12):  # twice as many standards, each with more themes and notes
        s = svc.create_standard(demo, _fields(title=f"Extra {n}"))
        svc.link_sources(
            demo,
            s.id,
            [t.id for t in choices.themes[n : n + 3]],
            [x.id for x in choices.notes[n : n + 4]],
        )
    assert _statements(demo) == before <= 6


def test_sources_keep_hidden_notes_marked_and_leave_out_taken_back_ones(
    demo: OpenProject,
) -> None:
    sid = _first(demo)
    theme = svc.sources(demo, sid).themes[0]
    hidden, withdrawn = theme.notes[0].id, theme.notes[1].id
    moderation.hide(demo, hidden)
    demo.store.write_now(lambda tx: note_repo.set_withdrawn(tx.db, withdrawn, utc_now(), utc_now()))
    again = svc.sources(demo, sid).themes[0]
    assert [n.hidden for n in again.notes] == [True] + [False] * (len(theme.notes) - 2)
    assert withdrawn not in {n.id for n in again.notes}


def test_a_theme_deleted_from_its_board_stays_a_source_marked_off_the_board(
    demo: OpenProject,
) -> None:
    sid = _first(demo)
    theme = svc.sources(demo, sid).themes[0]
    board.delete_theme(demo, theme.session_id, theme.id)
    again = svc.sources(demo, sid).themes[0]
    assert (again.id, again.on_board, again.notes) == (theme.id, False, theme.notes)


def test_a_missing_or_deleted_standard_is_not_found(demo: OpenProject) -> None:
    with pytest.raises(NotFoundError):
        svc.sources(demo, "nope")
    sid = _first(demo)
    svc.delete_standard(demo, sid)
    with pytest.raises(NotFoundError):
        svc.get_standard(demo, sid)
    assert sid not in svc.sources_by_standard(demo)


def test_source_choices_offer_every_sessions_themes_and_shown_notes(demo: OpenProject) -> None:
    choices = svc.source_choices(demo)
    sessions_with_themes = {t.session_title for t in choices.themes}
    assert len(sessions_with_themes) >= 5
    dates = [t.session_date for t in choices.themes]
    assert dates == sorted(dates)  # oldest session first
    first = choices.themes[0]
    assert first.group_names == ("Children 8–12",) and first.notes > 0
    note = choices.notes[0]
    assert note.group_name and note.session_title
    moderation.hide(demo, note.id)
    assert note.id not in {n.id for n in svc.source_choices(demo).notes}


# ---------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": "  "}, "title cannot be empty"),
        ({"statement": ""}, "The statement cannot be empty"),
        ({"statement": "x" * 601}, "limit is 600"),
        ({"rationale": "x" * 4001}, "limit is 4000"),
        ({"level": "essential"}, "expected or developmental"),
        ({"measures": (Measure(MeasureType.PROCESS, "", "Children asked"),)}, "Measure 1 needs"),
        ({"measures": (Measure("input", "Anything"),)}, "structure, process or outcome"),  # type: ignore[arg-type]
        ({"definitions": {"Trusted adult": ""}}, "Give the meaning of “Trusted adult”"),
        ({"definitions": {"": "Someone safe"}}, "needs the term"),
        ({"definitions": {"Adult": "18+", "adult ": "grown-up"}}, "defined twice"),
        ({"audiences": {"press": "Report it"}}, "not one of the audiences"),
        ({"audiences": {Audience.POLICE: "x" * 1501}}, "for police is 1501"),
        ({"title": "bad\x00"}, "cannot be stored"),
        ({"child_wording": "x" * 601}, "child wording"),
    ],
)
def test_refused_fields_say_why(
    project: OpenProject, change: dict[str, object], message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        svc.create_standard(project, _fields(**change))
    assert svc.list_standards(project) == []


def test_fields_are_trimmed_and_empty_rows_dropped(project: OpenProject) -> None:
    s = svc.create_standard(
        project,
        _fields(
            title="  Spaced  ",
            measures=(
                Measure(MeasureType.OUTCOME, " Children who named an adult ", "named", "asked"),
                Measure(MeasureType.STRUCTURE, " ", "", "", " "),
            ),
            audiences={
                Audience.CHILDREN_YOUNG_PEOPLE: "You can tell us.",
                Audience.POLICE: " Listen first. ",
                Audience.HEALTH: "  ",
            },
            definitions={" Trusted adult ": " An adult the child chooses. ", "": ""},
        ),
    )
    assert s.title == "Spaced"
    assert s.measures == (
        Measure(MeasureType.OUTCOME, "Children who named an adult", "named", "asked"),
    )
    assert list(s.audiences.items()) == [
        (Audience.POLICE, "Listen first."),
        (Audience.CHILDREN_YOUNG_PEOPLE, "You can tell us."),
    ]
    assert s.definitions == {"Trusted adult": "An adult the child chooses."}


def test_a_child_wording_is_stored_trimmed_and_an_empty_one_is_none(
    project: OpenProject,
) -> None:
    s = svc.create_standard(project, _fields(child_wording="  You can tell a grown-up.  "))
    assert svc.get_standard(project, s.id).child_wording == "You can tell a grown-up."
    assert StandardFields.of(s).child_wording == "You can tell a grown-up."
    blank = svc.create_standard(project, _fields(title="Other", child_wording="  "))
    assert svc.get_standard(project, blank.id).child_wording is None
    assert StandardFields.of(blank).child_wording == ""


def test_external_references_are_stored_trimmed_once_each_in_order(
    project: OpenProject,
) -> None:
    refs = ("  NICE NG76 (2017)  ", "", "Working Together (2023)", "nice ng76 (2017)")
    s = svc.create_standard(project, _fields(references=refs))
    assert svc.get_standard(project, s.id).references == (
        "NICE NG76 (2017)",
        "Working Together (2023)",
    )
    edit = svc.update_standard(
        project, s.id, replace(StandardFields.of(s), references=("Children Act 1989",))
    )
    assert not edit.new_version, "a reference is not part of the wording people rate"
    assert svc.get_standard(project, s.id).references == ("Children Act 1989",)
    svc.revert_edit(project, edit)
    assert svc.get_standard(project, s.id).references == s.references


def test_text_is_stored_as_typed_never_interpreted(project: OpenProject) -> None:
    s = svc.create_standard(
        project, _fields(title="<b>Bold</b>", statement="Use <i>all</i> & more", rationale="$x^2$")
    )
    again = svc.get_standard(project, s.id)
    assert (again.title, again.statement, again.rationale) == (
        "<b>Bold</b>",
        "Use <i>all</i> & more",
        "$x^2$",
    )


# ---------------------------------------------------------------- create, delete, order


def test_create_adds_version_one_at_the_end_and_delete_restore_undo_it(
    demo: OpenProject,
) -> None:
    events: list[object] = []
    demo.bus.subscribe(events.append)
    s = svc.create_standard(demo, _fields(level=StandardLevel.DEVELOPMENTAL))
    assert svc.list_standards(demo)[-1] == s
    assert (s.version, s.level, s.position) == (1, StandardLevel.DEVELOPMENTAL, 6)
    assert [v.title for v in svc.versions(demo, s.id)] == ["Someone to talk to"]
    assert Changed(Topic.CONTENT, None, s.id) in events
    gone = svc.delete_standard(demo, s.id)  # the undo of creating it
    assert gone == s and [x.title for x in svc.list_standards(demo)] == TITLES
    svc.restore_standard(demo, s.id)  # redo
    assert svc.list_standards(demo)[-1] == s


def test_create_with_sources_links_them(demo: OpenProject) -> None:
    choices = svc.source_choices(demo)
    s = svc.create_standard(
        demo, _fields(), Links("", (choices.themes[0].id,), (choices.notes[3].id,))
    )
    src = svc.sources(demo, s.id)
    assert [t.id for t in src.themes] == [choices.themes[0].id]
    assert [n.text for n in src.notes] == [choices.notes[3].text]


def test_a_deleted_standard_comes_back_with_its_sources_and_versions(demo: OpenProject) -> None:
    sid = _first(demo)
    before = (svc.get_standard(demo, sid), svc.sources(demo, sid), svc.versions(demo, sid))
    svc.delete_standard(demo, sid)
    assert sid not in {s.id for s in svc.list_standards(demo)}
    svc.restore_standard(demo, sid)
    assert (svc.get_standard(demo, sid), svc.sources(demo, sid), svc.versions(demo, sid)) == before
    assert [s.title for s in svc.list_standards(demo)] == TITLES


def test_move_reorders_and_moving_back_undoes_it(demo: OpenProject) -> None:
    ids = [s.id for s in svc.list_standards(demo)]
    old = svc.move_standard(demo, ids[0], 3)
    assert old == 0
    assert [s.id for s in svc.list_standards(demo)] == ids[1:4] + ids[:1] + ids[4:]
    svc.move_standard(demo, ids[0], old)
    assert [s.id for s in svc.list_standards(demo)] == ids
    assert svc.move_standard(demo, ids[5], 99) == 5  # past the end: stays last
    assert [s.id for s in svc.list_standards(demo)] == ids


# ---------------------------------------------------------------- editing and versions


def test_rewording_a_rated_statement_starts_a_new_version(demo: OpenProject) -> None:
    """Round 1 rated version 1 (the demo's ratings); rewording keeps it and adds version 2."""
    sid = _first(demo)
    before = svc.get_standard(demo, sid)
    edit = svc.update_standard(
        demo, sid, replace(StandardFields.of(before), statement="Every child can name two adults.")
    )
    assert edit.new_version and edit.before == before
    after = svc.get_standard(demo, sid)
    assert after.version == 2 and after == edit.after
    assert [(v.version, v.statement) for v in svc.versions(demo, sid)] == [
        (1, before.statement),
        (2, "Every child can name two adults."),
    ]
    svc.revert_edit(demo, edit)  # undo
    assert svc.get_standard(demo, sid) == before
    assert [v.version for v in svc.versions(demo, sid)] == [1]
    svc.update_standard(demo, sid, StandardFields.of(edit.after))  # redo
    assert svc.get_standard(demo, sid).version == 2


def test_rewording_a_version_nobody_rated_amends_it_and_undo_puts_it_back(
    demo: OpenProject,
) -> None:
    s = svc.create_standard(demo, _fields())
    original = svc.versions(demo, s.id)
    edit = svc.update_standard(demo, s.id, _fields(title="Someone safe to talk to"))
    assert not edit.new_version and edit.amended == original[0]
    assert svc.get_standard(demo, s.id).version == 1
    assert [(v.version, v.title) for v in svc.versions(demo, s.id)] == [
        (1, "Someone safe to talk to")
    ]
    svc.revert_edit(demo, edit)
    assert svc.versions(demo, s.id) == original
    assert svc.get_standard(demo, s.id) == s


def test_each_rated_round_keeps_its_wording(demo: OpenProject) -> None:
    s = svc.create_standard(demo, _fields())
    _rate(demo, s.id, 1)  # round 1
    svc.update_standard(demo, s.id, _fields(statement="Round two wording."))
    svc.update_standard(demo, s.id, _fields(statement="Round two wording, tidied."))
    _rate(demo, s.id, 2)  # round 2
    svc.update_standard(demo, s.id, _fields(statement="Round three wording."))
    assert [(v.version, v.statement) for v in svc.versions(demo, s.id)] == [
        (1, "Every child can name an adult they would tell."),
        (2, "Round two wording, tidied."),
        (3, "Round three wording."),
    ]


def test_a_rating_that_names_no_version_counts_for_the_version_current_then(
    demo: OpenProject,
) -> None:
    s = svc.create_standard(demo, _fields())
    _rate(demo, s.id, 1)
    svc.update_standard(demo, s.id, _fields(statement="Second."))  # version 2, not rated
    svc.update_standard(demo, s.id, _fields(statement="Second, amended."))
    assert svc.get_standard(demo, s.id).version == 2
    _rate(demo, s.id, None)  # an older phone page: no version recorded, given now
    svc.update_standard(demo, s.id, _fields(statement="Third."))
    assert svc.get_standard(demo, s.id).version == 3


def test_undo_of_a_new_version_is_refused_once_people_have_rated_it(demo: OpenProject) -> None:
    sid = _first(demo)
    edit = svc.update_standard(
        demo, sid, replace(StandardFields.of(svc.get_standard(demo, sid)), title="New")
    )
    _rate(demo, sid, 2)
    with pytest.raises(DomainError, match="rated version 2"):
        svc.revert_edit(demo, edit)
    assert svc.get_standard(demo, sid).version == 2


def test_other_fields_change_without_a_new_version(demo: OpenProject) -> None:
    sid = _first(demo)
    before = svc.get_standard(demo, sid)
    f = replace(
        StandardFields.of(before),
        level=StandardLevel.DEVELOPMENTAL,
        measures=(
            *before.measures,
            Measure(MeasureType.STRUCTURE, "A named lead", data_source="Audit"),
        ),
        audiences={**before.audiences, Audience.POLICE: "Ask who they would tell."},
        definitions={"Online harm": "Harm that starts online."},
    )
    edit = svc.update_standard(demo, sid, f)
    after = svc.get_standard(demo, sid)
    assert not edit.new_version and edit.amended is None
    assert after.version == 1 and StandardFields.of(after) == svc.clean_fields(f)
    assert svc.versions(demo, sid)[0].statement == before.statement
    svc.revert_edit(demo, edit)
    assert svc.get_standard(demo, sid) == before


def test_rewording_the_child_wording_of_a_rated_statement_makes_no_new_version(
    demo: OpenProject,
) -> None:
    """The child wording says the statement in children's words: it is edited in place,
    like the audience texts, and never starts a version (decision 017)."""
    sid = _first(demo)
    before = svc.get_standard(demo, sid)
    history = svc.versions(demo, sid)
    _rate(demo, sid, before.version)  # rated: rewording the statement would make a version
    f = replace(StandardFields.of(before), child_wording="You know a grown-up you can tell.")
    edit = svc.update_standard(demo, sid, f)
    after = svc.get_standard(demo, sid)
    assert not edit.new_version and edit.amended is None
    assert after.version == before.version and after.child_wording == f.child_wording
    assert svc.versions(demo, sid) == history
    svc.revert_edit(demo, edit)
    assert svc.get_standard(demo, sid) == before


def test_an_edit_that_changes_nothing_writes_nothing(demo: OpenProject) -> None:
    sid = _first(demo)
    before = svc.get_standard(demo, sid)
    edit = svc.update_standard(demo, sid, StandardFields.of(before))
    assert edit.before == edit.after == before
    assert svc.get_standard(demo, sid).updated_at == before.updated_at


# ---------------------------------------------------------------- sources


def test_link_and_unlink_sources_with_their_undo(demo: OpenProject) -> None:
    sid = _first(demo)
    before = svc.sources(demo, sid)
    choices = svc.source_choices(demo)
    theme = next(t for t in choices.themes if t.id not in {x.id for x in before.themes})
    note = choices.notes[0]
    added = svc.link_sources(demo, sid, [theme.id, before.themes[0].id], [note.id, note.id])
    assert added == Links(sid, (theme.id,), (note.id,))  # the one already linked left out
    src = svc.sources(demo, sid)
    assert theme.id in {t.id for t in src.themes}
    assert [(n.id, n.session_title, n.group_name) for n in src.notes] == [
        (note.id, note.session_title, note.group_name)
    ]
    removed = svc.unlink_sources(demo, sid, added.theme_ids, added.note_ids)  # undo
    assert removed == added and svc.sources(demo, sid) == before
    svc.restore_links(demo, removed)  # redo
    assert svc.sources(demo, sid) == src


def test_linking_only_what_is_linked_already_is_refused(demo: OpenProject) -> None:
    sid = _first(demo)
    linked = svc.sources(demo, sid).themes[0].id
    with pytest.raises(DomainError, match="already"):
        svc.link_sources(demo, sid, [linked])


def test_linking_a_deleted_theme_or_a_taken_back_note_is_refused(demo: OpenProject) -> None:
    sid = svc.list_standards(demo)[1].id
    choices = svc.source_choices(demo)
    theme = choices.themes[-1]
    board.delete_theme(demo, theme.session_id, theme.id)
    with pytest.raises(NotFoundError, match="no longer on its board"):
        svc.link_sources(demo, sid, [theme.id])
    note = choices.notes[-1].id
    demo.store.write_now(lambda tx: note_repo.set_withdrawn(tx.db, note, utc_now(), utc_now()))
    with pytest.raises(NotFoundError, match="taken it back"):
        svc.link_sources(demo, sid, [], [note])
    with pytest.raises(NotFoundError):
        svc.link_sources(demo, sid, [], ["no-such-note"])


def test_unlinking_what_is_not_linked_changes_nothing(demo: OpenProject) -> None:
    sid = _first(demo)
    before = svc.sources(demo, sid)
    removed = svc.unlink_sources(demo, sid, ["not-a-theme"], ["not-a-note"])
    assert not removed and svc.sources(demo, sid) == before


def test_a_new_project_has_no_standards_and_a_standard_without_sources_is_empty(
    project: OpenProject,
) -> None:
    assert svc.list_standards(project) == [] and svc.sources_by_standard(project) == {}
    s = svc.create_standard(project, _fields())
    assert svc.sources(project, s.id).empty
    assert svc.source_choices(project).themes == ()
