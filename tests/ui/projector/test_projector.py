"""The projector window draws only what the room may see, as plain text, and blanks at once."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from tests.ui.conftest import settle
from workshop_app.core.model import ActivityKind, ActivityState
from workshop_app.infra.paths import shipped_plans_dir
from workshop_app.services import live, moderation, sessions
from workshop_app.services import participation as svc
from workshop_app.services.plans import load_plan
from workshop_app.services.sessions import SessionDetails


def _live_brainstorm(window):
    plan = load_plan(shipped_plans_dir() / "prep-parents-carers.toml")
    s = sessions.create_session(window.project, SessionDetails("Evening"), plan)
    settle()
    window.select_session(s.id)
    window.show_live()
    assert window.go_live("127.0.0.1")
    b = next(
        a
        for a in sessions.list_activities(window.project, s.id)
        if a.kind is ActivityKind.BRAINSTORM
    )
    live.set_activity_state(window.project, b.id, ActivityState.OPEN)
    who = svc.join(window.project, s.id, None).result()
    settle()
    return s, b, who


def test_the_projector_follows_the_wall_and_never_shows_hidden_notes(window, qtbot):
    _s, b, who = _live_brainstorm(window)
    projector = window.show_projector()
    qtbot.addWidget(projector)
    shown = svc.post_note(window.project, who.id, b.id, "<b>Apps</b> change fast", "key-pw-01")
    hidden = svc.post_note(window.project, who.id, b.id, "my name is Sam", "key-pw-02")
    moderation.hide(window.project, hidden.result().body["note"]["id"])
    shown.result()
    settle()
    texts = projector.shown_texts()
    assert "<b>Apps</b> change fast" in texts
    assert not any("Sam" in t for t in texts)
    assert projector.cards.shown_texts() == ["<b>Apps</b> change fast"]  # drawn with drawText
    rich = [
        w for w in projector.findChildren(QLabel) if w.textFormat() is not Qt.TextFormat.PlainText
    ]
    assert rich == [], "no label on the projector may guess rich text"
    assert projector.shows_qr(), "the join QR code is up while live"


def test_the_blank_key_blanks_the_projector_at_once(window, qtbot):
    _live_brainstorm(window)
    projector = window.show_projector()
    qtbot.addWidget(projector)
    assert projector.shown_texts()
    projector.blank_action.trigger()
    assert projector.is_blank and projector.shown_texts() == []
    projector.blank_action.trigger()
    assert not projector.is_blank


LONG = (
    "Schools should tell parents the same day when something happens online, and explain "
    "what they are doing about it in words that everyone can understand"
)


def test_long_notes_are_never_cut_off_at_projector_size(qtbot):
    from PySide6.QtCore import QRect, QSize

    from workshop_app.ui.projector.card_wall import WRAP, CardWall

    wall = CardWall()
    qtbot.addWidget(wall)
    wall.resize(QSize(900, 520))  # the card area of a 1280x720 projector
    notes = [f"{i}. {LONG if i % 2 else 'Short one'}" for i in range(16)]
    wall.set_texts(notes)
    font = wall.font()
    font.setPointSize(wall.fit.points)
    from PySide6.QtGui import QFontMetrics

    metrics = QFontMetrics(font)
    area = QRect(0, 0, wall.width(), wall.height())
    assert wall.shown_texts(), "something is on the wall"
    for card in wall.fit.cards:
        needed = metrics.boundingRect(QRect(0, 0, card.text_rect.width(), 100_000), WRAP, card.text)
        assert needed.height() <= card.text_rect.height(), f"cut off: {card.text[:20]}"
        assert area.contains(card.rect), "every card is inside the wall"
    for a in wall.fit.cards:
        for b in wall.fit.cards:
            assert a is b or not a.rect.intersects(b.rect), "cards never overlap"
    # What is not shown is the oldest, and the wall says how many.
    shown = wall.shown_texts()
    assert shown == notes[len(notes) - len(shown) :]
    assert wall.left_out == len(notes) - len(shown)


def test_few_notes_get_large_type_and_many_get_smaller(qtbot):
    from PySide6.QtCore import QSize

    from workshop_app.ui.projector.card_wall import CardWall

    wall = CardWall()
    qtbot.addWidget(wall)
    wall.resize(QSize(900, 520))
    wall.set_texts(["Apps change fast", "Trusted adults"])
    few = wall.fit.points
    wall.set_texts([f"{i}. {LONG}" for i in range(12)])
    assert wall.fit.points < few
    wall.set_texts([f"{i}. {LONG}" for i in range(40)])
    assert wall.left_out >= 40 - 24, "at most 24 cards are ever considered"
    assert wall.shown_texts()[-1].startswith("39."), "the newest note is always on the wall"


def test_a_burst_of_phone_notes_redraws_the_projector_once(window, qtbot):
    _s, b, who = _live_brainstorm(window)
    projector = window.show_projector()
    qtbot.addWidget(projector)
    draws: list[int] = []
    original = projector.show_view

    def counting(view, url=""):
        draws.append(len(view.notes) + view.earlier_notes)
        original(view, url)

    projector.show_view = counting
    futures = [
        svc.post_note(window.project, who.id, b.id, f"idea {i}", f"key-burst-{i:02d}")
        for i in range(30)
    ]
    for f in futures:
        f.result()
    qtbot.waitUntil(lambda: bool(draws) and draws[-1] == 30, timeout=2000)
    assert len(draws) <= 3, f"{len(draws)} redraws for one burst"


def _vote_in_children_session(window):
    from workshop_app.core.ids import new_id, utc_now
    from workshop_app.core.model import GroupKind, Theme
    from workshop_app.services import groups
    from workshop_app.storage import contributions

    child = next(g for g in groups.list_groups(window.project) if g.kind is GroupKind.CHILD)
    plan = load_plan(shipped_plans_dir() / "prep-children-8-12.toml")
    details = SessionDetails("Club", group_ids=(child.id,))
    s = sessions.create_session(window.project, details, plan)
    settle()
    window.select_session(s.id)
    window.show_live()
    assert window.go_live("127.0.0.1")
    acts = sessions.list_activities(window.project, s.id)
    cluster = next(a for a in acts if a.kind is ActivityKind.CLUSTER)
    vote = next(a for a in acts if a.kind is ActivityKind.VOTE)
    ids = []

    def add(tx):
        for i, name in enumerate(("Strangers online", "Telling someone", "Games")):
            t = Theme(new_id(), cluster.id, name, "#ffcc00", i, (), utc_now())
            contributions.insert_theme(tx.db, t)
            ids.append(t.id)

    window.project.store.write_now(add)
    live.show_activity(window.project, vote.id)
    live.set_activity_state(window.project, vote.id, ActivityState.OPEN)
    settle()
    return s, vote, ids


def _no_overlap(projector) -> None:
    from PySide6.QtCore import QRect

    layout = projector.page.layout_now
    page = QRect(0, 0, projector.page.width(), projector.page.height())
    boxes = [p.rect for p in layout.texts if p.text] + list(layout.bars)
    boxes += [r for r in (layout.qr, layout.cards) if r is not None]
    for box in boxes:
        assert page.contains(box), f"{box} leaves the page {page}"
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.intersects(b), f"{a} overlaps {b}"


def test_the_room_sees_what_it_votes_on_and_then_tied_places(window, qtbot):
    s, vote, ids = _vote_in_children_session(window)
    projector = window.show_projector()
    qtbot.addWidget(projector)
    settle()
    texts = projector.shown_texts()
    for choice in ("Strangers online", "Telling someone", "Games"):
        assert choice in texts, "the choices are on screen while voting is open"
    assert any("tap +" in t for t in texts), "children are told how to vote"
    who = [svc.join(window.project, s.id, None).result() for _ in range(2)]
    svc.cast_votes(window.project, who[0].id, vote.id, {ids[0]: 1}, "key-pv-1").result()
    svc.cast_votes(window.project, who[1].id, vote.id, {ids[1]: 1}, "key-pv-2").result()
    settle()
    assert not any(t.isdigit() for t in projector.shown_texts()), "no counts while voting"
    live.set_activity_state(window.project, vote.id, ActivityState.CLOSED)
    settle()
    closed = projector.shown_texts()
    assert "Strangers online" not in closed and any("Voting has closed" in t for t in closed)
    live.set_activity_state(window.project, vote.id, ActivityState.REVEALED)
    settle()
    texts = projector.shown_texts()
    assert texts.count("1.") == 2 and "3." in texts and "2." not in texts
    assert "Equal totals share a place." in texts
    _no_overlap(projector)


def test_nothing_overlaps_in_a_small_projector_window(window, qtbot):
    _vote_in_children_session(window)
    projector = window.show_projector()
    qtbot.addWidget(projector)
    for width, height in ((1280, 720), (800, 450), (480, 300)):
        projector.showNormal()
        projector.resize(width, height)
        settle()
        assert projector.shown_texts()
        _no_overlap(projector)


def test_an_ended_session_thanks_the_room_and_shows_no_code_or_clock(window, qtbot):
    _live_brainstorm(window)
    projector = window.show_projector()
    qtbot.addWidget(projector)
    projector.set_clock("4:00")
    window.end_live()
    settle()
    texts = projector.shown_texts()
    assert texts[0] == "This session has ended — thank you"
    assert not projector.shows_qr() and "4:00" not in texts
