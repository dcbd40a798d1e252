"""Bringing other laptops' projects into this one (issue 16, point 4).

    preview(p, [source]) -> what would come across (the dry run); nothing is written
    merge(p, [source], accept) -> brings them in, in ONE writer job

Each source file is only ever read: it is copied (with its write-ahead log) into a
private folder, the copy is checked and upgraded like any project being opened (a newer,
damaged or foreign file is refused with the usual words), and the copy is read. The
rules of what comes across live in core/merge_rules.py and core/merge.py.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from workshop_app.core.errors import DomainError, NotFoundError
from workshop_app.core.ids import utc_now
from workshop_app.core.merge import MergePlan, Tables, group_proposals, plan_merge
from workshop_app.core.merge_names import GroupMatch
from workshop_app.services.events import Changed, Topic
from workshop_app.services.project import OpenProject
from workshop_app.storage import merge as repo
from workshop_app.storage.cipher import Key
from workshop_app.storage.db import check_and_upgrade, connect, effective_key, identify
from workshop_app.storage.errors import (
    DamagedProjectError,
    PassphraseNeededError,
    ProjectFileError,
    StorageProblem,
    WrongPassphraseError,
)
from workshop_app.storage.merge import FlagRow as FlagRow
from workshop_app.storage.merge import MergeRow as MergeRow
from workshop_app.storage.merge import SourceInfo
from workshop_app.storage.vectors import text_hash
from workshop_app.storage.writer import Tx

#: A big merge may take longer than the writer's usual 30 s wait for one job.
MERGE_TIMEOUT_S = 600.0

#: The kinds a person recognises, by table, in the order a summary lists them.
KIND_NAMES: tuple[tuple[str, str, str], ...] = (
    ("sessions", "session", "sessions"),
    ("stakeholder_groups", "group", "groups"),
    ("activities", "activity", "activities"),
    ("participants", "participant", "participants"),
    ("notes", "note", "notes"),
    ("note_edits", "note edit", "note edits"),
    ("themes", "theme", "themes"),
    ("votes", "vote", "votes"),
    ("standards", "standard", "standards"),
    ("ratings", "rating", "ratings"),
    ("help_requests", "help request", "help requests"),
)


class SameProjectFileError(DomainError):
    """A project cannot be brought into itself."""


@dataclass(frozen=True, slots=True)
class Source:
    """A source project, read from a private copy."""

    path: Path
    info: SourceInfo
    tables: Tables


@dataclass(frozen=True, slots=True)
class SourcePreview:
    source: Source
    plan: MergePlan
    offered: tuple[GroupMatch, ...]  # spelled differently: the facilitator decides


@dataclass(frozen=True, slots=True)
class MergeDone:
    source: Source
    merge_id: str
    plan: MergePlan


def read_source(path: Path, target: Path | None = None, key: Key | None = None) -> Source:
    """Copy a source project into a private folder and read it; the file itself is never
    opened for writing. Raises the usual ProjectFileError for a missing, foreign, damaged
    or newer file, and SameProjectFileError when `path` is the `target` itself. An
    encrypted source needs its own `key` (its copy stays encrypted while it is read)."""
    if target is not None and _same_file(path, target):
        raise SameProjectFileError(
            f"{path.name} is the project being merged into: choose another laptop's project "
            "to bring in."
        )
    identify(path, key=key)  # read as immutable: a file that is not ours is never touched
    key = effective_key(path, key)
    folder = Path(tempfile.mkdtemp(prefix="common-ground-merge-"))
    try:
        copied = repo.copy_source(path, folder, key)
        try:
            check_and_upgrade(copied.copy, key=key)
        except StorageProblem:
            raise
        except ProjectFileError as exc:
            message = str(exc).replace(str(copied.copy), str(path))
            raise DamagedProjectError(path, message) from exc
        db = connect(copied.copy, readonly=True, key=key)
        try:
            tables = repo.read_tables(db)
        finally:
            db.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    [project] = tables["project"]
    info = SourceInfo(
        project_id=str(project["id"]),
        title=str(project["title"]),
        file_name=path.name,
        sha256=copied.sha256,
        version=copied.version,
    )
    return Source(path, info, tables)


def needs_passphrase(path: Path, key: Key | None) -> bool:
    """Whether `path` is an encrypted project that `key` does not open (no key, or the
    wrong one). Any other problem is left for read_source to report in its words."""
    try:
        identify(path, key=key)
    except (PassphraseNeededError, WrongPassphraseError):
        return True
    except ProjectFileError:
        return False
    return False


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def preview(
    p: OpenProject, sources: Sequence[Source], accept: Iterable[str] = ()
) -> list[SourcePreview]:
    """The dry run: what each source would bring, planned one after the other as a merge
    would (a later source sees what an earlier one brings). Nothing is written."""
    accepted = set(accept)
    target = {t: list(rows) for t, rows in repo.read_tables(p.store.reader(), target=True).items()}
    out = []
    for source in sources:
        offered = tuple(m for m in group_proposals(source.tables, target) if not m.exact)
        plan = plan_merge(
            source.tables,
            target,
            accept=accepted,
            text_hash=text_hash,
            source_title=source.info.title,
        )
        for table, rows in plan.inserts.items():
            target.setdefault(table, []).extend(rows)
        out.append(SourcePreview(source, plan, offered))
    return out


def merge(p: OpenProject, sources: Sequence[Source], accept: Iterable[str] = ()) -> list[MergeDone]:
    """Bring every source in, in one transaction: all of them or, on any failure (a full
    disk), nothing. `accept` holds the ids of source groups whose offered match (spelled
    differently) was accepted; groups spelled the same are matched anyway."""
    accepted = tuple(accept)
    now = utc_now()
    job = repo.merge_job([(s.info, s.tables, accepted) for s in sources], now)

    def with_events(tx: Tx) -> list[repo.Applied]:
        done = job(tx)
        if any(not a.plan.empty for a in done):
            for topic in (Topic.GROUPS, Topic.SESSIONS, Topic.CONTENT, Topic.PROJECT):
                tx.emit(Changed(topic))
        return done

    applied = p.store.write(with_events).result(MERGE_TIMEOUT_S)
    return [MergeDone(s, a.merge_id, a.plan) for s, a in zip(sources, applied, strict=True)]


def list_merges(p: OpenProject) -> list[MergeRow]:
    return repo.list_merges(p.store.reader())


def flagged_standards(p: OpenProject) -> list[FlagRow]:
    """Standards a merge brought beside this project's version, not settled yet."""
    return repo.list_flags(p.store.reader())


def settle_standard(p: OpenProject, standard_id: str, settled: bool = True) -> str:
    """The facilitator has compared the two versions and both may stay (or, undone, the
    flag comes back). Returns the standard's id."""
    when: datetime | None = utc_now() if settled else None

    def job(tx: Tx) -> str:
        if not repo.settle_flag(tx.db, standard_id, when):
            raise NotFoundError("That standard was not brought in by a merge.")
        tx.emit(Changed(Topic.CONTENT, item_id=standard_id))
        return standard_id

    return p.store.write_now(job)


# ---------------------------------------------------------------- words


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def counts_text(counts: dict[str, int]) -> str:
    """'3 sessions, 1 group, 120 notes, …' from a plan's or a merge's counts; 'nothing
    new' when every count is zero."""
    named = {t for t, _, _ in KIND_NAMES}
    parts = [_plural(counts[t], one, many) for t, one, many in KIND_NAMES if counts.get(t)]
    other = sum(n for t, n in counts.items() if t not in named and t != "merge_rows")
    if other:
        parts.append(_plural(other, "other record", "other records"))
    return ", ".join(parts) if parts else "nothing new"


def plan_lines(item: SourcePreview) -> list[str]:
    """The dry run for one source, in sentences computed from its plan."""
    plan, info = item.plan, item.source.info
    lines = [f"From {info.file_name} (“{info.title}”): {counts_text(plan.counts)}."]
    for m in plan.groups:
        how = "the same name" if m.exact else "matched"
        lines.append(f"  Group {m.label}: {how}, one group.")
    for same in plan.same_named:
        lines.append(f"  {same}.")
    for m in item.offered:
        if m not in plan.groups:
            lines.append(f"  Group {m.label}: spelled differently; offered for matching.")
    for f in plan.flagged:
        lines.append(
            f"  Standard “{f.title}” was edited on both laptops: both versions kept side by "
            "side, flagged for you."
        )
    notes = [changes for table, _id, changes in plan.updates if table == "notes"]
    flags = sum(1 for changes in notes if {"flagged_at", "flag_note"} & changes.keys())
    if flags:
        lines.append(
            f"  {_plural(flags, 'safeguarding flag', 'safeguarding flags')} raised there "
            f"{'is' if flags == 1 else 'are'} kept here too (from when first raised)."
        )
    holds = sum(1 for changes in notes if "held_at" in changes)
    if holds:
        lines.append(
            f"  {_plural(holds, 'note', 'notes')} held back on arrival there "
            f"{'stays' if holds == 1 else 'stay'} held here, for you to look at."
        )
    kept: dict[str, int] = {}
    for k in plan.kept:
        kept[k.table] = kept.get(k.table, 0) + 1
    labels = {t: many for t, _, many in KIND_NAMES}
    for table, n in sorted(kept.items()):
        what = labels.get(table, table.replace("_", " "))
        lines.append(f"  {n} {what} differ there; this project's kept as they are.")
    for reason, n in sorted(plan.held_back.items()):
        lines.append(f"  {_plural(n, 'record', 'records')} not brought: {reason}.")
    if plan.settings_differ:
        lines.append(
            "  Settings that differ there (this project's kept): "
            + ", ".join(plan.settings_differ)
            + "."
        )
    return lines
