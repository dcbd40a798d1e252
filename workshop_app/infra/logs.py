"""The log file: where bugs leave their traceback (never participant content)."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from workshop_app.infra.paths import data_dir

LOG_NAME = "workshop-app.log"
_configured: list[Path] = []


def log_path() -> Path:
    return data_dir() / LOG_NAME


def configure_logging(level: int = logging.INFO) -> Path:
    """Send our log records to a small rotating file in the data folder (once)."""
    if _configured:
        return _configured[0]
    path = log_path()
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("workshop_app")
    root.addHandler(handler)
    root.setLevel(level)
    _configured.append(path)
    return path


def log_exception() -> Path:
    """Record the exception being handled, with its traceback; returns the log's path."""
    path = configure_logging()
    logging.getLogger("workshop_app").exception("unexpected error")
    return path
