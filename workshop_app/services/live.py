"""Running a session live: the facilitator's side. Never reachable over HTTP.

A live session has a current activity (what the phones and the projector show). Opening
an activity makes it current and closes any other open one, so phones never send to two
places at once. The session remembers its current activity, so a restarted app resumes
exactly there.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

from workshop_app.core.consensus import NO_GROUP
from workshop_app.core.errors import NotFoundError, StateError
from workshop_app.core.ids import new_join_token, utc_now
from workshop_app.core.model import Activity, ActivityState, HelpRequest, Session, SessionState
from workshop_app.core.participation import HELP_MESSAGE_MAX
from workshop_app.core.validate import clean_text
from workshop_app.core.workflow import check_activity_transition, check_session_transition
from workshop_app.services.events import Changed, Topic
from workshop_app.services.project import OpenProject
from workshop_app.storage import contributions as contrib
from workshop_app.storage import projects as project_repo
from workshop_app.storage import sessions as repo
from workshop_app.storage.writer import Tx


def go_live(p: OpenProject, session_id: str) -> Session:
    """Take a session live (or keep it live: resuming is the same call)."""

    def job(tx: Tx) -> Session:
        s = repo.get_session(tx.db, session_id)
        if s.state is SessionState.LIVE:
            return s
        check_session_transition(s.state, SessionState.LIVE)
        activities = repo.list_activities(tx.db, session_id)
        current = s.current_activity_id
        if current not in {a.id for a in activities}:
            current = activities[0].id if activities else None
        new = replace(s, state=SessionState.LIVE, current_activity_id=current, updated_at=utc_now())
        repo.update_session(tx.db, new)
        tx.emit(Changed(Topic.LIVE, session_id=session_id))
        tx.emit(Changed(Topic.SESSIONS, session_id=session_id))
        return new

    return p.store.write_now(job)


def end_session(p: OpenProject, session_id: str) -> Session:
    """End a live session: any open activity closes; phones are told the session ended."""

    def job(tx: Tx) -> Session:
        s = repo.get_session(tx.db, session_id)
        check_session_transition(s.state, SessionState.CLOSED)
        now = utc_now()
        for a in repo.list_activities(tx.db, session_id):
            if a.state is ActivityState.OPEN:
                repo.update_activity(tx.db, replace(a, state=ActivityState.CLOSED, updated_at=now))
        new = replace(s, state=SessionState.CLOSED, updated_at=now)
        repo.update_session(tx.db, new)
        tx.emit(Changed(Topic.LIVE, session_id=session_id))
        tx.emit(Changed(Topic.SESSIONS, session_id=session_id))
        return new

    return p.store.write_now(job)


def show_activity(p: OpenProject, activity_id: str) -> Activity:
    """Make an activity the current one (on phones and projector) without opening it."""

    def job(tx: Tx) -> Activity:
        a = repo.get_activity(tx.db, activity_id)
        s = _live_session(tx, a.session_id)
        repo.update_session(tx.db, replace(s, current_activity_id=a.id, updated_at=utc_now()))
        tx.emit(Changed(Topic.LIVE, session_id=s.id, item_id=a.id))
        return a

    return p.store.write_now(job)


def set_activity_state(p: OpenProject, activity_id: str, state: ActivityState) -> Activity:
    """Open, close or reveal an activity.

    Opening makes it current and closes the others. Revealing a vote's results makes it
    current too, so the room and the phones see the results the facilitator just revealed.
    """

    def job(tx: Tx) -> Activity:
        a = repo.get_activity(tx.db, activity_id)
        s = _live_session(tx, a.session_id)
        check_activity_transition(a.kind, a.state, state)
        now = utc_now()
        if state is ActivityState.OPEN:
            for other in repo.list_activities(tx.db, s.id):
                if other.id != a.id and other.state is ActivityState.OPEN:
                    closed = replace(other, state=ActivityState.CLOSED, updated_at=now)
                    repo.update_activity(tx.db, closed)
        if state in (ActivityState.OPEN, ActivityState.REVEALED) and s.current_activity_id != a.id:
            repo.update_session(tx.db, replace(s, current_activity_id=a.id, updated_at=now))
        new = replace(a, state=state, updated_at=now)
        repo.update_activity(tx.db, new)
        tx.emit(Changed(Topic.LIVE, session_id=s.id, item_id=a.id))
        tx.emit(Changed(Topic.ACTIVITIES, session_id=s.id, item_id=a.id))
        return new

    return p.store.write_now(job)


def rotate_join_token(p: OpenProject, session_id: str) -> str:
    """A new join link: the old QR code (and any photo of it) stops working at once.

    People already taking part keep their place: they scan the new code and carry on.
    """

    def job(tx: Tx) -> str:
        s = repo.get_session(tx.db, session_id)
        token = new_join_token()
        repo.update_session(tx.db, replace(s, join_token=token, updated_at=utc_now()))
        tx.emit(Changed(Topic.JOIN, session_id=session_id))
        return token

    return p.store.write_now(job)


def _live_session(tx: Tx, session_id: str) -> Session:
    s = repo.get_session(tx.db, session_id)
    if s.state is not SessionState.LIVE:
        raise StateError("Take the session live first.")
    return s


def participants_by_group(p: OpenProject, session_id: str) -> dict[str, int]:
    """How many have joined, by stakeholder group name (core's NO_GROUP for no group)."""
    db = p.store.reader()
    names = {g.id: g.name for g in project_repo.list_groups(db)}
    out: dict[str, int] = {}
    for group_id, n in contrib.participant_counts_by_group(db, session_id).items():
        name = names.get(group_id, NO_GROUP) if group_id else NO_GROUP
        out[name] = out.get(name, 0) + n
    return out


def help_requests(p: OpenProject, session_id: str) -> list[HelpRequest]:
    return contrib.list_help_requests(p.store.reader(), session_id)


#: Requests that came through another session's link stay in view this long once seen.
OTHER_SESSIONS_SEEN_HOURS = 12


@dataclass(frozen=True, slots=True)
class HelpAlert:
    """A help request as the facilitator's console shows it."""

    request: HelpRequest
    session_title: str
    other_session: bool  # sent through the link of a session that is not the live one
    asker: str  # the asker's group, "no group chosen", or "has not joined"


def help_alerts(p: OpenProject, session_id: str) -> list[HelpAlert]:
    """Every help request the facilitator running `session_id` must see: its own, and any
    sent through another session's link (an old link, a bookmark) that is still waiting."""
    since = utc_now() - timedelta(hours=OTHER_SESSIONS_SEEN_HOURS)
    out = []
    for request, title, group, joined in contrib.list_help_alerts(
        p.store.reader(), session_id, since
    ):
        asker = group or ("no group chosen" if joined else "has not joined")
        out.append(HelpAlert(request, title, request.session_id != session_id, asker))
    return out


def help_alert(p: OpenProject, request_id: str, live_session_id: str) -> HelpAlert | None:
    """One request as the console would show it (None once it has been seen)."""
    for alert in help_alerts(p, live_session_id):
        if alert.request.id == request_id and alert.request.acknowledged_at is None:
            return alert
    return None


def help_alert_line(alert: HelpAlert) -> str:
    """A help request on one line, for a terminal (`workshop-app serve` has no console)."""
    r = alert.request
    where = f" through the link of “{alert.session_title}”" if alert.other_session else ""
    message = " / ".join(line for line in r.message.splitlines() if line.strip())
    return (
        f"HELP REQUEST at {r.created_at.astimezone():%H:%M} from someone ({alert.asker}){where}: "
        + (f"“{message}”" if message else "no message")
    )


def live_session_ids(p: OpenProject) -> list[str]:
    """Sessions left live (the app was closed or crashed mid-session): to resume."""
    return [s.id for s in repo.list_sessions(p.store.reader()) if s.state is SessionState.LIVE]


def acknowledge_help(p: OpenProject, request_id: str, follow_up: str = "") -> HelpRequest:
    """Mark a private help request as seen, with what was done (console only)."""
    follow_up = clean_text(follow_up, "The follow-up note", HELP_MESSAGE_MAX, required=False)

    def job(tx: Tx) -> HelpRequest:
        request = contrib.get_help_request(tx.db, request_id)
        if request is None:
            raise NotFoundError("That help request is not in this project.")
        contrib.acknowledge_help_request(tx.db, request_id, utc_now(), follow_up)
        tx.emit(Changed(Topic.HELP, session_id=request.session_id, item_id=request_id))
        return request

    return p.store.write_now(job)


def reopen_help(p: OpenProject, request_id: str) -> None:
    """Undo an acknowledgement: the request waits again."""

    def job(tx: Tx) -> None:
        request = contrib.get_help_request(tx.db, request_id)
        if request is None:
            raise NotFoundError("That help request is not in this project.")
        contrib.acknowledge_help_request(tx.db, request_id, None, request.follow_up)
        tx.emit(Changed(Topic.HELP, session_id=request.session_id, item_id=request_id))

    p.store.write_now(job)


@dataclass(frozen=True, slots=True)
class LiveLink:
    """Where phones join a live session: the address as data (the runtime starts the
    server and says where it listens; nobody reads a port back out of a URL)."""

    session_id: str
    host: str
    port: int
    url: str  # the link for the QR code
    code: str  # the join code people can type instead
