"""A row of action buttons that wraps onto further rows instead of hiding actions.

A `QToolBar` too narrow for its actions folds the last of them behind a » button. With the
Live panel open on a 1366-px laptop that hid the wall's "Flag for safeguarding follow-up…"
and "Find duplicates…", and the board's "Bring in…", "Link…" and zoom buttons; at 1024 px
without the panel too. An `ActionBar` shows the same buttons (text only, raised on hover, as a
toolbar's) in as many rows as its width needs (`FlowLayout`), so every action stays one click
away, and its narrowest is its widest button.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFrame,
    QLayout,
    QLayoutItem,
    QSizePolicy,
    QToolButton,
    QWidget,
)


class FlowLayout(QLayout):
    """Items left to right at their preferred sizes, a new row where the next would not fit
    (Qt's flow layout example). Its height follows its width (`heightForWidth`)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 2) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), place=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, place=True)

    def sizeHint(self) -> QSize:
        """Everything on one row."""
        shown = self._shown()
        width = sum(i.sizeHint().width() for i in shown) + self._gap * max(0, len(shown) - 1)
        height = max((i.sizeHint().height() for i in shown), default=0)
        m = self.contentsMargins()
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QSize:
        """As narrow as the widest item (one per row at the narrowest)."""
        shown = self._shown()
        width = max((i.minimumSize().width() for i in shown), default=0)
        height = max((i.minimumSize().height() for i in shown), default=0)
        m = self.contentsMargins()
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def _shown(self) -> list[QLayoutItem]:
        return [i for i in self._items if not i.isEmpty()]

    def _arrange(self, rect: QRect, *, place: bool) -> int:
        """Lays the items out in `rect` (when `place`); the height they take either way."""
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        rows: list[list[tuple[QLayoutItem, QSize]]] = [[]]
        x = 0
        for item in self._shown():
            size = item.sizeHint().boundedTo(QSize(max(area.width(), 1), 1 << 20))
            if rows[-1] and x + self._gap + size.width() > area.width():
                rows.append([])
                x = 0
            if not rows[-1] and _is_separator(item):  # separates nothing at a row's start
                if place:
                    item.setGeometry(QRect())
                continue
            x += (self._gap if rows[-1] else 0) + size.width()
            rows[-1].append((item, size))
        y = area.y()
        for row in rows:
            while row and _is_separator(row[-1][0]):  # nor at its end
                if place:
                    row[-1][0].setGeometry(QRect())
                row.pop()
            if not row:
                continue
            height = max(size.height() for _, size in row)
            x = area.x()
            for item, size in row:
                if place:
                    item.setGeometry(QRect(QPoint(x, y), QSize(size.width(), height)))
                x += size.width() + self._gap
            y += height + self._gap
        used = y - self._gap - area.y() if any(rows) else 0
        return used + m.top() + m.bottom()


def _is_separator(item: QLayoutItem) -> bool:
    return isinstance(item.widget(), QFrame)


class ActionBar(QWidget):
    """A wrapping toolbar: a text-only tool button per action, in order, with separators."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self._flow = FlowLayout(self)
        self._buttons: dict[QAction, QToolButton] = {}

    def add(self, action: QAction) -> QToolButton:
        """A button for `action`: its short words (`iconText`), its tooltip, enabled with it;
        out of the Tab order, as a toolbar's (every action has its key)."""
        button = QToolButton(self)
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setAutoRaise(True)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._flow.addWidget(button)
        self._buttons[action] = button
        return button

    def add_separator(self) -> None:
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.VLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        self._flow.addWidget(line)

    def button_for(self, action: QAction) -> QToolButton:
        return self._buttons[action]

    def shown_actions(self) -> list[QAction]:
        """The actions with a button, in order."""
        return list(self._buttons)
