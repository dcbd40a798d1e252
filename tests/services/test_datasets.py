"""Research data exports (services/datasets.py) of the demo project: what each file holds,
redactions applied, hidden notes, one session or all, and no participant id anywhere."""

from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from workshop_app.core.model import ActivityKind
from workshop_app.core.redaction import REMOVED, Decision, DetailKind
from workshop_app.export.tabular import TABLES
from workshop_app.services import datasets, moderation, privacy, sessions
from workshop_app.services import project as project_service
from workshop_app.services.demo import write_demo
from workshop_app.services.project import open_project

PHONE = "07700 900123"


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.cground"
    write_demo(path)
    return path


@pytest.fixture
def demo(demo_file, tmp_path):
    path = tmp_path / "demo.cground"
    shutil.copy(demo_file, path)
    with open_project(path) as p:
        yield p


def _sql(p, sql, params=()):
    return p.store.reader().conn.execute(sql, params).fetchall()


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def _a_note(p, session_index=0):
    s = sessions.list_sessions(p)[session_index]
    a = next(a for a in sessions.list_activities(p, s.id) if a.kind is ActivityKind.BRAINSTORM)
    return s, moderation.list_wall(p, a.id)[0]


def test_every_table_of_the_demo_is_written_with_its_rows(demo, tmp_path):
    written = datasets.write_csv(demo, None, tmp_path / "out")
    assert written.path == tmp_path / "out"
    for t in TABLES:
        rows = _csv(tmp_path / "out" / f"{t.name}.csv")
        assert len(rows) == written.rows[t.name] > 0, t.name
    notes = _sql(demo, "SELECT count(*) FROM notes WHERE withdrawn_at IS NULL")[0][0]
    assert written.rows["notes"] == notes
    assert written.rows["sessions"] == len(sessions.list_sessions(demo))


def test_no_participant_id_appears_in_any_file(demo, tmp_path):
    ids = [r[0] for r in _sql(demo, "SELECT id FROM participants")]
    keys = [r[0] for r in _sql(demo, "SELECT idempotency_key FROM notes") if r[0]]
    assert len(ids) > 50
    datasets.write_csv(demo, None, tmp_path / "folder")
    datasets.write_csv(demo, None, tmp_path / "data.zip")
    datasets.write_json(demo, None, tmp_path / "data.json")
    outputs = [p.read_bytes().decode("utf-8-sig") for p in (tmp_path / "folder").iterdir()]
    with zipfile.ZipFile(tmp_path / "data.zip") as zf:
        outputs += [zf.read(n).decode("utf-8-sig") for n in zf.namelist()]
    outputs.append((tmp_path / "data.json").read_text(encoding="utf-8"))
    everything = "\n".join(outputs)
    for secret in ids + keys:
        assert secret not in everything
    assert "participant_id" not in everything


def test_votes_and_ratings_add_up_to_what_was_cast(demo, tmp_path):
    datasets.write_csv(demo, None, tmp_path / "out")
    votes = _csv(tmp_path / "out" / "votes.csv")
    ratings = _csv(tmp_path / "out" / "ratings.csv")
    assert sum(int(v["dots"]) for v in votes) == _sql(demo, "SELECT sum(dots) FROM votes")[0][0]
    assert sum(int(v["voters"]) for v in votes) == _sql(demo, "SELECT count(*) FROM votes")[0][0]
    assert (
        sum(int(r["raters"]) for r in ratings) == _sql(demo, "SELECT count(*) FROM ratings")[0][0]
    )
    themes = {t["theme_id"]: t["name"] for t in _csv(tmp_path / "out" / "themes.csv")}
    for v in votes:
        if v["target_type"] == "theme":
            assert v["target_text"] == themes[v["target_id"]]
    assert {r["scale"] for r in ratings} == {"nine_point", "smiley"}
    for r in ratings:
        assert 1 <= int(r["value"]) <= 9 and r["group_name"]


def test_one_session_holds_only_its_own_rows(demo, tmp_path):
    s = sessions.list_sessions(demo)[0]
    data = datasets.dataset(demo, s.id)
    assert data.scope == f"Session: {s.title}" and data.session_id == s.id
    for table in ("sessions", "groups", "activities", "notes", "themes", "votes", "ratings"):
        assert {r["session_id"] for r in data.rows(table)} <= {s.id}, table
    assert data.rows("notes")
    note_ids = {n["note_id"] for n in data.rows("notes")}
    assert {tn["note_id"] for tn in data.rows("theme_notes")} <= note_ids


def test_removed_words_read_removed_in_csv_and_json(demo, tmp_path):
    _s, note = _a_note(demo)
    moderation.correct_text(demo, note.id, f"{note.text} call {PHONE}")
    privacy.decide(demo, note.id, PHONE, DetailKind.PHONE, Decision.REMOVE)
    datasets.write_csv(demo, None, tmp_path / "out")
    datasets.write_json(demo, None, tmp_path / "data.json")
    row = next(r for r in _csv(tmp_path / "out" / "notes.csv") if r["note_id"] == note.id)
    assert row["text"] == f"{note.text} call {REMOVED}" and row["edited"] == "true"
    doc = json.loads((tmp_path / "data.json").read_text(encoding="utf-8"))
    assert next(n for n in doc["notes"] if n["note_id"] == note.id)["text"] == row["text"]
    assert PHONE not in (tmp_path / "data.json").read_text(encoding="utf-8")
    assert not any(PHONE in p.read_text(encoding="utf-8-sig") for p in (tmp_path / "out").iterdir())


def test_words_deleted_from_the_project_read_removed_too(demo, tmp_path):
    _s, note = _a_note(demo)
    moderation.correct_text(demo, note.id, f"Sam said {note.text}")
    privacy.delete_original(demo, note.id, "Sam")
    datasets.write_json(demo, None, tmp_path / "data.json")
    doc = json.loads((tmp_path / "data.json").read_text(encoding="utf-8"))
    assert next(n for n in doc["notes"] if n["note_id"] == note.id)["text"] == (
        f"{REMOVED} said {note.text}"
    )


def test_hidden_notes_are_marked_or_left_out(demo, tmp_path):
    _s, note = _a_note(demo)
    moderation.hide(demo, note.id)
    with_hidden = datasets.dataset(demo, None)
    row = next(n for n in with_hidden.rows("notes") if n["note_id"] == note.id)
    assert row["status"] == "hidden"
    without = datasets.dataset(demo, None, include_hidden=False)
    assert note.id not in {n["note_id"] for n in without.rows("notes")}
    assert note.id not in {tn["note_id"] for tn in without.rows("theme_notes")}
    assert len(without.rows("notes")) == len(with_hidden.rows("notes")) - 1
    assert any("hidden notes were left out" in n for n in without.notes)
    assert not with_hidden.notes


def test_a_formula_in_a_note_is_neutralised_in_csv_only(demo, tmp_path):
    _s, note = _a_note(demo)
    moderation.correct_text(demo, note.id, '=HYPERLINK("http://evil","click")')
    datasets.write_csv(demo, None, tmp_path / "out")
    datasets.write_json(demo, None, tmp_path / "data.json")
    row = next(r for r in _csv(tmp_path / "out" / "notes.csv") if r["note_id"] == note.id)
    assert row["text"] == '\'=HYPERLINK("http://evil","click")'
    doc = json.loads((tmp_path / "data.json").read_text(encoding="utf-8"))
    assert next(n for n in doc["notes"] if n["note_id"] == note.id)["text"].startswith("=")


def test_the_json_document_has_the_tables_the_codebook_and_the_rules(demo, tmp_path):
    written = datasets.write_json(demo, None, tmp_path / "data.json")
    doc = json.loads((tmp_path / "data.json").read_text(encoding="utf-8"))
    assert doc["project"].startswith("Safer Online Together")
    assert "70%" in doc["rules"] and "5 → 9" in doc["rules"]
    assert doc["generated_at"].endswith("+00:00")
    for t in TABLES:
        assert len(doc[t.name]) == written.rows[t.name]


def test_the_rules_follow_the_project_settings(demo):
    from workshop_app.services import project as project_service

    project_service.update_settings(demo, consensus_agree_min_percent=80)
    assert "at least 80% of raters score 7-9" in datasets.rules_text(demo)


def test_a_file_where_a_folder_is_wanted_is_refused(demo, tmp_path):
    from workshop_app.core.errors import DomainError

    (tmp_path / "taken").write_text("x")
    with pytest.raises(DomainError, match="choose a folder"):
        datasets.write_csv(demo, None, tmp_path / "taken")


def test_small_groups_read_fewer_than_n_in_csv_and_json(demo, tmp_path):
    """Small-cell suppression in the research data, as on screen and in Word: with the
    smallest group shown raised to 13, the groups of 10 children and 12 young people (and
    any vote's smaller groups) give no figures, only "fewer than 13"."""
    project_service.update_settings(demo, min_cell_size=13)
    datasets.write_csv(demo, None, tmp_path / "out")
    datasets.write_json(demo, None, tmp_path / "data.json")
    ratings = _csv(tmp_path / "out" / "ratings.csv")
    children = [r for r in ratings if r["group_name"] == "Children 8–12"]
    assert children and all(r["raters"] == "fewer than 13" for r in children)
    assert all(r["value"] == "" and r["raw_value"] == "" and r["scale"] == "" for r in children)
    # one row per statement version rated in the activity, never one per value
    keys = [(r["activity_id"], r["standard_id"], r["version"]) for r in children]
    assert len(keys) == len(set(keys))
    practitioners = [r for r in ratings if r["group_name"] == "Practitioners"]
    assert practitioners and all(r["raters"].isdigit() for r in practitioners)  # 14 raters
    turnout = _csv(tmp_path / "out" / "vote_turnout.csv")
    small = [t for t in turnout if t["voters"] == "fewer than 13"]
    assert small and all(t["dots"] == "fewer than 13" for t in small)
    votes = _csv(tmp_path / "out" / "votes.csv")
    withheld = {(t["activity_id"], t["group_id"]) for t in small}
    for v in votes:
        if (v["activity_id"], v["group_id"]) in withheld:
            assert v["dots"] == v["voters"] == "fewer than 13"
    data = json.loads((tmp_path / "data.json").read_text(encoding="utf-8"))
    assert "fewer than 13 raters or voters are not shown" in data["rules"]
    assert any(r["raters"] == "fewer than 13" for r in data["ratings"])


def test_with_suppression_off_every_group_gives_its_figures(demo, tmp_path):
    project_service.update_settings(demo, min_cell_size=1)
    datasets.write_csv(demo, None, tmp_path / "out")
    ratings = _csv(tmp_path / "out" / "ratings.csv")
    assert all(r["raters"].isdigit() for r in ratings)
    assert "switched off" in datasets.rules_text(demo)
