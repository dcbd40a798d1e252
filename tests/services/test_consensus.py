"""Consensus rounds read from a real project (services/consensus.py).

Phones rate through the real participation service (children on the smiley scale), so
the numbers below go through the same path as in a workshop. Every expected number is
worked out by hand in the comments.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from itertools import count

import pytest

from workshop_app.core.consensus import (
    TOO_FEW_RATERS,
    ConsensusRules,
    Distribution,
    Shares,
    Verdict,
)
from workshop_app.core.errors import DomainError
from workshop_app.core.model import (
    Activity,
    ActivityKind,
    ActivitySettings,
    ActivityState,
    GroupKind,
    RatingScale,
    StakeholderGroup,
)
from workshop_app.core.scales import RatingQuestion
from workshop_app.services import consensus, groups, live, project, sessions, standards
from workshop_app.services import participation as phones
from workshop_app.services.project import OpenProject
from workshop_app.services.sessions import ActivityFields, SessionDetails
from workshop_app.services.standards import StandardFields
from workshop_app.storage.writer import Tx

_keys = count()


def key() -> str:
    return f"consensus-{next(_keys):06d}"


@dataclass
class Project:
    p: OpenProject
    children: StakeholderGroup
    young: StakeholderGroup
    parents: StakeholderGroup
    practitioners: StakeholderGroup
    s1: str  # "A trusted adult"
    s2: str  # "Reporting made easy"

    def session(self, title: str, day: date, *, feedback_from: str | None = None) -> Activity:
        """A session with one rate activity; returns the activity."""
        invited = (self.children.id, self.young.id, self.parents.id, self.practitioners.id)
        s = sessions.create_session(self.p, SessionDetails(title, date=day, group_ids=invited))
        settings = ActivitySettings(
            scale=RatingScale.NINE_POINT, feedback_from=feedback_from, consensus_round=True
        )
        return sessions.add_activity(
            self.p, s.id, ActivityFields(ActivityKind.RATE, f"Rate ({title})", settings=settings)
        )

    def rate(self, activity: Activity, group: StakeholderGroup | None, raw: dict[str, int]) -> str:
        who = phones.join(self.p, activity.session_id, group.id if group else None).result(5)
        phones.rate(self.p, who.id, activity.id, raw, key()).result(5)
        return who.id


@pytest.fixture
def proj(project: OpenProject) -> Project:
    by_kind = groups.list_groups(project)
    children, young = (g for g in by_kind if g.kind is GroupKind.CHILD)
    parents = next(g for g in by_kind if g.kind is GroupKind.PARENT)
    practitioners = next(g for g in by_kind if g.kind is GroupKind.PRACTITIONER)
    s1 = standards.create_standard(
        project, StandardFields("A trusted adult", "Every child can name a trusted adult.")
    )
    s2 = standards.create_standard(
        project, StandardFields("Reporting made easy", "Reporting takes one tap.")
    )
    return Project(project, children, young, parents, practitioners, s1.id, s2.id)


def run_round_one(proj: Project) -> Activity:
    """Round one, as in the table of `test_round_results_overall_and_by_group`."""
    a = proj.session("Round one", date(2026, 3, 1))
    live.go_live(proj.p, a.session_id)
    live.set_activity_state(proj.p, a.id, ActivityState.OPEN)
    s1, s2 = proj.s1, proj.s2
    # Children on the smiley scale: faces 5, 4, 4 -> 9, 7, 7 and 1, 2, 3 -> 1, 3, 5.
    for faces in ((5, 1), (4, 2), (4, 3)):
        proj.rate(a, proj.children, {s1: faces[0], s2: faces[1]})
    for v1, v2 in ((8, 2), (8, 2), (7, 1), (2, 1)):
        proj.rate(a, proj.parents, {s1: v1, s2: v2})
    for v1, v2 in ((9, 5), (9, 5)):
        proj.rate(a, proj.practitioners, {s1: v1, s2: v2})
    proj.rate(a, None, {s1: 1, s2: 3})  # someone who chose no group
    return a


def close(proj: Project, a: Activity) -> None:
    live.set_activity_state(proj.p, a.id, ActivityState.CLOSED)


def test_round_results_overall_and_by_group(proj: Project) -> None:
    a = run_round_one(proj)
    # the groups here are tiny (3 and 4): with small-cell suppression on (the default, 5)
    # none is judged separately (test_the_project_rules_decide_the_verdicts); off, the
    # group rules are seen at work
    project.update_settings(proj.p, min_cell_size=1)
    results = consensus.round_results(proj.p, a.id)
    assert (results.activity_id, results.round_number) == (a.id, 1)
    assert results.rules == ConsensusRules()
    assert results.title == "Rate (Round one)" and results.session_title == "Round one"
    trusted, reporting = results.statements  # in the framework's order
    assert (trusted.statement_id, trusted.title, trusted.version) == (
        proj.s1,
        "A trusted adult",
        1,
    )

    # "A trusted adult": 9 7 7 | 8 8 7 2 | 9 9 | 1 -> 10 raters, 8 rate 7-9 (80 %),
    # 2 rate 1-3 (20 %, not below 15 %): no consensus. Sorted 1 2 7 7 7 8 8 9 9 9: median 7.5.
    assert trusted.distribution == Distribution(raters=10, low=2, middle=0, high=8)
    assert trusted.verdict is Verdict.NONE
    assert trusted.median == 7.5
    by = trusted.by_group
    assert list(by) == [
        proj.children.id,
        proj.young.id,
        proj.parents.id,
        proj.practitioners.id,
        None,
    ]
    assert [g.name for g in by.values()] == [
        "Children 8–12",
        "Young people 13–18",
        "Parents and carers",
        "Practitioners",
        "No group chosen",
    ]
    # children 3 of 3 agree: in; parents 3 of 4 agree but 1 of 4 disagrees: none
    assert (by[proj.children.id].verdict, by[proj.children.id].judged) == (Verdict.IN, True)
    assert (by[proj.parents.id].verdict, by[proj.parents.id].judged) == (Verdict.NONE, True)
    # two practitioners and nobody from the young people: too few to judge
    assert by[proj.practitioners.id].label == TOO_FEW_RATERS
    assert by[proj.practitioners.id].distribution == Distribution(2, 0, 0, 2)
    assert by[proj.young.id].distribution.raters == 0
    assert not by[None].judged
    assert trusted.group_informed is Verdict.NONE  # the parents are not convinced
    # children (3+1)/(3+2) x parents (3+1)/(4+2) = 4/5 x 2/3 = 8/15
    assert trusted.product_score == pytest.approx(8 / 15)

    # "Reporting made easy": 1 3 5 | 2 2 1 1 | 5 5 | 3 -> 7 of 10 rate 1-3 (exactly 70 %)
    # and none 7-9: consensus out. Sorted 1 1 1 2 2 3 3 5 5 5: median 2.5.
    assert reporting.distribution == Distribution(raters=10, low=7, middle=3, high=0)
    assert reporting.verdict is Verdict.OUT
    assert reporting.median == 2.5
    assert reporting.by_group[proj.parents.id].verdict is Verdict.OUT  # 4 of 4
    assert reporting.by_group[proj.children.id].verdict is Verdict.NONE  # 2 of 3 low
    assert reporting.group_informed is Verdict.NONE
    # children (0+1)/(3+2) x parents (0+1)/(4+2) = 1/30
    assert reporting.product_score == pytest.approx(1 / 30)


def test_smiley_ratings_are_stored_with_the_face_and_the_version(proj: Project) -> None:
    a = run_round_one(proj)
    db = proj.p.store.reader()
    rows = db.execute(
        "SELECT r.value, r.raw_value, r.scale, r.version FROM ratings r "
        "JOIN participants p ON p.id = r.participant_id "
        "WHERE r.activity_id = ? AND r.standard_id = ? AND p.group_id = ? ORDER BY r.raw_value",
        [a.id, proj.s1, proj.children.id],
    ).fetchall()
    assert [tuple(r) for r in rows] == [
        (7, 4, "smiley", 1),
        (7, 4, "smiley", 1),
        (9, 5, "smiley", 1),
    ]


def test_the_project_rules_decide_the_verdicts(proj: Project) -> None:
    a = run_round_one(proj)
    project.update_settings(
        proj.p,
        consensus_agree_min_percent=75,
        consensus_disagree_max_percent=25,
        consensus_min_group_raters=2,
    )
    # a group is never judged when its figures are withheld: 2 counts only below 5
    assert consensus.project_rules(proj.p) == ConsensusRules(75, 25, 5)
    small = consensus.round_results(proj.p, a.id).statements[0]
    assert not small.by_group[proj.practitioners.id].judged
    project.update_settings(proj.p, min_cell_size=1)  # small-cell suppression off
    rules = consensus.project_rules(proj.p)
    assert rules == ConsensusRules(75, 25, 2)
    trusted = consensus.round_results(proj.p, a.id).statements[0]
    assert trusted.verdict is Verdict.IN  # 80 % agree, 20 % (< 25 %) disagree
    # parents: 3 of 4 agree (75 %, enough) but 1 of 4 disagrees (25 %, not below 25 %)
    assert trusted.by_group[proj.parents.id].verdict is Verdict.NONE
    assert trusted.by_group[proj.practitioners.id].judged  # 2 raters are now enough
    assert trusted.by_group[proj.practitioners.id].verdict is Verdict.IN


def test_a_revised_statement_is_rated_in_its_new_version_in_round_two(proj: Project) -> None:
    one = run_round_one(proj)
    close(proj, one)
    live.end_session(proj.p, one.session_id)
    edit = standards.update_standard(
        proj.p,
        proj.s1,
        StandardFields("A trusted adult at school", "Every child can name a trusted adult."),
    )
    assert edit.new_version and edit.after.version == 2
    two = proj.session("Round two", date(2026, 4, 1), feedback_from=one.id)
    live.go_live(proj.p, two.session_id)
    live.set_activity_state(proj.p, two.id, ActivityState.OPEN)
    proj.rate(two, proj.parents, {proj.s1: 9})

    first = consensus.round_results(proj.p, one.id).statements[0]
    second = consensus.round_results(proj.p, two.id).statements[0]
    # each round keeps the wording it rated
    assert (first.version, first.title) == (1, "A trusted adult")
    assert (second.version, second.title) == (2, "A trusted adult at school")
    assert second.distribution == Distribution(1, 0, 0, 1)
    assert consensus.round_results(proj.p, two.id).round_number == 2


def test_rounds_are_numbered_by_session_date_then_agenda(proj: Project) -> None:
    later = proj.session("Spring", date(2026, 5, 1))  # made first, held later
    earlier = proj.session("Winter", date(2026, 1, 10))
    second_in_winter = sessions.add_activity(
        proj.p,
        earlier.session_id,
        ActivityFields(
            ActivityKind.RATE, "Rate again", settings=ActivitySettings(consensus_round=True)
        ),
    )
    sessions.add_activity(proj.p, earlier.session_id, ActivityFields(ActivityKind.VOTE, "Vote"))
    found = consensus.rounds(proj.p)
    assert [(r.number, r.activity_id) for r in found] == [
        (1, earlier.id),
        (2, second_in_winter.id),
        (3, later.id),
    ]
    assert found[0].label == "Round 1: Rate (Winter) (Winter, 10 January 2026)"
    assert consensus.round_results(proj.p, later.id).round_number == 3

    # what an activity can show: the rounds before it
    assert consensus.earlier_rounds(proj.p, earlier.session_id, earlier.id) == []
    assert [r.number for r in consensus.earlier_rounds(proj.p, later.session_id, later.id)] == [
        1,
        2,
    ]
    # an activity not added yet goes at the end of its session's agenda
    assert [r.number for r in consensus.earlier_rounds(proj.p, earlier.session_id)] == [1, 2]
    assert [r.number for r in consensus.earlier_rounds(proj.p, later.session_id)] == [1, 2, 3]

    # a deleted session's rounds are not rounds of the project any more
    sessions.delete_session(proj.p, earlier.session_id)
    assert [(r.number, r.activity_id) for r in consensus.rounds(proj.p)] == [(1, later.id)]


def test_only_rate_activities_have_round_results(proj: Project) -> None:
    a = proj.session("Round one", date(2026, 3, 1))
    vote = sessions.add_activity(proj.p, a.session_id, ActivityFields(ActivityKind.VOTE, "Vote"))
    with pytest.raises(DomainError):
        consensus.round_results(proj.p, vote.id)


def test_a_round_nobody_rated_lists_every_statement_with_no_raters(proj: Project) -> None:
    a = proj.session("Round one", date(2026, 3, 1))
    results = consensus.round_results(proj.p, a.id)
    assert [s.statement_id for s in results.statements] == [proj.s1, proj.s2]
    for s in results.statements:
        assert s.distribution.raters == 0 and s.median is None
        assert s.verdict is Verdict.NONE and s.product_score is None
        assert all(g.label == TOO_FEW_RATERS for g in s.by_group.values())


def test_a_removed_statement_that_was_rated_stays_in_the_results(proj: Project) -> None:
    a = run_round_one(proj)
    standards.delete_standard(proj.p, proj.s1)
    results = consensus.round_results(proj.p, a.id)
    assert [s.statement_id for s in results.statements] == [proj.s2, proj.s1]
    assert results.statements[1].distribution.raters == 10


# ---------------------------------------------------------------- Delphi feedback


def test_round_two_shows_round_one_once_it_is_closed(proj: Project) -> None:
    one = run_round_one(proj)
    two = proj.session("Round two", date(2026, 4, 1), feedback_from=one.id)
    assert two.settings.feedback_from == one.id  # kept by the activity's settings
    assert consensus.round_feedback(proj.p, two) is None  # round one is still open
    close(proj, one)
    fb = consensus.round_feedback(proj.p, two)
    assert fb is not None and fb.round.number == 1 and fb.round.activity_id == one.id
    # "A trusted adult": 2 / 0 / 8 of 10; "Reporting": 7 / 3 / 0 of 10
    assert fb.statements[proj.s1].shares == Shares(10, 20, 0, 80)
    assert fb.statements[proj.s2].shares == Shares(10, 70, 30, 0)
    assert not fb.statements[proj.s1].changed

    standards.update_standard(
        proj.p, proj.s1, StandardFields("A trusted adult", "Every child names a trusted adult.")
    )
    fb = consensus.round_feedback(proj.p, two)
    assert fb is not None
    changed = fb.statements[proj.s1]
    assert changed.changed
    assert (changed.previous_title, changed.previous_statement) == (
        "A trusted adult",
        "Every child can name a trusted adult.",
    )
    assert not fb.statements[proj.s2].changed and fb.statements[proj.s2].previous_statement == ""


def test_a_phone_in_round_two_gets_the_feedback(proj: Project) -> None:
    one = run_round_one(proj)
    close(proj, one)
    live.end_session(proj.p, one.session_id)
    two = proj.session("Round two", date(2026, 4, 1), feedback_from=one.id)
    live.go_live(proj.p, two.session_id)
    live.set_activity_state(proj.p, two.id, ActivityState.OPEN)
    who = phones.join(proj.p, two.session_id, proj.children.id).result(5)
    view = phones.phone_view(proj.p, who)
    assert view.feedback is not None
    assert view.feedback.statements[proj.s2].shares.low == 70

    # without feedback_from the same page shows none
    sessions.update_activity(
        proj.p,
        two.id,
        replace(ActivityFields.of(two), settings=replace(two.settings, feedback_from=None)),
    )
    assert phones.phone_view(proj.p, who).feedback is None


def test_ratings_from_before_versions_were_recorded_count_for_the_version_then(
    proj: Project,
) -> None:
    one = run_round_one(proj)
    close(proj, one)

    def forget_versions(tx: Tx) -> None:  # as in a project file from before issue 6
        tx.db.execute("UPDATE ratings SET version = NULL")

    proj.p.store.write_now(forget_versions)
    standards.update_standard(
        proj.p, proj.s1, StandardFields("A trusted adult at school", "Every child names one.")
    )
    assert standards.get_standard(proj.p, proj.s1).version == 2
    trusted = consensus.round_results(proj.p, one.id).statements[0]
    assert (trusted.version, trusted.title) == (1, "A trusted adult")
    two = proj.session("Round two", date(2026, 4, 1), feedback_from=one.id)
    fb = consensus.round_feedback(proj.p, two)
    assert fb is not None and fb.statements[proj.s1].changed
    assert fb.statements[proj.s1].previous_statement == "Every child can name a trusted adult."


# ---------------------------------------------------------------- rounds by choice


def test_a_rating_added_to_a_workshop_is_not_a_round_unless_the_facilitator_says_so(
    proj: Project,
) -> None:
    first = proj.session("Winter", date(2026, 1, 10))  # a round (marked so)
    workshop = sessions.create_session(proj.p, SessionDetails("Club", date=date(2026, 1, 5)))
    casual = sessions.add_activity(
        proj.p, workshop.id, ActivityFields(ActivityKind.RATE, "Quick rating")
    )
    assert not casual.settings.consensus_round
    assert [r.activity_id for r in consensus.rounds(proj.p)] == [first.id]
    # Its results are judged by the same rules, unnumbered.
    assert consensus.round_results(proj.p, casual.id).round_number is None
    # Marked as a round, it becomes round 1 (held before Winter).
    marked = sessions.update_activity(
        proj.p,
        casual.id,
        replace(
            ActivityFields.of(casual),
            settings=replace(casual.settings, consensus_round=True),
        ),
    )
    assert marked.settings.consensus_round
    assert [r.activity_id for r in consensus.rounds(proj.p)] == [casual.id, first.id]


def test_a_rating_stored_before_rounds_were_a_choice_is_still_a_round(proj: Project) -> None:
    workshop = sessions.create_session(proj.p, SessionDetails("Old", date=date(2025, 6, 1)))
    old = sessions.add_activity(proj.p, workshop.id, ActivityFields(ActivityKind.RATE, "Old"))

    def as_before(tx: Tx) -> None:  # settings as an earlier version wrote them
        tx.db.execute(
            'UPDATE activities SET settings = \'{"scale": "nine_point"}\' WHERE id = ?',
            [old.id],
        )

    proj.p.store.write_now(as_before)
    assert sessions.get_activity(proj.p, old.id).settings.consensus_round
    assert old.id in [r.activity_id for r in consensus.rounds(proj.p)]


# ---------------------------------------------------------------- issue 13


def test_feedback_gives_each_group_separately_and_withholds_small_ones(proj: Project) -> None:
    one = run_round_one(proj)
    close(proj, one)
    two = proj.session("Round two", date(2026, 4, 1), feedback_from=one.id)
    project.update_settings(proj.p, min_cell_size=3)
    fb = consensus.round_feedback(proj.p, two)
    assert fb is not None
    groups = fb.statements[proj.s1].groups
    # in the project's group order, the people with no group last; nobody from the young
    # people rated, so they are not listed
    assert [(g.name, g.shares) for g in groups] == [
        (proj.children.name, Shares(3, 0, 0, 100)),
        (proj.parents.name, Shares(4, 25, 0, 75)),
        (proj.practitioners.name, None),  # 2 raters: fewer than 3
        ("No group chosen", None),  # 1 rater
    ]
    assert fb.statements[proj.s1].min_cell == 3
    assert fb.statements[proj.s1].shares.raters == 10  # everyone together, never withheld


def test_round_results_carry_the_wording_rated_and_the_change_since_the_round_before(
    proj: Project,
) -> None:
    one = run_round_one(proj)
    close(proj, one)
    standards.update_standard(
        proj.p, proj.s1, StandardFields("A trusted adult", "Every child names a trusted adult.")
    )
    two = proj.session("Round two", date(2026, 4, 1), feedback_from=one.id)
    live.go_live(proj.p, two.session_id)
    live.set_activity_state(proj.p, two.id, ActivityState.OPEN)
    for value in (9, 9, 8, 8, 7):
        proj.rate(two, proj.parents, {proj.s1: value})
    results = consensus.round_results(proj.p, two.id)
    first = next(s for s in results.statements if s.statement_id == proj.s1)
    assert (first.version, first.statement) == (2, "Every child names a trusted adult.")
    assert first.earlier is not None and first.earlier.round_number == 1
    assert first.earlier.version == 1 and first.earlier.median == 7.5
    assert first.change_text() == ("Round 1 (version 1 then): median 7.5 → 8; 7–9 80% → 100%")
    assert first.quartiles == (8.0, 9.0)
    assert results.min_cell == 5 and results.question is RatingQuestion.IMPORTANCE
    before = consensus.round_results(proj.p, one.id)
    rated_then = next(s for s in before.statements if s.statement_id == proj.s1)
    assert rated_then.earlier is None and rated_then.change_text() == "First rated in this round"
    assert rated_then.statement == "Every child can name a trusted adult."
    assert rated_then.child_wording == ""  # children rated it, but it has no child wording
    fields = replace(
        StandardFields.of(standards.get_standard(proj.p, proj.s1)),
        child_wording="You know a grown-up you can tell.",
    )
    standards.update_standard(proj.p, proj.s1, fields)
    again = consensus.round_results(proj.p, one.id)
    rated_then = next(s for s in again.statements if s.statement_id == proj.s1)
    assert rated_then.child_wording == "You know a grown-up you can tell."
    adults_only = next(s for s in results.statements if s.statement_id == proj.s1)
    assert adults_only.child_wording == ""  # round two: no child rated it
