"""The writer's answers reach the server's loop with the same outcome as `asyncio.wrap_future`,
and a batch's answers in one wake-up (web/relay.py). A real writer on a real project file."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path

import pytest

from workshop_app.storage.store import Store
from workshop_app.storage.writer import Tx
from workshop_app.web.relay import Relay


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.create(tmp_path / "relay.cground")
    yield s
    s.close()


def put(key: str):
    def job(tx: Tx) -> str:
        tx.db.execute("INSERT INTO settings (key, value) VALUES (?, '1')", [key])
        return key

    return job


def refuse(tx: Tx) -> None:
    raise ValueError("not this one")


def stored(store: Store, key: str) -> bool:
    return store.writer.call(
        lambda tx: (
            tx.db.execute("SELECT count(*) FROM settings WHERE key = ?", [key]).fetchone()[0] == 1
        )
    )


def hold(store: Store) -> tuple[threading.Event, threading.Event]:
    """A job that keeps the writer busy until released, so the next jobs queue behind it."""
    started, release = threading.Event(), threading.Event()

    def busy(tx: Tx) -> None:
        started.set()
        release.wait(10)

    store.writer.submit(busy)
    assert started.wait(10)
    return started, release


def test_results_and_refusals_arrive_as_submitted(store: Store) -> None:
    async def main() -> list[object]:
        relay = Relay(asyncio.get_running_loop())
        waits = [relay.wait(store.writer.submit(put(f"k{i}"))) for i in range(5)]
        waits.append(relay.wait(store.writer.submit(refuse)))
        return await asyncio.gather(*waits, return_exceptions=True)

    outcomes = asyncio.run(main())
    assert outcomes[:5] == [f"k{i}" for i in range(5)]
    assert isinstance(outcomes[5], ValueError) and str(outcomes[5]) == "not this one"
    assert all(stored(store, f"k{i}") for i in range(5))


def test_an_answer_already_there_is_handed_over(store: Store) -> None:
    done = store.writer.submit(put("early"))
    done.result(10)

    async def main() -> str:
        return await Relay(asyncio.get_running_loop()).wait(done)

    assert asyncio.run(main()) == "early"


def test_a_batch_is_handed_over_in_one_wake_up(store: Store) -> None:
    _, release = hold(store)

    async def main() -> tuple[list[str], int]:
        relay = Relay(asyncio.get_running_loop())
        waits = [relay.wait(store.writer.submit(put(f"b{i}"))) for i in range(40)]
        release.set()
        # Block this loop until the forty have committed and been answered (a later job):
        # every answer arrives while the loop is busy, so one hand-over must take them all.
        store.writer.call(lambda tx: None)
        got = await asyncio.gather(*waits)
        return got, relay.wakeups

    got, wakeups = asyncio.run(main())
    assert got == [f"b{i}" for i in range(40)]
    assert wakeups == 1  # asyncio.wrap_future would have woken the loop forty times


def test_answers_arriving_while_the_loop_runs_all_get_there(store: Store) -> None:
    """Hand-overs racing fresh answers (the loop awake, the writer answering): none is lost."""

    async def main() -> list[str]:
        relay = Relay(asyncio.get_running_loop())
        got: list[str] = []
        for round_ in range(20):
            waits = [relay.wait(store.writer.submit(put(f"r{round_}-{i}"))) for i in range(25)]
            got.extend(await asyncio.wait_for(asyncio.gather(*waits), 10))
        return got

    got = asyncio.run(main())
    assert len(got) == 500 and len(set(got)) == 500


def test_a_handler_that_stops_waiting_cancels_a_job_not_yet_run(store: Store) -> None:
    _, release = hold(store)
    ran = threading.Event()

    def job(tx: Tx) -> None:
        ran.set()

    async def main() -> Future[None]:
        relay = Relay(asyncio.get_running_loop())
        queued = store.writer.submit(job)
        waiter = relay.wait(queued)
        waiter.cancel()
        await asyncio.sleep(0)  # the waiter's callbacks run
        return queued

    queued = asyncio.run(main())
    release.set()
    store.writer.call(lambda tx: None)
    assert queued.cancelled()
    assert not ran.is_set()


def test_a_job_cancelled_elsewhere_cancels_the_wait(store: Store) -> None:
    _, release = hold(store)

    async def main() -> bool:
        relay = Relay(asyncio.get_running_loop())
        queued = store.writer.submit(put("never"))
        waiter = relay.wait(queued)
        assert queued.cancel()
        try:
            await asyncio.wait_for(waiter, 10)
        except asyncio.CancelledError:
            return True
        return False

    try:
        assert asyncio.run(main())
    finally:
        release.set()
    assert not stored(store, "never")


def test_an_answer_after_the_loop_closed_is_dropped_quietly(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    _, release = hold(store)
    loop = asyncio.new_event_loop()
    relay = Relay(loop)
    queued = store.writer.submit(put("late"))
    relay.wait(queued)
    loop.close()
    release.set()
    assert queued.result(10) == "late"  # stored and answered; no loop to tell
    store.writer.call(lambda tx: None)
    assert "exception calling callback" not in caplog.text
