"""The theme-suggestion audit: for each note, what the suggestion engine proposed and what
the facilitator decided, so a report can say how much the tool shaped the themes.

The rule, for one note (docs/exports.md, "theme_suggestions"):

- **not_suggested**: no suggestion shown on the board ever named the note.
- **accepted**: a suggestion that named the note was accepted, the note went into the theme
  it became, and the note is still in that theme (whatever the theme is called now).
- **changed**: such a suggestion was accepted and the note went in, but the note is no
  longer in that theme: the facilitator moved it, merged or deleted the theme.
- **rejected**: suggestions named the note, but none that took it in was accepted (or the
  accept was undone): the facilitator rejected them, closed them, or left them.

When a note was proposed several times, the accepted suggestion that took it in counts
(the latest, if more than one); otherwise the latest suggestion shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

_PART = re.compile(r"[^\W_]+")


class AuditDecision(StrEnum):
    ACCEPTED = "accepted"
    CHANGED = "changed"
    REJECTED = "rejected"
    NOT_SUGGESTED = "not_suggested"


@dataclass(frozen=True, slots=True)
class ProposalRecord:
    """One suggestion shown that named the note, oldest first in a list."""

    suggestion_id: str
    label: str
    keywords: tuple[str, ...]
    theme_id: str | None  # the theme it became when accepted
    accepted: bool  # accepted, and the accept not undone
    taken: bool  # the note went into that theme when it was accepted


@dataclass(frozen=True, slots=True)
class NoteAudit:
    decision: AuditDecision
    proposal: ProposalRecord | None  # the one that counts; None: never suggested
    times_proposed: int


def audit_note(proposals: Sequence[ProposalRecord], final_theme_id: str | None) -> NoteAudit:
    """What became of the suggestions for one note, given the theme it is in now."""
    if not proposals:
        return NoteAudit(AuditDecision.NOT_SUGGESTED, None, 0)
    taken = [p for p in proposals if p.accepted and p.taken and p.theme_id is not None]
    if taken:
        chosen = taken[-1]
        decision = (
            AuditDecision.ACCEPTED if final_theme_id == chosen.theme_id else AuditDecision.CHANGED
        )
        return NoteAudit(decision, chosen, len(proposals))
    return NoteAudit(AuditDecision.REJECTED, proposals[-1], len(proposals))


def removed_words(fragments: Iterable[str]) -> frozenset[str]:
    """The words (letters and digits, without case) of fragments taken out of notes."""
    return frozenset(w.casefold() for f in fragments for w in _PART.findall(f))


def redact_word(word: str, removed: frozenset[str], replacement: str) -> str:
    """`replacement` for a label word holding any removed word ("jo's" for "Jo"), else the
    word. The engine's labels are made of its notes' words, lower-cased."""
    if removed and any(part.casefold() in removed for part in _PART.findall(word)):
        return replacement
    return word


def redact_label(label: str, removed: frozenset[str], replacement: str) -> str:
    return " ".join(redact_word(w, removed, replacement) for w in label.split(" "))
