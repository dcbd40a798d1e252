"""The Self-assessment tab's rules without a widget (ui/assess/assess_presenter.py)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.pilot.builder import Pilot, build_pilot
from workshop_app.core.assessment import AssessStatus
from workshop_app.services import assessment
from workshop_app.services.assessment import Draft
from workshop_app.services.project import OpenProject
from workshop_app.ui.assess.assess_presenter import (
    ACTION_ROWS,
    NOT_SETTLED,
    AssessPresenter,
    draft_of,
    empty_words,
    fields_of,
    rows_of,
    view_text,
)


@pytest.fixture
def pilot(project: OpenProject) -> Pilot:
    return build_pilot(project)


def test_rows_say_the_settled_answer_and_the_views_and_when_they_differ(pilot: Pilot) -> None:
    a = pilot.assessment(pilot.police)
    one, two = pilot.member(a), pilot.member(a)
    pilot.view(one, a, pilot.s1, Draft("met"))
    pilot.view(two, a, pilot.s1, Draft("not_met"))
    pilot.settle(a, pilot.s2, AssessStatus.PARTLY_MET)
    presenter = AssessPresenter(pilot.p)
    presenter.session_id = pilot.session_id
    assert presenter.entries() == [(a.id, "1. Self-assessment: North Police OCSEA team")]
    state = presenter.read(a.id)
    assert state is not None
    rows = rows_of(state)
    assert [(r.title, r.settled, r.views, r.differ) for r in rows] == [
        ("Trusted adult", NOT_SETTLED, "2 views: 1 met, 1 not met", True),
        ("Quick help", "◐ Partly met", "No views", False),
        ("Reporting", NOT_SETTLED, "No views", False),
    ]
    assert presenter.heading() == (
        "North Police OCSEA team (Police, North force area): 1 of 3 statements settled"
    )


def test_a_view_in_words_and_the_editor_round_trip(pilot: Pilot) -> None:
    a = pilot.assessment(pilot.police)
    who = pilot.member(a)
    pilot.view(
        who,
        a,
        pilot.s2,
        Draft(
            "partly_met",
            "Audit",
            [{"numerator": 3, "denominator": 4, "period": "May"}],
            [{"what": "Train staff", "who": "Lead", "by": "2026-07-01"}],
        ),
    )
    state = assessment.assessment_state(pilot.p, a.id)
    assert state is not None
    row = state.statements[1]
    name, view = row.views[0]
    assert view_text(name, view, row.statement) == (
        "Member 1: Partly met\nEvidence: Audit\n"
        "Children referred who were seen within 5 working days: 3 of 4 (75%), May\n"
        "Action: Train staff (Lead) by 2026-07-01"
    )
    fields = fields_of(view, row.statement)
    assert fields.measures == (("3", "4", "May"), ("", "", ""))
    assert len(fields.actions) == ACTION_ROWS and fields.actions[0] == (
        "Train staff",
        "Lead",
        "2026-07-01",
    )
    done = assessment.settle(pilot.p, a.id, pilot.s2, draft_of(fields))
    assert done.answer.status is AssessStatus.PARTLY_MET
    assert done.answer.actions[0].by == date(2026, 7, 1)
    assert done.answer.measures == view.measures
    empty = fields_of(None, row.statement)
    assert empty.status is None and empty.measures == (("", "", ""), ("", "", ""))


def test_the_empty_tab_says_the_next_step_from_what_the_project_has() -> None:
    assert empty_words(False, 3) == "Choose a session to see its self-assessments."
    assert "Name the services taking part" in empty_words(True, 0)
    assert "choose the service above" in empty_words(True, 2)
    assert "Name the services" not in empty_words(True, 2)
