"""language_of: notes the English theme model cannot read are named, English is never flagged."""

from __future__ import annotations

import time
from pathlib import Path
from typing import NamedTuple

import pytest

from workshop_app.themes.language import Language, language_of

DATA = Path(__file__).parent / "data" / "multilingual.tsv"


class Row(NamedTuple):
    theme: str
    language: str
    note: str
    english: str
    tricky: bool


def read_rows() -> list[Row]:
    rows, tricky = [], False
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if line.startswith("# tricky"):
            tricky = True
        if not line.strip() or line.startswith("#"):
            continue
        theme, language, note, english = line.split("\t")
        rows.append(Row(theme, language, note, english, tricky))
    return rows


ROWS = read_rows()
NAMES = {"pl": "Polish", "ro": "Romanian", "ur": "Urdu", "ar": "Arabic"}


def of(language: str) -> list[Row]:
    return [row for row in ROWS if row.language == language]


def test_the_set_has_enough_notes_of_each_language_in_every_theme() -> None:
    themes = {row.theme for row in of("en")}
    assert len(themes) == 8
    for language in NAMES:
        assert len(of(language)) >= 15, language
        assert {row.theme for row in of(language)} == themes, language
    assert len([row for row in of("en") if not row.tricky]) >= 40
    assert len([row for row in of("en") if row.tricky]) >= 20


@pytest.mark.parametrize("language", ["ur", "ar"])
def test_every_urdu_and_arabic_note_is_named_and_not_readable(language: str) -> None:
    wrong = [
        (row.note, result)
        for row in of(language)
        if (result := language_of(row.note)) != Language(language, NAMES[language], readable=False)
    ]
    assert wrong == []


@pytest.mark.parametrize("language", ["pl", "ro"])
def test_nine_in_ten_polish_and_romanian_notes_are_not_readable(language: str) -> None:
    rows = of(language)
    missed = [(row.note, language_of(row.note)) for row in rows]
    missed = [(note, result) for note, result in missed if result.readable]
    assert len(missed) <= 0.1 * len(rows), missed
    named = [row.note for row in rows if language_of(row.note).code == language]
    assert len(named) >= 0.9 * len(rows), [row.note for row in rows if row.note not in named]


def test_no_english_note_in_the_set_is_flagged() -> None:
    flagged = [(row.note, language_of(row.note)) for row in of("en")]
    assert [(note, result) for note, result in flagged if not result.readable] == []


@pytest.mark.parametrize(
    "note",
    [
        "ok",
        "lol",
        "idk",
        "roblox",
        "tiktok snapchat",
        "nie",
        "dziękuję",
        "12",
        "£50 by 10pm",
        "😢😢😢",
        "!!!",
        "CEOP",
        "Ștefan",
    ],
)
def test_short_or_undetermined_notes_are_readable(note: str) -> None:
    result = language_of(note)
    assert result.readable
    assert result.code in ("und", "en")


@pytest.mark.parametrize(
    ("note", "code"),
    [
        ("my son uses tiktok i nie wiem", "en"),  # 3 English words of 6: enough to read
        ("Mrs Wiśniewska from Gdańsk says the training was good", "en"),
        ("we need leaflets in polish, romanian and urdu", "en"),
        ("my son uses tiktok i nie wiem co robic", "pl"),  # mostly Polish
        ("moj syn ma 12 lat i gra w roblox", "pl"),
        ("copilul meu vorbeste cu straini pe tiktok", "ro"),
        ("میرا بیٹا roblox پر کھیلتا ہے", "ur"),
        ("ابني يلعب roblox مع غرباء", "ar"),
        ("my mum said ٹھیک ہے and took my phone", "en"),
    ],
)
def test_mixed_notes_follow_the_stronger_language(note: str, code: str) -> None:
    result = language_of(note)
    assert result.code == code
    assert result.readable is (code == "en")


@pytest.mark.parametrize(
    ("note", "code"),
    [
        ("syn dostaje wiadomosci od obcych na snapie", "pl"),
        ("policja nic nie zrobila", "pl"),
        ("fiul meu primeste mesaje de la straini", "ro"),
        ("nu stiu cui sa spun", "ro"),
        ("mi hijo habla con extraños en los juegos", "es"),
        ("o meu filho fala com estranhos no jogo", "pt"),
        ("mano vaikas žaidžia su nepažįstamais", "lt"),
        ("این برای بچه ها خطرناک است", "fa"),
        ("мой сын играет с незнакомыми людьми", "ru"),
        ("мій син грає з незнайомцями", "uk"),
        ("मेरा बेटा अजनबियों से बात करता है", "und-Deva"),
        ("আমার ছেলে অপরিচিতদের সাথে কথা বলে", "bn"),
        ("ਮੇਰਾ ਪੁੱਤਰ ਅਜਨਬੀਆਂ ਨਾਲ ਗੱਲ ਕਰਦਾ ਹੈ", "pa"),
        ("我的孩子在游戏里和陌生人聊天", "zh"),
    ],
)
def test_notes_outside_the_set_are_named_and_not_readable(note: str, code: str) -> None:
    result = language_of(note)
    assert (result.code, result.readable) == (code, False)
    assert result.name


@pytest.mark.parametrize(
    "text",
    ["", " ", "\n\t", "\ud800", "abc\udfffdef", "\x00", "🏳️‍🌈" * 50, "word " * 20_000, "ą" * 10_000],
)
def test_odd_text_does_not_crash_and_is_readable(text: str) -> None:
    result = language_of(text)
    assert isinstance(result, Language)
    if not any(ch.isalpha() for ch in text) or text.startswith("word"):
        assert result.readable


def test_the_answer_depends_on_the_text_alone() -> None:
    notes = [row.note for row in ROWS]
    assert [language_of(n) for n in notes] == [language_of(n) for n in reversed(notes)][::-1]


def test_a_note_takes_well_under_a_tenth_of_a_millisecond() -> None:
    notes = [row.note for row in ROWS]
    start = time.perf_counter()
    for _ in range(20):
        for note in notes:
            language_of(note)
    per_note = (time.perf_counter() - start) / (20 * len(notes))
    assert per_note < 0.0005  # 0.1 ms typical; a loose bound on a busy shared machine
