"""Areas and services of the pilot (issue 16): every change is made at once and can be
undone, as for stakeholder groups. Services are organisations, never people."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workshop_app.core.assessment import Area, Service, ServiceKind
from workshop_app.services import areas as pilot_names
from workshop_app.services.events import Changed, Topic
from workshop_app.services.project import OpenProject
from workshop_app.ui.common.commands import Actions, Op
from workshop_app.ui.common.widgets import heading, plain_label

NO_AREA = "No area"
T = TypeVar("T")


def _numbered(base: str, taken: set[str]) -> str:
    return next(n for n in [base, *(f"{base} {i}" for i in range(2, 200))] if n not in taken)


class ServicesDialog(QDialog):
    def __init__(self, project: OpenProject, actions: Actions, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Areas and services")
        self.project = project
        self._actions = actions
        self.areas = QTableWidget(0, 1)
        self.areas.setObjectName("areas-table")
        self.areas.setHorizontalHeaderLabels(["Area"])
        self.areas.setAccessibleName("Areas")
        self.services = QTableWidget(0, 3)
        self.services.setObjectName("services-table")
        self.services.setHorizontalHeaderLabels(["Service", "Kind", "Area"])
        self.services.setAccessibleName("Services")
        for table in (self.areas, self.services):
            table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            table.verticalHeader().hide()
            table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.add_area_button = QPushButton("Add area")
        self.remove_area_button = QPushButton("Remove area")
        self.add_service_button = QPushButton("Add service")
        self.remove_service_button = QPushButton("Remove service")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            plain_label(
                "Name the areas (a police force area, a local authority) and the services "
                "taking part in the pilot: organisations, never people. Each self-assessment "
                "is a service's; reports compare services and areas. Removing one keeps its "
                "self-assessments in the reports."
            )
        )
        for title, table, buttons in (
            ("Areas", self.areas, (self.add_area_button, self.remove_area_button)),
            ("Services", self.services, (self.add_service_button, self.remove_service_button)),
        ):
            layout.addWidget(heading(title))
            layout.addWidget(table)
            row = QHBoxLayout()
            for b in buttons:
                b.setAutoDefault(False)
                row.addWidget(b)
            row.addStretch(1)
            layout.addLayout(row)
        layout.addWidget(close)
        self.resize(680, 560)
        self.add_area_button.clicked.connect(self.add_area)
        self.remove_area_button.clicked.connect(self.remove_area)
        self.add_service_button.clicked.connect(self.add_service)
        self.remove_service_button.clicked.connect(self.remove_service)
        self.areas.itemChanged.connect(self._area_edited)
        self.services.itemChanged.connect(lambda item: self._service_edited(item.row()))
        self.reload()

    def on_changed(self, event: Changed) -> None:
        if event.topic is Topic.GROUPS:
            self.reload()

    def reload(self) -> None:
        known = pilot_names.list_areas(self.project)
        self.areas.blockSignals(True)
        self.areas.setRowCount(len(known))
        for row, a in enumerate(known):
            item = QTableWidgetItem(a.name)
            item.setData(Qt.ItemDataRole.UserRole, a.id)
            self.areas.setItem(row, 0, item)
        self.areas.blockSignals(False)
        services = pilot_names.list_services(self.project)
        self.services.blockSignals(True)
        self.services.setRowCount(len(services))
        for row, s in enumerate(services):
            item = QTableWidgetItem(s.name)
            item.setData(Qt.ItemDataRole.UserRole, s.id)
            self.services.setItem(row, 0, item)
            kind = QComboBox()
            kind.setAccessibleName(f"Kind of {s.name}")
            for k in ServiceKind:
                kind.addItem(k.label, k.value)
            kind.setCurrentIndex(kind.findData(s.kind.value))
            kind.currentIndexChanged.connect(lambda _i, r=row: self._service_edited(r))
            self.services.setCellWidget(row, 1, kind)
            area = QComboBox()
            area.setAccessibleName(f"Area of {s.name}")
            area.addItem(NO_AREA, "")
            for a in known:
                area.addItem(a.name, a.id)
            area.setCurrentIndex(max(0, area.findData(s.area_id or "")))
            area.currentIndexChanged.connect(lambda _i, r=row: self._service_edited(r))
            self.services.setCellWidget(row, 2, area)
        self.services.blockSignals(False)

    def _selected(self, table: QTableWidget) -> str | None:
        item = table.item(table.currentRow(), 0) if table.currentRow() >= 0 else None
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else None

    # ------------------------------------------------------------------ areas

    def _redraw_after(self, op: Op[T]) -> None:
        """Show what is stored once the change is committed, or refused."""
        op.then(lambda _r: self.reload()).refused(self.reload)

    def add_area(self) -> None:
        p = self.project

        def do() -> Area:
            name = _numbered("New area", {a.name for a in pilot_names.list_areas(p)})
            return pilot_names.add_area(p, name)

        self._redraw_after(
            self._actions.perform(
                "Add area",
                do,
                lambda a: pilot_names.remove_area(p, a.id),
                lambda a: pilot_names.restore_area(p, a.id),
            )
        )

    def remove_area(self) -> None:
        area_id = self._selected(self.areas)
        if area_id is not None:
            self._redraw_after(
                self._actions.perform(
                    "Remove area",
                    lambda: pilot_names.remove_area(self.project, area_id),
                    lambda _r: pilot_names.restore_area(self.project, area_id),
                )
            )

    def _area_edited(self, item: QTableWidgetItem) -> None:
        p, area_id, name = self.project, str(item.data(Qt.ItemDataRole.UserRole)), item.text()

        def do() -> str:
            """The name before (for undo)."""
            old = next(a for a in pilot_names.list_areas(p) if a.id == area_id).name
            pilot_names.rename_area(p, area_id, name)
            return old

        self._redraw_after(
            self._actions.perform(
                "Rename area",
                do,
                lambda old: pilot_names.rename_area(p, area_id, old),
                lambda _old: pilot_names.rename_area(p, area_id, name),
            )
        )

    # ------------------------------------------------------------------ services

    def add_service(self) -> None:
        p = self.project

        def do() -> Service:
            name = _numbered("New service", {s.name for s in pilot_names.list_services(p)})
            known = pilot_names.list_areas(p)
            return pilot_names.add_service(
                p, name, ServiceKind.OTHER, known[0].id if known else None
            )

        self._redraw_after(
            self._actions.perform(
                "Add service",
                do,
                lambda s: pilot_names.remove_service(p, s.id),
                lambda s: pilot_names.restore_service(p, s.id),
            )
        )

    def remove_service(self) -> None:
        service_id = self._selected(self.services)
        if service_id is not None:
            self._redraw_after(
                self._actions.perform(
                    "Remove service",
                    lambda: pilot_names.remove_service(self.project, service_id),
                    lambda _r: pilot_names.restore_service(self.project, service_id),
                )
            )

    def _service_edited(self, row: int) -> None:
        item = self.services.item(row, 0)
        kind, area = self.services.cellWidget(row, 1), self.services.cellWidget(row, 2)
        if item is None or not isinstance(kind, QComboBox) or not isinstance(area, QComboBox):
            return
        p, service_id = self.project, str(item.data(Qt.ItemDataRole.UserRole))
        name, new_kind = item.text(), ServiceKind(kind.currentData())
        area_id = str(area.currentData()) or None

        def do() -> Service:
            """The service as it was (for undo)."""
            old = pilot_names.get_service(p, service_id)
            if (old.name, old.kind, old.area_id) != (name, new_kind, area_id):
                pilot_names.update_service(p, service_id, name=name, kind=new_kind, area_id=area_id)
            return old

        self._redraw_after(
            self._actions.perform(
                "Change service",
                do,
                lambda old: pilot_names.update_service(
                    p, service_id, name=old.name, kind=old.kind, area_id=old.area_id
                ),
                lambda _old: pilot_names.update_service(
                    p, service_id, name=name, kind=new_kind, area_id=area_id
                ),
            )
        )
