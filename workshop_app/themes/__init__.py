"""Theme suggestions for sticky notes: text -> vectors -> clusters -> labels, offline.

The stable API is :class:`ThemeEngine`::

    engine = ThemeEngine()  # the shipped model, read on first use
    engine.suggest_themes(texts, k=None, *, seed=0) -> list[ThemeSuggestion]
    engine.rank_similar(texts, anchors, top=10) -> list[int]
    engine.assign(new_texts, themes) -> list[int | None]

There is no shared engine here: the composition root (runtime/root.py) builds the app's
one engine and hands it to whoever needs it; the command line and scripts build their
own. ``engine.model.load()`` loads the model now (blocking: call it off the GUI thread).

Runtime dependencies: numpy, onnxruntime, tokenizers. No torch.
"""

from __future__ import annotations

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
    "ThemeLike",
    "ThemeModel",
    "ThemeSuggestion",
]
