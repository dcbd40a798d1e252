"""Personal details in notes (core/redaction.py): what is found, what is left alone, and
how removals read."""

from __future__ import annotations

import pytest

from workshop_app.core.redaction import REMOVED, DetailKind, apply, find_personal_details

E, P, PC, W, H, S, N = (
    DetailKind.EMAIL,
    DetailKind.PHONE,
    DetailKind.POSTCODE,
    DetailKind.WEB,
    DetailKind.HANDLE,
    DetailKind.SCHOOL,
    DetailKind.NAME,
)

FOUND = [
    # phone numbers
    ("Mum's phone is 07700 900123", [(P, "07700 900123")]),
    ("text 07700900123 after school", [(P, "07700900123")]),
    ("ring 07700-900-123 please", [(P, "07700-900-123")]),
    ("call 0113 496 0000", [(P, "0113 496 0000")]),
    ("ring 020-7946-0000", [(P, "020-7946-0000")]),
    ("(0113) 496 0000 is the office", [(P, "(0113) 496 0000")]),
    ("+44 7700 900123", [(P, "+44 7700 900123")]),
    ("+44 (0)20 7946 0000", [(P, "+44 (0)20 7946 0000")]),
    ("my cousin is on +1 202 555 0143", [(P, "+1 202 555 0143")]),
    ("0044 7700 900123", [(P, "0044 7700 900123")]),
    # email, web, handles
    ("email me at jo.bloggs@example.com", [(E, "jo.bloggs@example.com")]),
    ("J.Smith+club@school.sch.uk.", [(E, "J.Smith+club@school.sch.uk")]),
    ("check www.example.co.uk/help.", [(W, "www.example.co.uk/help")]),
    ("see https://example.org/page?x=1.", [(W, "https://example.org/page?x=1")]),
    ("look at example.co.uk now", [(W, "example.co.uk")]),
    ("use roblox.com", [(W, "roblox.com")]),
    ("follow me @gamer_kid99 on insta", [(H, "@gamer_kid99")]),
    ("my tiktok is @sam.draws", [(H, "@sam.draws")]),
    # postcodes
    ("I live in SW1A 1AA", [(PC, "SW1A 1AA")]),
    ("postcode m14 5rb", [(PC, "m14 5rb")]),
    ("we live near the LS6 area", [(PC, "LS6")]),
    ("I live in M14", [(PC, "M14")]),
    ("E17 area", [(PC, "E17")]),
    # schools
    ("I go to St Mary's Primary", [(S, "St Mary's Primary")]),
    ("Riverside Academy is great", [(S, "Riverside Academy")]),
    ("I'm at Oakwood High School.", [(S, "Oakwood High School")]),
    ("Hillside Infant and Junior School", [(S, "Hillside Infant and Junior School")]),
    ("Saint Mary's College", [(S, "Saint Mary's College")]),
    ("at the Riverside Academy", [(S, "Riverside Academy")]),
    # names
    ("Sam said hi", [(N, "Sam")]),
    ("Sam's mum", [(N, "Sam")]),
    ("Grace Jones said", [(N, "Grace Jones")]),
    ("Will Smith was there", [(N, "Will Smith")]),
    ("I ask Grace for help", [(N, "Grace")]),
    ("my friend Will helps", [(N, "Will")]),
    ("Jack Smith's bike", [(N, "Jack Smith")]),
    ("my teacher Mr Smith", [(N, "Mr Smith")]),
    ("Miss O'Neill is kind", [(N, "Miss O'Neill")]),
    ("I like Sam Jones and Ali", [(N, "Sam Jones"), (N, "Ali")]),
    ("May Hughes runs it", [(N, "May Hughes")]),
    # several at once, in reading order
    (
        "Chloe from Riverside Academy: 07700 900123",
        [(N, "Chloe"), (S, "Riverside Academy"), (P, "07700 900123")],
    ),
]

NOT_FOUND = [
    "I was 7 when my dad left",
    "I'm in Y7 now",
    "I'm in year 7 and it's 3.30pm",
    "the M1 motorway",
    "2019-2020",
    "0-5 year olds",
    "kids 07-11",
    "at 10.30 on 01/02/2026",
    "it cost £0.50",
    "Childline 0800 1111",  # a helpline's short number: public, and too short to be a phone
    "St John Ambulance helped",
    "Hope you are ok",
    "May I go out?",
    "in May we went",
    "Will it help?",
    "Don't do that",
    "Mark my words",
    "Frank and open talk helps",
    "Grace. Then we left",
    "High School is hard",
    "my school is fine",
    "My School is big",
    "The Academy trust",
    "the Sixth Form College",
    "Learning at school",
    "sam said hi",  # names are capitalised words; lower case is left alone
    "I love Minecraft and Roblox",
    "e.g. games, i.e. chats etc.",
    "strangers in games and chats",
    "",
]


@pytest.mark.parametrize(("text", "expected"), FOUND)
def test_personal_details_are_found(text, expected):
    found = find_personal_details(text)
    assert [(f.kind, f.fragment) for f in found] == expected
    for f in found:
        assert text[f.start : f.end] == f.fragment


@pytest.mark.parametrize("text", NOT_FOUND)
def test_ordinary_words_are_left_alone(text):
    assert find_personal_details(text) == []


def test_an_email_address_is_not_also_a_handle_or_a_web_address():
    found = find_personal_details("write to help@riverside.gov.uk today")
    assert [(f.kind, f.fragment) for f in found] == [(E, "help@riverside.gov.uk")]


def test_every_kind_has_words_for_people():
    assert {k.label for k in DetailKind} >= {"Phone number", "School name", "Personal name"}


@pytest.mark.parametrize(
    ("text", "fragments", "expected"),
    [
        ("call 07700 900123 now", ["07700 900123"], f"call {REMOVED} now"),
        ("Sam and Sam", ["Sam"], f"{REMOVED} and {REMOVED}"),
        ("Sam Jones and Sam", ["Sam", "Sam Jones"], f"{REMOVED} and {REMOVED}"),
        ("nothing here", [], "nothing here"),
        ("nothing here", [""], "nothing here"),
        ("Ali at Riverside Academy", ["Riverside Academy", "Ali"], f"{REMOVED} at {REMOVED}"),
        ("not in the text", ["Sam"], "not in the text"),
    ],
)
def test_apply_replaces_each_fragment_everywhere(text, fragments, expected):
    assert apply(text, fragments) == expected
