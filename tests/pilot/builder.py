"""A small pilot built through the real services: two areas, three services, a framework of
three statements (one with two measures) and a self-assessment per service, answered by
team members on phones and settled by the facilitator. Shared by the service, export, CLI
and console tests of self-assessment (issue 16)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import count

from workshop_app.core.assessment import Area, AssessStatus, Service, ServiceKind
from workshop_app.core.model import Activity, ActivityState, Measure, MeasureType
from workshop_app.services import areas, assessment, live, sessions, standards
from workshop_app.services import participation as phones
from workshop_app.services.assessment import Draft
from workshop_app.services.project import OpenProject
from workshop_app.services.sessions import SessionDetails
from workshop_app.services.standards import StandardFields

_keys = count()

MEASURES = (
    Measure(
        MeasureType.PROCESS,
        "Children referred who were seen within 5 working days",
        numerator="children seen within 5 working days",
        denominator="children referred",
    ),
    Measure(MeasureType.STRUCTURE, "Staff trained in online safety", "staff trained", "staff"),
)


def key() -> str:
    return f"pilot-{next(_keys):06d}"


@dataclass
class Pilot:
    p: OpenProject
    north: Area
    south: Area
    police: Service
    school: Service
    youth: Service
    s1: str  # "Trusted adult" (no measures)
    s2: str  # "Quick help" (two measures)
    s3: str  # "Reporting" (no measures)
    session_id: str = ""

    def assessment(self, service: Service, *, open_it: bool = True) -> Activity:
        if not self.session_id:
            s = sessions.create_session(self.p, SessionDetails("Pilot", date=date(2026, 5, 1)))
            self.session_id = s.id
        a = assessment.add_assessment(self.p, self.session_id, service.id)
        if open_it:
            if sessions.get_session(self.p, self.session_id).state.value != "live":
                live.go_live(self.p, self.session_id)
            live.show_activity(self.p, a.id)
            live.set_activity_state(self.p, a.id, ActivityState.OPEN)
        return a

    def member(self, activity: Activity) -> str:
        return phones.join(self.p, activity.session_id, None).result(5).id

    def view(self, who: str, activity: Activity, standard_id: str, draft: Draft) -> dict:
        done = assessment.give_view(self.p, who, activity.id, standard_id, draft, key())
        return done.result(5).body

    def settle(
        self, activity: Activity, standard_id: str, status: AssessStatus, **kw: object
    ) -> None:
        assessment.settle(self.p, activity.id, standard_id, Draft(status.value, **kw))


def build_pilot(p: OpenProject) -> Pilot:
    north = areas.add_area(p, "North force area")
    south = areas.add_area(p, "South force area")
    police = areas.add_service(p, "North Police OCSEA team", ServiceKind.POLICE, north.id)
    school = areas.add_service(p, "Riverside Academy", ServiceKind.SCHOOL, north.id)
    youth = areas.add_service(p, "Southside Youth Club", ServiceKind.YOUTH, south.id)
    s1 = standards.create_standard(
        p, StandardFields("Trusted adult", "Every child can name a trusted adult.")
    )
    s2 = standards.create_standard(
        p,
        StandardFields(
            "Quick help", "Children who ask for help are seen quickly.", measures=MEASURES
        ),
    )
    s3 = standards.create_standard(
        p, StandardFields("Reporting", "Reporting online harm takes one step.")
    )
    return Pilot(p, north, south, police, school, youth, s1.id, s2.id, s3.id)


def settle_all(pilot: Pilot) -> dict[str, Activity]:
    """Each service's settled answers, chosen so that "Quick help" is hard to meet (2 of 3
    services not fully meet it), "Reporting" is not (1 of 2 applicable), "Trusted adult" is
    met by all."""
    S = AssessStatus
    out = {}
    plan = {
        "police": (S.MET, S.PARTLY_MET, S.NOT_MET),
        "school": (S.MET, S.NOT_MET, S.MET),
        "youth": (S.MET, S.MET, S.NOT_APPLICABLE),
    }
    for name, statuses in plan.items():
        service = getattr(pilot, name)
        a = pilot.assessment(service)
        for sid, status in zip((pilot.s1, pilot.s2, pilot.s3), statuses, strict=True):
            kw: dict[str, object] = {"evidence": f"{service.name}: evidence for {status.label}"}
            if sid == pilot.s2:
                kw["measures"] = [
                    {"numerator": 45, "denominator": 60, "period": "April to June 2026"},
                    {"numerator": "7", "denominator": "9", "period": "2026"},
                ]
                kw["actions"] = [
                    {"what": "Audit waiting times", "who": "Team manager", "by": "2026-09-30"}
                ]
            pilot.settle(a, sid, status, **kw)
        out[name] = a
    return out
