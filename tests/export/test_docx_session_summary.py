"""The session summary (export/session_summary.py) from a hand-made snapshot: what is in
it, in which order, and how LibreOffice lays it out."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from docx.oxml.ns import qn

from tests.export.docx_pdf import headings, open_docx, pdf_info, pdf_pages, texts, to_pdf
from workshop_app.core.cells import method_text
from workshop_app.core.consensus import ConsensusRules, Earlier, distribution, statement_result
from workshop_app.core.model import ActivityKind
from workshop_app.core.report import (
    ActivityReport,
    AgendaItem,
    GroupCount,
    QuotedNote,
    RatingReport,
    SessionReport,
    ThemeNotes,
    VoteGroup,
    VoteReport,
    VoteRow,
)
from workshop_app.core.scales import SMILEY_ASSUMPTION, RatingQuestion
from workshop_app.export import charts
from workshop_app.export.session_summary import write_session_summary

RULES = ConsensusRules()
CHILD, PARENT = "g-child", "g-parent"
GROUP_NAMES = {CHILD: "Children 8–12", PARENT: "Parents and carers", None: "No group chosen"}


def _vote() -> VoteReport:
    vote = VoteReport(
        title="Which ideas matter most?",
        vote_on="themes",
        budget=3,
        budget_automatic=True,
        per_item_cap=2,
        took_part=9,
        rows=(
            VoteRow(1, "Telling a trusted adult", 9, 5, {CHILD: 6, PARENT: 3}, equal_rank=1),
            VoteRow(2, "Strangers in games", 7, 4, {CHILD: 2, PARENT: 5}, equal_rank=2),
            VoteRow(3, "Learning at school", 2, 2, {PARENT: 2}, on_board=False, equal_rank=3),
        ),
        groups=(
            VoteGroup(CHILD, "Children 8–12", 5),
            VoteGroup(PARENT, "Parents and carers", 4),
        ),
    )
    png = charts.vote_chart_png(
        replace(vote, title=""), by_group=True, width_px=600, height_px=300, dpi=100
    )
    return replace(vote, chart_png=png, chart_by_group=True)


def _rating() -> RatingReport:
    agree = statement_result(
        "s1",
        "A trusted adult to tell",
        1,
        {CHILD: [9, 9, 8, 7], PARENT: [7, 8, 9, 2]},
        RULES,
        GROUP_NAMES,
    )
    split = statement_result(
        "s2",
        "Responding without blame",
        2,
        {CHILD: [1, 2, 9], PARENT: [5, 5, 5]},
        RULES,
        GROUP_NAMES,
    )
    unrated = statement_result("s3", "Not rated here", 1, {}, RULES, GROUP_NAMES)
    return RatingReport(
        round_number=1,
        group_names=("Children 8–12", "Parents and carers"),
        statements=(agree, split, unrated),
        raters=8,
    )


def _report() -> SessionReport:
    brainstorm = ActivityReport(
        number=2,
        kind=ActivityKind.BRAINSTORM,
        kind_label=ActivityKind.BRAINSTORM.label,
        title="Fun online, and feeling worried",
        prompt="What is fun online?",
        child_prompt="What do you like doing online?",
        themes=(
            ThemeNotes(
                "Strangers in games",
                (
                    QuotedNote("games where people you dont know can talk to you", "Children 8–12"),
                    QuotedNote("my email is [removed]", "Parents and carers"),
                ),
            ),
            ThemeNotes("Telling a trusted adult", (QuotedNote("I would tell my mum", ""),)),
        ),
        unthemed=(QuotedNote('a <tag> & "quotes"\nsecond line', "Children 8–12"),),
        hidden_notes=2,
        waiting_notes=1,
    )
    return SessionReport(
        project_title="Safer Online Together",
        locality="Riverside (fictional borough)",
        title="Children's workshop",
        date=date(2026, 9, 12),
        venue="Riverside Central Library",
        plan="Children 8-12: preparatory workshop",
        state="Closed",
        groups=(GroupCount("Children 8–12", 11), GroupCount("No group chosen", 1)),
        moderation="Approve first: every note waited.",
        agenda=(
            AgendaItem(1, "Welcome", "Information", 10),
            AgendaItem(2, "Fun online, and feeling worried", "Brainstorm (sticky notes)", 12),
            AgendaItem(3, "Sorting ideas", "Cluster into themes", None),
            AgendaItem(4, "Which ideas matter most?", "Dot vote", 8),
            AgendaItem(5, "Rating", "Rate statements", 15),
        ),
        activities=(
            ActivityReport(1, ActivityKind.INFO, "Information", "Welcome", "Hello all.", ""),
            brainstorm,
            ActivityReport(
                3,
                ActivityKind.CLUSTER,
                "Cluster into themes",
                "Sorting ideas",
                "Group the notes.",
                "",
                board_themes=(("Strangers in games", 2), ("Telling a trusted adult", 1)),
            ),
            ActivityReport(
                4,
                ActivityKind.VOTE,
                "Dot vote",
                "Which ideas matter most?",
                "Vote.",
                "",
                vote=_vote(),
            ),
            ActivityReport(
                5, ActivityKind.RATE, "Rate statements", "Rating", "Rate.", "", rating=_rating()
            ),
        ),
        help_requests=2,
        consensus_rules=RULES.describe(),
        smiley_mapping=((1, 1), (2, 3), (3, 5), (4, 7), (5, 9)),
        generated=date(2027, 2, 1),
    )


@pytest.fixture
def summary(tmp_path):
    return open_docx(write_session_summary(_report(), tmp_path / "summary.docx"))


def test_headings_come_in_the_reports_order(summary):
    assert headings(summary) == [
        (1, "Who took part"),
        (2, "Help requests"),
        (1, "Agenda"),
        (1, "Activities"),
        (2, "1. Welcome"),
        (2, "2. Fun online, and feeling worried"),
        (3, "Strangers in games  (2 notes)"),
        (3, "Telling a trusted adult  (1 note)"),
        (3, "Not in a theme"),
        (2, "3. Sorting ideas"),
        (2, "4. Which ideas matter most?"),
        (2, "5. Rating"),
        (3, "What was rated, and change from the previous round"),
        (1, "Appendix: methods"),
        (2, "Dot votes"),
        (2, "Consensus rules"),
        (2, "Small groups"),
        (2, "Moderation"),
        (2, "Dates"),
        (2, "About the words in this report"),
    ]


def test_the_front_page_gives_the_sessions_details(summary):
    first = summary.tables[0]
    rows = {r.cells[0].text: r.cells[1].text for r in first.rows}
    assert rows["Date"] == "Saturday 12 September 2026"
    assert rows["Venue"] == "Riverside Central Library"
    assert rows["Stakeholder groups"] == "Children 8–12 (11); No group chosen (1)"
    assert rows["Participants"] == "12 (anonymous)"
    assert rows["Help requests"] == "2 (a count only)"
    assert rows["Notes"] == "4 in this report; 2 hidden by the facilitator; 1 never approved"
    assert summary.paragraphs[0].style.name == "Title"
    assert summary.paragraphs[0].text == "Children's workshop"


def test_every_shown_note_is_quoted_with_its_group_and_left_out_ones_are_counted(summary):
    paragraphs = texts(summary)
    assert "games where people you dont know can talk to you  (Children 8–12)" in paragraphs
    assert "my email is [removed]  (Parents and carers)" in paragraphs
    assert "I would tell my mum" in paragraphs  # a writer who chose no group
    assert 'a <tag> & "quotes"\nsecond line  (Children 8–12)' in paragraphs
    assert (
        "4 notes in this report, in 2 themes (1 not in a theme); left out: 2 notes hidden by "
        "the facilitator and 1 note never approved." in paragraphs
    )


def test_the_agenda_and_the_group_counts_are_tables(summary):
    cells = [[c.text for c in r.cells] for r in summary.tables[1].rows]
    assert cells == [
        ["Stakeholder group", "Participants"],
        ["Children 8–12", "11"],
        ["No group chosen", "1"],
        ["All participants", "12"],
    ]
    agenda = [[c.text for c in r.cells] for r in summary.tables[2].rows]
    assert agenda[0] == ["#", "Activity", "Kind", "Minutes"]
    assert agenda[3] == ["3", "Sorting ideas", "Cluster into themes", "–"]


def test_vote_results_are_a_table_by_group_and_a_chart(summary):
    table = next(t for t in summary.tables if t.rows[0].cells[1].text == "Item")
    cells = [[c.text for c in r.cells] for r in table.rows]
    assert cells[0] == [
        "#",
        "Item",
        "Dots",
        "Children 8–12: dots (share)",
        "Parents and carers: dots (share)",
        "Equal-weight rank",
    ]
    # each group's share of its own dots (children placed 8, parents 10), rounded down
    assert cells[1] == ["1", "Telling a trusted adult", "9", "6 (75%)", "3 (30%)", "1"]
    assert cells[3] == [
        "3",
        "Learning at school (taken off the vote)",
        "2",
        "0 (0%)",
        "2 (20%)",
        "3",
    ]
    voters = next(t for t in summary.tables if t.rows[0].cells[1].text == "Voters")
    assert [[c.text for c in r.cells] for r in voters.rows][1:] == [
        ["Children 8–12", "5"],
        ["Parents and carers", "4"],
    ]
    assert len(summary.inline_shapes) == 1
    # the chart's alt text says what it shows
    alt = summary.inline_shapes[0]._inline.docPr.get("descr")
    assert alt.startswith("Bar chart of the dots for each item in “Which ideas matter most?”")
    assert "1. Telling a trusted adult: 9 dots; 2. Strangers in games: 7 dots" in alt
    captions = [p.text for p in summary.paragraphs if p.style.name == "Caption"]
    assert (
        "Figure 1: “Which ideas matter most?”: dots for each item, by stakeholder group" in captions
    )
    assert "Each person had 3 dots to place on the themes, at most 2 on any one." in texts(summary)


def test_ratings_show_rated_statements_overall_and_by_group(summary):
    overall = next(t for t in summary.tables if t.rows[0].cells[-1].text == "Verdict")
    cells = [[c.text for c in r.cells] for r in overall.rows]
    assert cells[0] == ["Statement", "n", "Median", "IQR", "1–3", "4–6", "7–9", "Verdict"]
    captions = [p.text for p in summary.paragraphs if p.style.name == "Caption"]
    assert (
        "Table 6: Ratings and consensus overall (n: raters; IQR: interquartile range; 1–3: not "
        "important; 4–6: important but not critical; 7–9: critical)" in captions
    )
    # 2 7 7 8 8 9 9 9: median 8, quartiles 7 and 9
    assert cells[1] == [
        "A trusted adult to tell",
        "8",
        "8",
        "7–9",
        "12%",
        "0%",
        "87%",
        "Consensus in",
    ]
    assert cells[2][0] == "Responding without blame (version 2)"
    assert cells[2][-1] == "No consensus"
    assert len(cells) == 3, "a statement nobody rated in this round is left out"
    by_group = next(t for t in summary.tables if t.rows[0].cells[-1].text == "Across groups")
    group_cells = [[c.text for c in r.cells] for r in by_group.rows]
    assert group_cells[0] == ["Statement", "Children 8–12", "Parents and carers", "Across groups"]
    # never "In every group: No consensus" when the children reached consensus in
    assert group_cells[1] == [
        "A trusted adult to tell",
        "Consensus in (4)",
        "No consensus (4)",
        "Groups differ: 1 consensus in, 1 no consensus",
    ]


def test_the_methods_appendix_has_the_rules_and_the_smiley_table(summary):
    paragraphs = texts(summary)
    assert RULES.describe() in paragraphs
    assert "Approve first: every note waited." in paragraphs
    smiley = next(t for t in summary.tables if t.rows[0].cells[1].text == "Counts as")
    assert [[c.text for c in r.cells] for r in smiley.rows][1:] == [
        ["1", "1"],
        ["2", "3"],
        ["3", "5"],
        ["4", "7"],
        ["5", "9"],
    ]
    rules = next(t for t in summary.tables if t.rows[0].cells[0].text == "Vote")
    assert [c.text for c in rules.rows[1].cells] == [
        "Which ideas matter most?",
        "themes",
        "3 (automatic)",
        "2",
    ]


def test_a_vote_still_open_is_named_but_its_results_are_not_reported(tmp_path):
    report = _report()
    activities = list(report.activities)
    activities[3] = replace(
        activities[3], vote=replace(_vote(), rows=(), ready=False, chart_png=b"")
    )
    doc = open_docx(
        write_session_summary(replace(report, activities=tuple(activities)), tmp_path / "s.docx")
    )
    assert (
        "This vote had not closed when the report was written, so its results are not reported."
        in texts(doc)
    )
    assert len(doc.inline_shapes) == 0


def test_a_session_without_activities_still_makes_a_document(tmp_path):
    report = replace(_report(), activities=(), agenda=(), groups=())
    doc = open_docx(write_session_summary(report, tmp_path / "s.docx"))
    assert "The session has no activities." in texts(doc)
    assert "The session had no dot vote." in texts(doc)


def test_the_contents_lists_the_activities(summary):
    entries = [
        p.text.split("\t")[0] for p in summary.paragraphs if p.style.name in ("TOC 1", "TOC 2")
    ]
    assert "2. Fun online, and feeling worried" in entries and "Appendix: methods" in entries
    assert summary.element.body.find(qn("w:p")) is not None


# ---------------------------------------------------------------- rendered


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("summary")
    (pdf,) = to_pdf(write_session_summary(_report(), folder / "summary.docx"))
    return pdf


def test_the_summary_renders_on_several_a4_pages_with_page_numbers(rendered):
    info = pdf_info(rendered)
    assert info.is_a4 and info.pages > 1
    pages = pdf_pages(rendered)
    assert all(f"Page {n} of {info.pages}" in page for n, page in enumerate(pages, start=1))


def test_the_rendered_summary_reads_as_written(rendered):
    text = " ".join(" ".join(pdf_pages(rendered)).split())
    for expected in (
        "Children's workshop",
        "Contents",
        "Saturday 12 September 2026",
        "games where people you dont know can talk to you",
        "my email is [removed]",
        'a <tag> & "quotes"',
        "Figure 1:",
        "Consensus in",
    ):
        assert expected in text


def test_the_methods_say_percentages_are_rounded_down(summary):
    from workshop_app.core.shares import ROUNDING_METHOD

    assert ROUNDING_METHOD in texts(summary)


def test_each_rated_statement_gives_its_rated_wording_and_change_from_the_round_before(
    tmp_path,
):
    report = _report()
    rating = _rating()
    first = replace(
        rating.statements[0],
        statement="Every child can name an adult they trust.",
        child_wording="You know a grown-up you can tell.",
        earlier=Earlier(1, 1, distribution([5, 5, 7, 8]), 6.0),
    )
    rating = replace(rating, round_number=2, statements=(first, *rating.statements[1:]))
    activities = (*report.activities[:4], replace(report.activities[4], rating=rating))
    doc = open_docx(
        write_session_summary(replace(report, activities=activities), tmp_path / "s.docx")
    )
    paragraphs = texts(doc)
    assert "Wording rated: Every child can name an adult they trust." in paragraphs
    assert "Children's groups rated: You know a grown-up you can tell." in paragraphs
    assert "Change from the previous round: Round 1: median 6 → 8; 7–9 50% → 87%" in paragraphs
    assert "Change from the previous round: First rated in this round" in paragraphs


def test_an_agreement_round_is_reported_in_the_words_of_agreement(tmp_path):
    report = _report()
    rating = replace(_rating(), question=RatingQuestion.AGREEMENT)
    activities = (*report.activities[:4], replace(report.activities[4], rating=rating))
    doc = open_docx(
        write_session_summary(replace(report, activities=activities), tmp_path / "s.docx")
    )
    everything = " ".join(texts(doc))
    assert "rated the statements for agreement on a scale of 1 (strongly disagree) to 9" in (
        everything
    )
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert any("1–3: disagree; 4–6: unsure; 7–9: agree)" in c for c in captions)
    assert "critical" not in everything


def test_the_smiley_mapping_and_small_cells_are_stated_in_the_methods(summary):
    paragraphs = texts(summary)
    assert SMILEY_ASSUMPTION in paragraphs
    assert method_text(1) in paragraphs


def test_small_groups_are_shown_as_fewer_than_n(tmp_path):
    report = replace(_report(), min_cell_size=5)
    vote = replace(_vote(), min_cell=5)  # the parents: 4 voters
    rating = replace(_rating(), min_cell=5)  # 4 children and 4 parents rated s1
    activities = (
        *report.activities[:3],
        replace(report.activities[3], vote=vote),
        replace(report.activities[4], rating=rating),
    )
    doc = open_docx(
        write_session_summary(replace(report, activities=activities), tmp_path / "s.docx")
    )
    table = next(t for t in doc.tables if t.rows[0].cells[1].text == "Item")
    assert [c.text for c in table.rows[1].cells][3:5] == ["6 (75%)", "fewer than 5"]
    voters = next(t for t in doc.tables if t.rows[0].cells[1].text == "Voters")
    assert voters.rows[2].cells[1].text == "fewer than 5"
    by_group = next(t for t in doc.tables if t.rows[0].cells[-1].text == "Across groups")
    assert [c.text for c in by_group.rows[1].cells][1:] == [
        "fewer than 5",
        "fewer than 5",
        "Every group judged has fewer than 5 raters: not shown",
    ]
    assert method_text(5) in texts(doc)
    everything = "".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "(4)" not in everything


def test_the_charts_alt_text_holds_hostile_words_as_text(tmp_path):
    report = _report()
    vote = _vote()
    hostile = 'a <b>bold</b> & "quoted"\x01 $x$ \U0001f600'
    vote = replace(vote, rows=(replace(vote.rows[0], text=hostile), *vote.rows[1:]))
    activities = (*report.activities[:3], replace(report.activities[3], vote=vote))
    doc = open_docx(
        write_session_summary(replace(report, activities=activities), tmp_path / "s.docx")
    )
    alt = doc.inline_shapes[0]._inline.docPr.get("descr")
    assert '1. a <b>bold</b> & "quoted" $x$ \U0001f600: 9 dots' in alt


def test_a_rating_that_is_not_a_round_is_not_compared_with_a_previous_round(tmp_path):
    report = _report()
    rating = replace(_rating(), round_number=None)
    activities = (*report.activities[:4], replace(report.activities[4], rating=rating))
    doc = open_docx(
        write_session_summary(replace(report, activities=activities), tmp_path / "s.docx")
    )
    assert (3, "What was rated") in headings(doc)
    assert not [t for t in texts(doc) if t.startswith("Change from the previous round")]


def test_how_people_took_part_is_said_from_what_happened(tmp_path):
    report = replace(_report(), phone_notes=7, paper_notes=1)
    said = texts(open_docx(write_session_summary(report, tmp_path / "a.docx")))
    line = next(t for t in said if "joined on a phone or tablet" in t)
    assert line.startswith(f"{report.participants} people joined")
    assert (
        "Of the notes, 7 notes came from phones or tablets and 1 note written on paper was" in line
    )
    nobody = replace(_report(), groups=(), phone_notes=0, paper_notes=3)
    said = texts(open_docx(write_session_summary(nobody, tmp_path / "b.docx")))
    line = next(t for t in said if t.startswith("Nobody joined"))
    assert "3 notes written on paper were typed in by the facilitator" in line
    assert not any("own phones" in t for t in said), "no fixed claim about how people joined"
