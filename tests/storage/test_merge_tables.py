"""Every table has a merge rule; schema step 9 (the merge record) from a stored v8 file."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from workshop_app.core.merge_rules import RULE_FOR, RULES, How, tables_without_rule
from workshop_app.storage.db import check_and_upgrade, create_file
from workshop_app.storage.schema import MIGRATIONS

FIXTURES = Path(__file__).parent / "fixtures"


def _tables(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()


def test_every_table_of_a_project_file_has_a_merge_rule(tmp_path: Path) -> None:
    """A new table is merged only once someone has decided how: add its TableRule to
    core/merge_rules.py (and its line to docs/project-file.md, "Merging")."""
    path = tmp_path / "fresh.cground"
    create_file(path)
    assert tables_without_rule(_tables(path)) == []


def test_every_rule_names_a_table_that_exists(tmp_path: Path) -> None:
    path = tmp_path / "fresh.cground"
    create_file(path)
    assert {r.table for r in RULES} <= _tables(path)


def test_every_rule_is_written_down_in_the_project_file_docs() -> None:
    text = (Path(__file__).parents[2] / "docs" / "project-file.md").read_text(encoding="utf-8")
    merging = text.split("## Merging", 1)[1]
    for rule in RULES:
        assert f"`{rule.table}`" in merging, rule.table


def test_key_rules_name_the_columns_of_their_table(tmp_path: Path) -> None:
    path = tmp_path / "fresh.cground"
    create_file(path)
    conn = sqlite3.connect(path)
    try:
        for rule in RULES:
            columns = {r[1] for r in conn.execute(f'PRAGMA table_info("{rule.table}")')}
            assert set(rule.key) <= columns, rule.table
            assert set(rule.refs) <= columns, rule.table
            for table in rule.refs.values():
                assert RULE_FOR[table].how is How.ID
    finally:
        conn.close()


def test_step_9_adds_an_empty_merge_record_and_keeps_the_data(tmp_path: Path) -> None:
    """v9: merges, the rows each brought and the standards flagged. A file from v8 has
    had no merge: its tables are empty and everything else is as it was."""
    path = tmp_path / "old.cground"
    shutil.copy(FIXTURES / "project-v8.cground", path)
    conn = sqlite3.connect(path)
    notes_before = conn.execute("SELECT id, text FROM notes ORDER BY id").fetchall()
    conn.close()

    check_and_upgrade(path, MIGRATIONS[:9])

    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 9
    for table in ("merges", "merge_rows", "merged_standards"):
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
    assert conn.execute("SELECT id, text FROM notes ORDER BY id").fetchall() == notes_before
    conn.close()


def test_the_stored_v9_file_keeps_its_merge_and_where_its_rows_came_from(tmp_path: Path) -> None:
    path = tmp_path / "v9.cground"
    shutil.copy(FIXTURES / "project-v9.cground", path)
    check_and_upgrade(path)
    conn = sqlite3.connect(path)
    [(merge_id, source_file, title)] = conn.execute(
        "SELECT id, source_file, source_title FROM merges"
    ).fetchall()
    assert source_file == "other laptop.cground" and title == "Fixture project (second laptop)"
    brought = conn.execute(
        "SELECT n.text FROM merge_rows r JOIN notes n ON n.id = r.row_id "
        "WHERE r.merge_id = ? AND r.table_name = 'notes'",
        [merge_id],
    ).fetchall()
    assert brought == [("Paper: a helpline number",)]
    names = [r[0] for r in conn.execute("SELECT name FROM stakeholder_groups ORDER BY position")]
    assert names.count("Parents & carers") == 1  # offered, not accepted: a group of its own
    conn.close()
