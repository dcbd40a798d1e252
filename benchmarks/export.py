"""Word export benchmark: a 1,000-note session summary and a 20-standard framework.

    .venv/bin/python benchmarks/export.py [--runs N] [--out FILE]

Builds one project (deterministic, seeded): a closed session with four stakeholder
groups and 120 participants, 1,000 notes over two brainstorms (some hidden, some never
approved, some taken back, a few with removals from the privacy review) in 25 themes, a
dot vote on the themes, and a rating round of 20 standards, each with measures, the seven
audiences, definitions and sources (themes and notes). Then times each export in a fresh
Python process of its own, so that every run pays for its imports and its peak memory is
its own:

- `seconds`: the export call (snapshot, charts, document, saving), imports excluded;
- `process_seconds`: the whole child process, interpreter and imports included;
- `peak_rss_mb`: the child's peak resident memory (getrusage), all of Python included;
- `python_peak_mb`: the peak of Python allocations during the call (tracemalloc, in a
  separate run because tracing slows it down).

Prints one JSON object and writes it to --out (default benchmarks/results/export.json).
Target on the reference machine (2 cores): each export <= 3 s.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 3.0
NOTES = 1000
THEMES = 25
PEOPLE_PER_GROUP = 30
STANDARDS = 20
WRITTEN_ON = date(2027, 2, 1)

_VOCABULARY = (
    "games apps school trusted adult strangers chat report block teacher parents police "
    "phone online safe worried friends messages photos privacy settings help youth worker "
    "listen blame trouble training guidance referral social media groups pressure advice "
    "support nurse club coach talk tell share know understand quick calm kind"
)
WORDS = _VOCABULARY.split()


# ---------------------------------------------------------------- the project


def build(path: Path) -> str:
    """Write the benchmark project; returns the session's id."""
    sys.path.insert(0, str(ROOT))
    from workshop_app.core.ids import new_join_token
    from workshop_app.core.model import (
        Activity,
        ActivityKind,
        ActivitySettings,
        ActivityState,
        Audience,
        Measure,
        MeasureType,
        ModerationMode,
        Note,
        NoteSource,
        NoteStatus,
        Participant,
        Rating,
        RatingScale,
        Session,
        SessionState,
        Standard,
        StandardLevel,
        Theme,
        Vote,
        VoteTarget,
    )
    from workshop_app.services import groups, privacy
    from workshop_app.services.project import create_project
    from workshop_app.storage import contributions, sessions, standards
    from workshop_app.storage import moderation as moderation_repo

    rng = random.Random(2026)
    counter = iter(range(10**9))

    def new_id() -> str:
        return f"{next(counter):032x}"

    def at(minutes: int) -> datetime:
        return datetime(2026, 10, 17, 10, 0, tzinfo=UTC) + timedelta(minutes=minutes)

    def sentence(low: int, high: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))).capitalize()

    p = create_project(path, "Benchmark project: a large joint workshop", "Benchtown")
    group_ids = [g.id for g in groups.list_groups(p)]
    session_id = new_id()
    redact: list[tuple[str, str]] = []

    def job(tx: object) -> None:
        db = tx.db  # type: ignore[attr-defined]
        session = Session(
            session_id,
            "Joint workshop: everything everyone said",
            date(2026, 10, 17),
            "Benchtown Hall",
            "",
            SessionState.CLOSED,
            new_join_token(),
            ModerationMode.APPROVE_FIRST,
            tuple(group_ids),
            at(-600),
            at(300),
        )
        sessions.insert_session(db, session)

        def activity(position: int, kind: ActivityKind, title: str, **settings: object) -> str:
            aid = new_id()
            sessions.insert_activity(
                db,
                Activity(
                    aid,
                    session_id,
                    position,
                    kind,
                    title,
                    f"Prompt for {title.lower()}: {sentence(12, 24)}?",
                    f"Prompt for children: {sentence(8, 16)}?",
                    ActivitySettings(timer_seconds=600, **settings),  # type: ignore[arg-type]
                    ActivityState.REVEALED if kind is ActivityKind.VOTE else ActivityState.CLOSED,
                    "",
                    at(0),
                    at(300),
                ),
            )
            return aid

        activity(0, ActivityKind.INFO, "Welcome")
        brainstorms = [
            activity(1, ActivityKind.BRAINSTORM, "What is working"),
            activity(2, ActivityKind.BRAINSTORM, "What is missing"),
        ]
        cluster = activity(3, ActivityKind.CLUSTER, "Shared themes")
        vote = activity(
            4, ActivityKind.VOTE, "Priorities", vote_on=VoteTarget.THEMES, vote_budget=5
        )
        rate = activity(5, ActivityKind.RATE, "Rate the draft standards")

        people: list[tuple[str, str]] = []
        for g in group_ids:
            for i in range(PEOPLE_PER_GROUP):
                pid = new_id()
                contributions.insert_participant(db, Participant(pid, session_id, g, at(i)))
                people.append((pid, g))

        shown: list[str] = []
        for n in range(NOTES):
            pid, g = rng.choice(people)
            nid = new_id()
            text = sentence(4, 30)
            if n % 97 == 50:
                text += f" call me on 07700 9{n:05d}"
                redact.append((nid, f"07700 9{n:05d}"))
            status = NoteStatus.SHOWN
            if n % 33 == 0:
                status = NoteStatus.HIDDEN
            elif n % 101 == 0:
                status = NoteStatus.PENDING
            when = at(20 + n // 10)
            contributions.insert_note(
                db,
                Note(
                    nid,
                    brainstorms[n % 2],
                    pid,
                    g,
                    text,
                    text,
                    NoteSource.PHONE,
                    status,
                    None,
                    when,
                    when,
                ),
            )
            if n % 200 == 0:
                moderation_repo.set_withdrawn(db, nid, when, when)
            elif status is NoteStatus.SHOWN:
                shown.append(nid)

        rng.shuffle(shown)
        per_theme = len(shown) * 7 // 8 // THEMES
        theme_ids = []
        for t in range(THEMES):
            tid = new_id()
            theme_ids.append(tid)
            members = tuple(shown[t * per_theme : (t + 1) * per_theme])
            contributions.insert_theme(
                db,
                Theme(
                    tid, cluster, f"Theme {t + 1}: {sentence(2, 5)}", "#8ECAE6", t, members, at(90)
                ),
            )
        for pid, _g in people:
            picks = rng.sample(theme_ids, 4)
            for i, tid in enumerate(picks):
                contributions.upsert_vote(
                    db, Vote(new_id(), vote, pid, tid, 2 if i == 0 else 1, at(120))
                )

        for s in range(STANDARDS):
            sid = new_id()
            standards.insert_standard(
                db,
                Standard(
                    sid,
                    f"Standard {s + 1}: {sentence(2, 5)}",
                    sentence(25, 45) + ".",
                    " ".join(sentence(15, 30) + "." for _ in range(4)),
                    StandardLevel.EXPECTED if s % 3 else StandardLevel.DEVELOPMENTAL,
                    tuple(
                        Measure(
                            kind,
                            sentence(15, 30) + ".",
                            sentence(8, 16),
                            sentence(8, 16),
                            sentence(4, 8),
                        )
                        for kind in MeasureType
                    ),
                    {a: sentence(20, 40) + "." for a in Audience},
                    {sentence(1, 3): sentence(15, 30) + "." for _ in range(2)},
                    s,
                    1,
                    tuple(rng.sample(theme_ids, 3)),
                    tuple(rng.sample(shown, 5)),
                    at(400 + s),
                    at(400 + s),
                ),
            )
            for pid, _g in people:
                value = rng.choices(range(1, 10), (1, 1, 1, 2, 2, 3, 6, 8, 6))[0]
                contributions.upsert_rating(
                    db,
                    Rating(new_id(), rate, pid, sid, value, RatingScale.NINE_POINT, value, at(200)),
                )

    p.store.write_now(job)
    for nid, fragment in redact:
        privacy.decide(p, nid, fragment, "phone", "remove")
    p.close()
    return session_id


# ---------------------------------------------------------------- one export, measured


def child(kind: str, project: Path, session_id: str, out: Path, trace: bool) -> None:
    """Runs in its own process: one export, its figures as JSON on stdout."""
    started = time.perf_counter()
    sys.path.insert(0, str(ROOT))
    import resource
    import tracemalloc

    from workshop_app.services import reports
    from workshop_app.services.project import open_project

    with open_project(project) as p:
        if trace:
            tracemalloc.start()
        t0 = time.perf_counter()
        if kind == "summary":
            reports.write_session_summary(p, session_id, out, today=WRITTEN_ON)
        else:
            reports.write_framework(p, out, today=WRITTEN_ON)
        seconds = time.perf_counter() - t0
        python_peak = tracemalloc.get_traced_memory()[1] if trace else 0
    result = {
        "seconds": seconds,
        "process_seconds": time.perf_counter() - started,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "python_peak_mb": python_peak / 2**20,
        "bytes": out.stat().st_size,
    }
    print(json.dumps(result))


def run_child(
    kind: str, project: Path, session_id: str, out: Path, trace: bool
) -> dict[str, float]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(project), session_id, str(out)]
        + (["--trace"] if trace else []),
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    figures["wall_seconds"] = time.perf_counter() - started
    return figures


def summarise(runs: list[dict[str, float]], traced: dict[str, float]) -> dict[str, object]:
    def median(key: str) -> float:
        return round(statistics.median(r[key] for r in runs), 3)

    seconds = sorted(r["seconds"] for r in runs)
    return {
        "seconds_median": median("seconds"),
        "seconds_max": round(seconds[-1], 3),
        "process_seconds_median": median("process_seconds"),
        "peak_rss_mb_median": round(statistics.median(r["peak_rss_mb"] for r in runs), 1),
        "python_peak_mb": round(traced["python_peak_mb"], 1),
        "document_kb": round(runs[0]["bytes"] / 1024, 1),
        "runs": len(runs),
        "target_s": TARGET_S,
        "meets_target": seconds[-1] <= TARGET_S,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "export.json")
    parser.add_argument("--child", nargs=4, metavar=("KIND", "PROJECT", "SESSION", "OUT"))
    parser.add_argument("--trace", action="store_true")
    args = parser.parse_args()
    if args.child:
        kind, project, session_id, out = args.child
        child(kind, Path(project), session_id, Path(out), args.trace)
        return 0

    with tempfile.TemporaryDirectory(prefix="cg-bench-export-") as tmp:
        folder = Path(tmp)
        project = folder / "bench.cground"
        t0 = time.perf_counter()
        session_id = build(project)
        build_s = time.perf_counter() - t0
        result: dict[str, object] = {
            "benchmark": "export",
            "machine": {
                "python": platform.python_version(),
                "cpus": __import__("os").cpu_count(),
                "platform": platform.platform(),
            },
            "project": {
                "notes": NOTES,
                "themes": THEMES,
                "participants": PEOPLE_PER_GROUP * 4,
                "standards": STANDARDS,
                "build_seconds": round(build_s, 2),
            },
        }
        for kind in ("summary", "framework"):
            out = folder / f"{kind}.docx"
            runs = [
                run_child(kind, project, session_id, out, trace=False) for _ in range(args.runs)
            ]
            traced = run_child(kind, project, session_id, out, trace=True)
            result[f"{kind}_1000_notes" if kind == "summary" else "framework_20_standards"] = (
                summarise(runs, traced)
            )
    text = json.dumps(result, indent=2)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
