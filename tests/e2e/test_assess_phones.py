"""Self-assessment on real phones (issue 16): three services' teams give their views in
Chromium, with and without the page's script; the facilitator settles each team's answer
through the same service the console calls; the pages are axe-clean at 320 and 390 px."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Live, Phones, eventually, join
from tests.e2e.test_accessibility import WIDTHS, check_page, without_script
from workshop_app.core.assessment import AssessStatus, ServiceKind
from workshop_app.core.model import Activity, ActivityState
from workshop_app.services import areas, assessment, standards
from workshop_app.services import live as live_service
from workshop_app.services.assessment import Draft
from workshop_app.storage import assessment as assessment_repo


def open_assessment(live: Live, name: str, kind: ServiceKind, area: str) -> Activity:
    known = {a.name: a.id for a in areas.list_areas(live.project)}
    area_id = known.get(area) or areas.add_area(live.project, area).id
    service = areas.add_service(live.project, name, kind, area_id)
    a = assessment.add_assessment(live.project, live.session.id, service.id)
    live_service.show_activity(live.project, a.id)
    live_service.set_activity_state(live.project, a.id, ActivityState.OPEN)
    return a


def give_view(page: Page, title: str, status: str, evidence: str) -> None:
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    page.get_by_label(status, exact=True).check()
    page.get_by_label("Evidence: what shows it").fill(evidence)
    page.get_by_role("button", name="Send my view").click()
    expect(page.get_by_text("Your view was received.")).to_be_visible()


def views(live: Live, activity: Activity) -> list[tuple[str, str, str]]:
    state = assessment.assessment_state(live.project, activity.id)
    assert state is not None
    return sorted(
        (s.statement.title, name, v.status.value) for s in state.statements for name, v in s.views
    )


def test_three_services_assess_themselves_on_phones_and_the_facilitator_settles(
    live: Live, phones: Phones
) -> None:
    first = standards.list_standards(live.project)[0]
    teams = [
        ("North Police OCSEA team", ServiceKind.POLICE, "North force area"),
        ("Hillside Academy", ServiceKind.SCHOOL, "North force area"),
        ("Southside Youth Club", ServiceKind.YOUTH, "South force area"),
    ]
    members = [phones.page(), phones.page()]
    for page in members:
        join(page, live.join_url())
    without_script(members[1])  # the second phone has no script: plain forms
    for name, kind, area in teams:
        a = open_assessment(live, name, kind, area)
        for page in members:
            page.goto(live.join_url())
            expect(page.get_by_text(f"For {name}.")).to_be_visible()
        give_view(members[0], first.title, "Met", f"{name}: our policy, reviewed 2026")
        give_view(members[1], first.title, "Partly met", "Only one site so far")
        # back on the list of statements, each phone sees its own view only
        expect(members[1].get_by_text("Your view: Partly met")).to_be_visible()
        expect(members[0].get_by_text("Your view: Met", exact=True)).to_be_visible()
        got = eventually(lambda a=a: views(live, a), lambda v: len(v) == 2)
        assert got == [
            (first.title, "Member 1", "met"),
            (first.title, "Member 2", "partly_met"),
        ]
        state = assessment.assessment_state(live.project, a.id)
        assert state is not None and state.statements[0].disagreement
        assessment.settle(
            live.project, a.id, first.id, Draft(AssessStatus.PARTLY_MET.value, "One site of two")
        )
        state = assessment.assessment_state(live.project, a.id)
        assert state is not None and state.settled_count == 1
        live_service.set_activity_state(live.project, a.id, ActivityState.CLOSED)
    rows = assessment_repo.list_assessments(live.project.store.reader())
    ours = {r.assessment.service_id for r in rows if r.session_id == live.session.id}
    assert len(ours) == 3  # (the demo's own pilot is in another session)


def test_the_self_assessment_pages_have_no_serious_accessibility_problems(
    live: Live, phones: Phones
) -> None:
    a = open_assessment(live, "Hillside Academy", ServiceKind.SCHOOL, "North force area")
    state = assessment.assessment_state(live.project, a.id)
    assert state is not None
    measured = next((s for s in state.statements if s.statement.measures), state.statements[0])
    for script in (True, False):
        page = phones.context(bypass_csp=True).new_page()
        if not script:
            without_script(page)
        join(page, live.join_url())
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 700})
            page.goto(live.join_url())
            check_page(page, f"the list of statements at {width} px (script {script})")
            page.goto(f"{live.join_url()}/assess/{measured.statement.standard_id}")
            check_page(page, f"a statement's form at {width} px (script {script})")
        # a refused form, with its error, is clean too
        page.get_by_label("Met", exact=True).check()
        if measured.statement.measures:
            page.locator("input[name='m1.numerator']").fill("9")
            page.locator("input[name='m1.denominator']").fill("3")
            page.get_by_role("button", name="Send my view").click()
            expect(page.get_by_role("alert")).to_contain_text("is larger than the denominator")
            check_page(page, f"a refused form (script {script})")
