"""The standards framework (export/framework.py) from a hand-made snapshot: each statement
laid out like a national quality standard, consensus by group, and the traceability
appendix back to themes, notes, sessions and groups."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tests.export.docx_pdf import headings, open_docx, pdf_info, pdf_pages, texts, to_pdf
from workshop_app.core.consensus import ConsensusRules, statement_result
from workshop_app.core.model import Measure, MeasureType
from workshop_app.core.report import (
    FrameworkReport,
    GroupCount,
    LeftOut,
    QuotedNote,
    RoundConsensus,
    SessionLine,
    StandardReport,
    TracedNote,
    TracedTheme,
    VersionReport,
    statement_status,
)
from workshop_app.export.framework import write_framework

RULES = ConsensusRules()
NAMES = {"c": "Children 8–12", "p": "Parents and carers", None: "Not said"}


def _standard(number: int, title: str, **changes: object) -> StandardReport:
    result = statement_result(
        f"s{number}", title, 2, {"c": [9, 9, 8, 7], "p": [7, 8, 9, 2, 8]}, RULES, NAMES
    )
    base = StandardReport(
        number=number,
        title=title,
        statement=f"Statement {number}: children can name a trusted adult.",
        rationale="Telling someone was the first thing children said they would do.",
        level="Expected",
        version=2,
        measures=(
            Measure(
                MeasureType.OUTCOME,
                "Proportion of children who can name a trusted adult.",
                "Respondents who name one",
                "Respondents who answer",
                "Pupil wellbeing survey",
            ),
            Measure(MeasureType.STRUCTURE, "Evidence of local arrangements.", data_source="Audit"),
            Measure(MeasureType.STRUCTURE, "Evidence of training."),
        ),
        audiences=(
            ("Police", "Officers reinforce the message."),
            ("Children and young people", "You should have a grown-up you trust."),
        ),
        definitions=(("Trusted adult", "An adult the child chooses and feels safe with."),),
        consensus=(RoundConsensus(1, "Consensus round 1", date(2026, 11, 21), result),),
        versions=(
            VersionReport(1, date(2026, 11, 12), title, "First wording.", ""),
            VersionReport(2, date(2026, 12, 1), title, "Second wording.", ""),
        ),
        themes=(
            TracedTheme(
                "Telling a trusted adult",
                "Children's workshop",
                date(2026, 9, 12),
                ("Children 8–12",),
                (QuotedNote("I would tell my mum", "Children 8–12"),),
                left_out=LeftOut(hidden=1),
            ),
            TracedTheme(
                "Someone to tell",
                "Joint workshop",
                None,
                ("Children 8–12", "Parents and carers"),
                (QuotedNote("ring [removed] for help", "Parents and carers"),),
                on_board=False,
            ),
        ),
        notes=(
            TracedNote(
                QuotedNote("a note on its own", "Practitioners"), "Practitioners' workshop", None
            ),
        ),
        left_out_notes=LeftOut(hidden=1),
    )
    changed = replace(base, **changes)  # type: ignore[arg-type]
    return replace(changed, status=statement_status(changed.consensus, changed.version))


def _report() -> FrameworkReport:
    return FrameworkReport(
        project_title="Safer Online Together",
        locality="Riverside",
        generated=date(2027, 2, 1),
        consensus_rules=RULES.describe(),
        smiley_mapping=((1, 1), (2, 3), (3, 5), (4, 7), (5, 9)),
        min_group_raters=3,
        sessions=(
            SessionLine(
                "Children's workshop", date(2026, 9, 12), (GroupCount("Children 8–12", 11),)
            ),
        ),
        standards=(
            _standard(1, "A trusted adult to tell"),
            _standard(
                2,
                "Responding without blame",
                level="Developmental",
                version=1,
                consensus=(),
                versions=(),
                themes=(),
                notes=(),
                left_out_notes=LeftOut(),
                audiences=(),
                definitions=(),
                measures=(),
            ),
        ),
    )


@pytest.fixture
def framework(tmp_path):
    return open_docx(write_framework(_report(), tmp_path / "framework.docx"))


def test_headings_follow_a_national_quality_standard(framework):
    top = [text for level, text in headings(framework) if level == 1]
    assert top == [
        "About this framework",
        "List of quality statements",
        "Quality statement 1: A trusted adult to tell (Agreed)",
        "Quality statement 2: Responding without blame (Not yet rated)",
        "Appendix A: traceability",
        "Appendix B: methods",
    ]
    first = headings(framework)[
        headings(framework).index((1, "Quality statement 1: A trusted adult to tell (Agreed)")) :
    ]
    assert [h for h in first[1:13]] == [
        (2, "Rationale"),
        (2, "Quality measures"),
        (3, "Structure (a)"),
        (3, "Structure (b)"),
        (3, "Outcome"),
        (2, "What the quality statement means for different audiences"),
        (2, "Definitions of terms used in this quality statement"),
        (2, "Consensus"),
        (2, "How the statement changed"),
        (2, "Source guidance and evidence"),
        (2, "Equality and diversity considerations"),
        (1, "Quality statement 2: Responding without blame (Not yet rated)"),
    ]


def test_the_contents_lists_the_statements_and_appendices_only(framework):
    entries = [p.text.split("\t")[0] for p in framework.paragraphs if p.style.name == "TOC 1"]
    assert entries[2:4] == [
        "Quality statement 1: A trusted adult to tell (Agreed)",
        "Quality statement 2: Responding without blame (Not yet rated)",
    ]
    assert not [p for p in framework.paragraphs if p.style.name == "TOC 2"]


def test_each_statement_is_set_apart_in_its_box(framework):
    boxed = [p.text for p in framework.paragraphs if p.style.name == "Statement"]
    assert boxed[0].startswith("Draft for consultation: 1 of 2 quality statements has been")
    assert boxed[1:] == [
        "Statement 1: children can name a trusted adult.",
        "Statement 2: children can name a trusted adult.",
    ]


def test_measures_give_numerator_denominator_and_data_source(framework):
    paragraphs = texts(framework)
    assert "Proportion of children who can name a trusted adult." in paragraphs
    outcome = next(
        t for t in framework.tables if t.rows[0].cells[1].text == "Respondents who name one"
    )
    assert [[c.text for c in r.cells] for r in outcome.rows] == [
        ["Numerator", "Respondents who name one"],
        ["Denominator", "Respondents who answer"],
        ["Data source", "Pupil wellbeing survey"],
    ]
    # A measure with nothing to count in a table gets no empty table.
    assert "Evidence of training." in paragraphs
    # A missing type of measure is named, never passed over in silence.
    assert "Not yet defined: process measure." in paragraphs
    assert "Not yet defined: structure, process and outcome measures." in paragraphs


def test_audiences_and_definitions_are_labelled(framework):
    paragraphs = texts(framework)
    assert "Police\nOfficers reinforce the message." in paragraphs
    assert "Children and young people\nYou should have a grown-up you trust." in paragraphs
    assert "Trusted adult\nAn adult the child chooses and feels safe with." in paragraphs


def test_consensus_is_shown_for_everyone_and_each_group(framework):
    table = next(t for t in framework.tables if t.rows[0].cells[0].text == "Group")
    cells = [[c.text for c in r.cells] for r in table.rows]
    assert cells == [
        ["Group", "Raters", "Median", "7–9", "1–3", "Verdict"],
        ["Everyone", "9", "8", "88%", "11%", "Consensus in"],
        ["Children 8–12", "4", "8.5", "100%", "0%", "Consensus in"],
        ["Parents and carers", "5", "8", "80%", "20%", "No consensus"],
    ]
    paragraphs = texts(framework)
    assert any(
        p.startswith(
            "Across groups: Groups differ: 1 consensus in, 1 no consensus (groups with at "
            "least 3 raters)."
        )
        for p in paragraphs
    )
    assert "Not yet rated in a closed consensus round." in paragraphs


def test_versions_show_how_the_wording_changed(framework):
    table = next(t for t in framework.tables if t.rows[0].cells[0].text == "Version")
    assert [[c.text for c in r.cells] for r in table.rows][1:] == [
        ["1", "Thursday 12 November 2026", "First wording."],
        ["2", "Tuesday 1 December 2026", "Second wording."],
    ]


def test_traceability_quotes_themes_and_notes_with_sessions_and_groups(framework):
    paragraphs = texts(framework)
    appendix = paragraphs[paragraphs.index("Appendix A: traceability") :]
    assert "Theme: Telling a trusted adult" in appendix
    assert "Children's workshop, Saturday 12 September 2026 · Children 8–12" in appendix
    assert "I would tell my mum  (Children 8–12)" in appendix
    assert (
        "Left out of this theme and counted, never quoted: 1 note hidden by the facilitator."
        in appendix
    )
    assert (
        "Joint workshop · Children 8–12, Parents and carers · since taken off its board" in appendix
    )
    assert "ring [removed] for help  (Parents and carers)" in appendix
    assert "a note on its own  (Practitioners, Practitioners' workshop)" in appendix
    assert (
        "Left out of the notes linked on their own and counted, never quoted: 1 note hidden "
        "by the facilitator." in appendix
    )
    assert "No themes or notes are linked to this statement yet." in appendix


def test_each_statement_says_where_it_came_from(framework):
    assert (
        "Drawn from 2 themes and 1 note linked on its own, from 3 workshops: Children's "
        "workshop; Joint workshop; Practitioners' workshop. Stakeholder groups: Children "
        "8–12, Parents and carers, Practitioners. Appendix A quotes them (statement 1)."
    ) in texts(framework)


def test_a_project_without_standards_still_makes_a_framework(tmp_path):
    empty = replace(_report(), standards=(), sessions=())
    doc = open_docx(write_framework(empty, tmp_path / "f.docx"))
    assert "The project has no quality statements yet." in texts(doc)
    assert "No workshop has been held yet." in texts(doc)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("framework")
    (pdf,) = to_pdf(write_framework(_report(), folder / "framework.docx"))
    return pdf


def test_the_framework_renders_on_a4_with_each_statement_on_a_new_page(rendered):
    info = pdf_info(rendered)
    assert info.is_a4 and info.pages > 4
    pages = pdf_pages(rendered)
    starts = [
        n
        for n, page in enumerate(pages, start=1)
        if "Quality statement 1: A trusted adult to tell (Agreed)\n" in page
    ]
    assert starts, "statement 1 has a page of its own"
    page = pages[starts[-1] - 1]
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    assert lines[0] == "DRAFT FOR CONSULTATION", "the draft's mark at the top of every page"
    assert lines[1] == "Quality statement 1: A trusted adult to tell (Agreed)"
    assert f"Page {starts[-1]} of {info.pages}" in page


def test_the_methods_say_percentages_are_rounded_down(framework):
    from workshop_app.core.shares import ROUNDING_METHOD

    assert ROUNDING_METHOD in texts(framework)


# ---------------------------------------------------------------- status, drafts, agreement


def _key_values(doc) -> dict[str, str]:
    """The front page's table of labels and values."""
    table = doc.tables[0]
    return {r.cells[0].text: r.cells[1].text for r in table.rows}


def _agreed(report: FrameworkReport) -> FrameworkReport:
    """Every statement rated on its current wording and agreed."""
    first = report.standards[0]
    return replace(report, standards=(first,))


def test_a_framework_not_all_agreed_is_titled_and_watermarked_a_draft(framework):
    assert [p.text for p in framework.paragraphs[:2]] == [
        "Safer Online Together",
        "Quality standards framework: draft for consultation",
    ]
    assert framework.paragraphs[2].text.startswith(
        "Draft for consultation: 1 of 2 quality statements has been agreed"
    )
    header = framework.sections[0].header
    assert [p.text for p in header.paragraphs] == ["DRAFT FOR CONSULTATION"]
    assert 'string="Draft for consultation"' in header._element.xml
    assert framework.core_properties.subject == (
        "Quality standards framework: draft for consultation"
    )


def test_a_framework_with_every_statement_agreed_carries_no_draft_mark(tmp_path):
    doc = open_docx(write_framework(_agreed(_report()), tmp_path / "f.docx"))
    assert doc.paragraphs[1].text == "Quality standards framework"
    assert not "".join(p.text for p in doc.sections[0].header.paragraphs)
    assert "Draft" not in "\n".join(texts(doc))


def test_each_statement_carries_its_status_in_the_list_its_heading_and_the_front_page(
    framework,
):
    assert _key_values(framework)["Status"] == "Draft for consultation: 1 of 2 statements agreed"
    front = framework.tables[1]
    assert [[c.text for c in r.cells] for r in front.rows] == [
        ["#", "Quality statement", "Status", "By stakeholder group"],
        [
            "1",
            "A trusted adult to tell",
            "Agreed: consensus in overall, round 1",
            "Children 8–12: Consensus in; Parents and carers: No consensus",
        ],
        ["2", "Responding without blame", "Not yet rated", "–"],
    ]
    listed = next(t for t in framework.tables if t.rows[0].cells[-1].text == "Status")
    assert [r.cells[3].text for r in listed.rows[1:]] == [
        "Agreed: consensus in overall, round 1",
        "Not yet rated",
    ]
    paragraphs = texts(framework)
    assert "Quality statement 1: A trusted adult to tell (Agreed)" in paragraphs
    assert (
        "Status: Agreed · round 1: consensus in (9 raters) overall; Groups differ: 1 "
        "consensus in, 1 no consensus" in paragraphs
    )
    assert (
        "By stakeholder group (round 1): Children 8–12: Consensus in; Parents and carers: "
        "No consensus" in paragraphs
    )


def test_a_statement_rated_then_reworded_is_not_agreed(tmp_path):
    report = _report()
    reworded = replace(report.standards[0], version=3)
    reworded = replace(reworded, status=statement_status(reworded.consensus, 3))
    doc = open_docx(write_framework(replace(report, standards=(reworded,)), tmp_path / "f.docx"))
    assert "Quality statement 1: A trusted adult to tell (Reworded, not yet rated)" in texts(doc)
    assert doc.paragraphs[1].text.endswith("draft for consultation")


def test_the_agreed_framework_sets_out_agreed_statements_and_lists_the_rest_in_an_annex(
    tmp_path,
):
    report = _report()
    agreed = replace(
        report, standards=report.standards[:1], annex=report.standards[1:], agreed_only=True
    )
    doc = open_docx(write_framework(agreed, tmp_path / "agreed.docx"))
    top = [text for level, text in headings(doc) if level == 1]
    assert "Quality statement 1: A trusted adult to tell (Agreed)" in top
    assert not any(t.startswith("Quality statement 2") for t in top)
    assert top[-2:] == ["Annex: statements not agreed", "Appendix B: methods"]
    annex = [t for t in doc.tables if t.rows[0].cells[0].text == "#"][-1]  # the last one
    assert [c.text for c in annex.rows[1].cells][:3] == [
        "2",
        "Responding without blame\nStatement 2: children can name a trusted adult.",
        "Not yet rated",
    ]
    assert doc.paragraphs[1].text == "Agreed quality standards framework"
    assert _key_values(doc)["Status"] == (
        "Agreed framework: 1 of 2 statements agreed; this document sets out the 1 agreed and "
        "lists the other 1 in the annex"
    )


def test_the_front_page_gives_status_version_scope_review_date_and_audiences(tmp_path):
    report = replace(
        _report(),
        group_names=("Children 8–12", "Parents and carers", "Practitioners"),
        audience_names=("Commissioners", "Police", "Children and young people"),
        review_date=date(2027, 11, 21),
        review_basis="12 months after the last consensus round, 21 November 2026; the "
        "project's review interval",
    )
    values = _key_values(open_docx(write_framework(report, tmp_path / "f.docx")))
    assert values["Version"] == "After consensus round 1; statement wordings at version 1–2"
    assert values["Scope"] == (
        "2 quality statements for services in Riverside, developed with Children 8–12, "
        "Parents and carers and Practitioners in 1 workshop (12\u00a0Sep\u00a02026)"
    )
    assert values["Review date"] == (
        "Sunday 21 November 2027 (12 months after the last consensus round, 21 November "
        "2026; the project's review interval)"
    )
    assert values["For"] == (
        "Police and Children and young people (not yet written for: Commissioners)"
    )


def test_each_statement_gives_its_evidence_and_equality_considerations(tmp_path):
    report = replace(
        _report(), group_names=("Children 8–12", "Parents and carers", "Practitioners")
    )
    first = replace(report.standards[0], references=("NICE NG76: Child abuse and neglect",))
    doc = open_docx(
        write_framework(
            replace(report, standards=(first, report.standards[1])), tmp_path / "f.docx"
        )
    )
    paragraphs = texts(doc)
    assert "NICE NG76: Child abuse and neglect" in paragraphs
    assert "No external guidance or evidence is referenced for this statement yet." in paragraphs
    sessions = next(t for t in doc.tables if t.rows[0].cells[0].text == "Workshop")
    assert [[c.text for c in r.cells] for r in sessions.rows[1:]] == [
        ["Children's workshop", "Saturday 12 September 2026"],
        ["Joint workshop", "Not set"],
        ["Practitioners' workshop", "Not set"],
    ]
    assert (
        "Its sources hold notes from Children 8–12, Parents and carers and Practitioners "
        "(every stakeholder group)." in paragraphs
    )
    assert (
        "Stakeholder groups differed in round 1: Children 8–12: Consensus in; Parents and "
        "carers: No consensus." in paragraphs
    )
    assert "Not yet written for: Commissioners." not in paragraphs  # no audience list given


def test_an_unfinished_privacy_review_is_said_on_the_first_page(tmp_path):
    from workshop_app.core.report import PrivacyReview

    review = PrivacyReview(
        "the notes of every session",
        removed=1,
        unreviewed=2,
        kinds_reviewed=(("Postcode", 1),),
        kinds_unreviewed=(("Email address", 1), ("Phone number", 1)),
    )
    (pdf,) = to_pdf(
        write_framework(replace(_report(), privacy=review), tmp_path / "framework.docx")
    )
    first = " ".join(pdf_pages(pdf)[0].split())
    assert (
        "Privacy review not finished: 2 suspected personal details in the notes of every "
        "session (1 email address, 1 phone number) were not reviewed before this export"
    ) in first
    every = " ".join(" ".join(pdf_pages(pdf)).split())
    assert (
        "Before this export the facilitator reviewed 1 suspected personal detail in the notes "
        "of every session (1 postcode): 1 removed from exports, shown as [removed], and 0 kept "
        "as written. "
        "2 suspected personal details (1 email address, 1 phone number) were not reviewed and "
        "are exported as written."
    ) in every


def test_what_the_framework_says_about_itself_is_counted_from_the_report(framework):
    paragraphs = texts(framework)
    assert (
        "The 2 quality statements were drafted from what stakeholder groups said in 1 "
        "workshop, then rated in 1 consensus round. 0 of 2 have a structure, a process and "
        "an outcome measure; each statement names any type not yet defined." in paragraphs
    )
    front = next(p for p in paragraphs if "can be traced back" in p)
    assert front.startswith(
        "1 of the 2 quality statements set out here can be traced back to what Children "
        "8–12, Parents and carers and Practitioners said"
    ), "statement 2 has no sources, so not 'every'"


def test_before_any_round_the_framework_says_none_was_rated(tmp_path):
    report = _report()
    unrated = tuple(
        replace(s, consensus=(), status=statement_status((), s.version)) for s in report.standards
    )
    doc = open_docx(write_framework(replace(report, standards=unrated), tmp_path / "f.docx"))
    paragraphs = texts(doc)
    assert any(
        p.endswith(
            "in 1 workshop; none has been rated in a closed consensus round yet. 0 of 2 "
            "have a structure, a process and an outcome measure; each statement names any "
            "type not yet defined."
        )
        for p in paragraphs
    )
    assert _key_values(doc)["Version"].startswith("Before any consensus round")
    assert _key_values(doc)["Consensus rounds"] == "None closed yet"
