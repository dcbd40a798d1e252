"""Merging laptops' projects through the real services, real files and the real writer."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path

import pytest

from workshop_app.core.merge import MERGE_EDITOR
from workshop_app.core.merge_rules import RULES, How
from workshop_app.core.model import Note
from workshop_app.services import board, groups, merge, moderation, privacy, sessions, standards
from workshop_app.services.demo import write_demo
from workshop_app.services.info import describe
from workshop_app.services.project import OpenProject, create_project, open_project
from workshop_app.services.standards import StandardFields
from workshop_app.storage.errors import (
    DamagedProjectError,
    DiskFullError,
    NewerProjectError,
    NotAProjectError,
    ProjectMissingError,
)
from workshop_app.storage.merge import SourceChangingError, sha256_of
from workshop_app.storage.schema import CURRENT_VERSION

FIXTURES = Path(__file__).parents[1] / "storage" / "fixtures"
#: Tables whose rows a merge adds about itself (the record), not brought from a source.
OWN_RECORD = {"merges", "merge_rows", "merged_standards"}


def table_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        conn.close()


def first_brainstorm_board(p: OpenProject) -> board.Board:
    for s in sessions.list_sessions(p):
        b = board.board(p, s.id)
        if b.themes and b.notes:
            return b
    raise AssertionError("the demo has a board with themes")


@pytest.fixture
def two_projects(tmp_path: Path) -> tuple[Path, Path]:
    """Two laptops' own projects: different ids throughout (two demos, two seeds)."""
    a, b = tmp_path / "area a.cground", tmp_path / "area b.cground"
    write_demo(a, seed=1)
    write_demo(b, seed=2)
    return a, b


@pytest.fixture
def diverged(tmp_path: Path) -> tuple[Path, Path]:
    """One project copied to a second laptop, then changed on both."""
    a, b = tmp_path / "laptop a.cground", tmp_path / "laptop b.cground"
    write_demo(a, seed=7)
    shutil.copy(a, b)
    return a, b


def test_two_different_projects_come_together_with_their_ids_and_counts_add_up(
    two_projects: tuple[Path, Path],
) -> None:
    a, b = two_projects
    before_a, before_b = table_counts(a), table_counts(b)
    digest = sha256_of(b)
    with open_project(a, read_only=True) as p:
        notes_before = describe(p)["counts"]["notes"]
    with open_project(b, read_only=True) as p:
        notes_b = describe(p)["counts"]["notes"]
    with open_project(a) as p:
        [done] = merge.merge(p, [merge.read_source(b, a)])
        counts = done.plan.counts
        info = describe(p)
    after = table_counts(a)
    # every table: what was here plus what came across (and the merge's own record)
    for table, n in after.items():
        if table not in OWN_RECORD:
            assert n == before_a[table] + counts.get(table, 0), table
    assert after["merges"] == 1
    assert after["merge_rows"] == sum(counts.values())
    # nothing of b was matched by id, so every row of its brought tables came, but for the
    # groups, areas and services both name the same (matched by name)
    for rule in RULES:
        if rule.how in (How.ID, How.KEY) and rule.table not in OWN_RECORD | {
            "stakeholder_groups",
            "session_groups",
            "areas",
            "services",
        }:
            assert counts.get(rule.table, 0) == before_b[rule.table], rule.table
    # the same four default groups: one group each, and b's sessions point at a's groups;
    # the same pilot areas and services: one each
    assert "stakeholder_groups" not in counts
    assert "areas" not in counts and "services" not in counts
    assert len(info["groups"]) == 4
    assert info["counts"]["notes"] == notes_before + notes_b
    assert sha256_of(b) == digest
    [record] = info["merges"]
    assert record["source_file"] == "area b.cground" and record["source_sha256"] == digest
    assert "/" not in record["source_file"]
    assert record["counts"] == counts


def test_merging_the_same_source_twice_adds_nothing_and_says_so(
    two_projects: tuple[Path, Path],
) -> None:
    a, b = two_projects
    with open_project(a) as p:
        merge.merge(p, [merge.read_source(b, a)])
        once = table_counts(a)
        [again] = merge.merge(p, [merge.read_source(b, a)])
        [preview] = merge.preview(p, [merge.read_source(b, a)])
        merges = merge.list_merges(p)
    twice = table_counts(a)
    assert again.plan.empty and preview.plan.empty
    assert {t: n for t, n in twice.items() if t not in OWN_RECORD} == {
        t: n for t, n in once.items() if t not in OWN_RECORD
    }
    assert twice["merges"] == once["merges"] + 1
    assert merges[-1].counts == {} and merges[0].counts
    assert merge.counts_text(merges[-1].counts) == "nothing new"


def test_a_dry_run_lists_what_would_come_and_writes_nothing(
    two_projects: tuple[Path, Path],
) -> None:
    a, b = two_projects
    digest = sha256_of(a)
    with open_project(a, read_only=True) as p:
        [item] = merge.preview(p, [merge.read_source(b, a)])
    assert sha256_of(a) == digest
    lines = merge.plan_lines(item)
    notes = table_counts(b)["notes"]
    assert lines[0].startswith(f"From area b.cground (“{item.source.info.title}”): ")
    assert f"{notes} notes" in lines[0]
    assert any("“Parents and carers” → “Parents and carers”: the same name" in x for x in lines)


def test_a_diverged_copy_keeps_this_laptops_edits_and_the_others_beside_them(
    diverged: tuple[Path, Path],
) -> None:
    a, b = diverged
    with open_project(a) as pa, open_project(b) as pb:
        standard = standards.list_standards(pa)[0]
        fields = StandardFields.of(standard)
        standards.update_standard(pa, standard.id, replace(fields, statement="Laptop A words."))
        standards.update_standard(pb, standard.id, replace(fields, statement="Laptop B words."))
        bd = first_brainstorm_board(pa)
        note, other_note = bd.notes[0], bd.notes[1]
        moderation.correct_text(pb, note.id, note.text + " (fixed on B)")
        moderation.flag(pb, other_note.id, True, "talk to the youth worker")
        theme = bd.themes[0]
        board.rename_theme(pa, bd.session_id, theme.id, "Named on A")
        board.rename_theme(pb, bd.session_id, theme.id, "Named on B")
        brainstorm = bd.notes[0].activity_id
        new = moderation.capture_paper_note(pb, brainstorm, "Only on laptop B")
        standards_before = len(standards.list_standards(pa))
    with open_project(a) as p:
        [done] = merge.merge(p, [merge.read_source(b, a)])
        after = standards.list_standards(p)
        kept = standards.get_standard(p, standard.id)
        flags = merge.flagged_standards(p)
        history = moderation.history(p, note.id)
        now_board = board.board(p, bd.session_id)
        info = describe(p)
    assert kept.statement == "Laptop A words."
    assert len(after) == standards_before + 1
    [flag] = flags
    copy = next(s for s in after if s.id == flag.standard_id)
    assert copy.statement == "Laptop B words." and copy.title == kept.title
    assert flag.original_id == standard.id and flag.source_file == "laptop b.cground"
    assert [f["id"] for f in info["flagged_standards"]] == [flag.standard_id]
    assert now_board.note(note.id) is not None
    assert now_board.note(note.id).text == note.text  # type: ignore[union-attr]
    assert any(
        e.edited_by == MERGE_EDITOR and e.old_text == note.text + " (fixed on B)" for e in history
    )
    assert now_board.note(other_note.id).flagged  # type: ignore[union-attr]
    [record] = info["merges"]
    assert record["counts"] == done.plan.counts
    assert done.plan.updates and any(
        "1 safeguarding flag raised there is kept here too" in line
        for line in merge.plan_lines(merge.SourcePreview(done.source, done.plan, ()))
    )
    assert now_board.theme(theme.id).name == "Named on A"  # type: ignore[union-attr]
    assert now_board.note(new.id) is not None
    assert done.plan.counts["notes"] == 1
    assert any("theme “Named on A” (there “Named on B”)" in k.what for k in done.plan.kept)


def test_words_removed_here_for_good_are_not_brought_back_by_the_other_laptop(
    diverged: tuple[Path, Path],
) -> None:
    a, b = diverged
    with open_project(a) as pa, open_project(b) as pb:
        note = first_brainstorm_board(pa).notes[0]
        word = note.text.split()[0]
        moderation.correct_text(pb, note.id, note.text + " and more")
        privacy.delete_original(pa, note.id, word)
    with open_project(a) as p:
        [done] = merge.merge(p, [merge.read_source(b, a)])
        history = moderation.history(p, note.id)
    assert done.plan.held_back["words removed here for good"] >= 1
    assert all(word not in e.old_text + e.new_text for e in history)
    assert all(e.edited_by != MERGE_EDITOR for e in history)


def test_groups_spelled_differently_are_offered_and_matched_only_when_accepted(
    tmp_path: Path,
) -> None:
    a, b = tmp_path / "a.cground", tmp_path / "b.cground"
    with create_project(a, "A") as pa:
        parents_a = next(g for g in groups.list_groups(pa) if g.name == "Parents and carers")
    with create_project(b, "B") as pb:
        parents_b = next(g for g in groups.list_groups(pb) if g.name == "Parents and carers")
        groups.update_group(
            pb, parents_b.id, name="Parents & carers", kind=parents_b.kind, child_friendly=False
        )
        youth = groups.add_group(pb, "Youth Group", parents_b.kind, child_friendly=True)
    with create_project(tmp_path / "c.cground", "C") as pc:
        groups.add_group(pc, "Youth group", parents_a.kind, child_friendly=True)
    with open_project(a) as p:
        [item] = merge.preview(p, [merge.read_source(b, a)])
        offered = {(m.source.name, m.target.name) for m in item.offered}
        assert offered == {("Parents & carers", "Parents and carers")}
        lines = merge.plan_lines(item)
        assert any("spelled differently; offered for matching" in x for x in lines)
        merge.merge(p, [merge.read_source(b, a)], accept=[parents_b.id])
        names = [g.name for g in groups.list_groups(p)]
        ids = {g.id for g in groups.list_groups(p)}
    assert names.count("Parents and carers") == 1 and "Parents & carers" not in names
    assert "Youth Group" in names and youth.id in ids and parents_b.id not in ids
    with open_project(tmp_path / "c.cground") as p:
        [item] = merge.preview(p, [merge.read_source(b, tmp_path / "c.cground")])
        assert ("Youth Group", "Youth group") in {
            (m.source.name, m.target.name) for m in item.offered
        }
        merge.merge(p, [merge.read_source(b, tmp_path / "c.cground")])
        names = [g.name for g in groups.list_groups(p)]
    # not accepted: both stay, and the newcomer's name says where it came from
    assert "Youth group" in names and "Youth Group (from B)" in names


@pytest.mark.parametrize(
    ("make", "error", "words"),
    [
        (lambda d: d / "missing.cground", ProjectMissingError, "There is no project file"),
        (lambda d: _write(d / "notes.cground", b"hello"), NotAProjectError, "not a database"),
        (lambda d: _foreign(d / "other.cground"), NotAProjectError, "another program"),
        (lambda d: _newer(d / "newer.cground"), NewerProjectError, "newer version"),
        (lambda d: _damaged(d / "damaged.cground"), DamagedProjectError, "damaged"),
    ],
)
def test_a_source_that_is_not_a_project_we_can_read_is_refused_and_left_as_it_was(
    tmp_path: Path, make, error: type[Exception], words: str
) -> None:
    target = tmp_path / "target.cground"
    create_project(target, "Target").close()
    source = make(tmp_path)
    digest = sha256_of(source) if source.exists() else None
    before = table_counts(target)
    with pytest.raises(error, match=words) as caught:
        merge.read_source(source, target)
    assert str(source) in str(caught.value) or source.name in str(caught.value)
    assert "common-ground-merge-" not in str(caught.value)
    if digest is not None:
        assert sha256_of(source) == digest
    assert table_counts(target) == before


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _foreign(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    return path


def _newer(path: Path) -> Path:
    create_project(path, "From the future").close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {CURRENT_VERSION + 1}")
    conn.commit()
    conn.close()
    return path


def _damaged(path: Path) -> Path:
    create_project(path, "Damaged").close()
    data = bytearray(path.read_bytes())
    for i in range(4096, min(len(data), 4096 * 6)):
        data[i] = 0xAB
    path.write_bytes(bytes(data))
    return path


def test_a_project_cannot_be_brought_into_itself(tmp_path: Path) -> None:
    path = tmp_path / "one.cground"
    create_project(path, "One").close()
    with pytest.raises(merge.SameProjectFileError, match="project being merged into"):
        merge.read_source(tmp_path / "." / "one.cground", path)


def test_an_older_source_is_upgraded_as_a_copy_and_the_file_stays_at_its_version(
    tmp_path: Path,
) -> None:
    source = tmp_path / "old.cground"
    shutil.copy(FIXTURES / "project-v4.cground", source)
    digest = sha256_of(source)
    target = tmp_path / "target.cground"
    with create_project(target, "Target") as p:
        [done] = merge.merge(p, [merge.read_source(source, target)])
        [record] = merge.list_merges(p)
    assert done.plan.counts["notes"] >= 1 and record.source_version == 4
    assert sha256_of(source) == digest
    assert sorted(x.name for x in tmp_path.iterdir()) == ["old.cground", "target.cground"]


def test_a_source_open_in_another_program_is_read_with_its_log_and_never_changed(
    tmp_path: Path,
) -> None:
    """The other laptop's app still has the file open (its lock held, changes in the
    write-ahead log): the merge reads what it holds, takes no lock, and leaves the file's
    bytes as they were."""
    source = tmp_path / "busy.cground"
    target = tmp_path / "target.cground"
    write_demo(source, seed=3)
    create_project(target, "Target").close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys
                from pathlib import Path
                from workshop_app.services import moderation, sessions, board
                from workshop_app.services.project import open_project
                p = open_project(Path({str(source)!r}), program="the other laptop's app")
                for s in sessions.list_sessions(p):
                    b = board.board(p, s.id)
                    if b.notes:
                        moderation.capture_paper_note(p, b.notes[0].activity_id, "in the log")
                        break
                print("ready", flush=True)
                sys.stdin.readline()
                p.close()
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[2],
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        assert Path(str(source) + "-wal").stat().st_size > 0
        digest, wal = sha256_of(source), sha256_of(Path(str(source) + "-wal"))
        with open_project(target) as p:
            [done] = merge.merge(p, [merge.read_source(source, target)])
            texts = {n.text for s in sessions.list_sessions(p) for n in board.board(p, s.id).notes}
        assert "in the log" in texts and done.plan.counts["notes"] >= 1
        assert sha256_of(source) == digest
        assert sha256_of(Path(str(source) + "-wal")) == wal
    finally:
        holder.communicate("\n", timeout=30)  # the other program closes the project


def test_a_failing_merge_leaves_the_target_as_it_was(two_projects: tuple[Path, Path]) -> None:
    """All or nothing: a row that cannot be stored (here a vote of no dots, which a real
    file cannot hold) undoes everything the merge had written before it."""
    a, b = two_projects
    source = merge.read_source(b, a)
    votes = source.tables["votes"]
    broken = dict(votes[-1])
    broken["dots"] = 0
    assert isinstance(votes, list)
    votes[-1] = broken
    before = table_counts(a)
    with open_project(a) as p, pytest.raises(sqlite3.IntegrityError):
        merge.merge(p, [source])
    assert table_counts(a) == before


def test_a_standard_flag_is_settled_by_the_facilitator(diverged: tuple[Path, Path]) -> None:
    a, b = diverged
    with open_project(a) as pa, open_project(b) as pb:
        s = standards.list_standards(pa)[0]
        f = StandardFields.of(s)
        standards.update_standard(pa, s.id, replace(f, title="A's title"))
        standards.update_standard(pb, s.id, replace(f, title="B's title"))
    with open_project(a) as p:
        merge.merge(p, [merge.read_source(b, a)])
        [flag] = merge.flagged_standards(p)
        merge.settle_standard(p, flag.standard_id)
        assert merge.flagged_standards(p) == []
        merge.settle_standard(p, flag.standard_id, settled=False)
        assert [x.standard_id for x in merge.flagged_standards(p)] == [flag.standard_id]
        # merging again brings no second copy
        [again] = merge.merge(p, [merge.read_source(b, a)])
        assert again.plan.empty and len(merge.flagged_standards(p)) == 1


def test_several_sources_come_in_one_transaction(tmp_path: Path) -> None:
    target, one, two = (tmp_path / f"{n}.cground" for n in ("target", "one", "two"))
    create_project(target, "Target").close()
    write_demo(one, seed=11)
    write_demo(two, seed=12)
    with open_project(target) as p:
        sources = [merge.read_source(one, target), merge.read_source(two, target)]
        previews = merge.preview(p, sources)
        done = merge.merge(p, sources)
        info = describe(p)
    assert [d.plan.counts for d in done] == [x.plan.counts for x in previews]
    assert info["counts"]["notes"] == table_counts(one)["notes"] + table_counts(two)["notes"]
    assert [m["source_file"] for m in info["merges"]] == ["one.cground", "two.cground"]


def test_a_merge_meeting_a_full_disk_says_so_and_leaves_the_target_as_it_was(
    two_projects: tuple[Path, Path],
) -> None:
    a, b = two_projects
    before = table_counts(a)
    with open_project(a) as p:
        pages = p.store.write_now(lambda tx: tx.db.execute("PRAGMA page_count").fetchone()[0])
        p.store.write_now(lambda tx: tx.db.execute(f"PRAGMA max_page_count = {pages}"))
        with pytest.raises(DiskFullError, match="The disk is full"):
            merge.merge(p, [merge.read_source(b, a)])
        assert merge.list_merges(p) == []
        # space again: the same merge goes through, the writer is still alive
        p.store.write_now(lambda tx: tx.db.execute("PRAGMA max_page_count = 1073741823"))
        [done] = merge.merge(p, [merge.read_source(b, a)])
    assert done.plan.counts["notes"] > 0
    after = table_counts(a)
    assert after["notes"] == before["notes"] + done.plan.counts["notes"]


def test_a_source_that_keeps_changing_while_it_is_copied_is_refused(tmp_path: Path) -> None:
    """Another program writing to it all the time (its log growing): no copy can be
    trusted, so none is used, and the words say why."""
    source, target = tmp_path / "busy.cground", tmp_path / "target.cground"
    create_project(source, "Busy").close()
    create_project(target, "Target").close()
    with source.open("ab") as f:  # a big file: each copy takes long enough to see a change
        f.write(bytes(40 << 20))
    wal = Path(str(source) + "-wal")
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"f = open({str(wal)!r}, 'ab')\nwhile True:\n f.write(b'x'); f.flush()",
        ]
    )
    try:
        while not wal.exists() or wal.stat().st_size == 0:
            time.sleep(0.01)
        with pytest.raises(SourceChangingError, match="kept changing while it was being read"):
            merge.read_source(source, target)
    finally:
        writer.kill()
        writer.wait()


def _held_disclosure(path: Path) -> tuple[str, str]:
    """A live show-at-once session in the project at `path` where a phone posted a possible
    disclosure (held back on arrival); (its session id, the note's id)."""
    from workshop_app.core.model import ActivityKind, ActivityState, ModerationMode
    from workshop_app.services import live
    from workshop_app.services import participation as phones

    with open_project(path) as p:
        s = sessions.create_session(
            p, sessions.SessionDetails("Drop-in", moderation=ModerationMode.SHOW_AT_ONCE)
        )
        a = sessions.add_activity(
            p, s.id, sessions.ActivityFields(ActivityKind.BRAINSTORM, "What matters")
        )
        live.go_live(p, s.id)
        live.show_activity(p, a.id)
        live.set_activity_state(p, a.id, ActivityState.OPEN)
        who = phones.join(p, s.id, None).result(5)
        told = phones.post_note(p, who.id, a.id, "he keeps asking me for pics", "key-merge-held")
        note_id = told.result(5).body["note"]["id"]
        live.end_session(p, s.id)
        return s.id, note_id


def _wall_note(p: OpenProject, note_id: str) -> Note:
    for s in sessions.list_sessions(p):
        for a in sessions.list_activities(p, s.id):
            for n in moderation.list_wall(p, a.id):
                if n.id == note_id:
                    return n
    raise AssertionError(note_id)


def test_a_note_held_back_on_another_laptop_comes_across_held(
    two_projects: tuple[Path, Path],
) -> None:
    a, b = two_projects
    session_id, note_id = _held_disclosure(b)
    with open_project(a) as p:
        merge.merge(p, [merge.read_source(b, a)])
        note = _wall_note(p, note_id)
        assert note.held and "asked_for_images" in note.hold_reasons
        assert moderation.held_count(p, session_id).disclosures == 1


def test_a_release_stands_on_its_laptop_and_a_hold_is_never_lifted_by_a_merge(
    tmp_path: Path,
) -> None:
    a, b = tmp_path / "laptop a.cground", tmp_path / "laptop b.cground"
    write_demo(a, seed=11)
    _session_id, note_id = _held_disclosure(a)
    shutil.copy(a, b)
    with open_project(a) as p:
        moderation.release(p, note_id)  # seen and released on laptop a only
    with open_project(a) as p:
        merge.merge(p, [merge.read_source(b, a)])
        assert not _wall_note(p, note_id).held, "laptop a's facilitator decided"
    with open_project(b) as p:
        merge.merge(p, [merge.read_source(a, b)])
        assert _wall_note(p, note_id).held, "laptop b's facilitator has not seen it"
