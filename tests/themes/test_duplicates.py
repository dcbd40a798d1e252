"""Duplicates with the real model: the paraphrase threshold holds its measured precision on
the labelled pairs (tests/themes/data/duplicate_pairs.tsv; benchmarks/duplicates.py prints
the whole sweep), and cosines do not depend on the other notes."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from workshop_app.core.duplicates import find_duplicates

PAIRS = Path(__file__).parent / "data" / "duplicate_pairs.tsv"


def _pairs() -> list[tuple[str, str, str]]:
    lines = PAIRS.read_text(encoding="utf-8").splitlines()
    return [
        (label, a, b)
        for label, a, b in (line.split("\t") for line in lines if line and line[0] != "#")
    ]


def test_the_labelled_pairs_hold_the_measured_precision_and_recall(engine):
    pairs = _pairs()
    assert {label for label, _a, _b in pairs} == {"same", "related", "unrelated"}
    tp = fp = fn = 0
    for label, a, b in pairs:
        m = engine.cosines([a, b])
        found = bool(find_duplicates([a, b], lambda i, j, m=m: float(m[i, j])))
        tp += found and label == "same"
        fp += found and label != "same"
        fn += not found and label == "same"
    # Measured with MPNet at 0.90: 21 / 1 / 18 (precision 0.95, recall 0.54; MiniLM at 0.875
    # had 23 / 1 / 16); a little slack for other processors' last digits, none for a worse
    # rule.
    assert tp / (tp + fp) >= 0.92
    assert tp / (tp + fn) >= 0.50


def test_childrens_spellings_of_the_same_answer_are_found_and_different_answers_are_not(engine):
    texts = [
        "tell a teacher",  # 0
        "tell my mum",  # 1
        "tell the teacher!!",  # 2: exact repeat of 0
        "I would tell my mum",  # 3: exact repeat of 1
        "Parents don't understand TikTok",  # 4
        "parents dont get tiktok at all",  # 5: paraphrase of 4
        "tell the police",  # 6: a different answer
        "👍",  # 7
    ]
    m = engine.cosines(texts)
    groups = find_duplicates(texts, lambda i, j: float(m[i, j]))
    found = {(g.original, r) for g in groups for r in g.repeats}
    assert {(0, 2), (1, 3)} <= found
    assert all(6 not in (o, r) and 7 not in (o, r) for o, r in found)
    assert not any({o, r} == {0, 1} for o, r in found)


def test_a_pairs_cosine_does_not_depend_on_the_other_notes(engine):
    pair = ["talk to a trusted adult", "speak to an adult you trust"]
    alone = engine.cosines(pair)[0, 1]
    crowd = ["block them", *pair, "the police take too long", "x" * 300]
    among = engine.cosines(crowd)[1, 2]
    assert np.isclose(alone, among, atol=1e-4)
    assert 0.6 < alone < 1.0
