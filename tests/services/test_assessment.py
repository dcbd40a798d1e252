"""Self-assessment through the real services and a real project file (issue 16): areas
and services, the framework version a self-assessment keeps, views and settled answers."""

from __future__ import annotations

import pytest

from tests.pilot.builder import Pilot, build_pilot
from workshop_app.core.assessment import AssessStatus, ServiceKind
from workshop_app.core.errors import DomainError, NotFoundError, StateError
from workshop_app.core.model import ActivityKind
from workshop_app.services import areas, assessment, sessions, standards
from workshop_app.services.assessment import Draft
from workshop_app.services.project import OpenProject
from workshop_app.services.sessions import ActivityFields, SessionDetails
from workshop_app.services.standards import StandardFields


@pytest.fixture
def pilot(project: OpenProject) -> Pilot:
    return build_pilot(project)


def test_areas_and_services_are_named_once_and_removed_services_come_back(pilot: Pilot) -> None:
    p = pilot.p
    with pytest.raises(DomainError, match="already a service called"):
        areas.add_service(p, "riverside academy", ServiceKind.SCHOOL, None)
    with pytest.raises(DomainError, match="already an area called"):
        areas.add_area(p, "NORTH FORCE AREA")
    with pytest.raises(DomainError, match="cannot be empty"):
        areas.add_service(p, "   ", ServiceKind.OTHER, None)
    areas.remove_service(p, pilot.school.id)
    assert [s.name for s in areas.list_services(p)] == [
        "North Police OCSEA team",
        "Southside Youth Club",
    ]
    areas.restore_service(p, pilot.school.id)
    assert len(areas.list_services(p)) == 3
    moved = areas.update_service(
        p,
        pilot.school.id,
        name="Riverside Academy Trust",
        kind=ServiceKind.SCHOOL,
        area_id=pilot.south.id,
    )
    assert moved.area_id == pilot.south.id
    renamed = areas.rename_area(p, pilot.north.id, "Northshire")
    assert renamed.name == "Northshire"
    areas.remove_area(p, pilot.north.id)
    assert [a.name for a in areas.list_areas(p)] == ["South force area"]
    # the police service keeps its (removed) area for reports
    assert areas.get_service(p, pilot.police.id).area_id == pilot.north.id


def test_a_self_assessment_keeps_the_framework_version_it_was_set_up_with(pilot: Pilot) -> None:
    a = pilot.assessment(pilot.police)
    standards.update_standard(
        pilot.p,
        pilot.s1,
        StandardFields("Trusted adult (revised)", "Every child can name two trusted adults."),
    )
    found = assessment.get_assessment(pilot.p, a.id)
    assert found is not None
    first = found.statement(pilot.s1)
    assert (first.title, first.version) == ("Trusted adult", 1)
    assert len(found.statement(pilot.s2).measures) == 2
    later = pilot.assessment(pilot.school)
    again = assessment.get_assessment(pilot.p, later.id)
    assert again is not None
    assert again.statement(pilot.s1).title == "Trusted adult (revised)"
    # the version number moves on only once a version was rated (services/standards.py):
    # the wording kept with each self-assessment is what tells the two apart
    assert again.statement(pilot.s1).version == first.version == 1


def test_a_self_assessment_needs_standards_and_a_service(project: OpenProject) -> None:
    s = sessions.create_session(project, SessionDetails("Pilot"))
    a = sessions.add_activity(project, s.id, ActivityFields(ActivityKind.ASSESS, "Assess"))
    service = areas.add_service(project, "A school", ServiceKind.SCHOOL, None)
    with pytest.raises(StateError, match="no standards yet"):
        assessment.set_up_assessment(project, a.id, service.id)
    assert assessment.assessment_state(project, a.id) is None
    rate = sessions.add_activity(project, s.id, ActivityFields(ActivityKind.RATE, "Rate"))
    with pytest.raises(DomainError, match="Only a self-assessment"):
        assessment.set_up_assessment(project, rate.id, service.id)


def test_the_service_cannot_change_once_the_team_has_answered(pilot: Pilot) -> None:
    a = pilot.assessment(pilot.police)
    assessment.set_up_assessment(pilot.p, a.id, pilot.youth.id)  # nobody answered: fine
    pilot.settle(a, pilot.s1, AssessStatus.MET)
    with pytest.raises(StateError, match="already answered"):
        assessment.set_up_assessment(pilot.p, a.id, pilot.school.id)


def test_views_side_by_side_disagree_and_the_facilitator_settles_with_undo(pilot: Pilot) -> None:
    a = pilot.assessment(pilot.police)
    one, two, three = (pilot.member(a) for _ in range(3))
    pilot.view(two, a, pilot.s1, Draft("met", "Policy"))
    pilot.view(one, a, pilot.s1, Draft("partly_met", "Half the staff"))
    pilot.view(three, a, pilot.s1, Draft("met"))
    state = assessment.assessment_state(pilot.p, a.id)
    assert state is not None
    row = state.statements[0]
    # numbered in the order their first view came: never their ids
    assert [(n, v.status.value) for n, v in row.views] == [
        ("Member 1", "met"),
        ("Member 2", "partly_met"),
        ("Member 3", "met"),
    ]
    assert row.disagreement and row.settled is None
    first = assessment.settle(pilot.p, a.id, pilot.s1, Draft("partly_met", "Half the staff"))
    assert first.previous is None
    second = assessment.settle(pilot.p, a.id, pilot.s1, Draft("met", "All staff now"))
    assert second.previous == first.answer
    assessment.restore_settled(pilot.p, second.previous, pilot.s1, a.id)
    state = assessment.assessment_state(pilot.p, a.id)
    assert state is not None and state.statements[0].settled is not None
    assert state.statements[0].settled.evidence == "Half the staff"
    assessment.restore_settled(pilot.p, first.previous, pilot.s1, a.id)
    state = assessment.assessment_state(pilot.p, a.id)
    assert state is not None and state.statements[0].settled is None
    assert state.settled_count == 0
    # a settled answer cleared can be settled again
    assessment.settle(pilot.p, a.id, pilot.s1, Draft("not_met"))
    state = assessment.assessment_state(pilot.p, a.id)
    assert state is not None and state.statements[0].settled is not None


def test_settling_checks_what_is_typed_and_warns_about_names(pilot: Pilot) -> None:
    a = pilot.assessment(pilot.police)
    with pytest.raises(NotFoundError, match="not part of this self-assessment"):
        assessment.settle(pilot.p, a.id, "nope", Draft("met"))
    with pytest.raises(DomainError, match=r"numerator \(5\) is larger than the denominator"):
        assessment.settle(
            pilot.p, a.id, pilot.s2, Draft("met", measures=[{"numerator": 5, "denominator": 4}])
        )
    done = assessment.settle(
        pilot.p,
        a.id,
        pilot.s2,
        Draft(
            "partly_met",
            "  Audit\r\n of referrals \x07 ",
            [None, {"numerator": "1,200", "denominator": "1,500", "period": " 2026 "}],
            [{"what": " Train   staff ", "who": "Emma Watson", "by": "2026-12-01"}, {"what": ""}],
        ),
    )
    answer = done.answer
    assert answer.evidence == "Audit\n of referrals"
    assert answer.measures[0].empty
    assert answer.measures[1].text == "1200 of 1500 (80%), 2026"
    assert [(x.what, x.who) for x in answer.actions] == [("Train staff", "Emma Watson")]
    assert done.warnings and "Emma Watson" in done.warnings[0]


def test_showing_a_statement_on_the_projector_is_remembered(pilot: Pilot) -> None:
    a = pilot.assessment(pilot.police)
    assessment.show_statement(pilot.p, a.id, pilot.s2)
    found = assessment.get_assessment(pilot.p, a.id)
    assert found is not None and found.current_standard_id == pilot.s2
    with pytest.raises(NotFoundError):
        assessment.show_statement(pilot.p, a.id, "nope")
    assessment.show_statement(pilot.p, a.id, None)
    found = assessment.get_assessment(pilot.p, a.id)
    assert found is not None and found.current_standard_id is None


def test_the_projector_shows_the_statement_and_the_settled_answer_never_a_view(
    pilot: Pilot,
) -> None:
    from workshop_app.services.projection import Stage, projector_view

    a = pilot.assessment(pilot.police)
    view = projector_view(pilot.p, pilot.session_id)
    assert view.stage is Stage.ASSESSING and view.choices == ()
    assert view.status == "We are going through the framework's statements together."
    who = pilot.member(a)
    pilot.view(who, a, pilot.s2, Draft("not_met", "A secret from Member 1"))
    assessment.show_statement(pilot.p, a.id, pilot.s2)
    view = projector_view(pilot.p, pilot.session_id)
    assert view.prompt == "Quick help: Children who ask for help are seen quickly."
    assert view.choices == (
        "Measure: Children referred who were seen within 5 working days",
        "Measure: Staff trained in online safety",
        "Team answer: not settled yet",
    )
    assert view.status.startswith("Statement 2 of 3.")
    pilot.settle(
        a,
        pilot.s2,
        AssessStatus.PARTLY_MET,
        evidence="Audit of referrals",
        measures=[{"numerator": 45, "denominator": 60, "period": "Q2"}],
        actions=[{"what": "Audit waiting times", "who": "Team manager", "by": "2026-09-30"}],
    )
    view = projector_view(pilot.p, pilot.session_id)
    assert view.choices[2:] == (
        "Team answer: ◐ Partly met",
        "Evidence: Audit of referrals",
        "Children referred who were seen within 5 working days: 45 of 60 (75%), Q2",
        "Action: Audit waiting times · Team manager · 2026-09-30",
    )
    assert "secret" not in repr(view)
