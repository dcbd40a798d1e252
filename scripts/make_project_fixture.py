"""Store a project file at the current schema version, for the migration tests.

    .venv/bin/python scripts/make_project_fixture.py

Writes tests/storage/fixtures/project-vN.cground (N = the current schema version) with a
little of everything: groups, a live session from a plan, a participant, notes, a vote,
a help request, an idempotent submission, (from version 5) a standard, (from version 6)
a suggested theme shown and accepted, (from version 7) an external reference, (from
version 8) the notes' kept vectors (for the theme model of the day), (from version 9)
a second laptop's small project merged in, (from version 10) the pilot: an area, a
service and its self-assessment with a team member's view and the settled answer, and (from
version 11) an evaluation survey with a closed and a free-text answer, (from version 12)
two notes held back on arrival, one still held and one released, and (from version 13) a
note still waiting for the arrival check's second look. Run it once
when a release adds a schema step, then never again for that N: the file stands for what
users' disks hold.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from workshop_app.core.assessment import ServiceKind
from workshop_app.core.model import ActivityKind, ActivityState
from workshop_app.core.survey import QuestionFields, QuestionKind
from workshop_app.infra.paths import shipped_plans_dir
from workshop_app.services import (
    areas,
    assessment,
    board,
    groups,
    live,
    merge,
    moderation,
    participation,
    sessions,
    standards,
    suggestions,
    survey,
    vectors,
)
from workshop_app.services.arrival import SecondLook
from workshop_app.services.assessment import Draft
from workshop_app.services.plans import load_plan
from workshop_app.services.project import OpenProject, create_project
from workshop_app.services.sessions import ActivityFields, SessionDetails
from workshop_app.services.standards import StandardFields
from workshop_app.storage.schema import CURRENT_VERSION

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    out = ROOT / "tests" / "storage" / "fixtures" / f"project-v{CURRENT_VERSION}.cground"
    if out.exists():
        print(f"{out} exists; fixtures are never rewritten", file=sys.stderr)
        return 1
    with create_project(out, "Fixture project", "Fixtureshire") as p:
        parents = next(g for g in groups.list_groups(p) if g.name.startswith("Parents"))
        plan = load_plan(shipped_plans_dir() / "prep-parents-carers.toml")
        s = sessions.create_session(p, SessionDetails("Evening session"), plan)
        live.go_live(p, s.id)
        brainstorm = next(
            a for a in sessions.list_activities(p, s.id) if a.kind is ActivityKind.BRAINSTORM
        )
        live.set_activity_state(p, brainstorm.id, ActivityState.OPEN)
        who = participation.join(p, s.id, parents.id).result()
        first = participation.post_note(
            p, who.id, brainstorm.id, "Apps change so fast", "fixture-1"
        ).result()
        second = participation.post_note(
            p, who.id, brainstorm.id, "The apps chnage so fast", "fixture-3"
        ).result()
        moderation.correct_text(p, second.body["note"]["id"], "The apps change so fast")
        moderation.mark_duplicate(p, second.body["note"]["id"], first.body["note"]["id"])
        moderation.flag(p, first.body["note"]["id"], True, "check in with the group")
        moderation.capture_paper_note(p, brainstorm.id, "Paper: who do I call?", parents.id)
        participation.request_help(p, who.id, "by the door", "fixture-2").result()
        participation.post_note(
            p, who.id, brainstorm.id, "someone keeps asking me for pics", "fixture-5"
        ).result()
        number = participation.post_note(
            p, who.id, brainstorm.id, "text me on 07700 900123", "fixture-6"
        ).result()
        moderation.release(p, number.body["note"]["id"])
        never_started = SecondLook(p, suggestions.ThemeEngine())  # its note stays unread
        participation.post_note(
            p, who.id, brainstorm.id, "no point anymore honestly", "fixture-7", look=never_started
        ).result()
        standards.create_standard(
            p,
            StandardFields(
                "A trusted adult to tell",
                "Children can name an adult they would tell if something online worried them.",
                child_wording="You know a grown-up you can tell if something online worries you.",
                references=("Working Together to Safeguard Children (2023)",),
            ),
        )
        shown = suggestions.record_shown(
            p,
            board.board(p, s.id),
            [
                suggestions.BoardSuggestion(
                    "apps change fast",
                    (first.body["note"]["id"], second.body["note"]["id"]),
                    ("apps", "change", "fast"),
                )
            ],
        )
        board.accept_suggestions(p, s.id, [shown[0].proposal()])
        evaluation = sessions.add_activity(
            p, s.id, ActivityFields(ActivityKind.SURVEY, "How was today?")
        )
        liked = survey.add_question(
            p, evaluation.id, QuestionFields(QuestionKind.SMILEY, "How did today feel?")
        )
        said = survey.add_question(
            p, evaluation.id, QuestionFields(QuestionKind.TEXT, "What should we change?")
        )
        survey.set_we_did(p, said.id, "We moved the sessions to the evening.")
        live.show_activity(p, evaluation.id)
        live.set_activity_state(p, evaluation.id, ActivityState.OPEN)
        participation.answer_survey(
            p, who.id, evaluation.id, {liked.id: 4, said.id: "Later in the day"}, "fixture-4"
        ).result()
        live.end_session(p, s.id)
        with tempfile.TemporaryDirectory() as folder:
            other_path = Path(folder) / "other laptop.cground"
            with create_project(other_path, "Fixture project (second laptop)") as other:
                carers = next(g for g in groups.list_groups(other) if g.name.startswith("Parents"))
                groups.update_group(
                    other,
                    carers.id,
                    name="Parents & carers",
                    kind=carers.kind,
                    child_friendly=False,
                )
                t = sessions.create_session(other, SessionDetails("Morning session"), plan)
                first_brainstorm = next(
                    a
                    for a in sessions.list_activities(other, t.id)
                    if a.kind is ActivityKind.BRAINSTORM
                )
                moderation.capture_paper_note(
                    other, first_brainstorm.id, "Paper: a helpline number", carers.id
                )
            merge.merge(p, [merge.read_source(other_path, out)])
        add_pilot(p)
        keeper = vectors.VectorKeeper(p, suggestions.ThemeEngine())
        keeper.start()
        keeper.wait_idle(120)
        keeper.stop()
    for extra in out.parent.glob(out.name + "-*"):
        extra.unlink()
    print(out)
    return 0


def add_pilot(p: OpenProject) -> None:
    """(From version 10) an area, a service, a self-assessment in a session of its own, a
    team member's view from a phone and the team's settled answer with an action."""
    area = areas.add_area(p, "North force area")
    service = areas.add_service(p, "North Police OCSEA team", ServiceKind.POLICE, area.id)
    pilot = sessions.create_session(p, SessionDetails("Pilot self-assessment"))
    activity = assessment.add_assessment(p, pilot.id, service.id)
    live.go_live(p, pilot.id)
    live.show_activity(p, activity.id)
    live.set_activity_state(p, activity.id, ActivityState.OPEN)
    member = participation.join(p, pilot.id, None).result()
    statement = standards.list_standards(p)[0].id
    assessment.give_view(
        p, member.id, activity.id, statement, Draft("met", "The visit checklist"), "fixture-4"
    ).result()
    assessment.settle(
        p,
        activity.id,
        statement,
        Draft(
            "partly_met",
            "Two of three staff trained.",
            None,
            [{"what": "Train the rest", "who": "Team manager", "by": "2026-09-30"}],
        ),
    )
    live.end_session(p, pilot.id)


if __name__ == "__main__":
    sys.exit(main())
