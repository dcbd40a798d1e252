"""What the projector may show, decided in one place.

The projector never shows pending or hidden notes, notes taken back by their writer,
safeguarding flags or follow-up notes, private help requests, or results the facilitator
has not revealed. The Qt window only draws what `projector_view` returns.

The view also says what the room is doing now, in words that are true for the moment
(what the activity is, whether it is open, closed or revealed, and whether the room is
children): "Voting has closed" only once it has, never a promise the app cannot keep.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from workshop_app.core.ids import format_join_code
from workshop_app.core.model import (
    Activity,
    ActivityKind,
    ActivityState,
    ModerationMode,
    Session,
    SessionState,
    VoteTarget,
)
from workshop_app.core.ranking import ranked
from workshop_app.services import assessment, participation, results, survey
from workshop_app.services.project import OpenProject
from workshop_app.storage import contributions as contrib
from workshop_app.storage import participation as repo
from workshop_app.storage import sessions as session_repo

#: The most notes a projector shows at once: more would not read from the back of a room.
MAX_NOTES = 24

#: Under a ranking with ties.
TIES = "Equal totals share a place."


class Stage(StrEnum):
    """What the room is doing, as the projector says it."""

    NOT_STARTED = "not_started"  # no activity on screen yet
    INFO = "info"
    NOTES = "notes"
    THEMES = "themes"
    VOTING = "voting"
    RESULTS = "results"
    RATING = "rating"
    DRAFTING = "drafting"
    ASSESSING = "assessing"  # a service's self-assessment (issue 16)
    SURVEY = "survey"
    ENDED = "ended"


@dataclass(frozen=True, slots=True)
class ProjectorView:
    session_title: str
    live: bool
    activity_title: str = ""
    prompt: str = ""  # the prompt as the room reads it (the child prompt for children)
    child_prompt: str = ""
    join_code: str = ""  # shown with the QR code while the session is live
    stage: Stage = Stage.NOT_STARTED
    state: ActivityState | None = None  # the activity's state (None: no activity)
    for_children: bool = False  # every group the session invited is a children's group
    status: str = ""  # what to do now, or what happens next: true for this moment
    notes: tuple[str, ...] = ()  # the newest approved notes of a brainstorm, oldest first
    earlier_notes: int = 0  # approved notes older than those (not sent to the projector)
    themes: tuple[tuple[str, int], ...] = ()  # (name, notes in it) for cluster activities
    choices: tuple[str, ...] = ()  # what can be voted on, while a vote is open (no counts)
    results: tuple[tuple[int, str, int], ...] = ()  # (place, item, dots), once revealed
    footnote: str = ""  # under the results (how ties are placed)
    results_hidden: bool = False  # a vote or rating whose results are not revealed yet
    # a survey's main findings, one line per closed question, once the facilitator shows
    # them (Reveal); written answers never reach the projector
    findings: tuple[str, ...] = ()
    ended: bool = False  # the session has ended: a thank-you, nothing of its last activity


def projector_view(p: OpenProject, session_id: str) -> ProjectorView:
    db = p.store.reader()
    session = session_repo.get_session(db, session_id)
    live = session.state is SessionState.LIVE
    children = participation.for_children(p, session, None)
    base = ProjectorView(
        session_title=session.title,
        live=live,
        join_code=format_join_code(session.join_token) if live else "",
        for_children=children,
    )
    if session.state is SessionState.CLOSED:
        return replace(base, ended=True, stage=Stage.ENDED, status=_ended(children))
    if session.current_activity_id is None:
        return replace(base, status=_not_started(live, children))
    a = session_repo.get_activity(db, session.current_activity_id, include_deleted=True)
    view = replace(
        base,
        activity_title=a.title,
        prompt=(a.child_prompt or a.prompt) if children else a.prompt,
        child_prompt=a.child_prompt,
        state=a.state,
    )
    if a.kind is ActivityKind.BRAINSTORM:
        shown, total = repo.newest_projected_notes(db, a.id, MAX_NOTES)
        return replace(
            view,
            stage=Stage.NOTES,
            notes=tuple(shown),
            earlier_notes=total - len(shown),
            status=_notes_status(a.state, session, children, live),
        )
    if a.kind is ActivityKind.CLUSTER:
        themes = contrib.list_themes(db, a.id)
        return replace(
            view,
            stage=Stage.THEMES,
            themes=tuple((t.name, len(t.note_ids)) for t in themes),
            status=_themes_status(children, bool(themes)),
        )
    if a.kind is ActivityKind.VOTE:
        return _vote(p, session, a, view)
    if a.kind is ActivityKind.RATE:
        # Rating results (consensus by group) are read in the console and the reports.
        return replace(
            view,
            stage=Stage.RATING,
            results_hidden=True,
            status=_rating_status(a.state, children, live),
        )
    if a.kind is ActivityKind.DRAFT:
        return replace(view, stage=Stage.DRAFTING, status=_drafting_status(children))
    if a.kind is ActivityKind.ASSESS:
        # the statement the facilitator put up and the team's settled answer; never the
        # team members' own views (services/assessment.py)
        projected = assessment.projector_lines(p, a.id)
        return replace(
            view,
            stage=Stage.ASSESSING,
            prompt=projected.prompt or view.prompt,
            choices=projected.lines,
            status=projected.status if live else "",
        )
    if a.kind is ActivityKind.SURVEY:
        return _survey(p, a, view)
    return replace(view, stage=Stage.INFO, status=_not_started(live, children))


def _survey(p: OpenProject, a: Activity, view: ProjectorView) -> ProjectorView:
    """A survey: what to do while it runs; its main findings only once revealed."""
    children = view.for_children
    if a.state is not ActivityState.REVEALED:
        return replace(
            view,
            stage=Stage.SURVEY,
            results_hidden=True,
            status=_survey_status(a.state, children, view.live),
        )
    r = survey.survey_results(p, a.id)
    findings = tuple(
        f"{q.number}. {q.question.wording(children)} {q.finding}"
        for q in r.questions
        if q.tally is not None
    )
    people = "1 person" if r.respondents == 1 else f"{r.respondents} people"
    return replace(
        view, stage=Stage.RESULTS, findings=findings, status=f"What you said: {people} answered."
    )


def _survey_status(state: ActivityState, children: bool, live: bool) -> str:
    if state is ActivityState.PENDING:
        return "The questions open soon."
    if state is ActivityState.OPEN:
        if not live:
            return ""
        if children:
            return "Answer the questions on your phone. Nobody knows which answers are yours."
        return "Answer the questions on your phone. Your answers are anonymous."
    return "Thank you for your answers." if children else "The survey has closed. Thank you."


def _vote(p: OpenProject, session: Session, a: Activity, view: ProjectorView) -> ProjectorView:
    db = p.store.reader()
    children = view.for_children
    if (a.settings.vote_on or VoteTarget.THEMES) is VoteTarget.THEMES:
        items = repo.session_themes(db, session.id)
    else:
        items = repo.session_shown_notes(db, session.id)
    if a.state is ActivityState.REVEALED:
        totals = repo.vote_totals(db, a.id)
        places = ranked(((text, totals.get(i, 0)) for i, text in items), lambda r: r[1])
        rows = tuple((place, text, dots) for place, (text, dots) in places)
        tied = len({place for place, _t, _d in rows}) < len(rows)
        voters = results.turnout(p, a.id).took_part
        return replace(
            view,
            stage=Stage.RESULTS,
            results=rows,
            footnote=TIES if tied else "",
            status=_results_status(children, voters),
        )
    rules = results.vote_rules(p, a.id)
    status = _voting_status(a.state, rules.budget, rules.per_item_cap, children, view.live)
    return replace(
        view,
        stage=Stage.VOTING,
        results_hidden=True,
        choices=tuple(text for _i, text in items) if a.state is ActivityState.OPEN else (),
        status=status,
    )


# ---------------------------------------------------------------- the words


def _ended(children: bool) -> str:
    if children:
        return "Thank you for all your ideas today!"
    return "Thank you for taking part. Nothing more will be added to this session."


def _not_started(live: bool, children: bool) -> str:
    if not live:
        return ""
    if children:
        return "Point a phone's camera at the square, or type the address, to join."
    return "Scan the code or type the address to join. We will start soon."


def _notes_status(state: ActivityState, session: Session, children: bool, live: bool) -> str:
    approve_first = session.moderation is ModerationMode.APPROVE_FIRST
    if state is ActivityState.PENDING:
        return "Starting soon."
    if state is not ActivityState.OPEN:
        return "Thank you for your ideas!" if children else "Notes are closed. Thank you."
    if not live:
        return ""
    if children:
        return (
            "Write your ideas on the phone. A grown-up reads every idea before it goes up."
            if approve_first
            else "Write your ideas on the phone."
        )
    return (
        "Add your notes on your phone. The facilitator reads each note before it goes up."
        if approve_first
        else "Add your notes on your phone."
    )


def _themes_status(children: bool, any_themes: bool) -> str:
    if not any_themes:
        return (
            "We are putting the ideas into groups."
            if children
            else ("The notes are being sorted into themes.")
        )
    return "The ideas, in groups." if children else "The themes so far, with how many notes."


def _voting_status(
    state: ActivityState, budget: int, cap: int | None, children: bool, live: bool
) -> str:
    if state is ActivityState.PENDING:
        return "Voting starts soon."
    if state is ActivityState.CLOSED:
        return (
            "Voting has closed. Thank you."
            if children
            else ("Voting has closed. The results are not on screen yet.")
        )
    if not live:
        return ""
    dots = f"{budget} dot" + ("" if budget == 1 else "s")
    if children:
        return f"Vote on the phone: tap + to give your {dots} to the ideas you like best."
    limit = f", at most {cap} on one" if cap is not None and cap < budget else ""
    return f"Vote on your phone: you have {dots}{limit}."


def _results_status(children: bool, voters: int) -> str:
    people = "person" if voters == 1 else "people"
    if children:
        return f"The ideas with the most dots. {voters} {people} voted."
    return f"The results, most dots first. {voters} {people} voted."


def _rating_status(state: ActivityState, children: bool, live: bool) -> str:
    if state is ActivityState.PENDING:
        return "Rating starts soon."
    if state is ActivityState.OPEN:
        if not live:
            return ""
        if children:
            return "On the phone, choose a face for each idea."
        return "Rate each statement on your phone. Your answers are anonymous."
    return "Thank you for your answers." if children else "Rating has closed. Thank you."


def _drafting_status(children: bool) -> str:
    if children:
        return "We are writing the ideas down together."
    return "We are drafting the statements together."
