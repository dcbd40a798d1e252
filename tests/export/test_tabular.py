"""CSV and JSON files with their codebook (export/tabular.py), from hand-made rows."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, datetime

import pytest

from workshop_app.export import tabular
from workshop_app.export.tabular import TABLES, Dataset, csv_text, neutralise

WHEN = datetime(2026, 9, 12, 10, 30, tzinfo=UTC)


def _data(**rows) -> Dataset:
    return Dataset(
        project_title="Safer Online Together",
        scope="Whole project (1 session)",
        session_id=None,
        generated_at=WHEN,
        rules="Consensus in: at least 70% of raters score 7-9 …",
        tables=rows,
    )


def _note(text: str, **more) -> dict:
    return {"note_id": "n1", "text": text, "status": "shown", "edited": False, **more}


def _read_csv(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark, for Excel"
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+1 more thing", "'+1 more thing"),
        ("-1 for this", "'-1 for this"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("\tindented", "'\tindented"),
        ("\rcarriage", "'\rcarriage"),
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("safe text", "safe text"),
        ("a = b", "a = b"),
        ("email me@x.com", "email me@x.com"),
        ("", ""),
        (-1, -1),  # numbers are numbers, never formulas
        (3, 3),
        (None, None),
        (True, True),
    ],
)
def test_cells_a_spreadsheet_would_run_get_a_leading_apostrophe(cell, expected):
    assert neutralise(cell) == expected


def test_a_csv_file_neutralises_text_cells_but_json_keeps_them_raw(tmp_path):
    texts = ["=cmd|' /C calc'!A0", "+1", "-1", "@SUM(A1)", "\tx", "ordinary"]
    data = _data(notes=[_note(t, note_id=f"n{i}") for i, t in enumerate(texts)])
    rows = _read_csv(tabular.csv_files(data)["notes.csv"])
    assert [r["text"] for r in rows] == [
        "'=cmd|' /C calc'!A0",
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "'\tx",
        "ordinary",
    ]
    doc = json.loads(tabular.json_text(data))
    assert [n["text"] for n in doc["notes"]] == texts
    assert any("apostrophe" in p for p in doc["codebook"]["about"]), "the JSON codebook warns"


def test_values_are_written_plainly_in_csv():
    table = tabular.TABLES_BY_NAME["notes"]
    text = csv_text(table, [_note('she said "hi", then left\nnew line', edited=True)])
    row = next(csv.DictReader(io.StringIO(text, newline="")))
    assert row["text"] == 'she said "hi", then left\nnew line'
    assert row["edited"] == "true" and row["duplicate_of"] == "" and row["status"] == "shown"
    assert text.splitlines(keepends=True)[0].endswith("\r\n")


def test_a_row_with_a_column_the_codebook_lacks_is_refused():
    with pytest.raises(ValueError, match="participant_id"):
        csv_text(tabular.TABLES_BY_NAME["notes"], [_note("x", participant_id="p1")])
    with pytest.raises(ValueError, match="participant_id"):
        tabular.json_document(_data(votes=[{"dots": 1, "participant_id": "p1"}]))


def test_the_codebook_describes_every_column_of_every_file(tmp_path):
    data = _data(notes=[_note("hello")])
    folder = tabular.write_csv_folder(data, tmp_path / "out")
    described = {
        (r["file"], r["column"]) for r in _read_csv((folder / "codebook.csv").read_bytes())
    }
    markdown = (folder / "codebook.md").read_text(encoding="utf-8")
    data_files = sorted(p for p in folder.glob("*.csv") if p.name != "codebook.csv")
    assert [p.stem for p in data_files] == sorted(t.name for t in TABLES)
    for path in data_files:
        header = next(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
        assert header, path.name
        for column in header:
            assert (path.stem, column) in described, f"{path.name}: {column}"
            assert f"| {column} |" in markdown, f"{path.name}: {column} in codebook.md"
        assert f"### {path.name}" in markdown
    codebook_header = next(
        csv.reader(io.StringIO((folder / "codebook.csv").read_bytes().decode("utf-8-sig")))
    )
    for column in codebook_header:
        assert f"| {column} |" in markdown
    for t in TABLES:
        assert all(c.description and c.type for c in t.columns), t.name


def test_the_markdown_codebook_says_what_the_export_is():
    md = tabular.codebook_markdown(_data(notes=[_note("a"), _note("b", note_id="n2")]))
    assert md.startswith("# Codebook: Safer Online Together\n")
    assert "Whole project (1 session)" in md and "2026-09-12T10:30:00+00:00" in md
    assert "### notes.csv (2 rows)" in md and "### votes.csv (0 rows)" in md
    assert "Consensus in: at least 70%" in md
    assert "Participant identifiers are never exported" in md


def test_a_zip_holds_the_same_files_as_a_folder(tmp_path):
    data = _data(notes=[_note("=1+1")], sessions=[{"session_id": "s1", "title": "Club"}])
    tabular.write_csv_zip(data, tmp_path / "data.zip")
    tabular.write_csv_folder(data, tmp_path / "folder")
    with zipfile.ZipFile(tmp_path / "data.zip") as zf:
        names = sorted(zf.namelist())
        assert names == sorted(p.name for p in (tmp_path / "folder").iterdir())
        for name in names:
            assert zf.read(name) == (tmp_path / "folder" / name).read_bytes(), name
    assert not list(tmp_path.glob("*.part")), "no half-written files left behind"


def test_json_is_one_object_that_parses_back_to_the_same_rows(tmp_path):
    notes = [
        _note("“quotes” and – dashes, 8–12 😀", duplicate_of="n0", created_at=WHEN.isoformat())
    ]
    votes = [{"target_id": "t1", "target_type": "theme", "dots": 4, "voters": 3, "group_id": None}]
    data = _data(notes=notes, votes=votes)
    tabular.write_json(data, tmp_path / "data.json")
    doc = json.loads((tmp_path / "data.json").read_text(encoding="utf-8"))
    assert doc["format"] == "common-ground-data" and doc["format_version"] == 2
    assert doc["generated_at"] == "2026-09-12T10:30:00+00:00"
    assert doc["rules"].startswith("Consensus in")
    assert doc["scope"] == {"session_id": None, "description": "Whole project (1 session)"}
    assert doc["notes"][0]["text"] == "“quotes” and – dashes, 8–12 😀"
    assert doc["notes"][0]["edited"] is False and doc["notes"][0]["group_id"] is None
    assert doc["votes"] == [
        {
            "session_id": None,
            "activity_id": None,
            "activity_title": None,
            "target_type": "theme",
            "target_id": "t1",
            "target_text": None,
            "group_id": None,
            "group_name": None,
            "dots": 4,
            "voters": 3,
        }
    ]
    tables = {t["name"]: [c["name"] for c in t["columns"]] for t in doc["codebook"]["tables"]}
    for t in TABLES:
        assert t.name in doc and tables[t.name] == list(t.column_names)
        for row in doc[t.name]:
            assert list(row) == tables[t.name]


def test_the_researchers_guide_lists_every_file_and_column():
    from pathlib import Path

    guide = (Path(__file__).resolve().parents[2] / "docs" / "exports.md").read_text("utf-8")
    for t in (*TABLES, tabular.CODEBOOK_TABLE):
        section = guide.split(f"### {t.name}.csv\n", 1)[1].split("\n### ", 1)[0]
        for c in t.columns:
            assert f"| `{c.name}` |" in section, f"{t.name}.{c.name}"
