"""Theme suggestions for sticky notes: text -> vectors -> clusters -> labels, offline.

The stable API::

    suggest_themes(texts, k=None, *, seed=0) -> list[ThemeSuggestion]
    rank_similar(texts, anchors, top=10) -> list[int]
    assign(new_texts, themes) -> list[int | None]

The module-level functions share one lazily created :class:`ThemeEngine` (the model is
read on first use). A composition root that wants to load the model early, off the GUI
thread, builds its own ``ThemeEngine(ThemeModel(...))`` and calls ``engine.model.load()``
from a worker thread, or calls :func:`load_model` here.

Runtime dependencies: numpy, onnxruntime, tokenizers. No torch.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from workshop_app.themes.embed import Matrix
from workshop_app.themes.engine import (
    Placement,
    Theme,
    ThemeEngine,
    ThemeLike,
    ThemeSuggestion,
)
from workshop_app.themes.errors import ModelError
from workshop_app.themes.model import ThemeModel

__all__ = [
    "Matrix",
    "ModelError",
    "Placement",
    "Theme",
    "ThemeEngine",
    "ThemeModel",
    "ThemeSuggestion",
    "assign",
    "default_engine",
    "load_model",
    "rank_similar",
    "suggest_themes",
]

_default: ThemeEngine | None = None
_default_lock = threading.Lock()


def default_engine() -> ThemeEngine:
    """The engine behind the module-level functions (created on first call, not loaded)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = ThemeEngine()
        return _default


def load_model() -> None:
    """Load and verify the default engine's model now (blocking; call from a worker thread)."""
    default_engine().model.load()


def suggest_themes(
    texts: Sequence[str], k: int | None = None, *, seed: int = 0
) -> list[ThemeSuggestion]:
    """Group notes into themes (``k=None``: choose how many). See ThemeEngine."""
    return default_engine().suggest_themes(texts, k, seed=seed)


def rank_similar(texts: Sequence[str], anchors: Sequence[int], top: int = 10) -> list[int]:
    """The notes most like the anchor notes, best first, anchors excluded."""
    return default_engine().rank_similar(texts, anchors, top)


def assign(new_texts: Sequence[str], themes: Sequence[ThemeLike]) -> list[int | None]:
    """Where each new note fits among existing themes (None when nothing fits)."""
    return default_engine().assign(new_texts, themes)
