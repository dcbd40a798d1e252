"""What the projector may show, decided in one place.

The projector never shows pending or hidden notes, notes taken back by their writer,
safeguarding flags or follow-up notes, private help requests, or results the facilitator
has not revealed. The Qt window only draws what `projector_view` returns.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from workshop_app.core.ids import format_join_code
from workshop_app.core.model import (
    ActivityKind,
    ActivityState,
    SessionState,
    VoteTarget,
)
from workshop_app.services.project import OpenProject
from workshop_app.storage import contributions as contrib
from workshop_app.storage import participation as repo
from workshop_app.storage import sessions as session_repo

#: The most notes a projector shows at once: more would not read from the back of a room.
MAX_NOTES = 24


@dataclass(frozen=True, slots=True)
class ProjectorView:
    session_title: str
    live: bool
    activity_title: str = ""
    prompt: str = ""
    child_prompt: str = ""
    join_code: str = ""  # shown with the QR code while the session is live
    notes: tuple[str, ...] = ()  # the newest approved notes of a brainstorm, oldest first
    earlier_notes: int = 0  # approved notes older than those (not sent to the projector)
    themes: tuple[tuple[str, int], ...] = ()  # (name, notes in it) for cluster activities
    results: tuple[tuple[str, int], ...] = ()  # (item, dots), best first, once revealed
    results_hidden: bool = False  # a vote or rating whose results are not revealed yet
    ended: bool = False  # the session has ended: a thank-you, nothing of its last activity


def projector_view(p: OpenProject, session_id: str) -> ProjectorView:
    db = p.store.reader()
    session = session_repo.get_session(db, session_id)
    live = session.state is SessionState.LIVE
    base = ProjectorView(
        session_title=session.title,
        live=live,
        join_code=format_join_code(session.join_token) if live else "",
    )
    if session.state is SessionState.CLOSED:
        return replace(base, ended=True)
    if session.current_activity_id is None:
        return base
    a = session_repo.get_activity(db, session.current_activity_id, include_deleted=True)
    view = ProjectorView(
        session_title=session.title,
        live=live,
        activity_title=a.title,
        prompt=a.prompt,
        child_prompt=a.child_prompt,
        join_code=base.join_code,
    )
    if a.kind is ActivityKind.BRAINSTORM:
        shown, total = repo.newest_projected_notes(db, a.id, MAX_NOTES)
        return replace(view, notes=tuple(shown), earlier_notes=total - len(shown))
    if a.kind is ActivityKind.CLUSTER:
        themes = contrib.list_themes(db, a.id)
        return replace(view, themes=tuple((t.name, len(t.note_ids)) for t in themes))
    if a.kind in (ActivityKind.VOTE, ActivityKind.RATE):
        if a.state is not ActivityState.REVEALED or a.kind is ActivityKind.RATE:
            # Rating results (consensus by group) come with the standards console.
            return replace(view, results_hidden=True)
        if (a.settings.vote_on or VoteTarget.THEMES) is VoteTarget.THEMES:
            items = repo.session_themes(db, session.id)
        else:
            items = repo.session_shown_notes(db, session.id)
        totals = repo.vote_totals(db, a.id)
        ranked = sorted(((text, totals.get(i, 0)) for i, text in items), key=lambda r: -r[1])
        return replace(view, results=tuple(ranked))
    return view
