"""A project file that is full, as on a full disk: SQLite may add no page
(`max_page_count`), and the room left inside the file's pages is used up."""

from __future__ import annotations

from contextlib import suppress

from workshop_app.storage.errors import DiskFullError
from workshop_app.storage.store import Store


def fill(store: Store) -> None:
    """No page may be added and the free room in the pages is used up: the next write that
    needs a page fails with DiskFullError."""
    store.write_now(lambda tx: tx.db.execute("CREATE TABLE IF NOT EXISTS test_filler(x)"))
    pages = store.write_now(lambda tx: tx.db.execute("PRAGMA page_count").fetchone()[0])
    store.write_now(lambda tx: tx.db.execute(f"PRAGMA max_page_count = {pages}"))
    for size in (4096, 512, 64, 8):
        with suppress(DiskFullError):
            while True:
                store.write_now(
                    lambda tx, n=size: tx.db.execute(
                        "INSERT INTO test_filler VALUES (randomblob(?))", [n]
                    )
                )


def free(store: Store) -> None:
    """Room again (as when the facilitator has emptied the bin)."""
    store.write_now(lambda tx: tx.db.execute("PRAGMA max_page_count = 1073741823"))
