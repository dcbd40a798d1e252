"""One real model for the whole theme test run (loading it is the slow part)."""

from __future__ import annotations

import pytest

from workshop_app.themes import ThemeEngine, ThemeModel

#: Workshop-style notes in four themes, five each, worded differently on purpose.
NOTES_BY_THEME = {
    "parents and apps": [
        "mum doesn't get TikTok",
        "parents don't understand the apps we use",
        "my dad has no idea what Snapchat is",
        "grown-ups at home don't know how Instagram works",
        "parents never learned the games and apps kids play",
    ],
    "reporting to police": [
        "the police take ages to reply to a report",
        "reporting abuse to the police feels pointless",
        "officers never follow up after you report something",
        "nobody from the police got back to us about the report",
        "police reports about online abuse go nowhere",
    ],
    "teacher training": [
        "teachers need training about online grooming",
        "school staff should learn how to spot grooming",
        "train teachers to recognise signs of online abuse",
        "staff at school don't know what grooming looks like",
        "teachers want more training on keeping pupils safe online",
    ],
    "someone to talk to": [
        "I want a trusted adult to talk to",
        "kids need someone safe they can tell",
        "having a person to speak to when something goes wrong",
        "a counsellor you can talk to in confidence",
        "someone who listens without judging you",
    ],
}
NOTES = [note for notes in NOTES_BY_THEME.values() for note in notes]
TRUTH = [i for i, notes in enumerate(NOTES_BY_THEME.values()) for _ in notes]


@pytest.fixture(scope="session")
def engine() -> ThemeEngine:
    engine = ThemeEngine(ThemeModel())
    engine.model.load()
    return engine
