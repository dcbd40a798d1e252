"""The theme engine's installed footprint stays under the issue-14 target (250 MB as shipped:
the packages it imports at run time plus the model), and the model is the one shipped."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

from workshop_app.themes.embed import parts_of
from workshop_app.themes.model import MODEL_FILE, TOKENIZER_FILE, default_model_dir

TARGET_MB = 250
#: The packages `workshop_app.themes` imports at run time.
RUNTIME = ("onnxruntime", "tokenizers", "numpy")


def installed_mb(name: str) -> float:
    """A distribution's files on disk, without onnxruntime's C library (libonnxruntime.so.*),
    which the Python binding does not load and the frozen app never collects."""
    dist = importlib.metadata.distribution(name)
    total = 0
    for f in dist.files or []:
        path = Path(str(dist.locate_file(f)))
        if path.name.startswith("libonnxruntime.so") or not path.is_file():
            continue
        total += path.stat().st_size
    return total / 1e6


def model_mb() -> float:
    folder = default_model_dir()
    files = [*parts_of(folder / MODEL_FILE), folder / TOKENIZER_FILE]
    return sum(f.stat().st_size for f in files) / 1e6


def test_the_model_is_about_110_mb() -> None:
    assert 100 < model_mb() < 115


def test_the_theme_engine_as_shipped_stays_under_250_mb() -> None:
    packages = {name: round(installed_mb(name), 1) for name in RUNTIME}
    total = sum(packages.values()) + model_mb()
    assert total <= TARGET_MB, f"{total:.1f} MB: {packages}, model {model_mb():.1f} MB"
