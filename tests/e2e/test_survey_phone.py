"""The evaluation survey on real phones: Debian's Chromium with a phone profile against the
real participant server, with and without the page's script, children's and adults'
pages, checked by axe-core at 320 and 390 px; what was stored is read from the file."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import CHILDREN, PARENTS, Live, Phones, eventually, join
from tests.e2e.test_accessibility import WIDTHS, check_page, without_script
from workshop_app.core.model import Activity, ActivityKind, ActivityState
from workshop_app.core.survey import QuestionFields, QuestionKind
from workshop_app.services import live as live_service
from workshop_app.services import sessions, survey
from workshop_app.services.sessions import ActivityFields


def add_survey(lv: Live, group: str) -> Activity:
    """A live session for `group` whose current activity is an open survey."""
    session = lv.add_session("prep-parents-carers", [group])
    lv.session = session
    a = sessions.add_activity(
        lv.project, session.id, ActivityFields(ActivityKind.SURVEY, "Tell us about today")
    )
    for fields in (
        QuestionFields(QuestionKind.SMILEY, "How did today feel?", required=True),
        QuestionFields(
            QuestionKind.AGREE, "Adults listened to what we said.", "The grown-ups listened to us."
        ),
        QuestionFields(QuestionKind.YES_NO, "Would you come again?"),
        QuestionFields(
            QuestionKind.CHOICE, "What was the best part?", options=("Games", "Talking", "Food")
        ),
        QuestionFields(QuestionKind.TEXT, "What should we change?"),
    ):
        survey.add_question(lv.project, a.id, fields)
    live_service.set_activity_state(lv.project, a.id, ActivityState.OPEN)
    return a


def answers(lv: Live, activity: Activity) -> dict[str, object]:
    r = survey.survey_results(lv.project, activity.id)
    return {
        q.question.text: (q.tally.counts if q.tally else tuple(w.text for w in q.written))
        for q in r.questions
    }


def choose(page: Page, answer: str) -> None:
    """Tap an answer as a person does: on its label (a face picture, or the words)."""
    radio = page.get_by_role("radio", name=answer, exact=True)
    page.locator("label").filter(has=radio).click()
    expect(radio).to_be_checked()


def fill_in(page: Page) -> None:
    choose(page, "Happy")
    choose(page, "Agree")
    choose(page, "Yes")
    choose(page, "Talking")
    page.get_by_label("5. What should we change?").fill("More time to talk")
    page.get_by_role("button", name="Send my answers").click()


def test_a_parent_answers_the_survey_and_can_change_the_answers(live: Live, page: Page) -> None:
    activity = add_survey(live, PARENTS)
    join(page, live.join_url())
    expect(
        page.get_by_role("group", name="1. How did today feel? (needs an answer)")
    ).to_be_visible()
    fill_in(page)
    expect(page.locator(".flash")).to_contain_text("Your answers were received.")
    got = eventually(lambda: answers(live, activity), lambda a: a["What should we change?"] != ())
    assert got == {
        "How did today feel?": (0, 0, 0, 1, 0),
        "Adults listened to what we said.": (0, 0, 0, 1, 0),
        "Would you come again?": (1, 0),
        "What was the best part?": (0, 1, 0),
        "What should we change?": ("More time to talk",),
    }
    choose(page, "Really happy")
    page.get_by_label("5. What should we change?").fill("More time to talk, and snacks")
    page.get_by_role("button", name="Send my answers").click()
    eventually(
        lambda: answers(live, activity),
        lambda a: (
            a["How did today feel?"] == (0, 0, 0, 0, 1)
            and a["What should we change?"] == ("More time to talk, and snacks",)
        ),
    )


def test_a_child_reads_their_own_words_and_sends_without_script(live: Live, phones: Phones) -> None:
    activity = add_survey(live, CHILDREN)
    page = phones.page()
    without_script(page)
    join(page, live.join_url(), CHILDREN)
    expect(page.get_by_text("The grown-ups listened to us.")).to_be_visible()
    expect(page.get_by_role("radio", name="I really agree")).to_be_visible()
    choose(page, "Really happy")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.locator(".flash")).to_contain_text("Your answers were received.")
    assert answers(live, activity)["How did today feel?"] == (0, 0, 0, 0, 1)


def test_a_required_question_left_empty_is_asked_for_before_sending(live: Live, page: Page) -> None:
    activity = add_survey(live, PARENTS)
    join(page, live.join_url())
    choose(page, "Yes")
    page.get_by_role("button", name="Send my answers").click()
    # the browser asks for the required face; nothing reaches the laptop
    expect(page.locator(".flash")).to_have_count(0)
    assert answers(live, activity)["Would you come again?"] == (0, 0)


@pytest.mark.parametrize(
    ("group", "script"),
    [(PARENTS, True), (CHILDREN, True), (CHILDREN, False)],
    ids=["adults", "children", "children without script"],
)
def test_the_survey_page_has_no_serious_accessibility_problems(
    live: Live, phones: Phones, group: str, script: bool
) -> None:
    add_survey(live, group)
    page = phones.context(bypass_csp=True, viewport={"width": WIDTHS[0], "height": 700}).new_page()
    if not script:
        without_script(page)
    join(page, live.join_url(), group)
    choose(page, "Happy")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 700})
        check_page(page, f"survey ({group}, script {script}) at {width} px")
