"""Notes' vectors kept in the project (services/vectors.py): the keeper thread, the cache,
and what uses it; a real project file, the real writer and the shipped model."""

from __future__ import annotations

import logging
import os
import random
import sqlite3
import sys
import threading
import time

import numpy as np
import pytest

from workshop_app.core.ids import utc_now
from workshop_app.core.model import ActivityKind
from workshop_app.infra.paths import shipped_plans_dir
from workshop_app.services import board, duplicates, moderation, privacy, sessions, suggestions
from workshop_app.services.background import BACKGROUND_NICENESS
from workshop_app.services.plans import load_plan
from workshop_app.services.sessions import SessionDetails
from workshop_app.services.vectors import VectorKeeper, progress_words, vectors_for
from workshop_app.storage import arrival as arrival_repo
from workshop_app.storage import vectors as repo

TEXTS = [
    "mum doesn't get TikTok",
    "parents don't understand the apps we use",
    "my dad has no idea what Snapchat is",
    "grown-ups at home don't know how Instagram works",
    "the police take ages to reply to a report",
    "reporting abuse to the police feels pointless",
    "officers never follow up after you report something",
    "teachers need training about online grooming",
    "school staff should learn how to spot grooming",
    "train teachers to recognise signs of online abuse",
    "I want a trusted adult to talk to",
    "kids need someone safe they can tell",
    "a counsellor you can talk to in confidence",
    "someone who listens without judging you",
    "👍",
    "Les parents ne comprennent pas les applications",
    "a much longer note about how the school could run an evening for parents to learn "
    "about the apps, the games and the settings that keep children safer online",
    "",
]


@pytest.fixture(scope="module")
def engine() -> suggestions.ThemeEngine:
    engine = suggestions.ThemeEngine(suggestions.ThemeModel())
    suggestions.load_model(engine)
    return engine


@pytest.fixture(scope="module")
def alone(engine) -> dict[str, np.ndarray]:
    """Each text encoded on its own: what every kept vector must equal."""
    return {t: engine.encode([t])[0] for t in TEXTS}


@pytest.fixture
def brainstorm(project):
    plan = load_plan(shipped_plans_dir() / "prep-parents-carers.toml")
    s = sessions.create_session(project, SessionDetails("Evening"), plan)
    return next(
        a for a in sessions.list_activities(project, s.id) if a.kind is ActivityKind.BRAINSTORM
    )


def add_notes(project, activity_id: str, texts: list[str]) -> list[str]:
    return [moderation.capture_paper_note(project, activity_id, t or "(blank)").id for t in texts]


def kept(project, engine) -> dict[str, repo.StoredVector]:
    db = project.store.reader()
    ids = [r[0] for r in db.execute("SELECT id FROM notes").fetchall()]
    return repo.get_vectors(db, ids, engine.identity)


def texts_of(project) -> dict[str, str]:
    return dict(project.store.reader().execute("SELECT id, text FROM notes").fetchall())


def run_keeper(project, engine, **kw) -> VectorKeeper:
    keeper = VectorKeeper(project, engine, **kw)
    keeper.start()
    keeper.notify()
    assert keeper.wait_idle(120)
    return keeper


@pytest.mark.parametrize(
    ("order", "write_batch", "encode_chunk"),
    [("as written", 32, 8), ("reversed", 5, 3), ("shuffled", 7, 1)],
)
def test_kept_vectors_equal_each_note_encoded_alone_whatever_the_order_and_batches(
    project, brainstorm, engine, alone, order, write_batch, encode_chunk
):
    texts = [t or "(blank)" for t in TEXTS]
    if order == "reversed":
        texts.reverse()
    elif order == "shuffled":
        random.Random(3).shuffle(texts)
    first, later = texts[:7], texts[7:]
    add_notes(project, brainstorm.id, first)
    keeper = run_keeper(project, engine, write_batch=write_batch, encode_chunk=encode_chunk)
    add_notes(project, brainstorm.id, later)  # arrive while it runs: it hears of them
    time.sleep(0.05)
    assert keeper.wait_idle(120)
    keeper.stop()
    found = kept(project, engine)
    by_id = texts_of(project)
    assert set(found) == set(by_id)
    fresh = {t: engine.encode([t])[0] for t in texts if t not in alone}
    for note_id, v in found.items():
        want = alone.get(by_id[note_id], fresh.get(by_id[note_id]))
        got = np.frombuffer(v.data, dtype="<f4")
        assert v.dimension == got.shape[0] == want.shape[0]
        assert float(np.abs(got - want).max()) <= 1e-5
        assert v.text_hash == repo.text_hash(by_id[note_id])
    assert not keeper.running


def test_vectors_for_reads_kept_vectors_and_encodes_and_keeps_the_rest(
    project, brainstorm, engine, alone
):
    ids = add_notes(project, brainstorm.id, TEXTS[:6])
    notes = moderation.list_wall(project, brainstorm.id)
    got = vectors_for(project, notes[:3], engine)  # encodes three and keeps them
    project.store.write_now(lambda tx: None)  # after the keeping job
    assert set(kept(project, engine)) == set(ids[:3])
    everything = vectors_for(project, notes, engine)
    assert everything.shape == (6, got.shape[1])
    for row, text in zip(everything, TEXTS[:6], strict=True):
        assert float(np.abs(row - alone[text]).max()) <= 1e-5


def test_an_edited_note_gets_a_new_vector_and_words_removed_take_theirs_away(
    project, brainstorm, engine
):
    [note_id, other] = add_notes(project, brainstorm.id, TEXTS[:2])
    keeper = run_keeper(project, engine)
    before = kept(project, engine)[note_id]

    moderation.correct_text(project, note_id, "mum doesn't get WhatsApp at all")
    time.sleep(0.05)
    assert keeper.wait_idle(60)
    after = kept(project, engine)[note_id]
    assert after.text_hash == repo.text_hash("mum doesn't get WhatsApp at all")
    want = engine.encode(["mum doesn't get WhatsApp at all"])[0]
    assert float(np.abs(np.frombuffer(after.data, dtype="<f4") - want).max()) <= 1e-5
    assert after.data != before.data

    keeper.stop()
    privacy.delete_original(project, note_id, "WhatsApp")
    assert note_id not in kept(project, engine)  # gone in the same transaction
    assert other in kept(project, engine)
    # the file holds no copy of the old vector's bytes (secure_delete, log checkpointed)
    project.close()
    raw = project.path.read_bytes()
    assert after.data not in raw and before.data not in raw


def test_a_stale_vector_is_not_used_and_a_note_gone_meanwhile_is_skipped(
    project, brainstorm, engine
):
    [note_id] = add_notes(project, brainstorm.id, ["tell a teacher"])
    v = engine.encode(["tell a teacher"])[0]
    data = v.astype("<f4").tobytes()
    stored = project.store.write_now(
        lambda tx: repo.put_vectors(
            tx.db,
            [
                repo.NewVector(note_id, "not its text", v.shape[0], data),
                repo.NewVector("no-such-note", "tell a teacher", v.shape[0], data),
            ],
            engine.identity,
            utc_now(),
        )
    )
    assert stored == 0
    assert repo.backlog(project.store.reader(), engine.identity).missing == [
        (note_id, "tell a teacher")
    ]
    assert repo.backlog(project.store.reader(), "another-model:0").total == 1


def test_suggestions_similar_notes_and_duplicates_from_kept_vectors_equal_those_from_scratch(
    project, brainstorm, engine
):
    add_notes(project, brainstorm.id, [t for t in TEXTS if t])
    run_keeper(project, engine).stop()
    b = board.board(project, brainstorm.session_id)
    cached = suggestions.suggest_for_board(b, engine, project=project)
    scratch = suggestions.suggest_for_board(b, engine)
    assert cached == scratch and len(cached) >= 2
    anchors = list(b.unthemed[:2])
    assert suggestions.similar_notes(
        b, anchors, ("parents",), 5, engine=engine, project=project
    ) == suggestions.similar_notes(b, anchors, ("parents",), 5, engine=engine)
    assert suggestions.suggest_for_activity(project, brainstorm.id, engine=engine).themes == tuple(
        engine.suggest_themes([n.text for n in b.notes])
    )
    notes = duplicates.candidates(project, brainstorm.id)
    assert duplicates.search(notes, engine, project=project) == duplicates.search(notes, engine)


def test_the_backlog_counts_notes_waiting_for_the_look_apart_when_they_are_left_to_it(
    project, brainstorm, engine
):
    ids = add_notes(project, brainstorm.id, ["one note", "two notes", "three notes"])
    project.store.write(lambda tx: arrival_repo.set_unread(tx.db, ids[1])).result()
    reader = project.store.reader()
    every = repo.backlog(reader, engine.identity)
    texts = ["one note", "two notes", "three notes"]
    assert sorted(every.missing) == sorted(zip(ids, texts, strict=True))
    assert (every.total, every.waiting) == (3, 0)
    left = repo.backlog(reader, engine.identity, leave_unread=True)
    assert sorted(left.missing) == sorted([(ids[0], "one note"), (ids[2], "three notes")])
    assert (left.total, left.waiting) == (3, 1)
    run_keeper(project, engine, look_reads=lambda: True).stop()
    assert set(kept(project, engine)) == {ids[0], ids[2]}, "the unread one is the look's"
    assert repo.backlog(reader, engine.identity, leave_unread=True) == ([], 3, 1)


def test_notes_arriving_after_the_keeper_caught_up_are_embedded_together(
    project, brainstorm, engine
):
    """Woken with nothing left to do, the keeper lets notes gather for a moment: a burst of
    events costs one look at the backlog and one write, not one each."""
    add_notes(project, brainstorm.id, ["already here"])
    progress: list[tuple[int, int]] = []
    keeper = run_keeper(
        project, engine, on_progress=lambda d, t: progress.append((d, t)), settle=2.0
    )
    try:
        assert progress[-1] == (1, 1)
        before = len(progress)
        add_notes(project, brainstorm.id, [f"{t} (burst)" for t in TEXTS if t][:10])
        assert keeper.embedded == 1, "still letting them gather"
        time.sleep(0.2)
        assert keeper.wait_idle(60)
        assert keeper.embedded == 11
        assert progress[before:] == [(1, 11), (11, 11)], "one look, one batch, then caught up"
    finally:
        keeper.stop()


def test_the_keeper_stops_at_once_while_letting_notes_gather(project, brainstorm, engine):
    keeper = VectorKeeper(project, engine, settle=600.0)
    keeper.start()
    try:
        assert keeper.wait_idle(60)  # nothing to do: caught up
        add_notes(project, brainstorm.id, ["a note that will wait"])
        time.sleep(0.1)
        assert keeper.running and keeper.embedded == 0 and not keeper.idle.is_set()
    finally:
        keeper.stop(timeout=30)
    assert not keeper.running


def test_the_keeper_stops_promptly_in_the_middle_of_a_backlog(project, brainstorm, engine, caplog):
    add_notes(project, brainstorm.id, [f"{t} ({i})" for i in range(12) for t in TEXTS if t])
    progress: list[tuple[int, int]] = []
    keeper = VectorKeeper(project, engine, on_progress=lambda d, t: progress.append((d, t)))
    keeper.start()
    deadline = time.monotonic() + 60
    while keeper.embedded == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert keeper.embedded > 0
    started = time.monotonic()
    keeper.stop()
    assert time.monotonic() - started < 2.0
    assert not keeper.running
    assert not any(t.name == "cg-vectors" for t in threading.enumerate())
    project.close()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    total = progress[0][1]
    assert total == 12 * (len(TEXTS) - 1) and progress[0][0] == 0
    assert 0 < keeper.embedded < total


def test_a_model_that_cannot_be_used_stops_the_keeper_quietly_and_says_so_once(
    project, brainstorm, tmp_path
):
    add_notes(project, brainstorm.id, TEXTS[:3])
    broken = suggestions.ThemeEngine(suggestions.ThemeModel(tmp_path / "no-model-here"))
    said: list[str] = []
    keeper = VectorKeeper(project, broken, on_unavailable=said.append)
    keeper.start()
    keeper._thread.join(10)
    assert not keeper.running
    assert len(said) == 1 and "theme model" in said[0] and keeper.problem == said[0]
    add_notes(project, brainstorm.id, ["the project works as before"])
    keeper.notify()
    keeper.stop()
    assert len(moderation.list_wall(project, brainstorm.id)) == 4
    assert kept(project, broken) == {}


@pytest.mark.parametrize(
    ("done", "total", "shown", "words"),
    [
        (120, 300, False, "Preparing theme suggestions: 120 of 300 notes"),
        (290, 300, False, ""),  # a few waiting: a room posting, not news
        (290, 300, True, "Preparing theme suggestions: 290 of 300 notes"),
        (300, 300, True, ""),
        (0, 0, False, ""),
    ],
)
def test_the_status_bar_speaks_of_a_backlog_only(done, total, shown, words):
    assert progress_words(done, total, shown=shown) == words


def test_a_read_only_project_embeds_on_demand_and_keeps_nothing(project, brainstorm, engine):
    from workshop_app.services.project import open_project

    add_notes(project, brainstorm.id, TEXTS[:2])
    path = project.path
    project.close()
    with open_project(path, read_only=True) as p:
        keeper = VectorKeeper(p, engine)
        keeper.start()
        assert not keeper.running
        notes = moderation.list_wall(p, brainstorm.id)
        assert vectors_for(p, notes, engine).shape[0] == 2
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM note_vectors").fetchone()[0] == 0
    conn.close()


def _exported_bytes(path) -> list[bytes]:
    """Every file an export wrote, opened up (Word, QDPX and CSV zips are zip files)."""
    import zipfile

    files = sorted(path.rglob("*")) if path.is_dir() else [path]
    found: list[bytes] = []
    for f in files:
        if f.is_dir():
            continue
        if zipfile.is_zipfile(f):
            with zipfile.ZipFile(f) as z:
                found += [z.read(name) for name in z.namelist()]
        else:
            found.append(f.read_bytes())
    return found


def test_no_export_holds_a_vector_or_names_the_vector_cache(project, brainstorm, engine, tmp_path):
    from workshop_app.services import datasets, qda, reports

    add_notes(project, brainstorm.id, TEXTS[:5])
    run_keeper(project, engine).stop()
    stored = list(kept(project, engine).values())
    assert len(stored) == 5
    out = tmp_path / "out"
    out.mkdir()
    session_id = brainstorm.session_id
    datasets.write_csv(project, None, out / "csv")
    datasets.write_csv(project, session_id, out / "session.zip")
    datasets.write_json(project, None, out / "all.json")
    reports.write_session_summary(project, session_id, out / "summary.docx")
    reports.write_framework(project, out / "framework.docx")
    qda.write_qdpx(project, None, out / "all.qdpx")
    exported = _exported_bytes(out)
    assert len(exported) >= 6
    for content in exported:
        lowered = content.lower()
        assert b"note_vectors" not in lowered and b"text_hash" not in lowered
        assert b"vector" not in lowered
        for v in stored:  # no vector's bytes, nor its first values written as text
            assert v.data[:64] not in content
            first = f"{float(np.frombuffer(v.data, dtype='<f4')[0]):.6f}".encode()
            assert first not in content


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a thread's own nice value")
def test_the_keeper_runs_below_the_gui_but_not_at_the_lowest_priority(project, engine):
    """Nice 5, not 19: the keeper shares Python's interpreter lock with the GUI and the
    phones' server, and at 19 a preempted holder of it kept them waiting 190-280 ms when
    other programs kept both cores busy (decision 037)."""
    keeper = VectorKeeper(project, engine)
    keeper.start()
    try:
        assert keeper.wait_idle(60)
        tid = keeper._thread.native_id
        assert tid is not None
        mine = os.getpriority(os.PRIO_PROCESS, 0)
        assert os.getpriority(os.PRIO_PROCESS, tid) == max(mine, BACKGROUND_NICENESS)
        assert BACKGROUND_NICENESS == 5
    finally:
        keeper.stop()
