"""The arrival check (core/safeguarding.py): what is held back from the projector and why,
measured on the labelled notes (tests/core/data) and on awkward input."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop_app.core.safeguarding import Check, Concern, ReasonKind, check

DATA = Path(__file__).parent / "data"
SETS = ["safeguarding_notes.tsv", "safeguarding_heldout.tsv"]


def read_notes(name: str) -> list[tuple[str, str, str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, kind, note = line.split("\t")
            rows.append((label, kind, note))
    return rows


def caught(label: str, result: Check) -> bool:
    if label == "personal":
        return result.personal_detail
    if label == "disclosure":
        return result.possible_disclosure
    return result.hold


@pytest.mark.parametrize("name", SETS)
@pytest.mark.parametrize("label", ["disclosure", "personal"])
def test_at_least_95_percent_of_labelled_notes_are_held_for_their_reason(name, label) -> None:
    notes = [note for lab, _kind, note in read_notes(name) if lab == label]
    missed = [note for note in notes if not caught(label, check(note))]
    recall = 1 - len(missed) / len(notes)
    assert recall >= 0.95, f"recall {recall:.3f} for {label} in {name}; missed: {missed}"


@pytest.mark.parametrize("name", SETS)
def test_at_most_15_percent_of_ordinary_notes_are_held(name) -> None:
    notes = [note for lab, _kind, note in read_notes(name) if lab == "ordinary"]
    held = [(note, [r.label for r in check(note).reasons]) for note in notes]
    held = [h for h in held if h[1]]
    rate = len(held) / len(notes)
    assert rate <= 0.15, f"false holds {rate:.3f} in {name}: {held}"


def test_the_labelled_sets_are_large_enough_and_cover_every_kind() -> None:
    tuning, heldout = (read_notes(name) for name in SETS)
    assert len(tuning) >= 300 and len(heldout) >= 100
    kinds = {kind for label, kind, _ in tuning if label != "ordinary"}
    assert kinds == {k.value for k in ReasonKind}
    assert not {note for *_, note in tuning} & {note for *_, note in heldout}


NEW_DETAILS = [
    ("i live at 14 elm road", ReasonKind.STREET_ADDRESS, "14 elm road"),
    ("we moved to 45a Kings Crescent last year", ReasonKind.STREET_ADDRESS, "45a Kings Crescent"),
    ("my nan lives on cherry tree close", ReasonKind.STREET_ADDRESS, "cherry tree close"),
    ("me and jack play fortnite", ReasonKind.LOWERCASE_NAME, "jack"),
    ("my best friend is called zofia", ReasonKind.LOWERCASE_NAME, "zofia"),
    ("add me on snap its coolkid_09", ReasonKind.HANDLE_WITHOUT_AT, "coolkid_09"),
    ("my insta is mia.dances", ReasonKind.HANDLE_WITHOUT_AT, "mia.dances"),
    ("ig: ellie_xo", ReasonKind.HANDLE_WITHOUT_AT, "ellie_xo"),
    ("email jake dot smith at gmail dot com", ReasonKind.SPELLED_EMAIL,
     "jake dot smith at gmail dot com"),
    ("its jane[at]example[dot]org", ReasonKind.SPELLED_EMAIL, "jane[at]example[dot]org"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "kind", "fragment"), NEW_DETAILS)
def test_the_new_kinds_of_personal_detail_are_found(text, kind, fragment) -> None:
    result = check(text)
    assert result.hold
    assert (kind, fragment) in [(r.kind, r.fragment) for r in result.reasons]


@pytest.mark.parametrize(
    "text",
    [
        "i live near the park",
        "it takes 5 minutes on the way",
        "my insta is private",
        "i will hope for the best",
        "the app is called roblox",
    ],
)
def test_ordinary_words_are_not_taken_for_personal_details(text) -> None:
    assert not check(text).hold


def test_redaction_findings_are_reasons_too() -> None:
    result = check("text me on 07700 900123 or jo.bloggs@example.com")
    assert [r.kind for r in result.reasons] == [ReasonKind.PHONE, ReasonKind.EMAIL]


def test_a_participants_chosen_name_is_not_flagged_as_a_name() -> None:
    assert check("me and jack made it").hold
    assert not check("me and jack made it", known_names=frozenset({"Jack"})).hold
    assert not check("Jack says hi", known_names=frozenset({"jack"})).hold
    assert not check("my name is zed", known_names=frozenset({"Zed"})).hold
    held = check("me and jack and ellie made it", known_names=frozenset({"Jack"}))
    assert [r.fragment for r in held.reasons] == ["ellie"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("a man online keeps asking me for pics", ReasonKind.ASKED_FOR_IMAGES),
        ("sum1 wants me to send nudez", ReasonKind.ASKED_FOR_IMAGES),
        ("someone has a photo of me and wants money", ReasonKind.THREAT),
        ("he said hell post my pics if i dont send more", ReasonKind.THREAT),
        ("he made me promise not to tell", ReasonKind.FIRST_PERSON_HARM),
        ("i dont want to be here anymore", ReasonKind.SELF_HARM),
        ("nobody would care if i was gone", ReasonKind.SELF_HARM),
        ("im scared", ReasonKind.DISTRESS),
    ],
)
def test_possible_disclosures_are_held_with_their_kind(text, kind) -> None:
    result = check(text)
    assert result.hold and result.possible_disclosure
    assert kind in [r.kind for r in result.reasons]


@pytest.mark.parametrize(
    "text",
    [
        "kids get asked for pics online",
        "people can threaten you for money",
        "scammers threaten to post pictures unless you pay",
        "if someone asked me for pics i would tell my mum",
        "my mum says never send pics to anyone",
        "kids who self harm need someone to talk to",
    ],
)
def test_statements_about_the_topic_are_not_held(text) -> None:
    assert not check(text).hold


def test_reasons_carry_plain_labels_and_the_words_that_matched() -> None:
    text = "a man keeps asking me for pics. my snap is jakey_2010"
    result = check(text)
    assert {r.label for r in result.reasons} == {
        "Possible disclosure: someone asking for images",
        "Personal detail: username without @",
        "Possible disclosure: something happening to the writer or someone they know",
    }
    for r in result.reasons:
        assert text[r.start : r.end] == r.fragment
    assert {r.concern for r in result.reasons} == set(Concern)


def test_every_kind_has_a_label_naming_its_concern() -> None:
    for kind in ReasonKind:
        prefix = "Possible disclosure: " if kind.concern is Concern.POSSIBLE_DISCLOSURE else None
        assert kind.label.startswith(prefix or "Personal detail: ")
        assert kind.label == kind.label.strip() and len(kind.label) < 80


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "🙂🙂🙂 🐶",
        "x" * 10_000,
        ("he keeps asking me for pics " * 400)[:10_000],
        "at dot " * 1_400,
        "lone \ud800 surrogate \udfff",
        "<script>alert('i want to die')</script>",
        "İstanbul İ " * 50,
        "\x00\t\r\n",
    ],
)
def test_awkward_input_never_raises_and_spans_match(text) -> None:
    result = check(text)
    assert result.hold == bool(result.reasons)
    for r in result.reasons:
        assert text[r.start : r.end] == r.fragment


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gets_a_check_whose_spans_are_its_own_words(text) -> None:
    result = check(text)
    assert result.hold == bool(result.reasons)
    for r in result.reasons:
        assert text[r.start : r.end] == r.fragment
