"""Safeguarding-check benchmark: what the arrival check holds back, and how fast.

    .venv/bin/python benchmarks/safeguarding.py [--out FILE] [--repeat N]

Data, all ``label<TAB>kind<TAB>note`` in ``tests/core/data/``: ``safeguarding_notes.tsv`` (the
tuning set), ``safeguarding_heldout.tsv`` (written separately, not used for tuning),
``safeguarding_fresh.tsv`` (a second author, before reading the rules; then used to widen them),
``safeguarding_third.tsv`` (a third author, before seeing the rules, the other files or the
second look; never used to tune the rules) and ``safeguarding_probe.tsv`` (written after the
rules were final; in no rule and no reference).

**The phrase rules** (`core.safeguarding.check`), each file separately: recall per label (a
``disclosure`` note counts when held for a possible disclosure, a ``personal`` note when held for
a personal detail) and per kind, whether the first disclosure reason has the labelled kind, and
the false-hold rate on ``ordinary`` notes (held for any reason), per kind. Time: every note
checked --repeat times (default 20) after a warm-up, per-note median, p99 and max in
milliseconds; notes of the longest length a phone may send (500 characters); and hostile notes of
that length, one cue repeated (`HOSTILE_UNITS`), to show that no rule backtracks.

**The second look** (`themes/disclosure.py`, `services/arrival.py`): each author's notes judged by
a reference made of the other authors' notes only (rules alone, look alone, either); the probe
notes and the 160 realistic workshop notes of ``../shared/benchmarks/workshop-notes`` with the
shipped reference (they are in none); the time to read one note.

**Write path**: every note of the tuning and held-out files (the two it was first measured on, so
its figures stay comparable) posted from phones through the real service
(`participation.post_note`, the real writer, a real project file, a live *show at once*
session), each waited for until committed: with the rules as shipped, with a check that holds
nothing, and with the rules and a running second look (notes stored unread), in rotating rounds
(--write-rounds, default 3); the median per post of each and the differences, which are what the
check adds to the write path (the issue's budget: 5 ms); and, for every fifth note posted alone,
the time from sending it until the look has read it (the soonest the projector may show it).
Prints and writes one JSON object (--out, default benchmarks/results/safeguarding.json) whose
``machine`` record names the processor.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._machine import describe, short  # noqa: E402
from workshop_app.core.participation import NOTE_MAX  # noqa: E402
from workshop_app.core.safeguarding import Check, Concern, check  # noqa: E402

DATA = ROOT / "tests" / "core" / "data"
FILES = {
    "tuning": DATA / "safeguarding_notes.tsv",
    "heldout": DATA / "safeguarding_heldout.tsv",
    "fresh": DATA / "safeguarding_fresh.tsv",
    "third": DATA / "safeguarding_third.tsv",
    "probe": DATA / "safeguarding_probe.tsv",
}
#: The labelled files by author, as the second look's reference is made of them
#: (scripts/train_disclosure_check.py); the probe file is in no reference.
AUTHORS = {"first": ("tuning", "heldout"), "second": ("fresh",), "third": ("third",)}
WORKSHOP = ROOT.parent / "shared" / "benchmarks" / "workshop-notes" / "preparatory.tsv"
WRITE_PATH_FILES = ("tuning", "heldout")


def read_notes(path: Path) -> list[tuple[str, str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, kind, note = line.split("\t")
            rows.append((label, kind, note))
    return rows


def caught(label: str, result: Check) -> bool:
    if label == "personal":
        return result.personal_detail
    if label == "disclosure":
        return result.possible_disclosure
    return result.hold


def score(rows: list[tuple[str, str, str]]) -> dict[str, object]:
    total: Counter[str] = Counter()
    hit: Counter[str] = Counter()
    kind_total: Counter[tuple[str, str]] = Counter()
    kind_hit: Counter[tuple[str, str]] = Counter()
    same_kind = 0
    missed, false_holds = [], []
    for label, kind, note in rows:
        result = check(note)
        ok = caught(label, result)
        total[label] += 1
        kind_total[label, kind] += 1
        if label == "ordinary":
            hit[label] += result.hold
            kind_hit[label, kind] += result.hold
            if result.hold:
                false_holds.append({"note": note, "reasons": [r.label for r in result.reasons]})
            continue
        hit[label] += ok
        kind_hit[label, kind] += ok
        if not ok:
            missed.append({"label": label, "kind": kind, "note": note})
        if label == "disclosure":
            first = next(
                (r for r in result.reasons if r.concern is Concern.POSSIBLE_DISCLOSURE), None
            )
            same_kind += first is not None and first.kind.value == kind
    return {
        "notes": dict(total),
        "recall": {
            label: round(hit[label] / total[label], 3)
            for label in ("disclosure", "personal")
            if total[label]
        },
        "false_hold_rate": round(hit["ordinary"] / total["ordinary"], 3),
        "recall_per_kind": {
            f"{label}/{kind}": f"{kind_hit[label, kind]}/{n}"
            for (label, kind), n in sorted(kind_total.items())
            if label != "ordinary"
        },
        "false_holds_per_kind": {
            f"ordinary/{kind}": f"{kind_hit[label, kind]}/{n}"
            for (label, kind), n in sorted(kind_total.items())
            if label == "ordinary"
        },
        "disclosure_first_reason_has_labelled_kind": round(same_kind / total["disclosure"], 3),
        "missed": missed,
        "false_holds": false_holds,
    }


def timing(notes: list[str], repeat: int) -> dict[str, float | int]:
    for note in notes:  # warm-up: compiled patterns, caches
        check(note)
    times = []
    for _ in range(repeat):
        for note in notes:
            start = time.perf_counter()
            check(note)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "checks": len(times),
        "median_ms": round(statistics.median(times), 4),
        "p99_ms": round(times[int(len(times) * 0.99)], 4),
        "max_ms": round(times[-1], 4),
    }


#: Notes a hostile phone might send to make the rules backtrack: one cue word or shape over and
#: over, at the longest length a phone may send (each is timed like the others).
HOSTILE_UNITS = (
    "me ",
    "my ",
    "he said ",
    "1 ",
    "one two ",
    "a dot b at ",
    "a",
    "a ",
    "if someone asked me ",
    "number 27 on ",
    "at st ",
    "our secret ",
    "a man my uncle ",
    "!?.",
    "\U0001f600 ",
    "a_",
    "Jack ",
    "im scared ",
    "send pics ",
)


def hostile_notes() -> list[str]:
    return [(unit * (NOTE_MAX // len(unit) + 1))[:NOTE_MAX] for unit in HOSTILE_UNITS]


def _bench_room(p: Any) -> tuple[str, str]:
    """A live *show at once* session with an open brainstorm: (session id, activity id)."""
    from workshop_app.core.model import ActivityKind, ActivityState, ModerationMode
    from workshop_app.services import live, sessions
    from workshop_app.services.sessions import ActivityFields, SessionDetails

    s = sessions.create_session(p, SessionDetails("Bench", moderation=ModerationMode.SHOW_AT_ONCE))
    a = sessions.add_activity(p, s.id, ActivityFields(ActivityKind.BRAINSTORM, "Ideas"))
    live.go_live(p, s.id)
    live.show_activity(p, a.id)
    live.set_activity_state(p, a.id, ActivityState.OPEN)
    return s.id, a.id


def write_path(notes: list[str], rounds: int) -> dict[str, object]:
    """Median milliseconds per committed phone note: with the arrival check's rules, without
    any check, and with the rules and a second look running (notes stored unread); and how
    long a note then waits, unread and off the projector, for the look to read it."""
    from workshop_app.core.participation import NOTES_PER_ACTIVITY_MAX
    from workshop_app.services import participation as phones
    from workshop_app.services.arrival import SecondLook
    from workshop_app.services.project import create_project
    from workshop_app.themes import ThemeEngine

    engine = ThemeEngine()
    engine.model.load()
    shipped = phones.safeguarding.check
    modes = ("with_check", "without_check", "with_check_and_look")
    per_post: dict[str, list[float]] = {mode: [] for mode in modes}
    held: Counter[str] = Counter()
    for n in range(rounds):
        for mode in modes[n % 3 :] + modes[: n % 3]:
            phones.safeguarding.check = (  # type: ignore[assignment]
                shipped if mode != "without_check" else (lambda _text, **_kw: Check(False, ()))
            )
            with (
                tempfile.TemporaryDirectory() as folder,
                create_project(Path(folder) / "bench.cground", "Benchmark") as p,
            ):
                sid, aid = _bench_room(p)
                look = SecondLook(p, engine) if mode == "with_check_and_look" else None
                if look is not None:
                    look.start()
                who = phones.join(p, sid, None).result(5)
                for i, note in enumerate(notes):
                    if i and i % NOTES_PER_ACTIVITY_MAX == 0:
                        who = phones.join(p, sid, None).result(5)
                    start = time.perf_counter()
                    answer = phones.post_note(p, who.id, aid, note, f"key-{n}-{i:06d}", look=look)
                    answer.result(60)
                    per_post[mode].append((time.perf_counter() - start) * 1000)
                if look is not None:
                    look.notify()
                    look.wait_idle()
                    look.stop()
                (count,) = (
                    p.store.reader()
                    .execute("SELECT count(*) FROM notes WHERE held_at IS NOT NULL")
                    .fetchone()
                )
                held[mode] += count
    phones.safeguarding.check = shipped  # type: ignore[assignment]
    medians = {mode: round(statistics.median(t), 4) for mode, t in per_post.items()}
    return {
        "posts_per_mode": len(per_post["with_check"]),
        "held": dict(held),
        "median_ms": medians,
        "p99_ms": {mode: round(sorted(t)[int(len(t) * 0.99)], 4) for mode, t in per_post.items()},
        "check_adds_median_ms": round(medians["with_check"] - medians["without_check"], 4),
        "check_and_look_add_median_ms": round(
            medians["with_check_and_look"] - medians["without_check"], 4
        ),
        "until_read": until_read(notes[::5], engine),
    }


def until_read(notes: list[str], engine: Any) -> dict[str, object]:
    """Each note posted alone, and the time from sending it until the look has read it (the
    soonest the projector may show it), in milliseconds."""
    from workshop_app.core.participation import NOTES_PER_ACTIVITY_MAX
    from workshop_app.services import participation as phones
    from workshop_app.services.arrival import SecondLook
    from workshop_app.services.project import create_project

    delays = []
    with (
        tempfile.TemporaryDirectory() as folder,
        create_project(Path(folder) / "bench.cground", "Benchmark") as p,
    ):
        sid, aid = _bench_room(p)
        look = SecondLook(p, engine)
        look.start()
        reader = p.store.reader()
        who = phones.join(p, sid, None).result(5)
        for i, note in enumerate(notes):
            if i and i % NOTES_PER_ACTIVITY_MAX == 0:
                who = phones.join(p, sid, None).result(5)
            start = time.perf_counter()
            body = phones.post_note(p, who.id, aid, note, f"key-r-{i:06d}", look=look).result(60)
            nid = body.body["note"]["id"]
            while reader.execute("SELECT unread FROM notes WHERE id = ?", [nid]).fetchone()[0]:
                time.sleep(0.0005)
            delays.append((time.perf_counter() - start) * 1000)
        look.stop()
    delays.sort()
    return {
        "notes": len(delays),
        "median_ms": round(statistics.median(delays), 2),
        "p99_ms": round(delays[int(len(delays) * 0.99)], 2),
        "max_ms": round(delays[-1], 2),
    }


def _judged(rows: list[tuple[str, str, str]], look: list[bool]) -> dict[str, object]:
    """Rules alone, the second look alone and either, on labelled notes."""
    total: Counter[str] = Counter()
    hit: Counter[tuple[str, str]] = Counter()
    missed = []
    for (label, kind, note), flagged in zip(rows, look, strict=True):
        result = check(note)
        rules = result.possible_disclosure if label == "disclosure" else result.hold
        total[label] += 1
        hit[label, "rules"] += rules
        hit[label, "look"] += flagged
        hit[label, "either"] += rules or flagged
        if label == "disclosure" and not (rules or flagged):
            missed.append({"kind": kind, "note": note})

    def share(label: str, how: str) -> str:
        return f"{hit[label, how]}/{total[label]} = {hit[label, how] / max(1, total[label]):.3f}"

    return {
        "disclosures_held": {how: share("disclosure", how) for how in ("rules", "look", "either")},
        "ordinary_held": {how: share("ordinary", how) for how in ("rules", "look", "either")},
        "personal_held_by_the_look": share("personal", "look") if total["personal"] else "-",
        "disclosures_missed": missed,
    }


def second_look(sets: dict[str, list[tuple[str, str, str]]]) -> dict[str, object]:
    """The second look (themes/disclosure.py) on each author's notes with a reference made of
    the other authors' notes only; on the probe notes and the realistic workshop notes (in no
    reference) with the shipped one; and how long the model takes to read one note."""
    import numpy as np

    from workshop_app.themes import ThemeEngine
    from workshop_app.themes.disclosure import DisclosureCheck

    engine = ThemeEngine()
    shipped = DisclosureCheck.load()
    shipped.check_model(engine.identity)
    vectors = {name: engine.encode([n for *_x, n in rows]) for name, rows in sets.items()}
    labels = {name: np.array([r[0] == "disclosure" for r in rows]) for name, rows in sets.items()}
    out: dict[str, object] = {
        "reference": f"{shipped.votes} of the {shipped.k} nearest labelled notes",
        "note": "the rules were tuned on the first and second authors' notes, never on the "
        "third's or the probe's: 'either' is a fair estimate there only",
    }
    for author, names in AUTHORS.items():
        others = [n for a, ns in AUTHORS.items() if a != author for n in ns]
        reference = DisclosureCheck(
            engine.identity,
            np.vstack([vectors[n] for n in others]),
            np.concatenate([labels[n] for n in others]),
            shipped.k,
            shipped.votes,
        )
        rows = [r for n in names for r in sets[n]]
        flags = reference.reads_like(np.vstack([vectors[n] for n in names]))
        out[f"{author}_author_against_the_others"] = _judged(rows, flags)
    out["probe_against_the_shipped_reference"] = _judged(
        sets["probe"], shipped.reads_like(vectors["probe"])
    )
    workshop = [line.split("\t")[1] for line in WORKSHOP.read_text().splitlines() if line.strip()]
    flags = shipped.reads_like(engine.encode(workshop))
    rules = [check(n).hold for n in workshop]
    out["workshop_notes_held"] = {
        "notes": len(workshop),
        "rules": sum(rules),
        "look": sum(flags),
        "either": sum(a or b for a, b in zip(rules, flags, strict=True)),
        "held_by_the_look_only": [
            n for n, a, b in zip(workshop, rules, flags, strict=True) if b and not a
        ],
    }
    times = []
    for note in [n for *_x, n in sets["probe"]] * 3:
        start = time.perf_counter()
        shipped.reads_like(engine.encode([note]))
        times.append((time.perf_counter() - start) * 1000)
    out["one_note_read_ms"] = {
        "median": round(statistics.median(times), 2),
        "max": round(max(times), 2),
    }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/safeguarding.json")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--write-rounds", type=int, default=3)
    args = parser.parse_args()
    sets = {name: read_notes(path) for name, path in FILES.items()}
    notes = [note for rows in sets.values() for _l, _k, note in rows]
    posted = [note for name in WRITE_PATH_FILES for _l, _k, note in sets[name]]
    longest = [(" ".join(notes[i:] + notes[:i]))[:NOTE_MAX] for i in range(0, len(notes), 5)]
    machine = describe()
    result = {
        "machine": machine,
        "machine_short": short(machine),
        **{name: score(rows) for name, rows in sets.items()},
        "time_per_note": timing(notes, args.repeat),
        f"time_per_{NOTE_MAX}_character_note": timing(longest, max(1, args.repeat // 4)),
        "time_per_hostile_note": timing(hostile_notes(), max(1, args.repeat // 4)),
        "second_look": second_look(sets),
        "write_path": write_path(posted, args.write_rounds),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
