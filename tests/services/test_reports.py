"""The Word exports from real project files (services/reports.py): what reaches a document
and what never does, read back from the .docx, and the demo project rendered by
LibreOffice."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from tests.export.docx_pdf import (
    every_part,
    headings,
    open_docx,
    pdf_info,
    pdf_pages,
    texts,
    to_pdf,
)
from workshop_app.core.cells import method_text
from workshop_app.core.errors import HeldNoteError, NotFoundError
from workshop_app.core.model import (
    ActivityKind,
    ActivitySettings,
    ActivityState,
    GroupKind,
    NoteStatus,
    Participant,
    VoteTarget,
)
from workshop_app.core.scales import IMPORTANCE, SMILEY_ASSUMPTION
from workshop_app.services import board, groups, live, moderation, privacy, reports, sessions
from workshop_app.services import participation as phones
from workshop_app.services import standards as standard_service
from workshop_app.services.demo import write_demo
from workshop_app.services.project import OpenProject, open_project
from workshop_app.services.sessions import ActivityFields, SessionDetails

TODAY = date(2027, 2, 1)
PHONE = "07700 900123"
_keys = iter(range(10**9))


def _key() -> str:
    return f"reports-{next(_keys):08d}"


@dataclass
class Held:
    """A session that has been held: notes in every state, a theme, a vote, a round."""

    p: OpenProject
    session_id: str
    brainstorm_id: str
    vote_id: str
    rate_id: str
    standard_id: str
    notes: dict[str, str]  # name -> note id
    texts: dict[str, str]  # name -> text as posted
    people: list[Participant]


def _participant_ids(path: Path) -> list[str]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return [r[0] for r in db.execute("SELECT id FROM participants")]


def _join_tokens(path: Path) -> list[str]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return [r[0] for r in db.execute("SELECT join_token FROM sessions")]


@pytest.fixture
def held(project) -> Held:
    p: OpenProject = project
    by_kind = {g.kind: g.id for g in reversed(groups.list_groups(p))}
    child, parent = by_kind[GroupKind.CHILD], by_kind[GroupKind.PARENT]
    s = sessions.create_session(
        p, SessionDetails("Evening workshop", venue="Library", group_ids=(child, parent))
    )

    def add(kind: ActivityKind, title: str, **settings: object) -> str:
        fields = ActivityFields(
            kind, title, prompt=f"Prompt of {title}", settings=ActivitySettings(**settings)
        )
        return sessions.add_activity(p, s.id, fields).id

    brainstorm = add(ActivityKind.BRAINSTORM, "What matters")
    vote = add(ActivityKind.VOTE, "Priorities", vote_on=VoteTarget.NOTES, vote_budget=2)
    rate = add(ActivityKind.RATE, "Rate the statements", consensus_round=True)
    standard = standard_service.create_standard(
        p, standard_service.StandardFields("Someone to tell", "Children can name an adult.")
    )
    live.go_live(p, s.id)
    live.set_activity_state(p, brainstorm, ActivityState.OPEN)
    a = phones.join(p, s.id, child).result(5)
    b = phones.join(p, s.id, parent).result(5)
    c = phones.join(p, s.id, None).result(5)
    posted = {
        "strangers": (a, "games where strangers talk to you"),
        "phone": (b, f"ring me on {PHONE} if you can help"),
        "private": (a, "something private about my cousin"),
        "taken back": (b, "I take this back"),
        "waiting": (c, "still waiting for approval"),
        "markup": (c, 'a <b>bold</b> & "quoted" note\non two lines'),
    }
    ids = {
        name: phones.post_note(p, who.id, brainstorm, text, _key()).result(5).body["note"]["id"]
        for name, (who, text) in posted.items()
    }
    # A session with children waits for approval: approve all but one.
    assert _status(p, brainstorm, ids["waiting"]) is NoteStatus.PENDING
    for name in ("strangers", "private", "taken back", "markup"):
        moderation.approve(p, ids[name])
    # The phone number was held back on arrival: the facilitator releases it on its own.
    with pytest.raises(HeldNoteError):
        moderation.approve(p, ids["phone"])
    moderation.release(p, ids["phone"])
    moderation.hide(p, ids["private"])
    phones.withdraw_note(p, b.id, ids["taken back"], _key()).result(5)
    privacy.decide(p, ids["phone"], PHONE, "phone", "remove")
    board.create_theme(p, s.id, "Strangers", note_ids=[ids["strangers"], ids["phone"]])
    phones.request_help(p, a.id, "please can I talk to someone about my cousin", _key()).result(5)

    live.set_activity_state(p, vote, ActivityState.OPEN)
    phones.cast_votes(p, a.id, vote, {ids["phone"]: 2}, _key()).result(5)
    phones.cast_votes(p, b.id, vote, {ids["strangers"]: 1, ids["phone"]: 1}, _key()).result(5)
    live.set_activity_state(p, vote, ActivityState.CLOSED)

    live.set_activity_state(p, rate, ActivityState.OPEN)
    for who, value in ((a, 5), (b, 8), (c, 9)):
        phones.rate(p, who.id, rate, {standard.id: value}, _key()).result(5)
    live.end_session(p, s.id)
    standard_service.link_sources(
        p,
        standard.id,
        theme_ids=[board.board(p, s.id).themes[0].id],
        note_ids=[ids["markup"], ids["private"]],
    )
    return Held(
        p,
        s.id,
        brainstorm,
        vote,
        rate,
        standard.id,
        ids,
        {name: text for name, (_who, text) in posted.items()},
        [a, b, c],
    )


def _status(p: OpenProject, activity_id: str, note_id: str) -> NoteStatus:
    return next(n.status for n in moderation.list_wall(p, activity_id) if n.id == note_id)


REDACTED = "ring me on [removed] if you can help"


# ---------------------------------------------------------------- the snapshot


def test_the_snapshot_quotes_shown_notes_by_theme_and_counts_the_rest(held):
    report = reports.session_report(held.p, held.session_id, today=TODAY)
    notes = next(a for a in report.activities if a.kind is ActivityKind.BRAINSTORM)
    assert [(t.name, [n.text for n in t.notes]) for t in notes.themes] == [
        ("Strangers", [held.texts["strangers"], REDACTED])
    ]
    assert [n.text for n in notes.unthemed] == [held.texts["markup"]]
    assert [n.group for n in notes.themes[0].notes] == ["Children 8–12", "Parents and carers"]
    assert notes.unthemed[0].group == ""
    assert (notes.hidden_notes, notes.waiting_notes) == (1, 1)
    assert report.help_requests == 1
    assert [(g.name, g.participants) for g in report.groups] == [
        ("Children 8–12", 1),
        ("Parents and carers", 1),
        ("No group chosen", 1),
    ]
    assert report.generated == TODAY and report.venue == "Library"
    # six notes sent from phones, one of them taken back; none typed in from paper
    assert (report.phone_notes, report.paper_notes) == (5, 0)


def test_a_vote_on_notes_shows_their_export_texts(held):
    report = reports.session_report(held.p, held.session_id)
    vote = next(a.vote for a in report.activities if a.vote is not None)
    assert vote.ready and vote.took_part == 2 and vote.budget == 2
    assert [(r.rank, r.text, r.dots) for r in vote.rows][:2] == [
        (1, REDACTED, 3),
        (2, held.texts["strangers"], 1),
    ]
    assert vote.chart_png.startswith(b"\x89PNG")
    # one voter per group: fewer than the project's smallest shown (5), so the bars are not
    # split by group (a segment would show what one person chose) and the counts say so
    assert not vote.chart_by_group and vote.min_cell == 5
    assert [g.voters for g in vote.groups] == [1, 1]


def test_the_rating_round_reports_consensus_overall(held):
    report = reports.session_report(held.p, held.session_id)
    rating = next(a.rating for a in report.activities if a.rating is not None)
    assert rating.ready and rating.round_number == 1 and rating.raters == 3
    (statement,) = rating.statements
    assert statement.title == "Someone to tell"
    assert statement.distribution.raters == 3


def test_a_vote_still_open_is_not_reported(project):
    p = project
    s = sessions.create_session(p, SessionDetails("Live now"))
    vote = sessions.add_activity(p, s.id, ActivityFields(ActivityKind.VOTE, "Open vote"))
    live.go_live(p, s.id)
    live.set_activity_state(p, vote.id, ActivityState.OPEN)
    report = reports.session_report(p, s.id)
    (activity,) = report.activities
    assert activity.vote is not None and not activity.vote.ready and activity.vote.rows == ()


def test_a_deleted_or_unknown_session_cannot_be_exported(project, tmp_path):
    s = sessions.create_session(project, SessionDetails("Gone"))
    sessions.delete_session(project, s.id)
    with pytest.raises(NotFoundError):
        reports.write_session_summary(project, s.id, tmp_path / "s.docx")
    assert not (tmp_path / "s.docx").exists()


# ---------------------------------------------------------------- the documents


def test_the_summary_holds_every_shown_note_and_nothing_that_must_stay_out(held, tmp_path):
    path = reports.write_session_summary(held.p, held.session_id, tmp_path / "s.docx")
    doc = open_docx(path)
    paragraphs = texts(doc)
    assert f"{held.texts['strangers']}  (Children 8–12)" in paragraphs
    assert f"{REDACTED}  (Parents and carers)" in paragraphs
    assert held.texts["markup"] in paragraphs
    xml = every_part(path)
    for gone in (PHONE, "something private", "I take this back", "still waiting", "my cousin"):
        assert gone not in xml
    for secret in (
        _participant_ids(held.p.path) + _join_tokens(held.p.path) + list(held.notes.values())
    ):
        assert secret not in xml
    assert "1 (a count only)" in [c.text for r in doc.tables[0].rows for c in r.cells]
    assert (1, "Activities") in headings(doc)


def test_the_framework_traces_each_statement_to_redacted_notes(held, tmp_path):
    path = reports.write_framework(held.p, tmp_path / "f.docx", today=TODAY)
    doc = open_docx(path)
    paragraphs = texts(doc)
    assert "Children can name an adult." in paragraphs
    appendix = paragraphs[paragraphs.index("Appendix A: traceability") :]
    assert "Theme: Strangers" in appendix
    assert f"{REDACTED}  (Parents and carers)" in appendix
    assert f"{held.texts['markup']}  (Evening workshop)" in appendix
    assert (
        "Left out of the notes linked on their own and counted, never quoted: 1 note hidden "
        "by the facilitator." in appendix
    )
    consensus = next(t for t in doc.tables if t.rows[0].cells[0].text == "Group")
    assert [c.text for c in consensus.rows[1].cells][:2] == ["Everyone", "3"]
    xml = every_part(path)
    for gone in (PHONE, "something private", "I take this back"):
        assert gone not in xml
    for secret in _participant_ids(held.p.path):
        assert secret not in xml


def test_a_round_still_open_is_left_out_of_the_framework(project, tmp_path):
    p = project
    s = sessions.create_session(p, SessionDetails("Rating now"))
    rate = sessions.add_activity(
        p,
        s.id,
        ActivityFields(ActivityKind.RATE, "Round", settings=ActivitySettings(consensus_round=True)),
    )
    standard = standard_service.create_standard(
        p, standard_service.StandardFields("A standard", "A statement.")
    )
    live.go_live(p, s.id)
    live.set_activity_state(p, rate.id, ActivityState.OPEN)
    who = phones.join(p, s.id, None).result(5)
    phones.rate(p, who.id, rate.id, {standard.id: 9}, _key()).result(5)
    report = reports.framework_report(p)
    assert report.standards[0].consensus == ()
    doc = open_docx(reports.write_framework(p, tmp_path / "f.docx"))
    assert "Not yet rated in a closed consensus round." in texts(doc)


# ---------------------------------------------------------------- the demo project


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    write_demo(folder / "demo.cground")
    with open_project(folder / "demo.cground") as p:
        yield p, folder


def test_every_shown_note_of_every_demo_session_is_in_its_summary(demo):
    p, folder = demo
    exported = privacy.export_texts(p)
    checked = 0
    for s in sessions.list_sessions(p):
        path = reports.write_session_summary(p, s.id, folder / f"{s.id}.docx", today=TODAY)
        paragraphs = "\n".join(texts(open_docx(path)))
        for a in sessions.list_activities(p, s.id):
            if a.kind is not ActivityKind.BRAINSTORM:
                continue
            for note in moderation.list_wall(p, a.id):
                assert note.status is NoteStatus.SHOWN
                assert exported[note.id] in paragraphs, note.text
                checked += 1
        xml = every_part(path)
        for secret in _participant_ids(p.path):
            assert secret not in xml
    assert checked > 100


def test_the_demo_framework_has_every_standard(demo):
    p, folder = demo
    doc = open_docx(reports.write_framework(p, folder / "framework.docx", today=TODAY))
    titles = [s.title for s in standard_service.list_standards(p)]
    top = [text for level, text in headings(doc) if level == 1]
    assert [t.rsplit(" (", 1)[0] for t in top[2 : 2 + len(titles)]] == [
        f"Quality statement {n}: {t}" for n, t in enumerate(titles, start=1)
    ]
    boxed = [p.text for p in doc.paragraphs if p.style.name == "Statement"]
    assert boxed[0].startswith("Draft for consultation: 2 of 6 quality statements have been")
    assert len(boxed) == 1 + len(titles), "the draft's notice, then each statement"


def test_both_documents_use_one_scale_and_state_the_smiley_mapping_as_an_assumption(demo):
    """Issue 13: the scale was described three ways. The demo's rounds asked importance: the
    framework and every session summary say so in the same words, never "agree"."""
    p, folder = demo
    framework = texts(open_docx(reports.write_framework(p, folder / "scale.docx", today=TODAY)))
    assert IMPORTANCE.describe() in framework
    assert SMILEY_ASSUMPTION in framework and method_text(5) in framework
    assert not [t for t in framework if "(do not agree)" in t or "9 (agree)" in t]
    for s in sessions.list_sessions(p):
        summary = texts(open_docx(reports.write_session_summary(p, s.id, folder / "s.docx")))
        assert IMPORTANCE.describe() in summary and SMILEY_ASSUMPTION in summary
        assert not [t for t in summary if "agree)" in t]


@pytest.fixture(scope="module")
def demo_pdfs(demo):
    p, folder = demo
    first = sessions.list_sessions(p)[0]
    out = folder / "rendered"
    out.mkdir()
    summary = reports.write_session_summary(p, first.id, out / "summary.docx", today=TODAY)
    framework = reports.write_framework(p, out / "framework.docx", today=TODAY)
    return first.title, to_pdf(summary, framework)


def test_the_demo_documents_render_as_a4_reports_with_page_numbers(demo_pdfs):
    _title, pdfs = demo_pdfs
    for pdf in pdfs:
        info = pdf_info(pdf)
        assert info.is_a4 and info.pages > 1
        pages = pdf_pages(pdf)
        assert len(pages) == info.pages
        assert f"Page 1 of {info.pages}" in pages[0]
        assert f"Page {info.pages} of {info.pages}" in pages[-1]


def test_the_demo_documents_read_as_written(demo_pdfs):
    title, (summary, framework) = demo_pdfs
    first = " ".join(pdf_pages(summary)[0].split())
    assert " ".join(title.split()) in first and "Contents" in first
    assert "Saturday 12 September 2026" in first
    text = " ".join(" ".join(pdf_pages(framework)).split())
    for expected in (
        "Quality standards framework",
        "Quality statement 1: A trusted adult to tell",
        "Appendix A: traceability",
        "What the quality statement means for different audiences",
    ):
        assert expected in text


def test_a_flagged_note_taken_back_stays_on_the_console_but_never_in_a_report(held, tmp_path):
    p = held.p
    taken_back = held.notes["taken back"]  # approved, then taken back by its writer
    moderation.set_flag(p, taken_back, True, "speak to the parent after the session")
    # the console keeps it in view, so the facilitator can still follow it up
    assert taken_back in {n.id for n in moderation.list_wall(p, held.brainstorm_id) if n.withdrawn}

    report = reports.session_report(p, held.session_id)
    notes = next(a for a in report.activities if a.kind is ActivityKind.BRAINSTORM)
    quoted = [n.text for t in notes.themes for n in t.notes] + [n.text for n in notes.unthemed]
    assert held.texts["taken back"] not in quoted
    assert (notes.hidden_notes, notes.waiting_notes) == (1, 1)  # not counted either
    path = reports.write_session_summary(p, held.session_id, tmp_path / "s.docx")
    assert held.texts["taken back"] not in every_part(path)


def test_a_rating_that_is_not_a_consensus_round_is_reported_unnumbered(project, tmp_path):
    p = project
    s = sessions.create_session(p, SessionDetails("Check-in"))
    rate = sessions.add_activity(p, s.id, ActivityFields(ActivityKind.RATE, "How useful?"))
    standard = standard_service.create_standard(
        p, standard_service.StandardFields("A standard", "A statement.")
    )
    live.go_live(p, s.id)
    live.set_activity_state(p, rate.id, ActivityState.OPEN)
    someone = phones.join(p, s.id, None).result(5)
    phones.rate(p, someone.id, rate.id, {standard.id: 8}, _key()).result(5)
    live.end_session(p, s.id)

    rating = next(a.rating for a in reports.session_report(p, s.id).activities if a.rating)
    assert rating.ready and rating.round_number is None and rating.raters == 1
    paragraphs = texts(open_docx(reports.write_session_summary(p, s.id, tmp_path / "s.docx")))
    assert any(t.startswith("A rating in this session (not one of") for t in paragraphs)
    assert not any("consensus rounds." in t and t.startswith("Round") for t in paragraphs)
    # and the framework, which reports the project's rounds, has none to report
    framework = texts(open_docx(reports.write_framework(p, tmp_path / "f.docx")))
    assert not any(t.startswith("Round 1") for t in framework)
