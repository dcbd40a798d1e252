"""The survey's phone page and its endpoints (`/survey`, `/api/survey`) on the real app over
a real project file: what the page shows (children's words, faces with words, the note on
written answers), what is stored, retries, garbage and the closed survey."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.web.conftest import Client, join, key
from workshop_app.core.model import ActivityKind, ActivityState, GroupKind, ModerationMode
from workshop_app.core.survey import QuestionFields, QuestionKind
from workshop_app.services import groups, live, sessions, survey
from workshop_app.services.project import OpenProject
from workshop_app.services.sessions import ActivityFields, SessionDetails


@dataclass
class Room:
    p: OpenProject
    token: str
    activity: str
    smiley: str
    agree: str
    text: str

    def rows(self, table: str) -> int:
        return int(self.p.store.reader().execute(f"SELECT count(*) FROM {table}").fetchone()[0])


@pytest.fixture
def room(project: OpenProject) -> Room:
    s = sessions.create_session(
        project, SessionDetails("Youth panel", moderation=ModerationMode.APPROVE_FIRST)
    )
    a = sessions.add_activity(project, s.id, ActivityFields(ActivityKind.SURVEY, "Your say"))
    q1 = survey.add_question(
        project, a.id, QuestionFields(QuestionKind.SMILEY, "How did the day feel?", required=True)
    )
    q2 = survey.add_question(
        project,
        a.id,
        QuestionFields(QuestionKind.AGREE, "Adults listened to us.", "The grown-ups listened."),
    )
    q3 = survey.add_question(project, a.id, QuestionFields(QuestionKind.TEXT, "<b>What</b> next?"))
    live.go_live(project, s.id)
    live.set_activity_state(project, a.id, ActivityState.OPEN)
    token = sessions.get_session(project, s.id).join_token
    return Room(project, token, a.id, q1.id, q2.id, q3.id)


def child_group(p: OpenProject) -> str:
    return next(g.id for g in groups.list_groups(p) if g.kind is GroupKind.CHILD)


async def test_the_page_asks_each_question_with_words_beside_every_face(
    client: Client, room: Room
) -> None:
    await join(client, room.token)
    html = await (await client.get(f"/j/{room.token}")).text()
    assert 'class="survey-form"' in html and f'action="/j/{room.token}/survey"' in html
    for words in ("Really unhappy", "Really happy", "Strongly disagree", "Adults listened to us."):
        assert words in html
    assert 'alt=""' in html  # the face pictures are decoration: their words are the label
    assert "&lt;b&gt;What&lt;/b&gt; next?" in html  # the panel's text is plain text
    assert "written answers are not shown on the screen" in html
    assert "(needs an answer)" in html


async def test_children_read_the_childrens_wording_and_words(client: Client, room: Room) -> None:
    await join(client, room.token, child_group(room.p))
    html = await (await client.get(f"/j/{room.token}")).text()
    assert "The grown-ups listened." in html and "Adults listened to us." not in html
    assert "I really agree" in html
    assert "A grown-up reads every answer. It does not go on the big screen." in html


async def test_a_form_without_script_stores_the_answers_and_confirms(
    client: Client, room: Room
) -> None:
    await join(client, room.token)
    resp = await client.post(
        f"/j/{room.token}/survey",
        data={
            "key": key(),
            "activity": room.activity,
            f"answer.{room.smiley}": "4",
            f"answer.{room.text}": "More music",
        },
        allow_redirects=False,
    )
    assert resp.status == 303, await resp.text()
    assert resp.headers["Location"] == f"/j/{room.token}?done=survey&a={room.activity}"
    page = await (await client.get(resp.headers["Location"])).text()
    assert "Your answers were received." in page
    assert "More music</textarea>" in page and 'value="4" checked' in page
    assert room.rows("survey_answers") == 2 and room.rows("notes") == 1
    status = room.p.store.reader().execute("SELECT status FROM notes").fetchone()[0]
    assert status == "pending"  # the session asks the facilitator to read first


async def test_the_json_api_stores_answers_once_per_key(client: Client, room: Room) -> None:
    await join(client, room.token)
    body = {"activity": room.activity, "answers": {room.smiley: 2, room.agree: 5}, "key": key()}
    first = await client.post(f"/j/{room.token}/api/survey", json=body)
    assert first.status == 200, await first.text()
    assert (await first.json())["ok"] is True
    again = await client.post(f"/j/{room.token}/api/survey", json=body)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert room.rows("survey_answers") == 2


@pytest.mark.parametrize(
    ("answers", "status", "message"),
    [
        ({"SMILEY": 9}, 422, "choose one of the 5 answers"),
        ({"AGREE": 1}, 422, "Question 1 needs an answer"),
        ({"SMILEY": 1, "TEXT": 12}, 422, "must be text"),
        ({"SMILEY": 1, "gone": 1}, 404, "reload the page"),
        (["SMILEY", 1], 422, "mapping"),
        ({"SMILEY": 1, "TEXT": "x" * 501}, 422, "the limit is 500"),
    ],
)
async def test_garbage_is_refused_in_plain_words_and_stores_nothing(
    client: Client, room: Room, answers: object, status: int, message: str
) -> None:
    await join(client, room.token)
    ids = {"SMILEY": room.smiley, "AGREE": room.agree, "TEXT": room.text}
    if isinstance(answers, dict):
        answers = {ids.get(k, k): v for k, v in answers.items()}
    resp = await client.post(
        f"/j/{room.token}/api/survey",
        json={"activity": room.activity, "answers": answers, "key": key()},
    )
    assert resp.status == status
    assert message in (await resp.json())["error"]
    assert room.rows("survey_answers") == 0 and room.rows("notes") == 0


async def test_unknown_fields_and_strangers_are_refused(client: Client, room: Room) -> None:
    resp = await client.post(
        f"/j/{room.token}/api/survey",
        json={"activity": room.activity, "answers": {room.smiley: 1}, "key": key()},
    )
    assert resp.status == 403
    await join(client, room.token)
    resp = await client.post(
        f"/j/{room.token}/api/survey",
        json={"activity": room.activity, "answers": {}, "key": key(), "name": "Sam"},
    )
    assert resp.status == 400 and "Unknown field: name" in (await resp.json())["error"]


async def test_a_closed_survey_shows_the_answers_but_takes_no_more(
    client: Client, room: Room
) -> None:
    await join(client, room.token)
    await client.post(
        f"/j/{room.token}/api/survey",
        json={"activity": room.activity, "answers": {room.smiley: 3}, "key": key()},
    )
    live.set_activity_state(room.p, room.activity, ActivityState.CLOSED)
    html = await (await client.get(f"/j/{room.token}")).text()
    assert "The survey is closed. Thank you!" in html and "Send my answers" not in html
    resp = await client.post(
        f"/j/{room.token}/api/survey",
        json={"activity": room.activity, "answers": {room.smiley: 1}, "key": key()},
    )
    assert resp.status == 409 and "not taking answers" in (await resp.json())["error"]
