"""The pilot's areas and services (issue 16): add, rename, reorder, remove (hidden, never
erased: their self-assessments still report under their names) and restore. Services are
organisations, never people."""

from __future__ import annotations

from dataclasses import replace

from workshop_app.core.assessment import Area, Service, ServiceKind, clean_name
from workshop_app.core.errors import DomainError
from workshop_app.core.ids import new_id, utc_now
from workshop_app.services.events import Changed, Topic
from workshop_app.services.project import OpenProject
from workshop_app.storage import assessment as repo
from workshop_app.storage.writer import Tx

# ---------------------------------------------------------------- areas


def list_areas(p: OpenProject) -> list[Area]:
    return repo.list_areas(p.store.reader())


def add_area(p: OpenProject, name: str) -> Area:
    name = clean_name(name, "The area's name")

    def job(tx: Tx) -> Area:
        if repo.name_taken(tx.db, "areas", name):
            raise DomainError(f"There is already an area called {name!r}.")
        area = Area(new_id(), name, len(repo.list_areas(tx.db)), utc_now())
        repo.insert_area(tx.db, area)
        tx.emit(Changed(Topic.GROUPS, item_id=area.id))
        return area

    return p.store.write_now(job)


def rename_area(p: OpenProject, area_id: str, name: str) -> Area:
    name = clean_name(name, "The area's name")

    def job(tx: Tx) -> Area:
        area = repo.get_area(tx.db, area_id)
        if repo.name_taken(tx.db, "areas", name, except_id=area_id):
            raise DomainError(f"There is already an area called {name!r}.")
        new = replace(area, name=name)
        repo.update_area(tx.db, new)
        tx.emit(Changed(Topic.GROUPS, item_id=area_id))
        return new

    return p.store.write_now(job)


def remove_area(p: OpenProject, area_id: str) -> None:
    """Hide an area from lists; its services keep it (reports still name it)."""

    def job(tx: Tx) -> None:
        repo.get_area(tx.db, area_id)
        repo.set_area_deleted(tx.db, area_id, utc_now())
        tx.emit(Changed(Topic.GROUPS, item_id=area_id))

    p.store.write_now(job)


def restore_area(p: OpenProject, area_id: str) -> None:
    def job(tx: Tx) -> None:
        area = repo.get_area(tx.db, area_id, include_deleted=True)
        if repo.name_taken(tx.db, "areas", area.name, except_id=area_id):
            raise DomainError(f"Another area is now called {area.name!r}; rename it first.")
        repo.set_area_deleted(tx.db, area_id, None)
        tx.emit(Changed(Topic.GROUPS, item_id=area_id))

    p.store.write_now(job)


# ---------------------------------------------------------------- services


def list_services(p: OpenProject) -> list[Service]:
    return repo.list_services(p.store.reader())


def get_service(p: OpenProject, service_id: str) -> Service:
    return repo.get_service(p.store.reader(), service_id, include_deleted=True)


def add_service(p: OpenProject, name: str, kind: ServiceKind, area_id: str | None) -> Service:
    """Name a service (an organisation, never a person) in an area (or none)."""
    name = clean_name(name, "The service's name")

    def job(tx: Tx) -> Service:
        if area_id is not None:
            repo.get_area(tx.db, area_id)
        if repo.name_taken(tx.db, "services", name):
            raise DomainError(f"There is already a service called {name!r}.")
        service = Service(new_id(), name, kind, area_id, len(repo.list_services(tx.db)), utc_now())
        repo.insert_service(tx.db, service)
        tx.emit(Changed(Topic.GROUPS, item_id=service.id))
        return service

    return p.store.write_now(job)


def update_service(
    p: OpenProject, service_id: str, *, name: str, kind: ServiceKind, area_id: str | None
) -> Service:
    name = clean_name(name, "The service's name")

    def job(tx: Tx) -> Service:
        service = repo.get_service(tx.db, service_id)
        if area_id is not None:
            repo.get_area(tx.db, area_id, include_deleted=area_id == service.area_id)
        if repo.name_taken(tx.db, "services", name, except_id=service_id):
            raise DomainError(f"There is already a service called {name!r}.")
        new = replace(service, name=name, kind=kind, area_id=area_id)
        repo.update_service(tx.db, new)
        tx.emit(Changed(Topic.GROUPS, item_id=service_id))
        return new

    return p.store.write_now(job)


def remove_service(p: OpenProject, service_id: str) -> None:
    """Hide a service from lists; its self-assessments are kept and still reported."""

    def job(tx: Tx) -> None:
        repo.get_service(tx.db, service_id)
        repo.set_service_deleted(tx.db, service_id, utc_now())
        tx.emit(Changed(Topic.GROUPS, item_id=service_id))

    p.store.write_now(job)


def restore_service(p: OpenProject, service_id: str) -> None:
    def job(tx: Tx) -> None:
        service = repo.get_service(tx.db, service_id, include_deleted=True)
        if repo.name_taken(tx.db, "services", service.name, except_id=service_id):
            raise DomainError(f"Another service is now called {service.name!r}; rename it first.")
        repo.set_service_deleted(tx.db, service_id, None)
        tx.emit(Changed(Topic.GROUPS, item_id=service_id))

    p.store.write_now(job)
