"""Personal details in participant text: finding them, and taking them out of exports.

The privacy review (services/privacy.py) lists what `find_personal_details` suspects in
each note; the facilitator decides, fragment by fragment, whether exports show the words
or "[removed]" (`apply`). The detectors err on the side of asking: a false alarm costs a
click, a missed phone number costs a child's privacy.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

REMOVED = "[removed]"


class DetailKind(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    POSTCODE = "postcode"
    WEB = "web"
    HANDLE = "handle"
    SCHOOL = "school"
    NAME = "name"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    DetailKind.EMAIL: "Email address",
    DetailKind.PHONE: "Phone number",
    DetailKind.POSTCODE: "Postcode",
    DetailKind.WEB: "Web address",
    DetailKind.HANDLE: "Social media handle",
    DetailKind.SCHOOL: "School name",
    DetailKind.NAME: "Personal name",
}


@dataclass(frozen=True, slots=True)
class Finding:
    """Words that look like a personal detail: `text[start:end] == fragment`."""

    kind: DetailKind
    fragment: str
    start: int
    end: int


def apply(text: str, fragments: Iterable[str]) -> str:
    """`text` with every occurrence of each fragment replaced by "[removed]".

    Longer fragments go first, so a fragment inside another ("Sam" in "Sam Jones") never
    leaves part of the longer one behind.
    """
    for fragment in sorted({f for f in fragments if f}, key=len, reverse=True):
        text = text.replace(fragment, REMOVED)
    return text
