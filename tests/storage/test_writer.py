"""The single writer: answers only after COMMIT, one savepoint per job, events after commit."""

from __future__ import annotations

import gc
import sqlite3
import threading
import weakref
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from workshop_app.storage.errors import StoreClosedError
from workshop_app.storage.store import Store
from workshop_app.storage.writer import MAX_BATCH, Tx


@pytest.fixture
def store(tmp_path: Path):
    s = Store.create(tmp_path / "w.cground")
    yield s
    s.close()


def put(key: str, value: str = "v"):
    def job(tx: Tx) -> str:
        tx.db.execute("INSERT INTO settings (key, value) VALUES (?, ?)", [key, f'"{value}"'])
        tx.emit(("stored", key))
        return key

    return job


def fail(tx: Tx) -> None:
    tx.db.execute("INSERT INTO settings (key, value) VALUES ('doomed', '1')")
    tx.emit(("stored", "doomed"))
    raise ValueError("this job changes its mind")


def keys_on_disk(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT key FROM settings")}
    finally:
        conn.close()


def hold(store: Store) -> threading.Event:
    """Occupy the writer until the returned event is set, so later jobs queue up."""
    started, release = threading.Event(), threading.Event()

    def blocker(tx: Tx) -> None:
        started.set()
        release.wait(10)

    store.write(blocker)
    started.wait(10)
    return release


def test_a_job_is_answered_only_when_its_data_is_on_disk(store: Store) -> None:
    assert store.write_now(put("a")) == "a"
    assert "a" in keys_on_disk(store.path)  # another connection sees it at once


def test_queued_jobs_share_one_transaction_and_a_failing_one_rolls_back_alone(
    store: Store,
) -> None:
    release = hold(store)
    batches_before = store.writer.batches
    futures = [store.write(put("one")), store.write(fail), store.write(put("two"))]
    release.set()
    assert futures[0].result(10) == "one"
    with pytest.raises(ValueError, match="changes its mind"):
        futures[1].result(10)
    assert futures[2].result(10) == "two"
    assert keys_on_disk(store.path) >= {"one", "two"}
    assert "doomed" not in keys_on_disk(store.path)
    assert store.writer.batches - batches_before == 2  # the blocker's batch and ours


def test_a_full_batch_with_failures_scattered_through_it_keeps_every_other_job(
    store: Store,
) -> None:
    """Every job's savepoint is the same name, opened and closed in turn: a failure rolls
    back its own job alone wherever it falls in a batch of the writer's largest size."""
    release = hold(store)
    batches_before = store.writer.batches
    failing = {0, 1, 57, 128, MAX_BATCH - 1}
    futures = [store.write(fail if n in failing else put(f"k{n}")) for n in range(MAX_BATCH)]
    release.set()
    for n, future in enumerate(futures):
        if n in failing:
            with pytest.raises(ValueError, match="changes its mind"):
                future.result(10)
        else:
            assert future.result(10) == f"k{n}"
    on_disk = keys_on_disk(store.path)
    assert on_disk >= {f"k{n}" for n in range(MAX_BATCH) if n not in failing}
    assert "doomed" not in on_disk
    assert store.writer.batches - batches_before == 2  # the blocker's batch and ours


class Answer:
    """A job's answer that can be watched for being freed."""


def test_a_refused_job_leaves_its_batch_to_be_freed_without_the_garbage_collector(
    store: Store,
) -> None:
    """A refused job's exception keeps its traceback, which kept the writer's frame and so
    the whole batch in a reference cycle: every write of a batch with one refusal became
    garbage the collector had to find (and, frozen while serving, kept: decision 033)."""
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()  # only reference counting frees anything below
    try:
        freed: list[int] = []

        def answer(n: int):
            def job(tx: Tx) -> Answer:
                a = Answer()
                weakref.finalize(a, freed.append, n)
                return a

            return job

        release = hold(store)
        futures = [store.write(answer(0)), store.write(fail), store.write(answer(1))]
        release.set()
        assert [type(futures[0].result(10)), type(futures[2].result(10))] == [Answer, Answer]
        with pytest.raises(ValueError, match="changes its mind") as refused:
            futures[1].result(10)
        store.write_now(put("after"))  # the batch is done, and what follows it
        del futures, refused
        assert sorted(freed) == [0, 1], "freed by reference counting alone"
    finally:
        if was_enabled:
            gc.enable()


def test_events_are_published_after_commit_and_only_for_jobs_that_succeeded(
    tmp_path: Path,
) -> None:
    path = tmp_path / "e.cground"
    seen: list[tuple[object, bool]] = []

    def on_commit(events: list[object]) -> None:
        for event in events:
            key = event[1]  # type: ignore[index]
            seen.append((event, key in keys_on_disk(path)))

    store = Store.create(path, on_commit=on_commit)
    try:
        release = hold(store)
        futures = [store.write(put("x")), store.write(fail), store.write(put("y"))]
        release.set()
        for f in futures:
            f.exception(10)
    finally:
        store.close()
    assert seen == [(("stored", "x"), True), (("stored", "y"), True)]


def test_a_failed_transaction_fails_every_job_in_it(store: Store) -> None:
    release = hold(store)

    def breaks_the_transaction(tx: Tx) -> None:
        tx.db.conn.execute("COMMIT")  # a buggy job ending the writer's transaction
        tx.db.conn.execute("BEGIN")

    f1 = store.write(put("p"))
    f2 = store.write(breaks_the_transaction)
    release.set()
    # Neither job is told "done": the batch's COMMIT is what answers, and it failed.
    assert isinstance(f1.exception(10), sqlite3.OperationalError)
    assert isinstance(f2.exception(10), sqlite3.OperationalError)
    # The writer is still alive afterwards.
    assert store.write_now(put("after")) == "after"


def test_many_threads_writing_at_once_lose_nothing(store: Store) -> None:
    def writer_thread(n: int) -> list[str]:
        return [store.write_now(put(f"t{n}-{i}")) for i in range(40)]

    with ThreadPoolExecutor(8) as pool:
        results = [k for ks in pool.map(writer_thread, range(8)) for k in ks]
    assert len(results) == 320
    assert {f"t{n}-{i}" for n in range(8) for i in range(40)} <= keys_on_disk(store.path)


def test_closing_finishes_queued_jobs_then_refuses_new_ones(tmp_path: Path) -> None:
    store = Store.create(tmp_path / "c.cground")
    release = hold(store)
    futures = [store.write(put(f"k{i}")) for i in range(5)]
    release.set()
    store.close()
    assert [f.result(1) for f in futures] == [f"k{i}" for i in range(5)]
    with pytest.raises(StoreClosedError):
        store.write(put("late"))
    with pytest.raises(StoreClosedError):
        store.reader()


def test_readers_are_per_thread_and_read_only(store: Store) -> None:
    db = store.reader()
    assert store.reader() is db
    other: list[object] = []
    t = threading.Thread(target=lambda: other.append(store.reader()))
    t.start()
    t.join()
    assert other[0] is not db
    with pytest.raises(sqlite3.OperationalError, match=r"readonly|read-only|query_only"):
        db.execute("INSERT INTO settings (key, value) VALUES ('x', '1')")
