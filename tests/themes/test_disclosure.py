"""The disclosure reference of the arrival check's second look (themes/disclosure.py): the
shipped file is what the labelled notes and the shipped model make, and a damaged, foreign or
missing file is refused with words for people, never half-read."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from workshop_app.themes import ModelError, ThemeEngine
from workshop_app.themes.disclosure import CHECK_FILE, DisclosureCheck

DATA = Path(__file__).resolve().parents[1] / "core" / "data"
LABELLED = (
    "safeguarding_notes.tsv",
    "safeguarding_heldout.tsv",
    "safeguarding_fresh.tsv",
    "safeguarding_third.tsv",
)


def test_the_shipped_reference_is_made_from_the_labelled_notes_and_the_shipped_model(
    engine: ThemeEngine,
) -> None:
    shipped = DisclosureCheck.load()
    shipped.check_model(engine.identity)  # made with the model the app ships
    about = json.loads(shipped.about)
    digest = hashlib.sha256(b"".join((DATA / f).read_bytes() for f in LABELLED)).hexdigest()
    assert about["notes_sha256"] == digest, (
        "a labelled file changed: run scripts/train_disclosure_check.py"
    )
    rows = [
        line.split("\t")
        for f in LABELLED
        for line in (DATA / f).read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert shipped.vectors.shape == (len(rows), 768)
    assert list(shipped.disclosure) == [label == "disclosure" for label, _k, _n in rows]
    # a labelled note's own vector is found again (float16 storage loses nothing that counts)
    some = [n for _l, _k, n in rows[::97]]
    nearest = np.argmax(engine.encode(some) @ shipped.vectors.T, axis=1)
    assert list(nearest) == list(range(0, len(rows), 97))


def test_its_vote_is_a_majority_of_the_nearest(engine: ThemeEngine) -> None:
    shipped = DisclosureCheck.load()
    assert (shipped.k, shipped.votes) == (3, 2)
    vectors = engine.encode(["no point anymore honestly", "more youth clubs in the evening"])
    assert shipped.reads_like(vectors) == [True, False]
    assert list(shipped.neighbours(vectors)) == list(shipped.neighbours(vectors[::-1]))[::-1]


def test_another_model_s_vectors_are_refused() -> None:
    with pytest.raises(ModelError, match="make it again"):
        DisclosureCheck.load().check_model("minilm:0123")


@pytest.mark.parametrize(
    "content",
    [b"", b"not a zip at all", b"PK\x03\x04 truncated", b"\x93NUMPY one array, no archive"],
    ids=["empty", "garbage", "truncated", "npy"],
)
def test_a_damaged_file_is_refused_with_words(tmp_path: Path, content: bytes) -> None:
    (tmp_path / CHECK_FILE).write_bytes(content)
    with pytest.raises(ModelError, match="cannot be read"):
        DisclosureCheck.load(tmp_path)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="missing"):
        DisclosureCheck.load(tmp_path)


def test_a_file_of_another_format_or_with_labels_that_do_not_match_is_refused(
    tmp_path: Path,
) -> None:
    good = DisclosureCheck("m:1", np.eye(4, 8, dtype=np.float32), np.array([1, 0, 1, 0], bool))
    good.save(tmp_path / CHECK_FILE, note="test")
    again = DisclosureCheck.load(tmp_path)
    assert again.model == "m:1" and list(again.disclosure) == [True, False, True, False]
    assert json.loads(again.about) == {"note": "test"}
    with np.load(tmp_path / CHECK_FILE) as data:
        parts = dict(data)
    meta = json.loads(str(parts["meta"]))
    for broken in ({**meta, "format": "something-else/9"}, {**meta, "k": 9}):
        with (tmp_path / CHECK_FILE).open("wb") as f:
            np.savez(f, **{**parts, "meta": np.array(json.dumps(broken))})
        with pytest.raises(ModelError):
            DisclosureCheck.load(tmp_path)
    with (tmp_path / CHECK_FILE).open("wb") as f:
        np.savez(f, **{**parts, "disclosure": np.array([True])})
    with pytest.raises(ModelError, match="do not match"):
        DisclosureCheck.load(tmp_path)
    with (tmp_path / CHECK_FILE).open("wb") as f:
        np.savez(f, **{**parts, "vectors": np.array(["a", "b"], dtype=object)})
    with pytest.raises(ModelError):
        DisclosureCheck.load(tmp_path)
