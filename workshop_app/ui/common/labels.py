"""Words the desktop shows for stored values (the values themselves stay in English ids)."""

from __future__ import annotations

from workshop_app.core.model import ModerationMode, RatingScale, SessionState, VoteTarget

SESSION_STATE = {
    SessionState.PLANNED: "Planned",
    SessionState.LIVE: "Live now",
    SessionState.CLOSED: "Finished",
}
MODERATION = {
    ModerationMode.SHOW_AT_ONCE: "Show notes at once",
    ModerationMode.APPROVE_FIRST: "Approve notes first",
}
VOTE_TARGET = {VoteTarget.THEMES: "Themes", VoteTarget.NOTES: "Notes"}
SCALE = {
    RatingScale.NINE_POINT: "1 to 9",
    RatingScale.SMILEY: "Five smiley faces (children)",
}


def short(text: str, limit: int = 40) -> str:
    """The first words of a note, on one line."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
