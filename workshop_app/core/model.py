"""The nouns of Common Ground (DESIGN.md §4) as immutable dataclasses.

Every entity has a UUID primary key (hex string) and UTC timestamps. Storage turns
rows into these; everything above storage speaks only in these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from workshop_app.core.scales import RatingQuestion


class GroupKind(StrEnum):
    CHILD = "child"  # children and young people
    PARENT = "parent"  # parents and carers
    PRACTITIONER = "practitioner"
    COMMUNITY = "community"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _GROUP_KIND_LABELS[self]


_GROUP_KIND_LABELS = {
    GroupKind.CHILD: "Children and young people",
    GroupKind.PARENT: "Parents and carers",
    GroupKind.PRACTITIONER: "Practitioners",
    GroupKind.COMMUNITY: "Community members",
    GroupKind.OTHER: "Other",
}


class SessionState(StrEnum):
    PLANNED = "planned"
    LIVE = "live"
    CLOSED = "closed"


class ActivityKind(StrEnum):
    INFO = "info"
    BRAINSTORM = "brainstorm"
    CLUSTER = "cluster"
    VOTE = "vote"
    RATE = "rate"
    DRAFT = "draft"
    ASSESS = "assess"  # a service's self-assessment against the framework (issue 16)
    SURVEY = "survey"  # an evaluation survey (core/survey.py: its questions)

    @property
    def label(self) -> str:
        return _ACTIVITY_KIND_LABELS[self]


_ACTIVITY_KIND_LABELS = {
    ActivityKind.INFO: "Information",
    ActivityKind.BRAINSTORM: "Brainstorm (sticky notes)",
    ActivityKind.CLUSTER: "Cluster into themes",
    ActivityKind.VOTE: "Dot vote",
    ActivityKind.RATE: "Rate statements",
    ActivityKind.DRAFT: "Draft standards",
    ActivityKind.ASSESS: "Self-assessment",
    ActivityKind.SURVEY: "Survey (evaluation)",
}


class ActivityState(StrEnum):
    PENDING = "pending"
    OPEN = "open"
    CLOSED = "closed"
    REVEALED = "revealed"


class RatingScale(StrEnum):
    NINE_POINT = "nine_point"  # 1-9, Delphi / RAND-UCLA style
    SMILEY = "smiley"  # 5 faces for children, mapped onto 1-9


class VoteTarget(StrEnum):
    THEMES = "themes"
    NOTES = "notes"


class NoteSource(StrEnum):
    PHONE = "phone"
    FACILITATOR = "facilitator"


class NoteStatus(StrEnum):
    PENDING = "pending"
    SHOWN = "shown"
    HIDDEN = "hidden"


class ModerationMode(StrEnum):
    SHOW_AT_ONCE = "show_at_once"
    APPROVE_FIRST = "approve_first"


class StandardLevel(StrEnum):
    EXPECTED = "expected"
    DEVELOPMENTAL = "developmental"


class MeasureType(StrEnum):
    STRUCTURE = "structure"
    PROCESS = "process"
    OUTCOME = "outcome"


class Audience(StrEnum):
    COMMISSIONERS = "commissioners"  # who plan and pay for services (NICE's first audience)
    POLICE = "police"
    SOCIAL_CARE = "social_care"
    EDUCATION = "education"
    HEALTH = "health"
    YOUTH_VOLUNTARY = "youth_voluntary"
    PARENTS_CARERS = "parents_carers"
    CHILDREN_YOUNG_PEOPLE = "children_young_people"


@dataclass(frozen=True, slots=True)
class ActivitySettings:
    """Per-activity settings; which ones apply depends on the activity kind."""

    timer_seconds: int | None = None
    vote_budget: int | None = None  # None: the default for the number of items
    per_item_cap: int | None = None
    vote_on: VoteTarget | None = None
    scale: RatingScale | None = None
    # rate activities: an earlier rate activity whose results participants are shown
    # beside each statement (a Delphi round 2); None shows none
    feedback_from: str | None = None
    # rate activities: a numbered consensus round of the project (judged by its consensus
    # rules, reported in the framework) only when the facilitator says so; a rating in a
    # workshop is not one. Rate activities stored before this was a choice were rounds.
    consensus_round: bool = False
    # rate activities: what is asked, importance or agreement (core/scales.py holds the
    # words); None in activities saved before it was a choice, which asked importance
    question: RatingQuestion | None = None


@dataclass(frozen=True, slots=True)
class Project:
    id: str
    title: str
    locality: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class StakeholderGroup:
    id: str
    name: str
    kind: GroupKind
    child_friendly: bool
    position: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Session:
    id: str
    title: str
    date: date | None
    venue: str
    plan_id: str  # the plan it came from ("" when built by hand)
    state: SessionState
    join_token: str
    moderation: ModerationMode
    group_ids: tuple[str, ...]  # the stakeholder groups invited to this session
    created_at: datetime
    updated_at: datetime
    current_activity_id: str | None = None  # the activity on screen while live


@dataclass(frozen=True, slots=True)
class Activity:
    id: str
    session_id: str
    position: int
    kind: ActivityKind
    title: str
    prompt: str
    child_prompt: str
    settings: ActivitySettings
    state: ActivityState
    facilitator_notes: str  # guidance for the facilitator; never shown to participants
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Participant:
    """A random id and an optional group. Nothing else, by design."""

    id: str
    session_id: str
    group_id: str | None
    created_at: datetime
    joined: bool = True  # False: only asked for help, has not joined the session


@dataclass(frozen=True, slots=True)
class Note:
    id: str
    activity_id: str
    participant_id: str | None
    group_id: str | None  # copied from the participant at submit time
    text: str
    original_text: str  # what was first written; edits never lose it
    source: NoteSource
    status: NoteStatus
    idempotency_key: str | None
    created_at: datetime
    updated_at: datetime
    withdrawn: bool = False
    flagged: bool = False  # for safeguarding follow-up: console only, never projected
    flag_note: str = ""  # the facilitator's private note on the flag
    duplicate_of: str | None = None  # another note saying the same
    # Held back on arrival by the safeguarding check (core/safeguarding.py): off the
    # projector in every moderation mode until the facilitator releases it (then None).
    held_at: datetime | None = None
    hold_reasons: tuple[str, ...] = ()  # why it was held (ReasonKind values), kept on release
    # Waiting for the arrival check's second look to read its current text (services/
    # arrival.py): never on the projector until read.
    unread: bool = False

    @property
    def held(self) -> bool:
        return self.held_at is not None


@dataclass(frozen=True, slots=True)
class NoteEdit:
    """One change to a note's text; the note keeps its original text as well."""

    note_id: str
    old_text: str
    new_text: str
    edited_by: str  # "participant" or "facilitator"
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Theme:
    id: str
    activity_id: str
    name: str
    colour: str
    position: int
    note_ids: tuple[str, ...]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Vote:
    """Dots one participant placed on one item in one vote activity."""

    id: str
    activity_id: str
    participant_id: str
    target_id: str
    dots: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Rating:
    id: str
    activity_id: str
    participant_id: str
    standard_id: str
    value: int  # always on 1-9
    scale: RatingScale  # how it was given
    raw_value: int  # what the participant chose on that scale
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Measure:
    type: MeasureType
    description: str
    numerator: str = ""
    denominator: str = ""
    data_source: str = ""


@dataclass(frozen=True, slots=True)
class Standard:
    id: str
    title: str
    statement: str
    rationale: str
    level: StandardLevel
    measures: tuple[Measure, ...]
    audiences: dict[Audience, str]
    definitions: dict[str, str]
    position: int
    version: int
    source_theme_ids: tuple[str, ...]
    source_note_ids: tuple[str, ...]
    created_at: datetime
    updated_at: datetime
    # the statement in children's words, shown to children's groups instead of it (None:
    # none, they see the statement); not versioned (docs/decisions/017-child-wording.md)
    child_wording: str | None = None
    # external guidance and evidence the standard cites (NICE's "source guidance"), one
    # reference each, as the facilitator wrote them; not versioned
    references: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StandardVersion:
    standard_id: str
    version: int
    title: str
    statement: str
    rationale: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class HelpRequest:
    """A participant's private "I'd like to talk to someone" message."""

    id: str
    session_id: str
    participant_id: str | None
    message: str
    created_at: datetime
    acknowledged_at: datetime | None = None
    follow_up: str = ""


@dataclass(frozen=True, slots=True)
class Counts:
    sessions: int = 0
    participants: int = 0
    notes: int = 0
    themes: int = 0
    votes: int = 0
    ratings: int = 0
    standards: int = 0
    groups: int = 0
    activities: int = 0
    help_requests: int = 0
