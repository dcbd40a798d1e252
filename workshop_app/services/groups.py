"""Stakeholder groups: add, rename, reorder, remove (hidden, never erased) and restore."""

from __future__ import annotations

from dataclasses import replace

from workshop_app.core.errors import DomainError
from workshop_app.core.ids import new_id, utc_now
from workshop_app.core.model import GroupKind, StakeholderGroup
from workshop_app.core.validate import clean_text
from workshop_app.services.events import Changed, Topic
from workshop_app.services.project import OpenProject
from workshop_app.storage import projects as repo
from workshop_app.storage.writer import Tx

NAME_MAX = 80


def list_groups(p: OpenProject) -> list[StakeholderGroup]:
    return repo.list_groups(p.store.reader())


def get_group(p: OpenProject, group_id: str) -> StakeholderGroup:
    return repo.get_group(p.store.reader(), group_id)


def add_group(
    p: OpenProject, name: str, kind: GroupKind, child_friendly: bool | None = None
) -> StakeholderGroup:
    """Add a group at the end of the list. Child groups are child-friendly by default."""
    name = clean_text(name, "The group name", NAME_MAX, required=True)
    child = kind is GroupKind.CHILD if child_friendly is None else child_friendly

    def job(tx: Tx) -> StakeholderGroup:
        if repo.group_name_taken(tx.db, name):
            raise DomainError(f"There is already a group called {name!r}.")
        position = len(repo.list_groups(tx.db))
        group = StakeholderGroup(new_id(), name, kind, child, position, utc_now())
        repo.insert_group(tx.db, group)
        tx.emit(Changed(Topic.GROUPS, item_id=group.id))
        return group

    return p.store.write_now(job)


def update_group(
    p: OpenProject, group_id: str, *, name: str, kind: GroupKind, child_friendly: bool
) -> StakeholderGroup:
    name = clean_text(name, "The group name", NAME_MAX, required=True)

    def job(tx: Tx) -> StakeholderGroup:
        group = repo.get_group(tx.db, group_id)
        if repo.group_name_taken(tx.db, name, except_id=group_id):
            raise DomainError(f"There is already a group called {name!r}.")
        new = replace(group, name=name, kind=kind, child_friendly=child_friendly)
        repo.update_group(tx.db, new)
        tx.emit(Changed(Topic.GROUPS, item_id=group_id))
        return new

    return p.store.write_now(job)


def remove_group(p: OpenProject, group_id: str) -> None:
    """Hide a group from lists. Notes and participants keep their group (for reports)."""

    def job(tx: Tx) -> None:
        repo.get_group(tx.db, group_id)
        repo.set_group_deleted(tx.db, group_id, utc_now())
        tx.emit(Changed(Topic.GROUPS, item_id=group_id))

    p.store.write_now(job)


def restore_group(p: OpenProject, group_id: str) -> None:
    def job(tx: Tx) -> None:
        group = repo.get_group(tx.db, group_id, include_deleted=True)
        if repo.group_name_taken(tx.db, group.name, except_id=group_id):
            raise DomainError(f"Another group is now called {group.name!r}; rename it first.")
        repo.set_group_deleted(tx.db, group_id, None)
        tx.emit(Changed(Topic.GROUPS, item_id=group_id))

    p.store.write_now(job)
