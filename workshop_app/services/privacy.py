"""The privacy review before an export: notes that look like they hold personal details,
the facilitator's decisions about them, and the export-ready texts those decisions give.

A decision never changes the note: the project keeps what was written, and exports show
"[removed]" in place of each fragment the facilitator chose to remove. Only
`delete_original`, the facilitator's explicit and warned choice, takes words out of the
project itself.
"""

from __future__ import annotations

from workshop_app.core import redaction
from workshop_app.services.project import OpenProject
from workshop_app.storage import privacy as repo


def export_texts(p: OpenProject) -> dict[str, str]:
    """Every note's current text by note id, with 'remove' decisions applied ("[removed]")."""
    db = p.store.reader()
    removals = repo.removals(db)
    return {
        note_id: redaction.apply(text, removals.get(note_id, ()))
        for note_id, text in repo.note_texts(db).items()
    }
