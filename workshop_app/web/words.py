"""Words on the phone pages that depend on who reads them: children's groups read "idea"
and simpler sentences, adults read "note". The templates take every such sentence from
here, and the page's script only ever shows sentences the server rendered into the page
(in `data-` attributes), so a page says the same thing with or without JavaScript."""

from __future__ import annotations


def ordinal(n: int) -> str:
    """1 -> '1st', 2 -> '2nd', 11 -> '11th', 23 -> '23rd'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def place(rank: int, joint: bool) -> str:
    """A rank as a phone shows it: '1st', or 'Joint 1st' when items share it."""
    return f"Joint {ordinal(rank)}" if joint else ordinal(rank)


def noun(child: bool) -> str:
    """What a participant writes: an idea (children) or a note (adults)."""
    return "idea" if child else "note"


# A waiting note is read by a person before anyone else sees it: never promise it screen
# time (it may be held back, and it may be a child telling us something worrying).
PENDING = {
    True: "Thank you. A grown-up reads every idea before it goes on the big screen.",
    False: "Thank you. The facilitator reads every note before it goes on the screen.",
}
SHOWN = {True: "On the big screen", False: "On the screen"}
HIDDEN = {
    True: "Thank you. A grown-up has read your idea.",
    False: "Thank you. The facilitator has read your note.",
}


def note_status(status: str, child: bool) -> str:
    """What a participant's own note says about where it is (pending, shown, hidden)."""
    if status == "shown":
        return SHOWN[child]
    if status == "pending":
        return PENDING[child]
    return HIDDEN[child]


def done(what: str, child: bool) -> str:
    """The confirmation after a submission was received ("" for an unknown one)."""
    return {
        "note": "Received. Thank you!",
        "edited": "Your change was received.",
        "withdrawn": f"Your {noun(child)} was taken back.",
        "votes": (
            "Your dots were received. You can change them until voting closes."
            if child
            else "Your votes were received. You can change them until voting closes."
        ),
        "ratings": (
            "Your answers were received. You can change them until rating closes."
            if child
            else "Your ratings were received. You can change them until rating closes."
        ),
        "assessed": (
            "Your view was received. You can change it until the self-assessment closes; "
            "the facilitator settles the team's answer with you."
        ),
        "survey": (
            "Your answers were received. Thank you! You can change them until the survey closes."
        ),
        "help": (
            "Sent. A grown-up will come and find you quietly. Only the grown-ups running "
            "today can see this. It never goes on the big screen."
            if child
            else "Sent. A facilitator will come and find you quietly. Only the facilitators "
            "can see this; it never goes on the screen."
        ),
    }.get(what, "")


def dots(n: int | str, left: bool = False) -> str:
    """'No dots', '1 dot', '3 dots' ('... left' with `left`). `n` may be '#', a place for the
    page's script to put a number in ('# dots')."""
    words = "No dots" if n == 0 else f"{n} dot" if n == 1 else f"{n} dots"
    return f"{words} left" if left else words


def rated_this(n: int, round_number: int, child: bool) -> str:
    """The line above an earlier round's answers, group by group."""
    people = "person" if n == 1 else "people"
    if child:
        return f"Last time, {n} {people} answered. Here is what each group said:"
    return f"In round {round_number}, {n} {people} rated this. Each group's answers:"


def withheld(min_cell: int, child: bool) -> str:
    """Said instead of a small group's answers (small-cell suppression, core.cells)."""
    if child:
        return f"Fewer than {min_cell} people in this group answered, so we do not show it."
    return f"Fewer than {min_cell} people in this group rated it, so their answers are not shown."


def own_previous(label: str) -> str:
    """Beside a statement in the next round, from the phone's own memory only:
    "Last time you chose 7." or "Last time you chose “Important”."."""
    return f"Last time you chose {label}."


def written_hint(child: bool) -> str:
    """Under a survey's written answer: who reads it, and that it is not put on screen."""
    if child:
        return "A grown-up reads every answer. It does not go on the big screen."
    return "The facilitator reads every answer; written answers are not shown on the screen."


# Shown gently near the top of the activity while one of the participant's notes or written
# answers there was held back as a possible disclosure (PhoneView.support). It never says
# why, nor that anything was held: only that help is there. Children read the sentences of
# their own help page (Childline first), adults the project's support information.
SUPPORT_LEAD = {
    True: "If something is worrying you, you can tell a grown-up here.",
    False: "If anything is worrying you, you can talk to someone.",
}
SUPPORT_LINK = {True: "Tell a grown-up here", False: "Ask to talk to someone"}


def support_lead(child: bool) -> str:
    """The first sentence of the gentle help box."""
    return SUPPORT_LEAD[child]


def support_link(child: bool) -> str:
    """The words of the box's link to the private help page."""
    return SUPPORT_LINK[child]
