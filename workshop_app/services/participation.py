"""What a participant's phone can do, and what it sees. Used by the phone server only.

Every write is a job for the single writer, returned as a Future so the server's event
loop never blocks: the phone gets its answer only after COMMIT. Each submission carries
an idempotency key; its first answer is stored with it in the same transaction, so a
retry returns that answer and never writes a second row. A refused submission stores
nothing (its savepoint is rolled back).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from typing import Any

from workshop_app.core import safeguarding
from workshop_app.core.consensus import to_nine_point
from workshop_app.core.errors import (
    DomainError,
    NobodyListeningError,
    NotFoundError,
    SessionFullError,
    StateError,
)
from workshop_app.core.ids import new_id, utc_now
from workshop_app.core.model import (
    Activity,
    ActivityKind,
    ActivityState,
    HelpRequest,
    ModerationMode,
    Note,
    NoteSource,
    NoteStatus,
    Participant,
    Rating,
    RatingScale,
    Session,
    SessionState,
    StakeholderGroup,
    VoteTarget,
)
from workshop_app.core.participation import (
    check_key,
    check_note_count,
    clean_help_message,
    clean_note,
)
from workshop_app.core.ranking import ranked
from workshop_app.core.safeguarding import is_disclosure, reason_kinds
from workshop_app.core.scales import ScaleWords, words_for
from workshop_app.core.settings import SPEC_BY_KEY, check_setting, settings_from_mapping
from workshop_app.core.survey import SurveyQuestion, check_answers, cleared
from workshop_app.core.voting import check_allocation, default_budget
from workshop_app.services import consensus
from workshop_app.services.arrival import SecondLook
from workshop_app.services.events import Changed, Topic
from workshop_app.services.project import OpenProject
from workshop_app.storage import Database
from workshop_app.storage import arrival as arrival_repo
from workshop_app.storage import consensus as consensus_repo
from workshop_app.storage import contributions as contrib
from workshop_app.storage import moderation as moderation_repo
from workshop_app.storage import participation as repo
from workshop_app.storage import projects as project_repo
from workshop_app.storage import sessions as session_repo
from workshop_app.storage import standards as standard_repo
from workshop_app.storage import survey as survey_repo
from workshop_app.storage.writer import Tx

Answer = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Submitted:
    """The answer to a submission; `replayed` when it is the stored first answer."""

    body: Answer
    replayed: bool = False


# ---------------------------------------------------------------- reading


@dataclass(frozen=True, slots=True)
class VoteItem:
    id: str
    text: str


@dataclass(frozen=True, slots=True)
class Placed:
    """One line of a vote's results: its rank (equal totals share it, core/ranking.py)."""

    rank: int
    item: VoteItem
    total: int
    joint: bool = False  # another item has the same rank


@dataclass(frozen=True, slots=True)
class Statement:
    id: str
    title: str
    statement: str


@dataclass(frozen=True, slots=True)
class PhoneView:
    """Everything one participant's page shows, read in one go."""

    session: Session
    participant: Participant
    group: StakeholderGroup | None
    child_friendly: bool
    activity: Activity | None  # the current activity
    prompt: str  # the child-friendly prompt for child-friendly groups
    my_notes: tuple[Note, ...] = ()  # in the current activity, newest last
    vote_items: tuple[VoteItem, ...] = ()
    budget: int = 0
    per_item_cap: int | None = None
    my_votes: Mapping[str, int] = field(default_factory=dict)
    results: tuple[Placed, ...] = ()  # only once revealed, best first
    turnout: int = 0
    statements: tuple[Statement, ...] = ()
    scale: RatingScale = RatingScale.NINE_POINT
    my_ratings: Mapping[str, int] = field(default_factory=dict)
    feedback: consensus.RoundFeedback | None = None  # an earlier round's results, if shown
    questions: tuple[SurveyQuestion, ...] = ()  # a survey's, in order
    my_answers: Mapping[str, int | str] = field(default_factory=dict)  # a choice or text
    # The help information, shown gently (never why) while one of the participant's notes
    # or written answers here was held back as a possible disclosure.
    support: str = ""

    @property
    def version(self) -> str:
        """The live version of what this page shows (see `page_version`)."""
        return page_version(self.session, self.activity)

    @property
    def scale_words(self) -> ScaleWords:
        """The words of what the current rate activity asks (importance or agreement)."""
        return words_for(self.activity.settings.question if self.activity else None)

    @property
    def accepting(self) -> bool:
        return (
            self.session.state is SessionState.LIVE
            and self.activity is not None
            and self.activity.state is ActivityState.OPEN
        )


def session_for_token(p: OpenProject, token: str) -> Session | None:
    db = p.store.reader()
    sid = session_repo.find_session_by_token(db, token)
    return session_repo.get_session(db, sid) if sid else None


def get_participant(p: OpenProject, participant_id: str) -> Participant | None:
    return repo.get_participant(p.store.reader(), participant_id)


def someone_listening(p: OpenProject, session: Session) -> bool:
    """Would a help request through this session's link reach a facilitator now?"""
    if session.state is SessionState.LIVE:
        return True
    return bool(session_repo.live_session_ids(p.store.reader()))


def groups_to_choose(p: OpenProject, session: Session) -> list[StakeholderGroup]:
    """The groups a participant of this session may choose: the session's own (the groups
    it invited) when it has any, else every group of the project; in the project's order."""
    return _invited(project_repo.list_groups(p.store.reader()), session)


def _invited(groups: list[StakeholderGroup], session: Session) -> list[StakeholderGroup]:
    if not session.group_ids:
        return groups
    invited = set(session.group_ids)
    return [g for g in groups if g.id in invited]


def for_children(p: OpenProject, session: Session, participant: Participant | None) -> bool:
    """Does this person get the children's pages (words, faces)? Yes when their group is
    child-friendly; without a group (not joined yet, or "Prefer not to say"), when every
    group the session invited is (a children's session)."""
    db = p.store.reader()
    group = _group_or_none(db, participant.group_id) if participant else None
    return _child(db, session, group)


def support_info(p: OpenProject) -> str:
    return settings_from_mapping(project_repo.get_settings(p.store.reader())).support_info


def phone_view(p: OpenProject, participant: Participant) -> PhoneView:
    db = p.store.reader()
    session = session_repo.get_session(db, participant.session_id)
    group = _group_or_none(db, participant.group_id)
    child = _child(db, session, group)
    activity = _current_activity(db, session)
    base = PhoneView(
        session=session,
        participant=participant,
        group=group,
        child_friendly=child,
        activity=activity,
        prompt=_prompt_for(activity, child),
    )
    if activity is None:
        return base
    if activity.kind in (ActivityKind.BRAINSTORM, ActivityKind.SURVEY):
        mine = [
            n
            for n in repo.list_participant_notes(db, participant.id, session.id)
            if n.activity_id == activity.id and not n.withdrawn
        ]
        if any(is_disclosure(n.hold_reasons) for n in mine):
            base = replace(base, support=support_info(p))
    if activity.kind is ActivityKind.BRAINSTORM:
        return replace(base, my_notes=tuple(mine))
    if activity.kind is ActivityKind.VOTE:
        items = tuple(_vote_items(db, session, activity))
        budget, cap = _budget_and_cap(db, activity, len(items))
        results: tuple[Placed, ...] = ()
        if activity.state is ActivityState.REVEALED:
            results = _placed(items, repo.vote_totals(db, activity.id))
        return replace(
            base,
            vote_items=items,
            budget=budget,
            per_item_cap=cap,
            my_votes=repo.participant_votes(db, activity.id, participant.id),
            results=results,
            turnout=repo.vote_turnout(db, activity.id),
        )
    if activity.kind is ActivityKind.RATE:
        return replace(
            base,
            statements=tuple(_statements(db, child)),
            scale=_scale_for(activity, child),
            my_ratings=repo.participant_ratings(db, activity.id, participant.id),
            feedback=consensus.round_feedback(p, activity),
        )
    if activity.kind is ActivityKind.SURVEY:
        answered = survey_repo.participant_answers(db, activity.id, participant.id)
        return replace(
            base,
            questions=tuple(survey_repo.list_questions(db, activity.id)),
            my_answers={
                q: a.choice if a.choice is not None else a.text for q, a in answered.items()
            },
        )
    return base


def _placed(items: Sequence[VoteItem], totals: Mapping[str, int]) -> tuple[Placed, ...]:
    lines = ranked([(i, totals.get(i.id, 0)) for i in items], lambda line: line[1])
    counts = Counter(rank for rank, _line in lines)
    return tuple(Placed(rank, item, total, counts[rank] > 1) for rank, (item, total) in lines)


def note_to_take_back(p: OpenProject, participant: Participant, note_id: str) -> Note:
    """One of the participant's own notes that they may still take back (its brainstorm
    is open, the session live): for the page that asks "Take back this note?". Refused as
    the taking back itself would be (NotFoundError, StateError)."""
    db = p.store.reader()
    note = repo.get_note(db, note_id)
    if note is None or note.participant_id != participant.id or note.withdrawn:
        raise NotFoundError("That note is not one of yours (or it was withdrawn).")
    session = session_repo.get_session(db, participant.session_id)
    if session.state is not SessionState.LIVE:
        raise StateError("This session has ended. Thank you for taking part!")
    activity = session_repo.get_activity(db, note.activity_id)
    if activity.session_id != session.id or activity.state is not ActivityState.OPEN:
        raise StateError("This activity is closed, so it is not taking notes now.")
    return note


def live_state(p: OpenProject, session_id: str) -> Answer:
    """What every phone of a session needs to know has changed (sent over SSE)."""
    db = p.store.reader()
    s = session_repo.get_session(db, session_id, include_deleted=True)
    a = _current_activity(db, s)
    return {
        "session": s.state.value,
        "activity": a.id if a else None,
        "kind": a.kind.value if a else None,
        "state": a.state.value if a else None,
        "version": page_version(s, a),
    }


def page_version(session: Session, activity: Activity | None) -> str:
    """What a phone's page was drawn from: the session's state and its current activity's.
    A page carries the version of the very rows it shows (`PhoneView.version`), never one
    read again later: a change committed between the two reads would give a page showing
    the old activity under the new version, and the live update that should refresh it
    would find nothing to do."""
    a = activity
    return (
        f"{session.state.value}:{a.id if a else ''}:{a.state.value if a else ''}:"
        f"{a.updated_at.isoformat() if a else ''}"
    )


# ---------------------------------------------------------------- writing


NOT_INVITED = "Choose one of the groups on the page, or 'Prefer not to say'."


def join(p: OpenProject, session_id: str, group_id: str | None) -> Future[Participant]:
    """A new anonymous participant: a random id and, if they chose one, a group (one the
    session invited, when it invited any: see `groups_to_choose`)."""

    def job(tx: Tx) -> Participant:
        s = session_repo.get_session(tx.db, session_id)
        if s.state is not SessionState.LIVE:
            raise StateError("This session is not running at the moment.")
        if group_id is not None:
            project_repo.get_group(tx.db, group_id)  # NotFoundError for a stale choice
            if s.group_ids and group_id not in s.group_ids:
                raise DomainError(NOT_INVITED)
        cap = _setting(tx.db, "participant_cap")
        if contrib.count_joined(tx.db, session_id) >= cap:
            raise SessionFullError(
                f"This session is full: {cap} people have joined, the most it takes. "
                "Please tell the facilitator."
            )
        participant = Participant(new_id(), session_id, group_id, utc_now())
        contrib.insert_participant(tx.db, participant)
        tx.emit(Changed(Topic.PARTICIPANTS, session_id=session_id))
        return participant

    return p.store.write(job)


def post_note(
    p: OpenProject,
    participant_id: str,
    activity_id: str,
    text: object,
    key: object,
    *,
    look: SecondLook | None = None,
) -> Future[Submitted]:
    """A new note, checked by the phrase rules before its writer job (they are pure); with a
    second look running it is stored unread, for the look to read (services/arrival.py)."""
    text = clean_note(text)
    held = reason_kinds(safeguarding.check(text))  # before the writer: it is pure

    def act(tx: Tx, who: Participant, session: Session) -> Answer:
        activity = _open_activity(tx, session, activity_id, ActivityKind.BRAINSTORM)
        check_note_count(repo.count_participant_notes(tx.db, who.id, activity.id))
        note = _phone_note(activity, who, session, text, held, unread=look is not None)
        contrib.insert_note(tx.db, note)
        tx.emit(Changed(Topic.CONTENT, session_id=session.id, item_id=note.id))
        return _with_support(tx, {"note": _note_json(note)}, held)

    return _submit(p, participant_id, key, act)


def edit_note(
    p: OpenProject,
    participant_id: str,
    note_id: str,
    text: object,
    key: object,
    *,
    look: SecondLook | None = None,
) -> Future[Submitted]:
    text = clean_note(text)
    held = reason_kinds(safeguarding.check(text))

    def act(tx: Tx, who: Participant, session: Session) -> Answer:
        note = _own_note(tx, who, note_id)
        _open_activity(tx, session, note.activity_id, ActivityKind.BRAINSTORM)
        if text != note.text:
            _edit_text(tx, note, text, held, unread=look is not None)
            tx.emit(Changed(Topic.CONTENT, session_id=session.id, item_id=note.id))
        updated = repo.get_note(tx.db, note.id)
        assert updated is not None
        return _with_support(tx, {"note": _note_json(updated)}, held if text != note.text else ())

    return _submit(p, participant_id, key, act)


def withdraw_note(
    p: OpenProject, participant_id: str, note_id: str, key: object
) -> Future[Submitted]:
    def act(tx: Tx, who: Participant, session: Session) -> Answer:
        note = _own_note(tx, who, note_id)
        _open_activity(tx, session, note.activity_id, ActivityKind.BRAINSTORM)
        repo.withdraw_note(tx.db, note.id, utc_now())
        tx.emit(Changed(Topic.CONTENT, session_id=session.id, item_id=note.id))
        return {"withdrawn": note.id}

    return _submit(p, participant_id, key, act)


def cast_votes(
    p: OpenProject, participant_id: str, activity_id: str, dots: object, key: object
) -> Future[Submitted]:
    """A participant's whole allocation; checked as a whole inside the transaction."""
    allocation = _allocation(dots)

    def act(tx: Tx, who: Participant, session: Session) -> Answer:
        activity = _open_activity(tx, session, activity_id, ActivityKind.VOTE)
        items = {i.id for i in _vote_items(tx.db, session, activity)}
        unknown = [t for t in allocation if t not in items]
        if unknown:
            raise NotFoundError("One of those items is no longer in this vote; reload the page.")
        budget, cap = _budget_and_cap(tx.db, activity, len(items))
        used = check_allocation(allocation, budget, cap)
        repo.replace_votes(tx.db, activity.id, who.id, allocation, utc_now())
        tx.emit(Changed(Topic.CONTENT, session_id=session.id, item_id=activity.id))
        return {
            "dots": {t: n for t, n in allocation.items() if n > 0},
            "used": used,
            "budget": budget,
        }

    return _submit(p, participant_id, key, act)


def rate(
    p: OpenProject, participant_id: str, activity_id: str, ratings: object, key: object
) -> Future[Submitted]:
    """Ratings of one or more statements: raw values on the participant's scale."""
    raw = _allocation(ratings, what="rating")

    def act(tx: Tx, who: Participant, session: Session) -> Answer:
        activity = _open_activity(tx, session, activity_id, ActivityKind.RATE)
        group = _group_or_none(tx.db, who.group_id)
        # (the hot path's session comes without its groups: read them when they decide)
        invited = session if group else session_repo.get_session(tx.db, session.id)
        scale = _scale_for(activity, _child(tx.db, invited, group))
        versions = {s.id: s.version for s in standard_repo.list_standards(tx.db)}
        if not raw:
            raise DomainError("Choose a rating first.")
        now = utc_now()
        for standard_id, value in raw.items():
            if standard_id not in versions:
                raise NotFoundError("That statement is no longer being rated; reload the page.")
            contrib.upsert_rating(
                tx.db,
                Rating(
                    id=new_id(),
                    activity_id=activity.id,
                    participant_id=who.id,
                    standard_id=standard_id,
                    value=to_nine_point(value, scale),
                    scale=scale,
                    raw_value=value,
                    created_at=now,
                ),
            )
            # the wording rated: a later round may rate a revised statement
            consensus_repo.set_rating_version(
                tx.db, activity.id, who.id, standard_id, versions[standard_id]
            )
        tx.emit(Changed(Topic.CONTENT, session_id=session.id, item_id=activity.id))
        return {"ratings": raw, "scale": scale.value}

    return _submit(p, participant_id, key, act)


def answer_survey(
    p: OpenProject,
    participant_id: str,
    activity_id: str,
    answers: object,
    key: object,
    *,
    look: SecondLook | None = None,
) -> Future[Submitted]:
    """A participant's answers to a survey (some or all questions; each replaces their
    earlier answer). A free-text answer is a note of the survey activity, moderated like
    any note; an edited one keeps its history; one sent empty is taken back."""

    def act(tx: Tx, who: Participant, session: Session) -> Answer:
        activity = _open_activity(tx, session, activity_id, ActivityKind.SURVEY)
        questions = survey_repo.list_questions(tx.db, activity.id)
        clean = check_answers(questions, answers)
        found: list[str] = []  # why any written answer is held back
        assert isinstance(answers, Mapping)  # (check_answers refuses anything else)
        taken_back = cleared(questions, answers)
        mine = survey_repo.participant_answers(tx.db, activity.id, who.id)
        if not clean and not any(q in mine for q in taken_back):
            raise DomainError("Answer at least one question first.")
        now = utc_now()
        for q in questions:
            before = mine.get(q.id)
            value = clean.get(q.id)
            if isinstance(value, int):
                survey_repo.put_answer(tx.db, q.id, who.id, choice=value, note_id=None, now=now)
            elif isinstance(value, str):
                held = reason_kinds(safeguarding.check(value))
                if before is not None and before.note_id is not None:
                    if before.text != value:
                        written = repo.get_note(tx.db, before.note_id)
                        assert written is not None
                        _edit_text(tx, written, value, held, unread=look is not None)
                        found.extend(held)
                else:
                    note = _phone_note(activity, who, session, value, held, unread=look is not None)
                    found.extend(held)
                    contrib.insert_note(tx.db, note)
                    survey_repo.put_answer(
                        tx.db, q.id, who.id, choice=None, note_id=note.id, now=now
                    )
            elif q.id in taken_back and before is not None and before.note_id is not None:
                repo.withdraw_note(tx.db, before.note_id, now)
                survey_repo.delete_answer(tx.db, q.id, who.id)
        tx.emit(Changed(Topic.CONTENT, session_id=session.id, item_id=activity.id))
        body = {
            "answers": {q: v for q, v in clean.items() if isinstance(v, int)},
            "written": sorted(q for q, v in clean.items() if isinstance(v, str)),
        }
        return _with_support(tx, body, found)

    return _submit(p, participant_id, key, act)


def _phone_note(
    activity: Activity,
    who: Participant,
    session: Session,
    text: str,
    held: Sequence[str],
    *,
    unread: bool,
) -> Note:
    """A note from a phone (a brainstorm's note or a survey's written answer): shown at once
    or waiting for approval as the session says, held back (waiting, off the projector, in
    either mode) when the arrival check's rules found a reason, and `unread` (off the
    projector until read) while a second look runs."""
    now = utc_now()
    waits = bool(held) or session.moderation is ModerationMode.APPROVE_FIRST
    return Note(
        id=new_id(),
        activity_id=activity.id,
        participant_id=who.id,
        group_id=who.group_id,
        text=text,
        original_text=text,
        source=NoteSource.PHONE,
        status=NoteStatus.PENDING if waits else NoteStatus.SHOWN,
        idempotency_key=None,
        created_at=now,
        updated_at=now,
        held_at=now if held else None,
        hold_reasons=tuple(held),
        unread=unread,
    )


def _edit_text(tx: Tx, note: Note, text: str, held: Sequence[str], *, unread: bool) -> None:
    """A participant's edit, checked like a new note: new words with a reason hold the note
    again (off the projector, waiting) even after a release; words without one leave the
    note as it was (a held note stays held: the facilitator has not seen it yet). With a
    second look running the new words wait for it, off the projector."""
    now = utc_now()
    repo.edit_note_text(tx.db, note.id, note.text, text, "participant", now)
    if unread:
        arrival_repo.set_unread(tx.db, note.id)
    if held:
        reasons = tuple(dict.fromkeys((*note.hold_reasons, *held)))
        moderation_repo.set_hold(tx.db, note.id, note.held_at or now, reasons)
        if note.status is NoteStatus.SHOWN:
            moderation_repo.set_status(tx.db, note.id, NoteStatus.PENDING, now)


def _with_support(tx: Tx, body: Answer, held: Sequence[str]) -> Answer:
    """A possible disclosure: the answer carries the help information, which the phone shows
    gently (never why); nothing else changes for the phone."""
    if is_disclosure(held):
        body["support"] = settings_from_mapping(project_repo.get_settings(tx.db)).support_info
    return body


@dataclass(frozen=True, slots=True)
class HelpAnswer:
    """The answer to a help request and the id the phone keeps (new for a newcomer)."""

    submitted: Submitted
    participant_id: str


NOBODY_LISTENING = (
    "This session has ended, so no one is reading messages sent from this page now. "
    "If you need to talk to someone, the people and numbers on this page can help."
)


def request_help(
    p: OpenProject, participant_id: str, message: object, key: object
) -> Future[Submitted]:
    """A private request to talk from a phone that has an id: see :func:`_help_job`."""
    text = clean_help_message(message)
    key = check_key(key)

    def job(tx: Tx) -> Submitted:
        found = repo.submitter(tx.db, participant_id, key)
        if found is None:
            raise NotFoundError("We don't know this phone yet; join the session again.")
        who, session, first = found
        if first is not None:
            return Submitted(first, replayed=True)
        return _help_job(tx, session, who, text, key).submitted

    return p.store.write(job)


def request_help_as_newcomer(
    p: OpenProject, session_id: str, message: object, key: object
) -> Future[HelpAnswer]:
    """A help request from someone who never joined: they get a participant id of their own
    in the same transaction, so a refused request creates nobody."""
    text = clean_help_message(message)
    key = check_key(key)

    def job(tx: Tx) -> HelpAnswer:
        session = session_repo.get_session(tx.db, session_id)
        return _help_job(tx, session, None, text, key)

    return p.store.write(job)


def _help_job(tx: Tx, session: Session, who: Participant | None, text: str, key: str) -> HelpAnswer:
    """It reaches a person or it is refused. Stored (and the console alerted) when its
    session is live, or when another session of the project is: the facilitator running
    it sees the request labelled with the session it came from. When no session is live
    nobody would read it: NobodyListeningError, and the phone shows where else to find
    help instead of a false "sent"."""
    if session.state is not SessionState.LIVE and not session_repo.live_session_ids(tx.db):
        raise NobodyListeningError(NOBODY_LISTENING)
    if who is None:
        who = Participant(new_id(), session.id, None, utc_now(), joined=False)
        contrib.insert_participant(tx.db, who)
    request = HelpRequest(new_id(), session.id, who.id, text, utc_now())
    contrib.insert_help_request(tx.db, request)
    body: Answer = {"help": "sent"}
    repo.put_submission(tx.db, who.id, key, body, utc_now())
    tx.emit(Changed(Topic.HELP, session_id=session.id, item_id=request.id))
    return HelpAnswer(Submitted(body), who.id)


# ---------------------------------------------------------------- inside the writer


def _submit(
    p: OpenProject,
    participant_id: str,
    key: object,
    act: Callable[[Tx, Participant, Session], Answer],
    *,
    require_live: bool = True,
) -> Future[Submitted]:
    key = check_key(key)

    def job(tx: Tx) -> Submitted:
        found = repo.submitter(tx.db, participant_id, key)
        if found is None:
            raise NotFoundError("We don't know this phone yet; join the session again.")
        who, session, first = found
        if first is not None:
            return Submitted(first, replayed=True)
        if require_live and session.state is not SessionState.LIVE:
            raise StateError("This session has ended. Thank you for taking part!")
        body = act(tx, who, session)
        repo.put_submission(tx.db, who.id, key, body, utc_now())
        return Submitted(body)

    return p.store.write(job)


def _open_activity(tx: Tx, session: Session, activity_id: str, kind: ActivityKind) -> Activity:
    try:
        activity = session_repo.get_activity(tx.db, activity_id)
    except NotFoundError:
        raise NotFoundError("That activity is not part of this session.") from None
    if activity.session_id != session.id:
        raise NotFoundError("That activity is not part of this session.")
    if activity.kind is not kind:
        raise DomainError(f"This activity does not take {_what(kind)}.")
    if activity.state is not ActivityState.OPEN:
        raise StateError(f"This activity is closed, so it is not taking {_what(kind)} now.")
    return activity


def _own_note(tx: Tx, who: Participant, note_id: str) -> Note:
    note = repo.get_note(tx.db, note_id) if isinstance(note_id, str) else None
    if note is None or note.participant_id != who.id or note.withdrawn:
        raise NotFoundError("That note is not one of yours (or it was withdrawn).")
    return note


def _allocation(value: object, what: str = "vote") -> dict[str, int]:
    if not isinstance(value, Mapping):
        raise DomainError(f"The {what}s must be a mapping from item to number.")
    if len(value) > 200:
        raise DomainError(f"Too many items in one {what}.")
    out: dict[str, int] = {}
    for k, v in value.items():
        if not isinstance(k, str) or len(k) > 64:
            raise DomainError(f"Unknown item in the {what}.")
        if isinstance(v, bool) or not isinstance(v, int) or not -1000 <= v <= 1000:
            raise DomainError(f"Each {what} must be a whole number.")
        out[k] = v
    return out


def _what(kind: ActivityKind) -> str:
    return {
        ActivityKind.BRAINSTORM: "notes",
        ActivityKind.VOTE: "votes",
        ActivityKind.RATE: "ratings",
        ActivityKind.SURVEY: "answers",
    }.get(kind, "answers")


# ---------------------------------------------------------------- shared reads


def _group_or_none(db: Database, group_id: str | None) -> StakeholderGroup | None:
    if group_id is None:
        return None
    try:
        return project_repo.get_group(db, group_id, include_deleted=True)
    except NotFoundError:
        return None


def _child(db: Database, session: Session, group: StakeholderGroup | None) -> bool:
    """Children's pages: a child-friendly group, or no group in a children's session."""
    if group is not None:
        return group.child_friendly
    if not session.group_ids:
        return False
    invited = [_group_or_none(db, g) for g in session.group_ids]
    return all(g is not None and g.child_friendly for g in invited)


def _current_activity(db: Database, session: Session) -> Activity | None:
    if session.current_activity_id is None:
        return None
    try:
        a = session_repo.get_activity(db, session.current_activity_id)
    except NotFoundError:
        return None
    return a if a.session_id == session.id else None


def _prompt_for(activity: Activity | None, child: bool) -> str:
    """The child-friendly prompt for children, else the adults' one; but never the adults'
    instructions for rating (a scale of 1 to 9) to children, who rate with faces: their
    page says how."""
    if activity is None:
        return ""
    if not child:
        return activity.prompt
    if activity.child_prompt or activity.kind is ActivityKind.RATE:
        return activity.child_prompt
    return activity.prompt


def _scale_for(activity: Activity, child: bool) -> RatingScale:
    return RatingScale.SMILEY if child else (activity.settings.scale or RatingScale.NINE_POINT)


def _vote_items(db: Database, session: Session, activity: Activity) -> list[VoteItem]:
    """What a vote is on: the session's themes, or its notes on show."""
    if (activity.settings.vote_on or VoteTarget.THEMES) is VoteTarget.THEMES:
        return [VoteItem(i, name) for i, name in repo.session_themes(db, session.id)]
    return [VoteItem(i, text) for i, text in repo.session_shown_notes(db, session.id)]


def _budget_and_cap(db: Database, activity: Activity, item_count: int) -> tuple[int, int | None]:
    budget = activity.settings.vote_budget
    if budget is None:  # the default: read the one setting it needs (a hot path)
        budget = default_budget(item_count, _setting(db, "vote_budget_cap"))
    return budget, activity.settings.per_item_cap


def _setting(db: Database, key: str) -> Any:
    """One project setting, checked (a hot path: no need to read them all)."""
    stored = project_repo.get_setting(db, key)
    return check_setting(key, SPEC_BY_KEY[key].default if stored is None else stored)


def _statements(db: Database, child: bool = False) -> list[Statement]:
    """The standards to rate: children read a standard's child wording when it has one."""
    return [
        Statement(s.id, s.title, (s.child_wording or s.statement) if child else s.statement)
        for s in standard_repo.list_standards(db)
    ]


def _note_json(n: Note) -> Answer:
    return {
        "id": n.id,
        "activity": n.activity_id,
        "text": n.text,
        "status": n.status.value,
        "edited": n.text != n.original_text,
    }
