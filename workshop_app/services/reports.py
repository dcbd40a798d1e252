"""The Word exports: a session summary and the standards framework, read from a project
into the snapshots of core/report.py and written by export/session_summary.py and
export/framework.py.

What reaches a document is decided here, once:

- notes: one rule (core.report.note_fate) for every document: only notes shown on the
  wall are quoted; hidden ones, ones never approved and ones their writers took back are
  counted, never quoted; every quoted text is the privacy review's export text
  (services.privacy.export_texts: "[removed]" where the facilitator chose so);
- what the privacy review did is counted (services.privacy.review_summary) and the
  documents' sentences about it are computed from those counts;
- people: stakeholder groups with counts; no participant id, network address or device,
  no help request's words (a count only), no safeguarding flag or its note;
- results: a vote or rating round that has not closed is named but not reported, so a
  document never shows results that people could still change.

Both writers can run on a worker thread: they only read the project (through the calling
thread's read connection) and write the file they are given.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from workshop_app.core.cells import suppressed
from workshop_app.core.consensus import NO_GROUP, SMILEY_TO_NINE, RoundResults, StatementResult
from workshop_app.core.errors import StateError
from workshop_app.core.model import (
    Activity,
    ActivityKind,
    ActivityState,
    Audience,
    ModerationMode,
    Note,
    NoteSource,
    Session,
    SessionState,
    StakeholderGroup,
    VoteTarget,
)
from workshop_app.core.report import (
    ActivityReport,
    AgendaItem,
    FrameworkReport,
    GroupCount,
    HeldOnArrival,
    LeftOut,
    NoteFate,
    QuotedNote,
    RatingReport,
    RoundConsensus,
    SessionLine,
    SessionReport,
    StandardReport,
    ThemeNotes,
    TracedNote,
    TracedTheme,
    VersionReport,
    VoteGroup,
    VoteReport,
    VoteRow,
    may_quote,
    note_fate,
    statement_status,
)
from workshop_app.core.retention import add_months
from workshop_app.core.scales import RatingQuestion
from workshop_app.export import charts
from workshop_app.export.framework import write_framework as _write_framework
from workshop_app.export.session_summary import write_session_summary as _write_summary
from workshop_app.infra.paths import shipped_plans_dir
from workshop_app.services import board as board_service
from workshop_app.services import consensus, privacy, results, standards, survey
from workshop_app.services.groups import list_groups
from workshop_app.services.live import help_requests
from workshop_app.services.plans import check_folder
from workshop_app.services.project import OpenProject, get_project, get_settings
from workshop_app.services.retention import protection
from workshop_app.services.sessions import get_session, list_activities, list_sessions
from workshop_app.storage import contributions

NOT_SAID = NO_GROUP  # people who chose no stakeholder group (core: the same words everywhere)
LEFT_OUT_NOTE = "(a note left out of this report)"
CHART_ROWS = charts.CHART_ROWS  # a chart shows at most this many (the table has them all)
# Drawn 10 inches wide at 100 dpi and set 6.5 inches wide on the page (about 150 dpi
# there): charts.py sizes its margins in pixels and its letters in points, so at 100 dpi
# the axis label keeps its room, and shrunk on the page the letters match the text's.
CHART_DPI = 100
CHART_WIDTH_PX = 1000
CHART_ROW_PX = 60  # the height of one bar's slot: item labels of about 9.5 pt on the page
RESULT_STATES = frozenset({ActivityState.CLOSED, ActivityState.REVEALED})

AUDIENCES: tuple[tuple[Audience, str], ...] = (
    (Audience.COMMISSIONERS, "Commissioners"),
    (Audience.POLICE, "Police"),
    (Audience.SOCIAL_CARE, "Social care"),
    (Audience.EDUCATION, "Education"),
    (Audience.HEALTH, "Health"),
    (Audience.YOUTH_VOLUNTARY, "Youth and voluntary sector"),
    (Audience.PARENTS_CARERS, "Parents and carers"),
    (Audience.CHILDREN_YOUNG_PEOPLE, "Children and young people"),
)
MODERATION = {
    ModerationMode.APPROVE_FIRST: (
        "Approve first: every note waited for a facilitator's approval before it appeared "
        "on the shared screen. The facilitator could hide any note."
    ),
    ModerationMode.SHOW_AT_ONCE: (
        "Show at once: notes appeared on the shared screen as they were posted. The "
        "facilitator could hide any note."
    ),
}
VOTE_ON = {VoteTarget.THEMES: "themes", VoteTarget.NOTES: "notes"}


# ---------------------------------------------------------------- the actions


def write_session_summary(
    p: OpenProject, session_id: str, path: Path | str, *, today: date | None = None
) -> Path:
    """Write the session summary of `session_id` as a Word document at `path`."""
    return _write_summary(session_report(p, session_id, today=today), path)


def write_framework(
    p: OpenProject, path: Path | str, *, today: date | None = None, agreed_only: bool = False
) -> Path:
    """Write the project's standards framework as a Word document at `path`; with
    `agreed_only`, the agreed framework: only the statements that met the project's
    consensus rule, the others listed in an annex."""
    return _write_framework(framework_report(p, today=today, agreed_only=agreed_only), path)


# ---------------------------------------------------------------- session summary


def session_report(p: OpenProject, session_id: str, *, today: date | None = None) -> SessionReport:
    """A session as its summary reports it (NotFoundError for a wrong or deleted session)."""
    session = get_session(p, session_id)
    project = get_project(p)
    rules = consensus.project_rules(p)
    groups = {g.id: g for g in list_groups(p)}
    group_names = {gid: g.name for gid, g in groups.items()}
    texts = privacy.export_texts(p)
    activities = list_activities(p, session_id)
    board = board_service.board(p, session_id)
    places = board.places
    theme_names = {t.id: t.name for t in board.themes}
    theme_order = [t.id for t in board.themes]
    round_numbers = {r.activity_id: r.number for r in consensus.rounds(p)}

    # Every note, taken-back ones too: the one rule (note_fate) quotes or counts each.
    db = p.store.reader()
    walls = {
        a.id: contributions.list_notes(db, a.id, include_withdrawn=True)
        for a in activities
        if a.kind is ActivityKind.BRAINSTORM
    }
    shown_ids = {
        n.id for notes in walls.values() for n in notes if may_quote(n.status, n.withdrawn)
    }

    reports: list[ActivityReport] = []
    for number, activity in enumerate(activities, start=1):
        base = ActivityReport(
            number=number,
            kind=activity.kind,
            kind_label=activity.kind.label,
            title=activity.title,
            prompt=activity.prompt,
            child_prompt=activity.child_prompt,
        )
        if activity.kind is ActivityKind.BRAINSTORM:
            base = _with_notes(
                base, walls[activity.id], texts, group_names, places, theme_names, theme_order
            )
        elif activity.kind is ActivityKind.CLUSTER and board.activity_id == activity.id:
            counts = [(t.name, sum(1 for n in t.note_ids if n in shown_ids)) for t in board.themes]
            base = replace(base, board_themes=tuple(counts))
        elif activity.kind is ActivityKind.VOTE:
            base = replace(base, vote=_vote(p, activity, texts, shown_ids))
        elif activity.kind is ActivityKind.RATE:  # a round of the project, or not
            base = replace(base, rating=_rating(p, activity, round_numbers.get(activity.id)))
        elif activity.kind is ActivityKind.SURVEY:
            people, per_question = survey.answer_counts(p, activity.id)
            base = replace(base, survey=(people, len(per_question)))
        reports.append(base)

    return SessionReport(
        project_title=project.title,
        locality=project.locality,
        title=session.title,
        date=session.date,
        venue=session.venue,
        plan=_plan_title(session.plan_id),
        state=_state(session.state),
        groups=_group_counts(p, session, groups),
        moderation=MODERATION[session.moderation],
        agenda=tuple(
            AgendaItem(n, a.title, a.kind.label, (a.settings.timer_seconds or 0) // 60 or None)
            for n, a in enumerate(activities, start=1)
        ),
        activities=tuple(reports),
        help_requests=len(help_requests(p, session_id)),
        consensus_rules=rules.describe(),
        smiley_mapping=tuple(sorted(SMILEY_TO_NINE.items())),
        generated=today or date.today(),
        privacy=privacy.review_summary(p, session_id),
        min_cell_size=get_settings(p).min_cell_size,
        paper_notes=_written(walls, NoteSource.FACILITATOR),
        phone_notes=_written(walls, NoteSource.PHONE),
        protection=protection(p),
        held=HeldOnArrival.of(n for notes in walls.values() for n in notes),
    )


def _written(walls: Mapping[str, Sequence[Note]], source: NoteSource) -> int:
    """Notes of the session from this source, taken-back ones not counted."""
    return sum(
        1 for notes in walls.values() for n in notes if n.source is source and not n.withdrawn
    )


def _with_notes(
    base: ActivityReport,
    wall: Sequence[Note],
    texts: Mapping[str, str],
    group_names: Mapping[str, str],
    places: Mapping[str, str],
    theme_names: Mapping[str, str],
    theme_order: Sequence[str],
) -> ActivityReport:
    by_theme: dict[str, list[QuotedNote]] = {}
    unthemed: list[QuotedNote] = []
    left_out: list[NoteFate] = []
    for note in wall:  # oldest first
        fate = note_fate(note.status, note.withdrawn)
        if fate is not NoteFate.QUOTED:
            left_out.append(fate)
            continue
        quoted = _quote(note, texts, group_names)
        theme = places.get(note.id)
        if theme is None:
            unthemed.append(quoted)
        else:
            by_theme.setdefault(theme, []).append(quoted)
    return replace(
        base,
        themes=tuple(
            ThemeNotes(theme_names[t], tuple(by_theme[t])) for t in theme_order if t in by_theme
        ),
        unthemed=tuple(unthemed),
        hidden_notes=left_out.count(NoteFate.HIDDEN),
        waiting_notes=left_out.count(NoteFate.WAITING),
        withdrawn_notes=left_out.count(NoteFate.WITHDRAWN),
    )


def _quote(note: Note, texts: Mapping[str, str], group_names: Mapping[str, str]) -> QuotedNote:
    return QuotedNote(texts.get(note.id, note.text), group_names.get(note.group_id or "", ""))


def _vote(
    p: OpenProject, activity: Activity, texts: Mapping[str, str], shown_ids: set[str]
) -> VoteReport:
    rules = results.vote_rules(p, activity.id)
    took_part = results.turnout(p, activity.id).took_part
    report = VoteReport(
        title=activity.title,
        vote_on=VOTE_ON[rules.vote_on],
        budget=rules.budget,
        budget_automatic=rules.budget_set is None,
        per_item_cap=rules.per_item_cap,
        took_part=took_part,
        rows=(),
        groups=(),
        ready=False,
    )
    if activity.state not in RESULT_STATES:
        return report
    try:
        found = results.vote_results(p, activity.id)
    except StateError:
        return report
    notes = rules.vote_on is VoteTarget.NOTES
    rows = tuple(
        VoteRow(
            rank=row.rank,
            text=_item_text(row.item_id, row.text, texts, shown_ids) if notes else row.text,
            dots=row.dots,
            voters=row.voters,
            dots_by_group=dict(row.dots_by_group),
            on_board=row.on_board,
            equal_rank=row.equal_rank,
        )
        for row in found.rows
    )
    groups = tuple(
        VoteGroup(g.id, g.name, found.voters_by_group.get(g.id, 0)) for g in found.groups
    )
    report = replace(report, rows=rows, groups=groups, ready=True, min_cell=found.min_cell)
    return _with_chart(report)


def _item_text(item_id: str, text: str, texts: Mapping[str, str], shown_ids: set[str]) -> str:
    """A voted-on note as the export shows it; a note no longer shown is not quoted."""
    if item_id not in shown_ids:
        return LEFT_OUT_NOTE
    return texts.get(item_id, text)


def _with_chart(report: VoteReport) -> VoteReport:
    if not report.rows:
        return report
    voted = {g for row in report.rows for g, n in row.dots_by_group.items() if n}
    # split by group only when no group is too small to show (core.cells): a bar segment
    # is a figure too
    small = any(suppressed(g.voters, report.min_cell) for g in report.groups)
    by_group = len(voted) > 1 and not small
    drawn = replace(report, title="", rows=report.rows[:CHART_ROWS])
    height = CHART_ROW_PX * len(drawn.rows) + 130 + (40 if by_group else 0)
    png = charts.vote_chart_png(
        drawn, by_group=by_group, width_px=CHART_WIDTH_PX, height_px=height, dpi=CHART_DPI
    )
    return replace(report, chart_png=png, chart_by_group=by_group)


def _rating(p: OpenProject, activity: Activity, number: int | None) -> RatingReport:
    raters = results.turnout(p, activity.id).took_part
    if activity.state not in RESULT_STATES:
        return RatingReport(number, (), (), raters, ready=False)
    found = consensus.round_results(p, activity.id)
    rated = tuple(s for s in found.statements if s.distribution.raters)
    names = _group_columns(rated)
    return RatingReport(
        number,
        names,
        rated,
        raters,
        question=found.question,
        min_cell=found.min_cell,
    )


def _group_columns(statements: Iterable[StatementResult]) -> tuple[str, ...]:
    names: dict[str, None] = {}
    for s in statements:
        for g in s.by_group.values():
            if g.group_id is not None or g.distribution.raters:
                names[g.name] = None
    return tuple(names)


def _group_counts(
    p: OpenProject, session: Session, groups: Mapping[str, StakeholderGroup]
) -> tuple[GroupCount, ...]:
    counts = contributions.participant_counts_by_group(p.store.reader(), session.id)
    ids = [g for g in session.group_ids if g in groups]
    ids += [g for g in counts if g is not None and g not in ids]
    ids.sort(key=lambda g: (groups[g].position, groups[g].name) if g in groups else (10**6, g))
    out = [
        GroupCount(groups[g].name if g in groups else "A removed group", counts.get(g, 0))
        for g in ids
    ]
    if counts.get(None):
        out.append(GroupCount(NOT_SAID, counts[None]))
    return tuple(out)


def _plan_title(plan_id: str) -> str:
    if not plan_id:
        return ""
    try:
        plans = check_folder(shipped_plans_dir()).plans
    except Exception:  # a plan folder problem must never stop an export
        return plan_id
    return next((plan.title for plan in plans if plan.id == plan_id), plan_id)


def _state(state: SessionState) -> str:
    return {
        SessionState.PLANNED: "Planned",
        SessionState.LIVE: "Live",
        SessionState.CLOSED: "Closed",
    }[state]


# ---------------------------------------------------------------- framework


def framework_report(
    p: OpenProject, *, today: date | None = None, agreed_only: bool = False
) -> FrameworkReport:
    """The project's standards as the framework reports them (`agreed_only`: those that
    met the consensus rule; the rest go to the annex)."""
    project = get_project(p)
    rules = consensus.project_rules(p)
    settings = get_settings(p)
    min_cell = settings.min_cell_size
    written = today or date.today()
    round_dates: list[date] = []
    texts = privacy.export_texts(p)
    sources = standards.sources_by_standard(p)
    rated: dict[str, list[RoundConsensus]] = {}
    questions: dict[RatingQuestion, None] = {}  # what the rounds asked, in round order
    for r in consensus.rounds(p):
        if r.state not in RESULT_STATES:
            continue  # a round still open is not reported
        found: RoundResults = consensus.round_results(p, r.activity_id)
        questions.setdefault(found.question, None)
        if r.session_date is not None:
            round_dates.append(r.session_date)
        for st in found.statements:
            if st.distribution.raters:
                rated.setdefault(st.statement_id, []).append(
                    RoundConsensus(r.number, r.session_title, r.session_date, st)
                )
    reports: list[StandardReport] = []
    for number, s in enumerate(standards.list_standards(p), start=1):
        src = sources.get(s.id, standards.StandardSources(s.id))
        direct = [n for n in src.notes if may_quote(n.status, False)]
        reports.append(
            StandardReport(
                number=number,
                title=s.title,
                statement=s.statement,
                rationale=s.rationale,
                level=s.level.value.capitalize(),
                version=s.version,
                measures=s.measures,
                audiences=tuple(
                    (label, s.audiences[a]) for a, label in AUDIENCES if s.audiences.get(a)
                ),
                definitions=tuple(s.definitions.items()),
                consensus=tuple(rated.get(s.id, ())),
                status=statement_status(rated.get(s.id, ()), s.version, min_cell),
                references=s.references,
                versions=tuple(
                    VersionReport(v.version, v.created_at.date(), v.title, v.statement, v.rationale)
                    for v in standards.versions(p, s.id)
                ),
                themes=tuple(_traced_theme(t, texts) for t in src.themes),
                notes=tuple(
                    TracedNote(
                        QuotedNote(texts.get(n.id, n.text), n.group_name),
                        n.session_title,
                        n.session_date,
                    )
                    for n in direct
                ),
                left_out_notes=LeftOut.of(
                    [note_fate(n.status, False) for n in src.notes if n not in direct]
                )
                + LeftOut(withdrawn=src.withdrawn_notes),
            )
        )
    shown = tuple(r for r in reports if r.status.agreed or not agreed_only)
    annex = tuple(r for r in reports if agreed_only and not r.status.agreed)
    months = settings.framework_review_months
    if round_dates:
        since = max(round_dates)
        basis = f"the last consensus round, {since.day} {since:%B %Y}"
    else:
        since, basis = written, "the date this document was written, before any consensus round"
    return FrameworkReport(
        project_title=project.title,
        locality=project.locality,
        generated=written,
        consensus_rules=rules.describe(),
        smiley_mapping=tuple(sorted(SMILEY_TO_NINE.items())),
        min_group_raters=rules.min_group_raters,
        sessions=_session_lines(p),
        standards=shown,
        privacy=privacy.review_summary(p, None),
        min_cell=min_cell,
        agreed_only=agreed_only,
        annex=annex,
        group_names=tuple(g.name for g in list_groups(p)),
        audience_names=tuple(label for _a, label in AUDIENCES),
        review_date=add_months(since, months),
        review_basis=f"{months} month{'s' if months != 1 else ''} after {basis}; "
        "the project's review interval",
        questions=tuple(questions),
        protection=protection(p),
    )


def _traced_theme(t: standards.SourceTheme, texts: Mapping[str, str]) -> TracedTheme:
    return TracedTheme(
        name=t.name,
        session_title=t.session_title,
        session_date=t.session_date,
        groups=t.group_names,
        notes=tuple(
            QuotedNote(texts.get(n.id, n.text), n.group_name)
            for n in t.notes
            if may_quote(n.status, False)
        ),
        left_out=LeftOut.of(
            f for f in (note_fate(n.status, False) for n in t.notes) if f is not NoteFate.QUOTED
        )
        + LeftOut(withdrawn=t.withdrawn_notes),
        on_board=t.on_board,
    )


def _session_lines(p: OpenProject) -> tuple[SessionLine, ...]:
    groups = {g.id: g for g in list_groups(p)}
    lines = []
    for session in list_sessions(p):
        if session.state is SessionState.PLANNED:
            continue  # not held yet
        lines.append(SessionLine(session.title, session.date, _group_counts(p, session, groups)))
    lines.sort(key=lambda s: (s.date is None, s.date or date.min))
    return tuple(lines)
