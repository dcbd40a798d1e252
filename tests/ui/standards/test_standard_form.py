"""The standard editor's form rules (ui/standards/standard_form.py) without a widget: what
may be committed, checked against a real project file's stored standard."""

from __future__ import annotations

from dataclasses import replace

import pytest

from workshop_app.core.errors import DomainError
from workshop_app.core.model import Measure, MeasureType
from workshop_app.services import standards as svc
from workshop_app.services.standards import StandardFields
from workshop_app.ui.standards.standard_form import (
    Verdict,
    check_terms,
    cleaned_definitions,
    cleaned_measures,
    reference_lines,
    verdict,
)

STORED = StandardFields("Trusted adult", "Children can name a trusted adult.")


@pytest.fixture
def stored(project):
    return svc.create_standard(project, STORED)


def test_what_is_stored_again_needs_no_commit_and_a_change_does(stored) -> None:
    assert verdict(stored, STORED, []) == Verdict()
    # typed with stray spaces: cleaned as the service stores it, so nothing changed
    assert verdict(stored, replace(STORED, title="  Trusted adult "), []) == Verdict()
    assert verdict(stored, replace(STORED, rationale="Why it matters"), []) == Verdict(changed=True)


@pytest.mark.parametrize(
    ("fields", "terms", "says"),
    [
        (replace(STORED, title=" "), [], "title"),
        (STORED, [("Trusted adult", "someone"), ("trusted ADULT ", "again")], "defined twice"),
    ],
)
def test_what_the_service_would_refuse_is_said_before_anything_is_committed(
    stored, fields: StandardFields, terms: list[tuple[str, str]], says: str
) -> None:
    v = verdict(stored, fields, terms)
    assert not v.changed and v.error is not None and says in v.error


def test_rows_become_fields_as_the_service_keeps_them() -> None:
    assert reference_lines("  NICE NG1 \n\n Children Act 1989\n") == (
        "NICE NG1",
        "Children Act 1989",
    )
    check_terms([("adult", "a"), ("", ""), ("", "")])  # empty rows may repeat
    with pytest.raises(DomainError, match="defined twice"):
        check_terms([("Adult", "a"), ("adult", "b")])
    assert cleaned_definitions([("Adult", "a"), ("adult", "b")]) is None
    assert cleaned_definitions([(" Adult ", " over 18 "), ("", "")]) == {"Adult": "over 18"}
    empty = Measure(MeasureType.PROCESS, "")
    assert cleaned_measures([empty]) == ()  # an empty row is dropped
    kept = Measure(MeasureType.OUTCOME, " Children who can name an adult ")
    assert cleaned_measures([kept]) == (replace(kept, description=kept.description.strip()),)
