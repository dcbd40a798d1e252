"""The privacy review (services/privacy.py): findings, decisions and their undo, export
texts, and removing words from the project itself, read back from the real file."""

from __future__ import annotations

import json

import pytest

from workshop_app.core.errors import DomainError, NotFoundError
from workshop_app.core.model import ActivityKind, ActivityState, GroupKind, NoteStatus
from workshop_app.core.redaction import REMOVED, Decision, DetailKind
from workshop_app.infra.paths import shipped_plans_dir
from workshop_app.services import groups, live, moderation, privacy, sessions
from workshop_app.services import participation as svc
from workshop_app.services.events import Changed, Topic
from workshop_app.services.plans import load_plan
from workshop_app.services.sessions import SessionDetails

PHONE = "07700 900123"


@pytest.fixture
def room(project):
    """A live children's session with its first brainstorm open and one phone joined."""
    child = next(g for g in groups.list_groups(project) if g.kind is GroupKind.CHILD)
    plan = load_plan(shipped_plans_dir() / "prep-children-8-12.toml")
    s = sessions.create_session(project, SessionDetails("Club", group_ids=(child.id,)), plan)
    live.go_live(project, s.id)
    brainstorm = next(
        a for a in sessions.list_activities(project, s.id) if a.kind is ActivityKind.BRAINSTORM
    )
    live.set_activity_state(project, brainstorm.id, ActivityState.OPEN)
    who = svc.join(project, s.id, child.id).result()
    keys = iter(f"key-{i:08d}" for i in range(1000))

    def post(text: str) -> str:
        return (
            svc.post_note(project, who.id, brainstorm.id, text, next(keys))
            .result()
            .body["note"]["id"]
        )

    def edit(note_id: str, text: str) -> None:
        svc.edit_note(project, who.id, note_id, text, next(keys)).result()

    return project, s, brainstorm, who, post, edit


def _stored(project, activity_id, note_id):
    return next(n for n in moderation.list_wall(project, activity_id) if n.id == note_id)


def test_findings_list_each_suspected_detail_with_where_it_was_written(room):
    project, s, b, _who, post, _edit = room
    nid = post(f"Sam from Riverside Academy, call {PHONE}")
    post("strangers in games")
    found = privacy.findings(project, s.id)
    assert [(f.kind, f.fragment) for f in found] == [
        (DetailKind.NAME, "Sam"),
        (DetailKind.SCHOOL, "Riverside Academy"),
        (DetailKind.PHONE, PHONE),
    ]
    first = found[0]
    assert first.note_id == nid and first.note.session_title == "Club"
    assert first.note.activity_id == b.id and first.note.activity_title == b.title
    assert first.note.group_name == "Children 8–12"
    assert first.note.text[first.finding.start : first.finding.end] == "Sam"
    assert privacy.findings(project) == found, "the whole project: the same notes"


def test_a_repeated_fragment_is_listed_once_and_hidden_notes_are_reviewed(room):
    project, s, _b, _who, post, _edit = room
    nid = post("Sam and Sam")
    moderation.hide(project, nid)
    found = privacy.findings(project, s.id)
    assert [(f.fragment, f.note.status) for f in found] == [("Sam", NoteStatus.HIDDEN)]


def test_a_decision_takes_the_finding_off_the_list_and_undo_brings_it_back(room):
    project, s, _b, _who, post, _edit = room
    nid = post(f"ring {PHONE} or ask Sam")
    rid = privacy.decide(project, nid, PHONE, DetailKind.PHONE, Decision.REMOVE)
    kept = privacy.decide(project, nid, "Sam", "name", "keep")
    assert privacy.findings(project, s.id) == []
    assert privacy.export_texts(project)[nid] == f"ring {REMOVED} or ask Sam"
    assert [
        (d.redaction.fragment, d.redaction.decision) for d in privacy.decisions(project, s.id)
    ] == [(PHONE, Decision.REMOVE), ("Sam", Decision.KEEP)]

    undone = privacy.undo_decision(project, rid)
    assert undone.id == rid and undone.deleted_at is None, "returned as it was"
    assert [f.fragment for f in privacy.findings(project, s.id)] == [PHONE]
    assert privacy.export_texts(project)[nid] == f"ring {PHONE} or ask Sam"

    privacy.restore_decision(project, rid)
    assert privacy.findings(project, s.id) == []
    assert privacy.export_texts(project)[nid] == f"ring {REMOVED} or ask Sam"
    privacy.undo_decision(project, kept)
    assert [f.fragment for f in privacy.findings(project, s.id)] == ["Sam"]


def test_the_note_itself_keeps_what_was_written(room):
    project, _s, b, _who, post, _edit = room
    nid = post(f"call {PHONE}")
    privacy.decide(project, nid, PHONE, DetailKind.PHONE, Decision.REMOVE)
    note = _stored(project, b.id, nid)
    assert note.text == note.original_text == f"call {PHONE}"


def test_a_decision_is_announced_as_a_change_to_the_session_content(room):
    project, s, _b, _who, post, _edit = room
    nid = post(f"call {PHONE}")
    seen: list[object] = []
    project.bus.subscribe(seen.append)
    rid = privacy.decide(project, nid, PHONE, DetailKind.PHONE, Decision.REMOVE)
    privacy.undo_decision(project, rid)
    assert seen == [Changed(Topic.CONTENT, s.id, nid)] * 2


@pytest.mark.parametrize(
    ("fragment", "kind", "decision", "error"),
    [
        ("", DetailKind.PHONE, Decision.REMOVE, DomainError),
        ("not in the note", DetailKind.NAME, Decision.REMOVE, NotFoundError),
        (PHONE, "shoe size", Decision.REMOVE, DomainError),
        (PHONE, DetailKind.PHONE, "maybe", DomainError),
    ],
)
def test_decisions_that_make_no_sense_are_refused(room, fragment, kind, decision, error):
    project, s, _b, _who, post, _edit = room
    nid = post(f"call {PHONE}")
    with pytest.raises(error):
        privacy.decide(project, nid, fragment, kind, decision)
    assert privacy.decisions(project, s.id) == []


def test_the_same_words_cannot_be_decided_twice_nor_restored_over_a_newer_decision(room):
    project, _s, _b, _who, post, _edit = room
    nid = post(f"call {PHONE}")
    first = privacy.decide(project, nid, PHONE, DetailKind.PHONE, Decision.KEEP)
    with pytest.raises(DomainError, match="already"):
        privacy.decide(project, nid, PHONE, DetailKind.PHONE, Decision.REMOVE)
    privacy.undo_decision(project, first)
    privacy.decide(project, nid, PHONE, DetailKind.PHONE, Decision.REMOVE)
    with pytest.raises(DomainError, match="again"):
        privacy.restore_decision(project, first)


def test_a_withdrawn_note_is_not_reviewed(room):
    project, s, _b, who, post, _edit = room
    nid = post(f"call {PHONE}")
    svc.withdraw_note(project, who.id, nid, "key-withdraw1").result()
    assert privacy.findings(project, s.id) == []
    with pytest.raises(NotFoundError):
        privacy.decide(project, nid, PHONE, DetailKind.PHONE, Decision.REMOVE)


def test_a_paper_note_is_reviewed_like_any_other(room):
    project, s, b, _who, _post, _edit = room
    note = moderation.capture_paper_note(project, b.id, "email jo@example.com")
    assert [(f.note_id, f.kind) for f in privacy.findings(project, s.id)] == [
        (note.id, DetailKind.EMAIL)
    ]


def test_findings_of_one_session_leave_other_sessions_out(room):
    project, s, _b, _who, post, _edit = room
    post(f"call {PHONE}")
    other = sessions.create_session(project, SessionDetails("Another"))
    assert privacy.findings(project, other.id) == []
    assert len(privacy.findings(project, None)) == 1 == len(privacy.findings(project, s.id))


# ---------------------------------------------------------------- removing the original


def _everything_stored(project) -> str:
    """Every text the project file holds about notes: a crude but complete check."""
    db = project.store.reader()
    parts = []
    for table in ("notes", "note_edits", "submissions", "redactions"):
        for row in db.conn.execute(f"SELECT * FROM {table}"):
            parts.append(json.dumps(list(row), ensure_ascii=False))
    return "\n".join(parts)


def test_deleting_the_original_removes_the_words_from_every_copy_in_the_project(room):
    project, s, b, _who, post, edit = room
    nid = post(f"Sam's number is {PHONE}")
    edit(nid, f"Sam's number is {PHONE} ok")  # the writer changed it on their phone
    moderation.correct_text(project, nid, f"Sam's number is {PHONE}, ok")  # and a typo fixed
    rid = privacy.decide(project, nid, PHONE, DetailKind.PHONE, Decision.KEEP)
    assert PHONE in _everything_stored(project)

    done = privacy.delete_original(project, nid, PHONE)

    assert PHONE not in _everything_stored(project)
    assert done.note == 2 and done.edits == 2 and done.answers == 2 and done.decisions == 1
    note = _stored(project, b.id, nid)
    assert note.text == f"Sam's number is {REMOVED}, ok"
    assert note.original_text == f"Sam's number is {REMOVED}"
    assert [(e.old_text, e.new_text) for e in moderation.history(project, nid)] == [
        (f"Sam's number is {REMOVED}", f"Sam's number is {REMOVED} ok"),
        (f"Sam's number is {REMOVED} ok", f"Sam's number is {REMOVED}, ok"),
    ]
    assert privacy.export_texts(project)[nid] == note.text
    assert [f.fragment for f in privacy.findings(project, s.id)] == ["Sam"]
    with pytest.raises(NotFoundError, match="no longer there"):
        privacy.undo_decision(project, rid)  # its words are gone with it


def test_a_phone_retry_after_the_deletion_gets_the_cleaned_answer(room):
    project, _s, b, who, _post, _edit = room
    first = svc.post_note(project, who.id, b.id, f"call {PHONE}", "key-retry0001").result()
    privacy.delete_original(project, first.body["note"]["id"], PHONE)
    again = svc.post_note(project, who.id, b.id, f"call {PHONE}", "key-retry0001").result()
    assert again.replayed and again.body["note"]["text"] == f"call {REMOVED}"


def test_deleting_words_that_are_not_in_the_note_is_refused(room):
    project, _s, b, _who, post, _edit = room
    nid = post("games are fun")
    with pytest.raises(NotFoundError):
        privacy.delete_original(project, nid, "Sam")
    with pytest.raises(DomainError):
        privacy.delete_original(project, nid, "")
    assert _stored(project, b.id, nid).text == "games are fun"


def test_export_texts_cover_every_note_of_the_demo(tmp_path):
    from workshop_app.services.demo import write_demo
    from workshop_app.services.project import open_project

    write_demo(tmp_path / "demo.cground")
    with open_project(tmp_path / "demo.cground") as p:
        texts = privacy.export_texts(p)
        counts = p.store.reader().conn.execute("SELECT count(*) FROM notes").fetchone()[0]
        assert len(texts) == counts and REMOVED not in "".join(texts.values())


def test_deleted_words_leave_no_copy_in_the_file_or_its_write_ahead_log(room):
    project, _s, _b, _who, post, _edit = room
    secret = "07700 900461"  # written only once, so every stored copy is one of its pages
    nid = post(f"call me on {secret}")
    path = project.path
    wal = path.with_name(path.name + "-wal")

    def on_disk() -> bytes:
        return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")

    assert secret.encode() in on_disk(), "the words were on disk"
    privacy.delete_original(project, nid, secret)
    assert secret.encode() not in on_disk(), "no old page kept the words"


def test_the_review_summary_counts_what_the_facilitator_did(room):
    project, s, _b, _who, post, _edit = room
    assert privacy.review_summary(project, s.id).statement() == (
        "The privacy review found nothing that looked like a personal detail in the notes "
        "of this session, so no words were removed."
    )
    a = post(f"call {PHONE}")
    b = post("mail sam@example.com")
    c = post("I live in SW1A 1AA")
    post("ask Riverside Academy")
    summary = privacy.review_summary(project, s.id)
    assert (summary.removed, summary.kept, summary.unreviewed, summary.deleted) == (0, 0, 4, 0)
    assert summary.warning().startswith("Privacy review not finished: 4 suspected personal")
    privacy.decide(project, a, PHONE, DetailKind.PHONE, Decision.REMOVE)
    privacy.decide(project, b, "sam@example.com", DetailKind.EMAIL, Decision.KEEP)
    privacy.delete_original(project, c, "SW1A 1AA")
    summary = privacy.review_summary(project, s.id)
    assert (summary.removed, summary.kept, summary.unreviewed, summary.deleted) == (1, 1, 1, 1)
    assert summary.statement() == (
        "Before this export the facilitator reviewed 3 suspected personal details in the "
        "notes of this session (1 email address, 1 phone number, 1 taken out of the project "
        "itself): 1 removed from exports and 1 from the project itself, shown as [removed], "
        "and 1 kept as written. 1 suspected personal detail (1 school name) was not reviewed "
        "and is exported as written."
    )
    whole = privacy.review_summary(project)
    assert whole.scope == "the notes of every session" and whole.reviewed == 3
