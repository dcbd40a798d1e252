"""The rules of the standard editor's form, without a widget: the hints it shows, how typed
rows become fields, and whether what is typed may be committed (a term defined twice, an
invalid measure: the service's own checks, `services/standards.clean_fields`).

The view (`ui/standards/standard_editor.StandardEditor`) reads its fields into plain values
and asks `verdict` before it commits anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workshop_app.core.errors import DomainError
from workshop_app.core.model import Measure, Standard, StandardLevel
from workshop_app.services import standards as svc
from workshop_app.services.errors import USER_ERRORS, message_for
from workshop_app.services.merge import FlagRow
from workshop_app.services.standards import StandardFields

STATEMENT_HINT = (
    "One clear, measurable requirement: who does what, for whom, so that it can be checked. "
    "For example: “Children and young people can name at least one trusted adult they would "
    "tell if something online worried them.”"
)
CHILD_WORDING_HINT = (
    "Children's groups rate this wording instead of the statement (the statement when it is "
    "empty): short sentences, spoken to the child. Changing it never starts a new version, so "
    "settle it before a round opens."
)
LEVEL_HINTS = {
    StandardLevel.EXPECTED: "Expected: every service should meet it now.",
    StandardLevel.DEVELOPMENTAL: "Developmental: services work towards it over time.",
}
MEASURE_HINT = (
    "Structure: what is in place (a policy, a named lead). Process: what is done (the "
    "proportion of children asked). Outcome: what changes for children and families. "
    "Give a numerator and denominator when the measure is a proportion."
)
VERSION_HINT = (
    "Ratings remember the version they were given to. Rewording a version nobody has rated "
    "changes it; rewording one people have rated starts a new version, so every round keeps "
    "the words it rated."
)
REFERENCES_HINT = (
    "External guidance and evidence this standard rests on (a national guideline, a law, a "
    "study), one per line. The framework lists them with the workshops it came from."
)


@dataclass(frozen=True, slots=True)
class Verdict:
    """What to do with the form as typed: show `error`, or commit when `changed`."""

    error: str | None = None
    changed: bool = False


def verdict(stored: Standard, fields: StandardFields, terms: Sequence[tuple[str, str]]) -> Verdict:
    """Check what is typed (the definitions' rows as typed, which may repeat a term) and
    compare it, cleaned as the service would store it, with what is stored."""
    try:
        check_terms(terms)
        cleaned = svc.clean_fields(fields)
    except USER_ERRORS as exc:
        return Verdict(error=message_for(exc))
    return Verdict(changed=cleaned != StandardFields.of(stored))


def reference_lines(text: str) -> tuple[str, ...]:
    """One reference per non-empty line, as typed (the service trims and checks them)."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def check_terms(rows: Sequence[tuple[str, str]]) -> None:
    """A term given twice (rows, unlike a mapping, can repeat one) is refused here."""
    seen: set[str] = set()
    for term, _meaning in rows:
        key = term.strip().casefold()
        if key and key in seen:
            raise DomainError(f"“{term.strip()}” is defined twice.")
        seen.add(key)


def cleaned_measures(rows: Sequence[Measure]) -> tuple[Measure, ...] | None:
    try:
        return svc.clean_fields(StandardFields("-", "-", measures=tuple(rows))).measures
    except USER_ERRORS:
        return None


def cleaned_definitions(rows: Sequence[tuple[str, str]]) -> dict[str, str] | None:
    try:
        check_terms(rows)
        return dict(svc.clean_fields(StandardFields("-", "-", definitions=dict(rows))).definitions)
    except USER_ERRORS:
        return None


def merge_mark(flag: FlagRow | None, beside: FlagRow | None) -> str:
    """The list's mark on a standard edited on two laptops (both versions kept by a merge):
    the other laptop's version, or this project's with another beside it."""
    if flag is not None:
        return f"\n⚑ other laptop's version, from {flag.source_file}"
    if beside is not None:
        return f"\n⚑ another version beside it, from {beside.source_file}"
    return ""


def merged_note(flag: FlagRow) -> str:
    """What the window says about the other laptop's version of a standard."""
    here = "deleted here" if flag.original_deleted else f"“{flag.original_title}”"
    return (
        f"Edited on two laptops: this version came from {flag.source_file} "
        f"(“{flag.source_title}”, brought in {flag.merged_at:%d %b %Y}); this project's is "
        f"{here}. Compare them, then delete one or keep both."
    )
