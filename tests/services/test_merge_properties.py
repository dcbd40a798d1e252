"""Merge properties with hypothesis, on real project files changed through the services:
merging is idempotent, A then B equals B then A up to order, the counts add up, and
the sources' bytes never change.

Each example copies one base project to three laptops (the target T and the sources A
and B), changes each through the services, then merges. A and B change the base
independently of each other (their new groups and themes have names of their own; a
safeguarding flag reads the same on both), which is what makes the order not matter:
where two sources disagree about a row the target also has, the target's is kept and
both others sit beside it. (Where the target lacks a row both sources changed, the first
merged is kept and the second's is beside it: docs/project-file.md, "Merging".)
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workshop_app.core.model import ActivityKind, GroupKind
from workshop_app.infra.paths import shipped_plans_dir
from workshop_app.services import board, groups, merge, moderation, sessions, standards
from workshop_app.services.plans import load_plan
from workshop_app.services.project import create_project, open_project
from workshop_app.services.sessions import SessionDetails
from workshop_app.services.standards import StandardFields
from workshop_app.storage.merge import sha256_of

RECORD = {"merges", "merge_rows"}  # the merge's record of itself: ids and times differ
ORDER = {"position"}  # "up to order": where new groups and standards are put


@pytest.fixture(scope="module")
def base() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "base.cground"
        with create_project(path, "Base") as p:
            plan = load_plan(shipped_plans_dir() / "prep-parents-carers.toml")
            s = sessions.create_session(p, SessionDetails("Evening"), plan)
            brainstorm = next(
                a for a in sessions.list_activities(p, s.id) if a.kind is ActivityKind.BRAINSTORM
            )
            notes = [
                moderation.capture_paper_note(p, brainstorm.id, f"Base note {i}").id
                for i in range(4)
            ]
            board.create_theme(p, s.id, "Base theme", note_ids=notes[:1])
            standards.create_standard(p, StandardFields("Trusted adult", "Base statement."))
        yield path


words = st.text(alphabet="abcdefgh ", min_size=1, max_size=12).map(str.strip).filter(bool)
op = st.one_of(
    st.tuples(st.just("note"), words),
    st.tuples(st.just("edit"), st.integers(0, 3), words),
    st.tuples(st.just("flag"), st.integers(0, 3)),
    st.tuples(st.just("standard"), words),
    st.tuples(st.just("group"), words),
    st.tuples(st.just("theme"), words),
    st.tuples(st.just("rename"), words),
)
ops = st.lists(op, max_size=5)


def change(path: Path, side: str, changes: list[tuple[Any, ...]]) -> None:
    """Apply `changes` on one laptop; names that must not meet the other side's carry
    `side`."""
    with open_project(path) as p:
        [s] = sessions.list_sessions(p)
        b = board.board(p, s.id)
        base_notes = [n.id for n in b.notes if n.text.startswith("Base note")]
        brainstorm = b.notes[0].activity_id
        mine: list[str] = []
        for n, (kind, *args) in enumerate(changes):
            if kind == "note":
                mine.append(moderation.capture_paper_note(p, brainstorm, f"{side} {args[0]}").id)
            elif kind == "edit":
                moderation.correct_text(p, base_notes[args[0]], f"{side} edit {args[1]}")
            elif kind == "flag":
                moderation.flag(p, base_notes[args[0]], True, "follow up")
            elif kind == "standard":
                [std] = [x for x in standards.list_standards(p) if x.title == "Trusted adult"]
                fields = replace(StandardFields.of(std), statement=f"{side}: {args[0]}.")
                standards.update_standard(p, std.id, fields)
            elif kind == "group":
                groups.add_group(p, f"{side} {args[0]} {n}", GroupKind.OTHER)
            elif kind == "theme" and mine:
                board.create_theme(p, s.id, f"{side} {args[0]} {n}", note_ids=mine[-1:])
            elif kind == "rename":
                theme = next(t for t in board.board(p, s.id).themes if t.position == 0)
                board.rename_theme(p, s.id, theme.id, f"{side} {args[0]} {n}")


def content(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, without the merge's own record and without positions."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        out = {}
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'"):
            if table in RECORD:
                continue
            cursor = conn.execute(f'SELECT * FROM "{table}"')
            columns = [d[0] for d in cursor.description]
            keep = [i for i, c in enumerate(columns) if c not in ORDER and c != "merge_id"]
            out[table] = sorted(
                (tuple(row[i] for i in keep) for row in cursor), key=lambda r: repr(r)
            )
        return out
    finally:
        conn.close()


def counts(path: Path) -> dict[str, int]:
    return {t: len(rows) for t, rows in content(path).items()}


def merged(target: Path, *sources: Path) -> list[dict[str, int]]:
    """Merge each source in turn; returns each merge's counts, checking they add up."""
    done = []
    for source in sources:
        before = counts(target)
        with open_project(target) as p:
            [d] = merge.merge(p, [merge.read_source(source, target)])
        after = counts(target)
        for table, n in after.items():
            assert n == before[table] + d.plan.counts.get(table, 0), table
        done.append(d.plan.counts)
    return done


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(t_ops=ops, a_ops=ops, b_ops=ops)
def test_merging_is_idempotent_and_order_free_counts_add_up_and_sources_never_change(
    base: Path, t_ops: list[tuple[Any, ...]], a_ops: list[tuple[Any, ...]], b_ops: list[Any]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        d = Path(folder)
        t1, t2, a, b = (d / f"{n}.cground" for n in ("t1", "t2", "a", "b"))
        for path in (t1, a, b):
            shutil.copy(base, path)
        change(t1, "T", t_ops)
        change(a, "A", a_ops)
        change(b, "B", b_ops)
        shutil.copy(t1, t2)
        digests = sha256_of(a), sha256_of(b)

        merged(t1, a, b)
        merged(t2, b, a)
        assert content(t1) == content(t2)

        once = content(t1)
        assert merged(t1, a, b) == [{}, {}]
        assert content(t1) == once
        assert (sha256_of(a), sha256_of(b)) == digests
