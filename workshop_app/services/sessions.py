"""Sessions and their agendas: create (blank or from a plan), edit, reorder, delete and
restore. Every change is committed at once; deletes are soft so that undo works."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from workshop_app.core.errors import DomainError, StateError
from workshop_app.core.ids import new_id, new_join_token, utc_now
from workshop_app.core.model import (
    Activity,
    ActivityKind,
    ActivitySettings,
    ActivityState,
    Counts,
    GroupKind,
    ModerationMode,
    Session,
    SessionState,
)
from workshop_app.core.plan import PlanActivity, SessionPlan
from workshop_app.core.settings import settings_from_mapping
from workshop_app.core.validate import (
    PROMPT_MAX,
    TITLE_MAX,
    VENUE_MAX,
    check_activity_settings,
    clean_text,
)
from workshop_app.core.voting import rules_locked_reason, same_rules
from workshop_app.services.events import Changed, Topic
from workshop_app.services.project import OpenProject
from workshop_app.storage import Database
from workshop_app.storage import counts as count_repo
from workshop_app.storage import projects as group_repo
from workshop_app.storage import sessions as repo
from workshop_app.storage.writer import Tx


def list_sessions(p: OpenProject) -> list[Session]:
    return repo.list_sessions(p.store.reader())


def get_session(p: OpenProject, session_id: str) -> Session:
    return repo.get_session(p.store.reader(), session_id)


def resolve_session_id(p: OpenProject, text: str) -> str:
    """Accept a full id or a unique prefix of at least 4 characters (as `info` prints)."""
    text = text.strip().lower()
    if len(text) < 4:
        raise DomainError("Give at least the first 4 characters of the session id.")
    matches = repo.find_session_ids(p.store.reader(), text)
    if not matches:
        raise DomainError(f"No session has an id starting with {text!r}.")
    if len(matches) > 1:
        raise DomainError(f"More than one session id starts with {text!r}; give more of it.")
    return matches[0]


def list_activities(p: OpenProject, session_id: str) -> list[Activity]:
    return repo.list_activities(p.store.reader(), session_id)


def get_activity(p: OpenProject, activity_id: str) -> Activity:
    return repo.get_activity(p.store.reader(), activity_id)


def get_rules_lock(p: OpenProject, activity: Activity) -> str:
    """Why a vote's or rating round's rules can no longer change ("" while they can):
    core.voting.rules_locked_reason, told whether anyone has voted yet. The activity
    editor, the vote rules and `update_activity` all ask it, so they cannot disagree."""
    return locked_reason(p.store.reader(), activity)


def locked_reason(db: Database, activity: Activity) -> str:
    """`get_rules_lock` on a connection the caller already holds (a reader or the writer's)."""
    if activity.state is not ActivityState.PENDING:
        return rules_locked_reason(activity.state, has_votes=False)  # held: fixed regardless
    return rules_locked_reason(activity.state, repo.activity_has_contributions(db, activity.id))


def session_counts(p: OpenProject, session_id: str) -> Counts:
    return count_repo.session_counts(p.store.reader(), session_id)


@dataclass(frozen=True, slots=True)
class SessionDetails:
    """What a facilitator types about a session."""

    title: str
    date: date | None = None
    venue: str = ""
    group_ids: tuple[str, ...] = ()
    moderation: ModerationMode | None = None  # None: decide from the groups


def _clean_details(d: SessionDetails) -> SessionDetails:
    return replace(
        d,
        title=clean_text(d.title, "The session title", TITLE_MAX, required=True),
        venue=clean_text(d.venue, "The venue", VENUE_MAX, required=False),
    )


def _moderation_for(tx: Tx, group_ids: Sequence[str], plan: SessionPlan | None) -> ModerationMode:
    """Sessions with children approve notes first; others follow the project default."""
    kinds = {group_repo.get_group(tx.db, g).kind for g in group_ids}
    if GroupKind.CHILD in kinds or (plan is not None and GroupKind.CHILD in plan.audience):
        return ModerationMode.APPROVE_FIRST
    if plan is not None and plan.moderation is not None:
        return plan.moderation
    return settings_from_mapping(group_repo.get_settings(tx.db)).moderation


def _activity_from_plan(session_id: str, position: int, a: PlanActivity) -> Activity:
    now = utc_now()
    return Activity(
        id=new_id(),
        session_id=session_id,
        position=position,
        kind=a.kind,
        title=a.title,
        prompt=a.prompt,
        child_prompt=a.child_prompt,
        settings=check_activity_settings(a.kind, a.settings),
        state=ActivityState.PENDING,
        facilitator_notes=a.facilitator_notes,
        created_at=now,
        updated_at=now,
    )


def create_session(
    p: OpenProject, details: SessionDetails, plan: SessionPlan | None = None
) -> Session:
    """Create a planned session, with the plan's activities when one is given."""
    details = _clean_details(details)

    def job(tx: Tx) -> Session:
        for gid in details.group_ids:
            group_repo.get_group(tx.db, gid)  # raises NotFoundError for a stale id
        now = utc_now()
        session = Session(
            id=new_id(),
            title=details.title,
            date=details.date,
            venue=details.venue,
            plan_id=plan.id if plan else "",
            state=SessionState.PLANNED,
            join_token=new_join_token(),
            moderation=details.moderation or _moderation_for(tx, details.group_ids, plan),
            group_ids=tuple(details.group_ids),
            created_at=now,
            updated_at=now,
        )
        repo.insert_session(tx.db, session)
        for position, pa in enumerate(plan.activities if plan else ()):
            repo.insert_activity(tx.db, _activity_from_plan(session.id, position, pa))
        tx.emit(Changed(Topic.SESSIONS, session_id=session.id))
        return session

    return p.store.write_now(job)


def update_session(p: OpenProject, session_id: str, details: SessionDetails) -> Session:
    details = _clean_details(details)

    def job(tx: Tx) -> Session:
        current = repo.get_session(tx.db, session_id)
        for gid in details.group_ids:
            group_repo.get_group(tx.db, gid)
        new = replace(
            current,
            title=details.title,
            date=details.date,
            venue=details.venue,
            group_ids=tuple(details.group_ids),
            moderation=details.moderation or current.moderation,
            updated_at=utc_now(),
        )
        repo.update_session(tx.db, new)
        tx.emit(Changed(Topic.SESSIONS, session_id=session_id))
        return new

    return p.store.write_now(job)


def delete_session(p: OpenProject, session_id: str) -> Session:
    """Remove a session from the project (restorable with undo); returns it."""

    def job(tx: Tx) -> Session:
        session = repo.get_session(tx.db, session_id)
        if session.state is SessionState.LIVE:
            raise DomainError("A live session cannot be deleted; end it first.")
        repo.set_session_deleted(tx.db, session_id, utc_now())
        tx.emit(Changed(Topic.SESSIONS, session_id=session_id))
        return session

    return p.store.write_now(job)


def restore_session(p: OpenProject, session_id: str) -> None:
    def job(tx: Tx) -> None:
        repo.get_session(tx.db, session_id, include_deleted=True)
        repo.set_session_deleted(tx.db, session_id, None)
        tx.emit(Changed(Topic.SESSIONS, session_id=session_id))

    p.store.write_now(job)


# ---------------------------------------------------------------- activities


@dataclass(frozen=True, slots=True)
class ActivityFields:
    """The editable fields of an activity, as the editor collects them."""

    kind: ActivityKind
    title: str
    prompt: str = ""
    child_prompt: str = ""
    facilitator_notes: str = ""
    settings: ActivitySettings = field(default_factory=ActivitySettings)

    @classmethod
    def of(cls, a: Activity) -> ActivityFields:
        return cls(a.kind, a.title, a.prompt, a.child_prompt, a.facilitator_notes, a.settings)


def _clean_fields(f: ActivityFields) -> ActivityFields:
    return ActivityFields(
        kind=f.kind,
        title=clean_text(f.title, "The activity title", TITLE_MAX, required=True),
        prompt=clean_text(f.prompt, "The prompt", PROMPT_MAX, required=False),
        child_prompt=clean_text(
            f.child_prompt, "The child-friendly prompt", PROMPT_MAX, required=False
        ),
        facilitator_notes=clean_text(
            f.facilitator_notes, "The facilitator notes", PROMPT_MAX, required=False
        ),
        settings=check_activity_settings(f.kind, f.settings),
    )


def add_activity(
    p: OpenProject, session_id: str, fields: ActivityFields, position: int | None = None
) -> Activity:
    """Add an activity at `position` (default: the end of the agenda)."""
    fields = _clean_fields(fields)

    def job(tx: Tx) -> Activity:
        repo.get_session(tx.db, session_id)
        ids = [a.id for a in repo.list_activities(tx.db, session_id)]
        at = len(ids) if position is None else max(0, min(position, len(ids)))
        now = utc_now()
        activity = Activity(
            id=new_id(),
            session_id=session_id,
            position=at,
            kind=fields.kind,
            title=fields.title,
            prompt=fields.prompt,
            child_prompt=fields.child_prompt,
            settings=fields.settings,
            state=ActivityState.PENDING,
            facilitator_notes=fields.facilitator_notes,
            created_at=now,
            updated_at=now,
        )
        repo.insert_activity(tx.db, activity)
        ids.insert(at, activity.id)
        repo.set_activity_order(tx.db, ids)
        tx.emit(Changed(Topic.ACTIVITIES, session_id=session_id, item_id=activity.id))
        return activity

    return p.store.write_now(job)


def update_activity(p: OpenProject, activity_id: str, fields: ActivityFields) -> Activity:
    fields = _clean_fields(fields)

    def job(tx: Tx) -> Activity:
        current = repo.get_activity(tx.db, activity_id)
        if fields.kind is not current.kind and repo.activity_has_contributions(tx.db, activity_id):
            raise DomainError(
                "This activity already has notes, votes or ratings, so its kind cannot change."
            )
        if current.kind in (ActivityKind.VOTE, ActivityKind.RATE) and not same_rules(
            current.settings, fields.settings
        ):
            reason = locked_reason(tx.db, current)
            if reason:
                raise StateError(reason)
        new = replace(
            current,
            kind=fields.kind,
            title=fields.title,
            prompt=fields.prompt,
            child_prompt=fields.child_prompt,
            facilitator_notes=fields.facilitator_notes,
            settings=fields.settings,
            updated_at=utc_now(),
        )
        repo.update_activity(tx.db, new)
        tx.emit(Changed(Topic.ACTIVITIES, session_id=new.session_id, item_id=activity_id))
        return new

    return p.store.write_now(job)


def move_activity(p: OpenProject, activity_id: str, new_position: int) -> None:
    def job(tx: Tx) -> None:
        activity = repo.get_activity(tx.db, activity_id)
        ids = [a.id for a in repo.list_activities(tx.db, activity.session_id)]
        ids.remove(activity_id)
        ids.insert(max(0, min(new_position, len(ids))), activity_id)
        repo.set_activity_order(tx.db, ids)
        tx.emit(Changed(Topic.ACTIVITIES, session_id=activity.session_id, item_id=activity_id))

    p.store.write_now(job)


def delete_activity(p: OpenProject, activity_id: str) -> Activity:
    """Take an activity off the agenda (its notes stay stored); returns it for undo."""

    def job(tx: Tx) -> Activity:
        activity = repo.get_activity(tx.db, activity_id)
        if activity.state is ActivityState.OPEN:
            raise DomainError("Close this activity before deleting it.")
        repo.set_activity_deleted(tx.db, activity_id, utc_now())
        repo.set_activity_order(
            tx.db, [a.id for a in repo.list_activities(tx.db, activity.session_id)]
        )
        tx.emit(Changed(Topic.ACTIVITIES, session_id=activity.session_id, item_id=activity_id))
        return activity

    return p.store.write_now(job)


def restore_activity(p: OpenProject, activity_id: str) -> Activity:
    """Undo a delete: the activity returns at the position it had."""

    def job(tx: Tx) -> Activity:
        activity = repo.get_activity(tx.db, activity_id, include_deleted=True)
        repo.get_session(tx.db, activity.session_id)
        ids = [a.id for a in repo.list_activities(tx.db, activity.session_id)]
        repo.set_activity_deleted(tx.db, activity_id, None)
        ids.insert(min(activity.position, len(ids)), activity_id)
        repo.set_activity_order(tx.db, ids)
        tx.emit(Changed(Topic.ACTIVITIES, session_id=activity.session_id, item_id=activity_id))
        return repo.get_activity(tx.db, activity_id)

    return p.store.write_now(job)
