"""File → Bring in another project…: the state and words of the dialog, without a widget.

The presenter reads the chosen file (a private copy of it; the file is never changed),
works out what would come across, keeps which offered group matches are ticked, and
brings the project in. Reading and merging are slow for big projects, so the dialog
calls `load` and `bring_in` on a worker thread; everything else is quick.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workshop_app.services import merge as svc
from workshop_app.services.project import OpenProject
from workshop_app.services.protection import Key


@dataclass(frozen=True, slots=True)
class Offer:
    """A group of the other project that may be one of this project's."""

    source_id: str
    label: str  # “Parents & carers” (there) → “Parents and carers” (here)
    ticked: bool


class MergePresenter:
    def __init__(self, project: OpenProject):
        self.project = project
        self.source: svc.Source | None = None
        self.preview: svc.SourcePreview | None = None
        self.done: svc.MergeDone | None = None
        self._ticked: set[str] = set()

    # ------------------------------------------------------------------ slow: a worker

    def load(self, path: Path, key: Key | None = None) -> svc.SourcePreview:
        """Read `path` (through a private copy) and work out what would come across;
        an encrypted one with `key`, else with this project's own passphrase.
        Raises the services' errors (not a project, newer, damaged, this project)."""
        source = svc.read_source(path, self.project.path, key or self.project.store.key)
        [preview] = svc.preview(self.project, [source])
        self.source, self.done, self._ticked = source, None, set()
        self.preview = preview
        return preview

    def bring_in(self) -> svc.MergeDone:
        """Bring the loaded project in, with the ticked group matches (one transaction)."""
        if self.source is None:
            raise RuntimeError("no project chosen")
        [done] = svc.merge(self.project, [self.source], sorted(self._ticked))
        self.done = done
        return done

    # ------------------------------------------------------------------ quick

    def offers(self) -> list[Offer]:
        if self.preview is None:
            return []
        return [
            Offer(m.source.id, m.label, m.source.id in self._ticked) for m in self.preview.offered
        ]

    def tick(self, source_id: str, ticked: bool) -> None:
        """Accept (or not) an offered match; the summary is worked out again."""
        if self.source is None:
            return
        if ticked:
            self._ticked.add(source_id)
        else:
            self._ticked.discard(source_id)
        [self.preview] = svc.preview(self.project, [self.source], sorted(self._ticked))

    @property
    def can_bring_in(self) -> bool:
        return self.preview is not None and self.done is None and not self.preview.plan.empty

    def summary(self) -> str:
        """What the dialog says, computed from the plan (or from what was done)."""
        if self.done is not None:
            plan = self.done.plan
            info = self.done.source.info
            lines = [f"Brought in {info.file_name}: {svc.counts_text(plan.counts)}."]
            if plan.flagged:
                n = len(plan.flagged)
                lines.append(
                    f"{n} standard{'s' if n != 1 else ''} edited on both laptops: both "
                    "versions are in Project → Standards…, marked for you to compare."
                )
            lines.append(f"{info.file_name} itself was not changed.")
            return "\n".join(lines)
        if self.preview is None:
            return "Choose the other laptop's project file to see what would come across."
        lines = svc.plan_lines(self.preview)
        if self.preview.plan.empty:
            lines.append("Everything in it is here already: bringing it in would add nothing.")
        return "\n".join(lines)
